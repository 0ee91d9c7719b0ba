"""Build Word (.docx) samples from corpora/reiki/*.txt with python-docx.

    .venv/bin/python corpora/docx/make_docx.py

- ``<doc>.docx`` for the ordinances in AUTO: 条 and 号 numbers are Word automatic numbering
  (numbering.xml: 「第%1条」, 「(%1)」 / 「（%1）」 / 漢数字 「%1」, restarted for every list);
  branch articles (第12条の2) and 項 numbers typed, as drafters do. Title centred, captions,
  別表 as a real Word table, a ruby word and a hyperlink.
- ``<doc>.docx`` for TYPED: every number typed as text (the common case).
The .txt classification comes from corpora/html/make_html.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "html"))

from make_html import classify  # noqa: E402

AUTO = ["okugai_kokokubutsu_jorei", "koshu_yokujo_jorei", "kaihatsu_shido_yoko"]
TYPED = ["keikan_jorei"]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Lists:
    """Adds abstractNum / num definitions to the document's numbering part."""

    def __init__(self, document: docx.document.Document) -> None:
        self.el = document.part.numbering_part.element
        self.next_abs = 90
        self.next_num = 90

    def abstract(self, fmt: str, text: str) -> int:
        aid = self.next_abs
        self.next_abs += 1
        xml = (
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}"><w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="space"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
        )
        # abstractNum elements must precede num elements
        first_num = self.el.find(qn("w:num"))
        node = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(node)
        else:
            self.el.append(node)
        return aid

    def num(self, aid: int, restart: bool) -> int:
        nid = self.next_num
        self.next_num += 1
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if restart else ""
        self.el.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{override}</w:num>'
            )
        )
        return nid


def _set_num(paragraph: docx.text.paragraph.Paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _add_ruby(paragraph: docx.text.paragraph.Paragraph, text: str, base: str, reading: str) -> None:
    before, _, after = text.partition(base)
    paragraph.add_run(before)
    paragraph._p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:ruby><w:rubyPr><w:rubyAlign w:val="distributeSpace"/><w:hps w:val="10"/>'
            f'<w:hpsRaise w:val="18"/><w:hpsBaseText w:val="21"/><w:lid w:val="ja-JP"/></w:rubyPr>'
            f"<w:rt><w:r><w:t>{reading}</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>{base}</w:t></w:r></w:rubyBase>"
            f"</w:ruby></w:r>"
        )
    )
    paragraph.add_run(after)


def _add_text(paragraph: docx.text.paragraph.Paragraph, text: str, state: dict[str, bool]) -> None:
    if not state["ruby"]:
        for base, reading in (("毀損", "きそん"), ("貼", "ちよう"), ("撤去", "てつきよ")):
            if base in text:
                _add_ruby(paragraph, text, base, reading)
                state["ruby"] = True
                return
    if not state["link"] and (m := re.search(r"第[0-9０-９]+条", text)):
        paragraph.add_run(text[: m.start()])
        rid = paragraph.part.relate_to(
            "https://example.invalid/reiki#" + m.group(0),
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        paragraph._p.append(
            parse_xml(
                f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:t>{m.group(0)}</w:t></w:r></w:hyperlink>'
            )
        )
        paragraph.add_run(text[m.end() :])
        state["link"] = True
        return
    paragraph.add_run(text)


def build(doc: str, auto: bool) -> Path:
    units, _title = classify(doc)
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "ＭＳ 明朝")
    lists = Lists(d)
    fullwidth = any("０" <= ch <= "９" for u in units for ch in u.marker)
    art_abs = lists.abstract("decimalFullWidth" if fullwidth else "decimal", "第%1条")
    art_num = lists.num(art_abs, restart=False)
    paren_abs = lists.abstract(
        "decimalFullWidth" if fullwidth else "decimal", "（%1）" if fullwidth else "(%1)"
    )
    kanji_abs = lists.abstract("ideographDigital", "%1")
    item_num: int | None = None
    state = {"ruby": False, "link": False}
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if not table_rows:
            return
        ncols = max(len(r) for r in table_rows)
        t = d.add_table(rows=0, cols=ncols)
        t.style = "Table Grid"
        for r in table_rows:
            cells = t.add_row().cells
            for i, c in enumerate(r):
                cells[i].text = c
        table_rows.clear()

    for u in units:
        if u.kind != "row":
            flush_table()
        if u.kind != "item":
            item_num = None if u.kind != "subitem" else item_num
        if u.kind == "title":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(u.text).bold = True
        elif u.kind == "row":
            table_rows.append(u.text.split("\u3000"))
        elif auto and u.kind == "article" and "の" not in u.marker:
            p = d.add_paragraph()
            _set_num(p, art_num)
            _add_text(p, u.body, state)
        elif (
            auto
            and u.kind == "item"
            and re.fullmatch(r"[(（][0-9０-９]+[)）]|[一二三四五六七八九十]+", u.marker)
        ):
            if item_num is None:
                item_num = lists.num(kanji_abs if u.marker[0] not in "(（" else paren_abs, restart=True)
            p = d.add_paragraph()
            p.paragraph_format.left_indent = Pt(10.5)
            _set_num(p, item_num)
            _add_text(p, u.body, state)
        else:
            p = d.add_paragraph()
            if u.kind in ("date", "number"):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_text(p, u.text, state)
    flush_table()
    out = HERE / f"{doc}.docx"
    d.save(str(out))
    return out


def main() -> None:
    for doc in AUTO:
        print(build(doc, auto=True).name, "(自動番号)")
    for doc in TYPED:
        print(build(doc, auto=False).name, "(番号を文字で入力)")


if __name__ == "__main__":
    main()
