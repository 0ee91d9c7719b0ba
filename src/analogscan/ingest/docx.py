"""Word (.docx) reader: body paragraphs in document order → lines; tables → one line per row
(cells joined with an ideographic space, like the 別表 rows of the .txt layout).

Paragraph text is taken from the XML (runs, hyperlinks, insertions, content controls; ruby
readings, deleted text and field instructions dropped). Automatic list numbering (w:numPr,
direct or through the paragraph style) is rendered in front of the text from numbering.xml
(「第%1条」, 「(%1)」, decimal / full-width / 漢数字 / イロハ / アイウ formats), so a draft whose
numbers Word generates reads the same as one with the numbers typed. The lines then go through
the text structure parser. ``element_id`` is Word's ``w14:paraId`` when the file has one.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analogscan import ziplimits
from analogscan.ingest._markup import CELL_SEP, MAX_MARKUP_BYTES, check_size
from analogscan.ingest.base import IngestError
from analogscan.model import Line, Message, SourceDocument
from analogscan.structure.markers import AIUEO, IROHA, circled_number, int_to_kanji, int_to_roman

if TYPE_CHECKING:
    from lxml.etree import _Element

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

_SKIP = {
    f"{{{W}}}{n}" for n in ("rt", "delText", "instrText", "txbxContent", "pPr", "rPr", "footnoteReference")
}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _fmt_number(n: int, fmt: str) -> str:
    if fmt in ("decimal", "decimalZero"):
        return str(n)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("ideographDigital", "japaneseCounting", "japaneseDigitalTenThousand", "ideographTraditional"):
        return int_to_kanji(n)
    if fmt in ("iroha", "irohaFullWidth"):
        return IROHA[(n - 1) % len(IROHA)]
    if fmt in ("aiueo", "aiueoFullWidth"):
        return AIUEO[(n - 1) % len(AIUEO)]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return int_to_roman(n).lower()
    if fmt == "upperRoman":
        return int_to_roman(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedCircle":
        return circled_number(n) or str(n)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suff: str = "tab"


@dataclass
class _Numbering:
    """Renders automatic numbers: numId → abstract levels, counters per numId."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)
    style_num: dict[str, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def load(cls, document: Any) -> _Numbering:
        out = cls()
        try:
            numbering_el = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering_el = None
        if numbering_el is not None:
            abstract: dict[str, dict[int, _Level]] = {}
            for an in numbering_el.findall(_w("abstractNum")):
                lv: dict[int, _Level] = {}
                for lvl in an.findall(_w("lvl")):
                    lv[int(lvl.get(_w("ilvl"), "0"))] = _parse_level(lvl, _Level())
                abstract[an.get(_w("abstractNumId"), "")] = lv
            for num in numbering_el.findall(_w("num")):
                ref = num.find(_w("abstractNumId"))
                base = abstract.get(ref.get(_w("val"), "") if ref is not None else "", {})
                lv = {k: _Level(v.start, v.fmt, v.text, v.suff) for k, v in base.items()}
                for ov in num.findall(_w("lvlOverride")):
                    ilvl = int(ov.get(_w("ilvl"), "0"))
                    cur = lv.setdefault(ilvl, _Level())
                    so = ov.find(_w("startOverride"))
                    if so is not None:
                        cur.start = int(so.get(_w("val"), "1"))
                    lvl = ov.find(_w("lvl"))
                    if lvl is not None:
                        _parse_level(lvl, cur)
                out.levels[num.get(_w("numId"), "")] = lv
        try:
            styles_el = document.part.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            styles_el = None
        if styles_el is not None:
            for st in styles_el.findall(_w("style")):
                np_ = st.find(f"{_w('pPr')}/{_w('numPr')}")
                if np_ is not None:
                    nid, ilvl = _num_pr(np_)
                    if nid:
                        out.style_num[st.get(_w("styleId"), "")] = (nid, ilvl)
        return out

    def render(self, p: _Element) -> str:
        ppr = p.find(_w("pPr"))
        nid: str | None = None
        ilvl = 0
        if ppr is not None:
            np_ = ppr.find(_w("numPr"))
            if np_ is not None:
                nid, ilvl = _num_pr(np_)
            elif (ps := ppr.find(_w("pStyle"))) is not None:
                nid, ilvl = self.style_num.get(ps.get(_w("val"), ""), (None, 0))
        if not nid or nid == "0" or nid not in self.levels:
            return ""
        levels = self.levels[nid]
        lvl = levels.get(ilvl)
        if lvl is None:
            return ""
        counters = self.counters.setdefault(nid, {})
        counters[ilvl] = counters.get(ilvl, lvl.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = lvl.text
        for i in range(ilvl + 1):
            li = levels.get(i, _Level())
            n = counters.get(i, li.start)
            text = text.replace(f"%{i + 1}", _fmt_number(n, li.fmt))
        if not text:
            return ""
        return text + {"tab": "\u3000", "space": " "}.get(lvl.suff, "")


def _parse_level(lvl: _Element, cur: _Level) -> _Level:
    for tag, attr in (("start", "start"), ("numFmt", "fmt"), ("lvlText", "text"), ("suff", "suff")):
        el = lvl.find(_w(tag))
        if el is not None:
            val = el.get(_w("val"), "")
            if attr == "start":
                cur.start = int(val or "1")
            else:
                setattr(cur, attr, val)
    return cur


def _num_pr(np_: _Element) -> tuple[str | None, int]:
    nid_el = np_.find(_w("numId"))
    il_el = np_.find(_w("ilvl"))
    nid = nid_el.get(_w("val")) if nid_el is not None else None
    ilvl = int(il_el.get(_w("val"), "0")) if il_el is not None else 0
    return nid, ilvl


def paragraph_texts(p: _Element) -> list[str]:
    """The text of a w:p, split at explicit line breaks (w:br / w:cr)."""
    lines: list[str] = [""]

    def add_runs(e: _Element) -> None:
        for c in e:
            tag = c.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t"):
                lines[-1] += c.text or ""
            elif tag == _w("tab"):
                lines[-1] += "\u3000"
            elif tag in (_w("br"), _w("cr")):
                if c.get(_w("type")) in (None, "textWrapping"):
                    lines.append("")
            elif tag == _w("noBreakHyphen"):
                lines[-1] += "-"
            else:
                add_runs(c)

    add_runs(p)
    return lines


def _cell_text(tc: _Element) -> str:
    parts: list[str] = []
    for p in tc.iter(_w("p")):
        s = "".join(paragraph_texts(p)).strip(" \u3000")
        if s:
            parts.append(s)
    return CELL_SEP.join(parts)


def check_members(path: Path) -> None:
    """Every member's real decompressed size within the caps (zip bombs), before python-docx."""
    try:
        ziplimits.check_members(path, "Word文書（.docx）", required="word/document.xml")
    except ziplimits.ZipLimitError as e:
        raise IngestError(str(e)) from e


class DocxReader:
    name = "docx"
    suffixes: tuple[str, ...] = (".docx", ".docm")
    fallback = False

    def __init__(self, max_bytes: int = MAX_MARKUP_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, path: Path) -> SourceDocument:
        check_size(path, self.max_bytes)
        if not zipfile.is_zipfile(path):
            raise IngestError(
                "Word文書（.docx）として開けません（ZIP形式ではありません。古い .doc 形式の場合は .docx で保存し直してください）"
            )
        check_members(path)
        try:
            import docx

            document = docx.Document(str(path))
        except IngestError:
            raise
        except Exception as e:  # noqa: BLE001 - python-docx raises many types on broken files
            if "Excessive depth" in str(e):
                raise IngestError(
                    "Word文書（.docx）の要素の入れ子が深すぎるため読み込めません（256 段まで）"
                ) from e
            detail = str(e)[:120]
            raise IngestError(
                f"Word文書（.docx）を読み込めません（{type(e).__name__}{': ' + detail if detail else ''}）"
            ) from e
        numbering = _Numbering.load(document)
        lines: list[Line] = []
        body = document.element.body
        self._block_lines(body, numbering, lines)
        if not lines:
            raise IngestError("Word文書に本文の文字がありません")
        return SourceDocument(
            path=str(path), format=self.name, encoding=None, lines=lines, messages=self._messages(document)
        )

    def _block_lines(self, el: _Element, numbering: _Numbering, out: list[Line]) -> None:
        for child in el:
            tag = child.tag
            if tag == _w("p"):
                pid = child.get(f"{{{W14}}}paraId")
                texts = paragraph_texts(child)
                prefix = numbering.render(child) if "".join(texts).strip() else ""
                texts[0] = prefix + texts[0]
                for t in texts:
                    s = t.strip(" \u3000\t")
                    if s:
                        out.append(Line(s, element_id=pid))
            elif tag == _w("tbl"):
                for tr in child.iter(_w("tr")):
                    cells = [_cell_text(tc) for tc in tr.findall(_w("tc"))]
                    s = CELL_SEP.join(c for c in cells if c)
                    if s:
                        out.append(Line(s, element_id=tr.get(f"{{{W14}}}paraId")))
            elif tag in (_w("sdt"), _w("sdtContent"), _w("customXml"), _w("ins")):
                self._block_lines(child, numbering, out)

    @staticmethod
    def _messages(document: Any) -> list[Message]:
        out: list[Message] = []
        try:
            body = document.element.body
            if body.find(f".//{_w('del')}") is not None or body.find(f".//{_w('ins')}") is not None:
                out.append(
                    Message(
                        "info", "変更履歴が含まれています（削除部分を除き、挿入部分を含めて読み込みました）"
                    )
                )
        except Exception:  # noqa: BLE001
            pass
        return out
