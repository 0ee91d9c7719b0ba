"""Helpers shared by the HTML, XML and docx readers: size limit, charset detection, text
extraction from (X)HTML trees (ruby readings dropped, tables one line per row).

The declared charset (``<meta charset>``, ``<?xml encoding?>``) is only a hint: it is used when
the bytes decode cleanly with it and read as Japanese at least as well as what content
detection (:func:`analogscan.ingest.text.decode_text`) finds; otherwise content detection wins
and a warning says so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analogscan.ingest.base import IngestError
from analogscan.ingest.text import decode_text, japanese_score
from analogscan.model import Line

if TYPE_CHECKING:
    from bs4 import Tag

MAX_MARKUP_BYTES = 50 * 1024 * 1024  # HTML / XML / docx larger than this are refused unread
CELL_SEP = "\u3000"  # table cells joined like the .txt 例規集 layout

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)["']""", re.IGNORECASE)
_CHARSET_ALIASES = {
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms932": "cp932",
    "cp932": "cp932",
    "euc-jp": "euc_jp",
    "euc_jp": "euc_jp",
    "x-euc-jp": "euc_jp",
    "eucjp": "euc_jp",
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "iso-2022-jp": "iso2022_jp",
    "csiso2022jp": "iso2022_jp",
}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0]+")


def check_size(path: Path, limit: int = MAX_MARKUP_BYTES) -> int:
    """Refuse files above ``limit`` without reading them; returns the size."""
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            f"ファイルが大きすぎます（{size / 1024 / 1024:.1f}MB、上限 {limit / 1024 / 1024:g}MB）"
        )
    if size == 0:
        raise IngestError("ファイルが空です")
    return size


def declared_charset(head: bytes) -> str | None:
    """The charset a page or XML declaration names (normalised codec name), if any."""
    m = _XML_ENCODING.search(head[:1024]) or _META_CHARSET.search(head[:16384])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").strip().lower()
    return _CHARSET_ALIASES.get(name, name)


def decode_markup(data: bytes) -> tuple[str, str, list[str]]:
    """Decode HTML/XML bytes: content detection, the declared charset as a tie-breaking hint."""
    declared = declared_charset(data)
    text, detected, warnings = decode_text(data)
    if declared is None or declared == detected or detected.startswith(("utf-16", "utf-32", "utf-8-sig")):
        return text, detected, warnings
    try:
        hinted = data.decode(declared)
    except (UnicodeDecodeError, LookupError):
        warnings.append(
            f"宣言された文字コード（{declared}）では読めないため、内容から判定した {detected} で読み込みました"
        )
        return text, detected, warnings
    if not warnings and japanese_score(hinted) >= japanese_score(text) and japanese_score(hinted) > 0:
        return hinted, declared, []
    if not warnings:
        warnings.append(
            f"宣言された文字コード（{declared}）と内容が一致しないため、内容から判定した {detected} で読み込みました"
        )
    return text, detected, warnings


def collapse(s: str) -> str:
    """Source-formatting whitespace (newlines, tabs, runs of spaces, NBSP) → one space;
    ideographic spaces are kept (they separate numbers from text)."""
    return _WS.sub(" ", s)


# ---------------------------------------------------------------- HTML text extraction

SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "rt", "rp", "title", "meta", "link"}
)
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "legend", "li", "main", "menu", "nav",
        "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip


def _is_text(node: object) -> bool:
    from bs4 import NavigableString

    return isinstance(node, NavigableString) and type(node).__name__ in ("NavigableString", "CData")


def inline_text(el: Tag) -> str:
    """Text of an element, ruby readings (rt/rp) and scripts dropped, whitespace collapsed.

    Walked with an explicit stack: markup nested thousands deep is text, not a RecursionError."""
    from bs4 import Tag

    parts: list[str] = []
    stack = [iter(el.children)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if isinstance(child, Tag):
            if child.name in SKIP_TAGS:
                continue
            if child.name == "br":
                parts.append(" ")
                continue
            stack.append(iter(child.children))
        elif _is_text(child):
            parts.append(str(child))
    return collapse("".join(parts)).strip(" ")


def row_text(tr: Tag) -> str:
    cells = [inline_text(td) for td in tr.find_all(["td", "th"], recursive=False)]
    return CELL_SEP.join(c for c in cells if c)


def block_lines(root: Tag, element_id: str | None = None) -> list[Line]:
    """Block elements and <br> → lines; a table row → one line (cells joined by U+3000).

    ``element_id`` is given to every line; when None, each line takes the id of the nearest
    block element (or the root) that carries one. Walked with an explicit stack (any depth)."""
    from bs4 import Tag

    out: list[Line] = []
    buf: list[str] = []
    ids: list[str | None] = [element_id if element_id is not None else _id(root)]

    def flush() -> None:
        s = collapse("".join(buf)).strip(" \u3000")
        buf.clear()
        if s:
            out.append(Line(s, element_id=ids[-1]))

    # (children still to visit, True when the element is a block: flush and pop its id at the end)
    stack: list[tuple[Any, bool]] = [(iter(root.children), False)]
    while stack:
        children, is_block = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if is_block:
                flush()
                ids.pop()
            continue
        if isinstance(child, Tag):
            name = child.name
            if name in SKIP_TAGS:
                continue
            if name == "br":
                flush()
                continue
            if name == "tr":
                flush()
                s = row_text(child)
                if s:
                    out.append(
                        Line(s, element_id=(element_id if element_id is not None else _id(child) or ids[-1]))
                    )
                continue
            if name in BLOCK_TAGS:
                flush()
                ids.append(element_id if element_id is not None else (_id(child) or ids[-1]))
                stack.append((iter(child.children), True))
            else:
                stack.append((iter(child.children), False))
        elif _is_text(child):
            buf.append(str(child))
    flush()
    return out


def _id(el: Tag) -> str | None:
    v = el.get("id")
    return v if isinstance(v, str) and v else None


def parse_html(text: str) -> Tag:
    """Parse HTML leniently (lxml through BeautifulSoup); never raises on malformed markup."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "lxml")


def has_class(el: Tag, name: str) -> bool:
    cls = el.get("class")
    return isinstance(cls, list) and name in cls
