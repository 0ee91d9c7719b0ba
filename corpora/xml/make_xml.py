"""Write e-Gov 法令標準XML (schema v3 style) versions of corpora/reiki ordinances.

    .venv/bin/python corpora/xml/make_xml.py

The tree comes from the project's structure parser on the .txt; the XML uses the elements of
the real e-Gov files (Law/LawNum/LawBody/LawTitle/TOC/MainProvision/Chapter/Article/
ArticleCaption/ArticleTitle/Paragraph/ParagraphNum/ParagraphSentence/Sentence (a ただし書 as
Function="proviso")/Item/ItemTitle/ItemSentence (用語　定義 as two Column)/Subitem1/
SupplProvision AmendLawNum/AppdxTable/TableStruct, one Ruby). Numbers are written as the
municipality writes them (第1条, (1)), attributes canonical (Num="12_2").
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent
sys.path.insert(0, str(CORPORA.parent / "src"))

from analogscan.ingest import read_document  # noqa: E402
from analogscan.model import Node  # noqa: E402
from analogscan.structure import parse_lines  # noqa: E402

DOCS = ["okugai_kokokubutsu_jorei", "keikan_jorei"]
RUBY = {"貼": "ちよう", "毀損": "きそん"}


def sentences(text: str, ruby_done: list[bool]) -> str:
    parts = re.split(r"(?<=。)(?=ただし、)", text)
    out = []
    for i, p in enumerate(parts, 1):
        s = escape(p)
        if not ruby_done[0]:
            for base, reading in RUBY.items():
                if base in s:
                    s = s.replace(base, f"<Ruby>{base}<Rt>{reading}</Rt></Ruby>", 1)
                    ruby_done[0] = True
                    break
        fn = "proviso" if i > 1 else "main"
        out.append(f'<Sentence Num="{i}" Function="{fn}" WritingMode="vertical">{s}</Sentence>')
    return "".join(out)


def item_sentence(text: str, tag: str, ruby: list[bool]) -> str:
    m = re.match(r"^([^\u3000、。]{1,20})\u3000(.+)$", text)
    if m:  # 定義号 「用語　定義」
        return (
            f'<{tag}><Column Num="1"><Sentence Num="1" WritingMode="vertical">{escape(m.group(1))}</Sentence></Column>'
            f'<Column Num="2">{sentences(m.group(2), ruby)}</Column></{tag}>'
        )
    return f"<{tag}>{sentences(text, ruby)}</{tag}>"


def subitems(node: Node, depth: int, ruby: list[bool]) -> str:
    out = []
    for i, c in enumerate((c for c in node.children if c.kind == "subitem"), 1):
        t = f"Subitem{depth}"
        out.append(
            f'<{t} Num="{i}"><{t}Title>{escape(c.label)}</{t}Title>{item_sentence(c.text, t + "Sentence", ruby)}'
            f"{subitems(c, depth + 1, ruby)}</{t}>"
        )
    return "".join(out)


def paragraph(p: Node, ruby: list[bool]) -> str:
    items = "".join(
        f'<Item Num="{c.num}"><ItemTitle>{escape(c.label)}</ItemTitle>{item_sentence(c.text, "ItemSentence", ruby)}'
        f"{subitems(c, 1, ruby)}</Item>"
        for c in p.children
        if c.kind == "item"
    )
    num = escape(p.label) if p.label else ""
    pnum = f"<ParagraphNum>{num}</ParagraphNum>" if num else "<ParagraphNum/>"
    return (
        f'<Paragraph Num="{p.num or 1}">{pnum}<ParagraphSentence>{sentences(p.text, ruby)}</ParagraphSentence>'
        f"{items}</Paragraph>"
    )


def article(a: Node, ruby: list[bool]) -> str:
    cap = f"<ArticleCaption>{escape(a.caption)}</ArticleCaption>" if a.caption else ""
    paras = "".join(paragraph(p, ruby) for p in a.children if p.kind == "paragraph")
    return f'<Article Num="{a.num}">{cap}<ArticleTitle>{escape(a.label)}</ArticleTitle>{paras}</Article>'


def container(node: Node, ruby: list[bool]) -> str:
    out = []
    for c in node.children:
        if c.kind == "article":
            out.append(article(c, ruby))
        elif c.kind == "paragraph":
            out.append(paragraph(c, ruby))
        elif c.kind in ("chapter", "section"):
            tag = "Chapter" if c.kind == "chapter" else "Section"
            out.append(
                f'<{tag} Num="{c.num}"><{tag}Title>{escape(c.label)}\u3000{escape(c.text)}</{tag}Title>'
                f"{container(c, ruby)}</{tag}>"
            )
    return "".join(out)


def build(doc: str) -> str:
    src = read_document(CORPORA / "reiki" / f"{doc}.txt")
    o = parse_lines(src.lines)
    ruby = [False]
    era = {"平成": "Heisei", "令和": "Reiwa", "昭和": "Showa"}.get(o.date[:2], "Heisei")
    m = re.match(
        r"^..(\d+)年(\d+)月(\d+)日", o.date.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    )
    year, month, day = (m.group(1), m.group(2), m.group(3)) if m else ("1", "1", "1")
    body: list[str] = []
    toc = "<TOC><TOCLabel>目次</TOCLabel><TOCSupplProvision><SupplProvisionLabel>附則</SupplProvisionLabel></TOCSupplProvision></TOC>"
    n_appdx = 0
    for part in o.parts:
        if part.num == "main":
            body.append(f"<MainProvision>{container(part, ruby)}</MainProvision>")
        elif part.num == "suppl":
            paren = re.search(r"（([^）]*)）", part.label)
            attr = f' AmendLawNum="{escape(paren.group(1))}"' if paren else ""
            body.append(
                f"<SupplProvision{attr}><SupplProvisionLabel>附　則</SupplProvisionLabel>{container(part, ruby)}</SupplProvision>"
            )
        elif part.num == "appendix":
            n_appdx += 1
            rows = "".join(
                "<TableRow>"
                + "".join(
                    f'<TableColumn BorderTop="solid" BorderBottom="solid" BorderLeft="solid" BorderRight="solid">'
                    f'<Sentence Num="1" WritingMode="horizontal">{escape(cell)}</Sentence></TableColumn>'
                    for cell in row.text.split("\u3000")
                )
                + "</TableRow>"
                for row in part.children
                if row.kind == "line"
            )
            rel = f"<RelatedArticleNum>{escape(part.caption)}</RelatedArticleNum>" if part.caption else ""
            body.append(
                f'<AppdxTable Num="{n_appdx}"><AppdxTableTitle WritingMode="vertical">{escape(part.label)}</AppdxTableTitle>{rel}'
                f'<TableStruct><Table WritingMode="vertical">{rows}</Table></TableStruct></AppdxTable>'
            )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Law Era="{era}" Lang="ja" LawType="Misc" Num="{escape(o.number)}" Year="{year}" '
        f'PromulgateMonth="{month}" PromulgateDay="{day}"><LawNum>{escape(o.number)}</LawNum>'
        f"<LawBody><LawTitle>{escape(o.title)}</LawTitle>{toc}{''.join(body)}</LawBody></Law>\n"
    )


def main() -> None:
    for doc in DOCS:
        (HERE / f"{doc}.xml").write_text(build(doc), encoding="utf-8")
        print(f"{doc}.xml")


if __name__ == "__main__":
    main()
