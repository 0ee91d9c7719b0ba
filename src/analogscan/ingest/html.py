"""HTML reader: 例規集 vendor pages and any other HTML.

- ぎょうせい (g-reiki / reiki_taikei) body pages: every ``div.eline`` row becomes one or more
  lines (its block elements: caption ``p.title``, ``p.num`` 「第1条　…」, 項, 号, 附則 head
  ``p.s-head``; ``div.table_frame`` rows one line each), ``element_id`` = the eline's id.
  ``p.revise_record`` (amendment history) is dropped.
- 第一法規 (d1-law) ``<id>_j.html``: every ``div.danraku-normal`` is one line, ``element_id`` =
  its position-encoding id (``h:hL20:::2:10.0.0.0-2.0-1.0.0`` …). Its frameset page ``<id>.html``
  is followed to the ``_j`` body page beside it (an info message says so); a frameset without
  a readable body page is an error.
- Anything else: block elements / ``<br>`` → lines, table rows → one line (old e-Gov exports,
  self-hosted pages).

Ruby readings (``rt``/``rp``) are dropped and link text kept everywhere. The lines read like a
.txt 例規 (「第1条　本文」, 「2　本文」, 「(1)　本文」, 「附則（…）」, 「別表第1（…）」 + rows), so the
text structure parser builds the tree and the citations match the .txt version.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from analogscan.ingest._markup import (
    CELL_SEP,
    MAX_MARKUP_BYTES,
    block_lines,
    check_size,
    decode_markup,
    parse_html,
)
from analogscan.ingest.base import IngestError
from analogscan.model import Line, Message, SourceDocument

if TYPE_CHECKING:
    from bs4 import Tag

_APPX_START = re.compile(r"^(?:別表|別記|様式)")
_SUPPL_START = re.compile(r"^附[ \u3000]*則")
_SNIFF_MARKERS = (b"<html", b"<!doctype html", b"<frameset", b"<body")


def _strip_title_mark(lines: list[Line]) -> list[Line]:
    """The title row of vendor pages starts with 「○」; the .txt layout has none."""
    if lines and lines[0].text.startswith(("○", "〇")):
        first = lines[0]
        lines = [Line(first.text[1:].lstrip(" \u3000"), first.page, first.element_id), *lines[1:]]
    return lines


def gyosei_lines(soup: Tag) -> list[Line]:
    for el in soup.select(".revise_record"):
        el.decompose()
    out: list[Line] = []
    in_appendix = False
    for row in soup.find_all("div", class_="eline"):
        rid = row.get("id")
        eid = rid if isinstance(rid, str) and rid else None
        lines = block_lines(row, element_id=eid)
        if not lines:
            continue
        if row.find("table") is not None and not in_appendix:
            # a table inside an article (「次のとおりとする。」): one continuation line, rows
            # separated like cells, so it stays part of that 項
            out.append(Line(CELL_SEP.join(ln.text for ln in lines), element_id=eid))
            continue
        for ln in lines:
            if _APPX_START.match(ln.text):
                in_appendix = True
            elif _SUPPL_START.match(ln.text):
                in_appendix = False
        out.extend(lines)
    return _strip_title_mark(out)


def d1law_lines(soup: Tag) -> list[Line]:
    out: list[Line] = []
    for div in soup.find_all("div", class_="danraku-normal"):
        did = div.get("id")
        eid = did if isinstance(did, str) and did else None
        out.extend(block_lines(div, element_id=eid))
    return _strip_title_mark(out)


def vendor_of(soup: Tag) -> str:
    """'gyosei', 'd1law', 'frameset' or 'generic'."""
    if soup.find("div", class_="eline") is not None:
        return "gyosei"
    if soup.find("div", class_="danraku-normal") is not None:
        return "d1law"
    if soup.find("frameset") is not None:
        return "frameset"
    return "generic"


def _body_page(path: Path, soup: Tag) -> Path | None:
    """The 第一法規 body page a frameset shows: a frame whose file ends in _j.html, else
    <stem>_j.html beside it. Only files in the same folder are considered."""
    for frame in soup.find_all(["frame", "iframe"]):
        src = frame.get("src")
        if isinstance(src, str) and src:
            name = src.split("#", 1)[0].split("?", 1)[0].replace("\\", "/").rsplit("/", 1)[-1]
            if name.lower().endswith(("_j.html", "_j.htm")):
                cand = path.parent / name
                if cand.is_file() and cand.resolve() != path.resolve():
                    return cand
    for suffix in (".html", ".htm"):
        cand = path.with_name(f"{path.stem}_j{suffix}")
        if cand.is_file():
            return cand
    return None


class HtmlReader:
    name = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")
    fallback = False

    def __init__(self, max_bytes: int = MAX_MARKUP_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, head: bytes) -> bool:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM
            head = head.decode("utf-16", errors="ignore").encode("utf-8")
        h = head[:4096].lower()
        if h.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml") and b"<html" not in h:
            return False
        return any(m in h for m in _SNIFF_MARKERS)

    def read(self, path: Path, _follow: bool = True) -> SourceDocument:
        check_size(path, self.max_bytes)
        data = path.read_bytes()
        text, encoding, warnings = decode_markup(data)
        try:
            soup = parse_html(text)
        except Exception as e:  # noqa: BLE001 - lxml/bs4 are lenient; anything else is a clear error
            raise IngestError(f"HTMLとして解析できません（{type(e).__name__}）") from e
        vendor = vendor_of(soup)
        messages = [Message("warning", w) for w in warnings]
        if vendor == "frameset":
            body = _body_page(path, soup) if _follow else None
            if body is None:
                raise IngestError(
                    f"フレーム構成のページで、本文がありません（本文ページ {path.stem}_j.html が同じフォルダに見つかりません）"
                )
            doc = self.read(body, _follow=False)
            doc.path = str(path)
            doc.messages.insert(
                0, Message("info", f"フレーム構成のページのため、本文ページ {body.name} を読み込みました")
            )
            return doc
        if vendor == "gyosei":
            lines = gyosei_lines(soup)
        elif vendor == "d1law":
            lines = d1law_lines(soup)
        else:
            root = soup.body if soup.body is not None else soup
            # right-aligned boxes above the text (old e-Gov: 「最終改正までの未施行法令」 lists)
            for box in root.find_all(["div", "p"], attrs={"align": re.compile("^right$", re.I)}):
                for table in box.find_all("table"):
                    table.decompose()
            lines = block_lines(root)
        if not lines:
            raise IngestError("HTMLに本文の文字がありません")
        doc = SourceDocument(
            path=str(path), format=self.name, encoding=encoding, lines=lines, messages=messages
        )
        if _looks_truncated(text):
            doc.messages.append(
                Message(
                    "warning",
                    "HTMLが途中で終わっているようです（閉じタグがありません）。読めた部分だけを解析しました",
                )
            )
        return doc


def _looks_truncated(text: str) -> bool:
    tail = text[-2048:].lower()
    return "<body" in text[:65536].lower() and "</html>" not in tail and "</body>" not in tail
