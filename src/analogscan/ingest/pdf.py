"""PDF reader: logical lines rebuilt from pdfplumber's per-character boxes.

Pipeline per document:
1. per page: dedupe chars, take tables out (``find_tables``: one line per row, cells joined
   with a full-width space), cluster the remaining chars into physical lines by y, sorted by x;
2. running heads / footers (same text at the same height on several pages) and page-number
   lines in the top/bottom margin are removed;
3. columns (two-column 公報) are split at an empty vertical gutter and read left to right;
4. physical lines are joined into logical lines without inserting anything: a line continues
   the previous one unless it starts a unit (条/項/号/イロハ markers, captions, 章節 headings,
   附則, 別表), the previous line stopped short of the column's right edge, or its indent does
   not match the continuation indent of the unit.

Vertical pages are detected from character positions (most CJK chars have a neighbour directly
below) and read in a quarter-turned frame, so columns (right to left) become lines and tiers (段)
become columns; an info message names each vertical page. Image-only
pages get a warning, and a PDF without any text layer is an error (OCR needed).

OCR is optional and off by default: with ``OCR_ENABLED = True`` (the CLI's ``--ocr``) or the
environment variable ``ANALOGSCAN_OCR=1``, image-only pages are read by a local Tesseract
(:mod:`analogscan.ingest.ocr`) and joined like text-layer pages. Each OCR page gets a warning,
and its lines carry ``element_id="ocr:pN"`` so findings from them are visibly OCR-based. When OCR
is asked for but no engine is installed, the file gets a warning and the old behaviour.
"""

from __future__ import annotations

import difflib
import os
import re
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analogscan.ingest import pdf_pages
from analogscan.ingest.base import IngestError
from analogscan.model import Line, Message, SourceDocument
from analogscan.structure.markers import (
    AIUEO,
    ARABIC_DIGITS,
    CIRCLED_NUMBERS,
    GLUED_MARKER,
    HALFWIDTH_KANA,
    IROHA,
    KANSUJI,
    NO,
    PARENTHESIZED_NUMBERS,
)

Char = dict[str, Any]

# OCR of image-only pages: None = follow the environment variable ANALOGSCAN_OCR (off unless
# "1"/"true"/"yes"/"on"); True / False override it (the CLI's --ocr sets True).
OCR_ENABLED: bool | None = None
OCR_ENV = "ANALOGSCAN_OCR"
OCR_ID_PREFIX = "ocr:p"  # Line.element_id of lines read by OCR: "ocr:p3"

MARGIN_ZONE = 0.13  # top/bottom share of the page height where heads, footers, page numbers live
CELL_SEP = "\u3000"
MIN_COLUMN_ROWS = 5  # a column must hold at least this many physical lines

_NUM = rf"[{KANSUJI}{ARABIC_DIGITS}]+"
_BRANCH = rf"(?:{NO}{_NUM})*"
_SP = "[\u3000 ]"

# a physical line starting with one of these starts a new logical line
UNIT_START = re.compile(
    "|".join(
        [
            rf"^第{_NUM}条{_BRANCH}{_SP}",  # 第一条　/ 第十二条の二
            rf"^第{_NUM}条{_BRANCH}$",  # article number alone on its line
            rf"^第{_NUM}[編章節款目]{_BRANCH}{_SP}",  # 第一章　総則
            rf"^第{_NUM}[編章節款目]{_BRANCH}$",
            rf"^[0-9０-９]+{_SP}",  # ２　項
            rf"^[{KANSUJI}]+{_BRANCH}{_SP}",  # 一　号
            rf"^[（(][{ARABIC_DIGITS}{KANSUJI}]+[)）]",  # (1) （１）
            rf"^[{CIRCLED_NUMBERS}{PARENTHESIZED_NUMBERS}]",  # ①–⑳ ⑴–⒇ (官報 items)
            rf"^[{IROHA}{AIUEO}]{_SP}",  # イ　/ ア
            rf"^[（(][{IROHA}{AIUEO}][)）]",  # （イ） / （ア）
            rf"^[{HALFWIDTH_KANA}]{_SP}",
            r"^（[^）]{1,30}）$",  # caption 「（目的）」
            r"^附[\u3000 ]*則",
            rf"^別表(?:第{_NUM})?",
            rf"^別記(?:第{_NUM})?",
            rf"^様式(?:第{_NUM})?",
            r"^目[\u3000 ]*次$",
            r"^備考",
            r"^※|^注[\u3000 0-9０-９]",
        ]
    )
)

_DASHES = "－\\-‐―—–ー−"
PAGE_NUMBER = re.compile(
    "|".join(
        [
            rf"^[{_DASHES}]\s*[0-9０-９]+\s*[{_DASHES}]$",  # －1－, - 1 -
            r"^[0-9０-９]+\s*[/／]\s*[0-9０-９]+$",  # 1 / 5
            r"^[0-9０-９]+$",
            r"^[（(][0-9０-９]+[)）]$",
            r"^(?:[PpＰｐ]\.?\s*)[0-9０-９]+$",
            r"^(?:第\s*)?[0-9０-９]+\s*(?:ページ|頁)$",
            r"^(?:ページ|頁)\s*[0-9０-９]+$",
        ]
    )
)

_HANGING = "、。，．,.」）』】〕"
_OFFSET_PUNCT = frozenset("、。，．")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")

# Glyphs without a Unicode mapping: pdfminer gives "(cid:N)"; CID fonts whose ToUnicode table
# maps glyphs into the Private Use Area give U+E000–U+F8FF. Both are shown as the 下駄 sign.
GETA = "〓"
_CID_TEXT = re.compile(r"\(cid:\d+\)")
_PUA = re.compile("[\ue000-\uf8ff]")
# Private-use codes whose glyph was checked against the rendered page (every occurrence looked
# at in three 官報 PDFs of July 2025, fonts by DynaComware / Morisawa): font family prefix →
# code → text. Any other private-use code stays unknown.
_PUA_KNOWN: dict[str, dict[str, str]] = {
    "DFHS": {
        "\ue61c": "―",  # dash in numbers: 〒870―8502, 097―536―2131
        **{chr(0xE7B2 + k): PARENTHESIZED_NUMBERS[k] for k in range(12)},  # ⑴–⑿
        **{chr(0xE7D1 + k): CIRCLED_NUMBERS[k] for k in range(10)},  # ①–⑩
        **{chr(0xE88A + k): str(k) for k in range(10)},  # digits of the rotated masthead
        **{chr(0xE94F + k): f"({chr(0x41 + k)})" for k in range(7)},  # (A)–(G)
        **{chr(0xE9E5 + k): f"（{kana}）" for k, kana in enumerate(AIUEO[:6])},  # (ア)–(カ)
        "\ue68d": "㎡",
        "\ue690": "㎡",
        "\ue692": "kℓ",
    },
    "MFRoman": {"\ue200": "’", "\ue209": "”", "\ue20a": "“"},
    "MFHSLine": {"\ue0a8": ""},  # a piece of the dotted rule beside the masthead: not text
}


@dataclass
class GlyphStats:
    """Unmapped glyphs met while reading a document, and private-use ones mapped by the table."""

    unmapped: Counter[int] = field(default_factory=Counter)  # page → count
    mapped: Counter[int] = field(default_factory=Counter)


def _known_pua(font: str) -> dict[str, str] | None:
    base = font.split("+", 1)[-1]
    for prefix, table in _PUA_KNOWN.items():
        if base.startswith(prefix):
            return table
    return None


def fix_glyphs(chars: list[Char], pno: int, stats: GlyphStats) -> list[Char]:
    """Chars with ``(cid:N)`` or private-use text replaced: by the checked table when the font's
    code is known, else by 〓 (counted per page). Chars whose replacement is empty are dropped."""
    out: list[Char] = []
    for c in chars:
        t = str(c.get("text", ""))
        if "(cid:" not in t and not _PUA.search(t):
            out.append(c)
            continue
        table = _known_pua(str(c.get("fontname", ""))) or {}
        n_cid = len(_CID_TEXT.findall(t))
        parts: list[str] = []
        for ch in _CID_TEXT.sub(GETA, t) if n_cid else t:
            if _PUA.match(ch):
                if ch in table:
                    stats.mapped[pno] += 1
                    parts.append(table[ch])
                    continue
                stats.unmapped[pno] += 1
                ch = GETA
            parts.append(ch)
        if n_cid:
            stats.unmapped[pno] += n_cid
        new = "".join(parts)
        if new:
            c = dict(c)
            c["text"] = new
            out.append(c)
    return out


def _page_ranges(pages: Sequence[int]) -> str:
    """[2, 3, 4, 7] → 「2〜4、7」."""
    ps = sorted(set(pages))
    parts: list[str] = []
    i = 0
    while i < len(ps):
        j = i
        while j + 1 < len(ps) and ps[j + 1] == ps[j] + 1:
            j += 1
        parts.append(str(ps[i]) if i == j else f"{ps[i]}〜{ps[j]}")
        i = j + 1
    return "、".join(parts)


def glyph_messages(stats: GlyphStats) -> list[Message]:
    """One warning for unmapped glyphs (pages and count), one info for mapped private-use ones."""
    out: list[Message] = []
    if stats.unmapped:
        n = sum(stats.unmapped.values())
        pages = _page_ranges([p for p, n in stats.unmapped.items() if n])
        out.append(
            Message(
                "warning",
                f"ページ{pages}に文字コードの対応がない文字が {n:,} 字あります（{GETA}で表示）。"
                "PDFのフォントに文字の対応表がないため、その箇所は読み取れません",
                page=min(stats.unmapped),
            )
        )
    if stats.mapped:
        n = sum(stats.mapped.values())
        out.append(
            Message(
                "info",
                f"私用領域の文字コード {n:,} 字を、字形を確認済みの文字（⑴ ① ― “ ” など）に置き換えました",
                page=min(stats.mapped),
            )
        )
    return out


@dataclass
class PLine:
    """A physical line (or a table row) on a page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    col: int = 0
    ncols: int = 1
    is_table: bool = False
    chars: list[Char] = field(default_factory=list, repr=False)
    ocr: bool = False  # read by OCR: its page has its own column geometry (scans shift and scale)
    standalone: bool = False  # never joined with its neighbours (rotated text beside the body)
    box: int | None = None  # index of the ruled box (on its page) the line stands in
    box_edge: float | None = None  # right edge of full lines in that box
    lead_x0: float | None = None  # where spaces stripped off the line's start begin
    trail_x1: float | None = None  # where spaces stripped off the line's end end

    @property
    def geo_key(self) -> tuple[int, int, int]:
        return (self.ncols, self.col, self.page if self.ocr else 0)

    @property
    def last_char(self) -> str:
        return self.text[-1:] if self.text else ""


def _median(values: Sequence[float], default: float) -> float:
    return float(statistics.median(values)) if values else default


def dedupe_chars(chars: list[Char], tolerance: float = 1.0) -> list[Char]:
    """Drop a char drawn again (same text, font, size, direction) within ``tolerance`` of a kept
    one — fake bold and shadowed text. Same result as pdfplumber's ``dedupe_chars`` on these
    files, in linear time (pdfplumber's took half the reading time of a 官報 page)."""
    kept: list[Char] = []
    grids: dict[tuple[Any, ...], dict[tuple[int, int], list[tuple[float, float]]]] = {}
    for c in chars:
        x0, top = float(c["x0"]), float(c["top"])
        ident = (c.get("text"), c.get("fontname"), c.get("size"), c.get("upright"))
        bx, by = int(x0 // tolerance), int(top // tolerance)
        grid = grids.get(ident)
        if grid is None:
            grid = grids[ident] = {}
        else:
            dup = False
            for gx in (bx - 1, bx, bx + 1):
                for gy in (by - 1, by, by + 1):
                    for kx, ky in grid.get((gx, gy), ()):
                        if abs(kx - x0) <= tolerance and abs(ky - top) <= tolerance:
                            dup = True
                            break
            if dup:
                continue
        kept.append(c)
        grid.setdefault((bx, by), []).append((x0, top))
    return kept


def _chars_to_text(chars: list[Char]) -> str:
    """Chars of one physical line (sorted by x) to text; no spaces are invented except
    between two ASCII alphanumerics separated by a visible gap (Latin words)."""
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        t = str(c.get("text", ""))
        if prev is not None and t and out:
            gap = float(c["x0"]) - float(prev["x1"])
            size = float(c.get("size") or 10.0)
            prev_t = str(prev.get("text", ""))
            if (
                gap > 0.25 * size
                and _ASCII_ALNUM.fullmatch(t[:1] or "")
                and _ASCII_ALNUM.fullmatch(prev_t[-1:] or "")
            ):
                out.append(" ")
        out.append(t)
        prev = c
    return "".join(out)


def cluster_rows(chars: list[Char]) -> list[list[Char]]:
    """Group chars into physical lines by vertical centre; each line sorted by x."""
    items = sorted(chars, key=lambda c: (float(c["top"]) + float(c["bottom"])) / 2)
    rows: list[list[Char]] = []
    centers: list[float] = []
    for c in items:
        cy = (float(c["top"]) + float(c["bottom"])) / 2
        h = max(float(c["bottom"]) - float(c["top"]), 1.0)
        if rows and abs(cy - centers[-1]) <= 0.45 * h:
            rows[-1].append(c)
            n = len(rows[-1])
            centers[-1] += (cy - centers[-1]) / n
        else:
            rows.append([c])
            centers.append(cy)
    # punctuation set off its line (、。 drawn in the upper-right corner of a vertical cell)
    # clusters on its own: attach it to the nearest real line
    lone = {i for i, r in enumerate(rows) if all(str(c.get("text", "")) in _OFFSET_PUNCT for c in r)}
    if lone and len(lone) < len(rows):
        real = [i for i in range(len(rows)) if i not in lone]
        left_alone: dict[int, list[Char]] = defaultdict(list)
        for i in sorted(lone):
            for c in rows[i]:
                cy = (float(c["top"]) + float(c["bottom"])) / 2
                j = min(real, key=lambda k: abs(centers[k] - cy))
                if abs(centers[j] - cy) <= 1.2 * float(c.get("size") or 10.0):
                    rows[j].append(c)
                else:
                    left_alone[i].append(c)
        rows = [left_alone.get(i, []) if i in lone else r for i, r in enumerate(rows)]
        rows = [r for r in rows if r]
    return [sorted(r, key=lambda c: float(c["x0"])) for r in rows]


def _row_to_pline(row: list[Char], page: int) -> PLine | None:
    text = _chars_to_text(row).strip(" \t\u3000")
    if not text:
        return None
    shown = [bool(str(c.get("text", "")).strip(" \t\u3000")) for c in row]
    visible = [c for c, v in zip(row, shown, strict=True) if v]
    sizes = [float(c.get("size") or 0) for c in visible if c.get("size")]
    first, last = shown.index(True), len(shown) - 1 - shown[::-1].index(True)
    return PLine(
        text=text,
        x0=min(float(c["x0"]) for c in visible),
        x1=max(float(c["x1"]) for c in visible),
        top=min(float(c["top"]) for c in visible),
        bottom=max(float(c["bottom"]) for c in visible),
        size=_median(sizes, 10.0),
        page=page,
        chars=row,
        lead_x0=min(float(c["x0"]) for c in row[:first]) if first else None,
        trail_x1=max(float(c["x1"]) for c in row[last + 1 :]) if last + 1 < len(row) else None,
    )


def _has_next(index: dict[int, list[float]], key: int, v: float, lim: float) -> bool:
    """Whether a bucket key-1..key+1 of ``index`` (sorted values) holds a value w with
    0 < w - v <= lim."""
    for k in (key - 1, key, key + 1):
        vals = index.get(k)
        if vals:
            i = bisect_right(vals, v)  # the smallest value above v
            if i < len(vals) and vals[i] - v <= lim:
                return True
    return False


def looks_vertical(chars: list[Char]) -> bool:
    """True when most CJK chars have a neighbour directly below rather than to the right."""
    cjk = [c for c in chars if str(c.get("text", "")).strip() and ord(str(c["text"])[0]) >= 0x3000]
    if len(cjk) < 20:
        return False
    pts = [(float(c["x0"]), float(c["top"]), 1.3 * float(c.get("size") or 10.0)) for c in cjk]
    by_x: dict[int, list[float]] = defaultdict(list)  # rounded x0 → tops
    by_y: dict[int, list[float]] = defaultdict(list)  # rounded top → x0s
    for x, y, _ in pts:
        by_x[round(x)].append(y)
        by_y[round(y)].append(x)
    for vals in (*by_x.values(), *by_y.values()):
        vals.sort()
    below = sum(1 for x, y, lim in pts if _has_next(by_x, round(x), y, lim))
    right = sum(1 for x, y, lim in pts if _has_next(by_y, round(y), x, lim))
    return below > 2 * right and below > 0.5 * len(cjk)


def _is_horizontal_row(row: list[Char]) -> bool:
    """A row of at least two chars set side by side (a running head on a vertical page)."""
    if len(row) < 2:
        return False
    close = 0
    for a, b in zip(row, row[1:], strict=False):
        size = float(a.get("size") or 10.0)
        if float(b["x0"]) - float(a["x1"]) < 0.3 * size:
            close += 1
    return close >= 0.8 * (len(row) - 1)


def _side_by_side_runs(row: list[Char]) -> list[list[Char]]:
    """A row (sorted by x) cut where the gap between two chars is 0.3 of a character or more."""
    runs: list[list[Char]] = []
    for c in row:
        if runs and float(c["x0"]) - float(runs[-1][-1]["x1"]) < 0.3 * float(
            runs[-1][-1].get("size") or 10.0
        ):
            runs[-1].append(c)
        else:
            runs.append([c])
    return runs


def to_vertical_frame(chars: list[Char], page: Any) -> list[Char]:
    """Turn a vertical page a quarter turn so that its columns (read right to left, top to
    bottom) become horizontal lines read top to bottom, left to right.

    Horizontal lines in the top/bottom margin (running heads, page numbers) are dropped, also
    where they share the margin with the columns' ends.
    """
    height = float(page.height)
    width = float(page.width)
    drop: set[int] = set()
    for row in cluster_rows(chars):
        top = min(float(c["top"]) for c in row)
        bottom = max(float(c["bottom"]) for c in row)
        in_margin = bottom < MARGIN_ZONE * height or top > (1 - MARGIN_ZONE) * height
        if not in_margin:
            continue
        if _is_horizontal_row(row):
            drop.update(id(c) for c in row)
            continue
        # a page number 「－2－」 centred under the columns clusters with the columns' last
        # characters: drop a run of side-by-side characters that reads as a page number
        for run in _side_by_side_runs(row):
            text = "".join(str(c.get("text", "")) for c in run).replace("\u3000", " ").strip()
            if len(run) >= 2 and PAGE_NUMBER.match(text):
                drop.update(id(c) for c in run)
    return [_rotate(c, width) for c in chars if id(c) not in drop]


def split_rotated(chars: list[Char], pno: int) -> tuple[list[Char], list[PLine]]:
    """On a horizontal page, chars set at a quarter turn (a masthead running up the side of a
    官報 page) as their own lines: one line per run along the strip, read in drawing order.

    Returns (upright chars, rotated lines). Pages with many rotated chars are left alone.
    """
    rot = [(i, c) for i, c in enumerate(chars) if c.get("upright") is False]
    if not rot or len(rot) > 0.3 * len(chars):
        return chars, []
    rot_ids = {id(c) for _, c in rot}
    strips: list[list[tuple[int, Char]]] = []
    centers: list[float] = []
    for i, c in sorted(rot, key=lambda ic: float(ic[1]["x0"]) + float(ic[1]["x1"])):
        cx = (float(c["x0"]) + float(c["x1"])) / 2
        w = max(float(c["x1"]) - float(c["x0"]), 1.0)
        if strips and abs(cx - centers[-1]) <= 0.5 * w:
            strips[-1].append((i, c))
        else:
            strips.append([(i, c)])
            centers.append(cx)
    out: list[PLine] = []
    for strip in strips:
        in_order = [c for _, c in sorted(strip, key=lambda ic: ic[0])]
        steps = [float(b["top"]) - float(a["top"]) for a, b in zip(in_order, in_order[1:], strict=False)]
        upward = sum(1 for d in steps if d < 0) > sum(1 for d in steps if d > 0)
        run = sorted(in_order, key=lambda c: -float(c["top"]) if upward else float(c["top"]))
        seg: list[Char] = []
        segs: list[list[Char]] = []
        for c in run:
            size = float(c.get("size") or 10.0)
            if seg:
                gap = (
                    float(seg[-1]["top"]) - float(c["bottom"])
                    if upward
                    else float(c["top"]) - float(seg[-1]["bottom"])
                )
                if gap > 1.5 * size:
                    segs.append(seg)
                    seg = []
            seg.append(c)
        if seg:
            segs.append(seg)
        for sg in segs:
            text = "".join(str(c["text"]) for c in sg).strip(" \t\u3000")
            if not text:
                continue
            out.append(
                PLine(
                    text=text,
                    x0=min(float(c["x0"]) for c in sg),
                    x1=max(float(c["x1"]) for c in sg),
                    top=min(float(c["top"]) for c in sg),
                    bottom=max(float(c["bottom"]) for c in sg),
                    size=_median([float(c.get("size") or 10.0) for c in sg], 10.0),
                    page=pno,
                    standalone=True,
                    chars=sg,
                )
            )
    return [c for c in chars if id(c) not in rot_ids], out


def remove_side_furniture(side: dict[int, list[PLine]]) -> set[str]:
    """Drop rotated lines that are page numbers or repeat (digits aside) on several pages.

    Returns the dropped heads of each page joined (digits as ``#``, page numbers at either end
    left out): the same masthead set horizontally on another page is dropped by the caller."""
    heads: set[str] = set()
    n_pages = len(side)
    need = max(2, (n_pages + 1) // 3) if n_pages >= 2 else 10**9
    counts: Counter[str] = Counter()
    for lines in side.values():
        counts.update({_loose(ln.text) for ln in lines})
    for pno, lines in side.items():
        kept = [
            ln
            for ln in lines
            if counts[_loose(ln.text)] < need
            and not PAGE_NUMBER.match(ln.text.replace("\u3000", " ").strip())
        ]
        dropped = "".join(_loose(ln.text) for ln in lines if ln not in kept).strip("#")
        if len(dropped) >= 6:
            heads.add(dropped)
        side[pno] = kept
    return heads


def _in_bbox(c: Char, bbox: tuple[float, float, float, float]) -> bool:
    cx = (float(c["x0"]) + float(c["x1"])) / 2
    cy = (float(c["top"]) + float(c["bottom"])) / 2
    x0, top, x1, bottom = bbox
    return x0 <= cx <= x1 and top <= cy <= bottom


def _rotate(c: Char, page_width: float) -> Char:
    """A char of a vertical page in the quarter-turned frame (columns become lines)."""
    r = dict(c)
    r["x0"], r["x1"] = float(c["top"]), float(c["bottom"])
    r["top"], r["bottom"] = page_width - float(c["x1"]), page_width - float(c["x0"])
    return r


def _table_lines(
    tables: list[Any], width: float, chars: list[Char], pno: int, vertical: bool = False
) -> tuple[list[PLine], list[Char]]:
    """Rows of the page's ruled tables (pdfplumber ``Table``) as PLines; returns (table rows,
    chars outside tables).

    On a vertical page a table's rows are its columns, read right to left, and the rows'
    coordinates are given in the quarter-turned frame (see ``to_vertical_frame``).
    """
    if not tables:
        return [], chars
    rows_out: list[PLine] = []
    bboxes = [tuple(float(v) for v in t.bbox) for t in tables]
    for t in tables:
        groups = sorted(t.columns, key=lambda g: -float(g.bbox[2])) if vertical else t.rows
        for group in groups:
            boxes = [tuple(float(v) for v in cell) for cell in group.cells if cell is not None]
            if vertical:
                boxes.sort(key=lambda b: b[1])
            cells: list[str] = []
            for cbox in boxes:
                cchars = [c for c in chars if _in_bbox(c, cbox)]  # type: ignore[arg-type]
                if vertical:
                    cchars = [_rotate(c, width) for c in cchars]
                parts = [_chars_to_text(r).strip(" \t\u3000") for r in cluster_rows(cchars)]
                cells.append("".join(p for p in parts if p))
            if not any(cells):
                continue
            x0, top, x1, bottom = (float(v) for v in group.bbox)
            sizes = [float(c.get("size") or 0) for c in chars if _in_bbox(c, (x0, top, x1, bottom))]
            if vertical:
                x0, top, x1, bottom = top, width - x1, bottom, width - x0
            rows_out.append(
                PLine(
                    text=CELL_SEP.join(c for c in cells),
                    x0=x0,
                    x1=x1,
                    top=top,
                    bottom=bottom,
                    size=_median(sizes, 10.0),
                    page=pno,
                    is_table=True,
                )
            )
    rest = [c for c in chars if not any(_in_bbox(c, b) for b in bboxes)]  # type: ignore[arg-type]
    return rows_out, rest


def _find_gutters(lines: list[PLine], known: Sequence[float] = ()) -> list[float]:
    """x positions of empty vertical gutters that split the page's lines into columns.

    Text chars (except hanging punctuation) and table rows (weighted by their length) both
    cover the x axis; a gutter is
    an uncovered run at least one character wide, away from the edges, with a fair share of
    the text on either side — or, at one of the ``known`` gutters of the document's other
    pages (a 官報 front page whose first column holds only the masthead and contents), at
    least a few lines on either side.
    """
    spans: list[tuple[float, float, int, int]] = []  # x0, x1, weight, line index
    sizes: list[float] = []
    for k, ln in enumerate(lines):
        if ln.is_table:
            spans.append((ln.x0, ln.x1, len(ln.text), k))
            continue
        for c in ln.chars:
            t = str(c.get("text", "")).strip()
            # punctuation hanging past a column's edge (、。）) may stand in the gutter
            if t and t not in _HANGING:
                spans.append((float(c["x0"]), float(c["x1"]), 1, k))
                sizes.append(float(c.get("size") or 10.0))
    total = sum(sp[2] for sp in spans)
    if total < 40 or not sizes:
        return []
    left = min(sp[0] for sp in spans)
    right = max(sp[1] for sp in spans)
    width = right - left
    if width <= 0:
        return []
    size = _median(sizes, 10.0)
    nbins = int(width) + 1
    cover = [0] * nbins
    for x0, x1, _w, _k in spans:
        for i in range(max(0, int(x0 - left)) + 1, min(nbins - 1, int(x1 - left))):
            cover[i] += 1
    gutters: list[float] = []
    i = 0
    while i < nbins:
        if cover[i] == 0:
            j = i
            while j < nbins and cover[j] == 0:
                j += 1
            mid = left + (i + j) / 2
            if j - i >= 1.0 * size and left + 0.2 * width < mid < left + 0.8 * width:
                n_left = sum(sp[2] for sp in spans if sp[1] <= mid)
                rows_left = len({sp[3] for sp in spans if sp[1] <= mid})
                rows_right = len({sp[3] for sp in spans if sp[1] > mid})
                # a right-aligned date beside short lines is not a column
                fair = min(n_left, total - n_left) >= 0.1 * total or any(abs(mid - k) <= size for k in known)
                if fair and min(rows_left, rows_right) >= MIN_COLUMN_ROWS:
                    gutters.append(mid)
            i = j
        else:
            i += 1
    return gutters


def page_boxes(
    rects: list[dict[str, Any]], width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Ruled boxes (rectangles) on a page big enough to frame text: x0, top, x1, bottom."""
    out: list[tuple[float, float, float, float]] = []
    for r in rects:
        x0, top, x1, bottom = (float(r[k]) for k in ("x0", "top", "x1", "bottom"))
        if 40 < x1 - x0 < 0.9 * width and 15 < bottom - top < 0.9 * height:
            out.append((x0, top, x1, bottom))
    return out


def assign_boxes(lines: list[PLine], boxes: list[tuple[float, float, float, float]]) -> None:
    """Mark the lines standing in a ruled box, and the box's text edge (its lines' right end):
    a box is narrower than its column, so its full lines stop short of the column's edge."""
    members: dict[int, list[PLine]] = defaultdict(list)
    for ln in lines:
        if ln.is_table or ln.standalone:
            continue
        inside = [
            (k, (b[2] - b[0]) * (b[3] - b[1]))
            for k, b in enumerate(boxes)
            if b[0] - 1 <= ln.x0 and ln.x1 <= b[2] + 1 and b[1] - 1 <= ln.top and ln.bottom <= b[3] + 1
        ]
        if inside:
            k = min(inside, key=lambda ka: ka[1])[0]
            members[k].append(ln)
    for k, ls in members.items():
        edge = _robust_max([ln.x1 for ln in ls if ln.last_char not in _HANGING]) or max(ln.x1 for ln in ls)
        for ln in ls:
            ln.box = k
            ln.box_edge = edge


def document_grid(page_gutters: dict[int, list[float]]) -> list[float]:
    """Gutter positions (±2 pt) found on at least half of the pages, given at least two pages
    have gutters: the document's column grid."""
    with_gutters = [gs for gs in page_gutters.values() if gs]
    if len(with_gutters) < 2:
        return []
    counts: Counter[int] = Counter()
    for gs in with_gutters:
        counts.update({round(g / 4) for g in gs})
    need = max(2, (len(page_gutters) + 1) // 2)
    grid: list[float] = []
    for key, n in sorted(counts.items()):
        if n >= need:
            near = [g for gs in with_gutters for g in gs if round(g / 4) == key]
            grid.append(_median(near, key * 4.0))
    return grid


def _split_columns(lines: list[PLine], gutters: list[float], pno: int) -> list[PLine]:
    """Re-cluster the page's text per column; returns lines in reading order."""
    bounds = [float("-inf"), *gutters, float("inf")]
    out: list[PLine] = []
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]
        col_chars = [
            c
            for ln in lines
            if not ln.is_table
            for c in ln.chars
            if lo <= (float(c["x0"]) + float(c["x1"])) / 2 < hi
        ]
        col_lines = [p for p in (_row_to_pline(r, pno) for r in cluster_rows(col_chars)) if p is not None]
        col_lines += [ln for ln in lines if ln.is_table and lo <= (ln.x0 + ln.x1) / 2 < hi]
        ocr = any(ln.ocr for ln in lines)
        for ln in col_lines:
            ln.col = k
            ln.ncols = len(bounds) - 1
            ln.ocr = ln.ocr or ocr
        out.extend(sorted(col_lines, key=lambda ln: ln.top))
    return out


def _header_key(ln: PLine) -> tuple[int, str]:
    return (round(ln.top / 4), re.sub(r"[0-9０-９]+", "#", ln.text))


def _loose(text: str) -> str:
    return re.sub(r"[0-9０-９]+", "#", re.sub(r"\s+", "", text))


def _similar(a: str, b: str) -> bool:
    if not a or not b or min(len(a), len(b)) < 4:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.75


def remove_running_heads(pages: dict[int, list[PLine]], heights: dict[int, float]) -> None:
    """Drop lines repeated at the same height on several pages, and page numbers, in margins."""

    def in_margin(ln: PLine) -> bool:
        h = heights[ln.page]
        return ln.bottom < MARGIN_ZONE * h or ln.top > (1 - MARGIN_ZONE) * h

    # OCR pages: heads come out with misreads and spaces, at a slightly different height;
    # compare them loosely (before the exact pass removes the text pages' copies)
    margin_texts = {
        pno: [_loose(ln.text) for ln in lines if in_margin(ln) and not ln.is_table]
        for pno, lines in pages.items()
    }
    for pno, lines in pages.items():
        if not any(ln.ocr for ln in lines):
            continue
        others = [t for q, ts in margin_texts.items() if q != pno for t in ts if t]
        kept_ocr: list[PLine] = []
        for ln in lines:
            if not ln.is_table and in_margin(ln):
                t = _loose(ln.text)
                if PAGE_NUMBER.match(ln.text.replace("\u3000", " ").strip()) or any(
                    _similar(t, o) for o in others
                ):
                    continue
            kept_ocr.append(ln)
        pages[pno] = kept_ocr

    counts: Counter[tuple[int, str]] = Counter()
    for lines in pages.values():
        keys = {_header_key(ln) for ln in lines if in_margin(ln) and not ln.is_table}
        counts.update(keys)
    n_pages = len(pages)
    need = max(2, (n_pages + 1) // 3) if n_pages >= 2 else 10**9
    for pno, lines in pages.items():
        body = [ln for ln in lines if not ln.is_table]
        first_last = {id(body[0]), id(body[-1])} if body else set()
        kept: list[PLine] = []
        for ln in lines:
            if not ln.is_table and in_margin(ln):
                if counts[_header_key(ln)] >= need:
                    continue
                if id(ln) in first_last and PAGE_NUMBER.match(ln.text.replace("\u3000", " ").strip()):
                    continue
            kept.append(ln)
        pages[pno] = kept


def _robust_max(values: list[float], tol: float = 1.0) -> float | None:
    """Largest value reached (within tol) by at least two entries; the max when fewer."""
    if not values:
        return None
    vs = sorted(values, reverse=True)
    for i in range(len(vs) - 1):
        if vs[i] - vs[i + 1] <= tol:
            return vs[i]
    return vs[0]


def _robust_min(values: list[float], tol: float = 1.0) -> float | None:
    r = _robust_max([-v for v in values], tol)
    return None if r is None else -r


@dataclass
class _ColGeom:
    left: float
    edge: float  # right edge of normal (non-hanging) full lines


def _column_geometry(lines: list[PLine]) -> dict[tuple[int, int, int], _ColGeom]:
    groups: dict[tuple[int, int, int], list[PLine]] = defaultdict(list)
    for ln in lines:
        if not ln.is_table:
            groups[ln.geo_key].append(ln)
    geo: dict[tuple[int, int, int], _ColGeom] = {}
    for key, ls in groups.items():
        left = _robust_min([ln.x0 for ln in ls]) or 0.0
        e_all = _robust_max([ln.x1 for ln in ls]) or 0.0
        e_text = _robust_max([ln.x1 for ln in ls if ln.last_char not in _HANGING]) or e_all
        size = _median([ln.size for ln in ls], 10.0)
        edge = e_text if e_all - e_text > 0.5 * size else e_all
        geo[key] = _ColGeom(left=left, edge=edge)
    return geo


def ocr_enabled() -> bool:
    """Whether image-only pages are OCR'd (``OCR_ENABLED``, else ``ANALOGSCAN_OCR``)."""
    if OCR_ENABLED is not None:
        return OCR_ENABLED
    return os.environ.get(OCR_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def _is_contents_entry(ln: PLine) -> bool:
    """A contents entry: text, a gap of three characters or more, then a page number."""
    m = re.search(r"[0-9０-９]+$", ln.text)
    if not m or m.start() == 0 or len(ln.chars) < 2:
        return False
    k = len(ln.text) - m.start()  # the number's chars are the row's last k (one char each)
    if k >= len(ln.chars):
        return False
    before, first = ln.chars[-k - 1], ln.chars[-k]
    return float(first["x0"]) - float(before["x1"]) >= 3 * (ln.size or 10.0)


# a sub-item marker glued after 。 ending a physical line: its space fell at the line break, where
# LibreOffice does not draw it (and a space starting the next line is stripped)
_GLUED_AT_END = re.compile(rf"。{GLUED_MARKER}$")
_KATAKANA = re.compile("[\u30a1-\u30fa\u30fc]")


def _wrap_space(text: str, following: str) -> str:
    """The ideographic space to put back between ``text`` and the physical line continuing it:
    after a glued sub-item marker (「…こと。ロ」 + 「立見席…」), as the text path expects
    (「…こと。ロ　立見席…」); not when a katakana follows a kana (「。イ」 + 「ベント」: a word)."""
    m = _GLUED_AT_END.search(text)
    if m is None:
        return ""
    if len(m.group()) == 2 and _KATAKANA.match(following):
        return ""
    return "\u3000"


def join_lines(lines: list[PLine], ocr_pages: frozenset[int] = frozenset()) -> list[Line]:
    """Join physical lines (in reading order) into logical lines.

    A logical line with any part on a page in ``ocr_pages`` gets ``element_id="ocr:pN"``.
    """
    geo = _column_geometry(lines)
    out: list[tuple[str, int]] = []
    ocr_of: dict[int, int] = {}  # index in out → first OCR page in it
    prev: PLine | None = None
    start_x = 0.0  # x of the current unit's first line, relative to its column's left
    cont_x: float | None = None  # x of the current unit's continuation lines
    for ln in lines:
        g = geo.get(ln.geo_key, _ColGeom(ln.x0, ln.x1))
        # after a glued sub-item marker ending the line, its space was drawn at the line break:
        # as the end of the previous line or the start of this one
        glued = prev is not None and _GLUED_AT_END.search(prev.text) is not None
        rel = (ln.lead_x0 if glued and ln.lead_x0 is not None else ln.x0) - g.left
        size = ln.size or 10.0
        new = True
        if (
            prev is not None
            and not ln.is_table
            and not prev.is_table
            and not ln.standalone
            and not prev.standalone
            and not UNIT_START.match(ln.text)
        ):
            pg = geo.get(prev.geo_key, _ColGeom(prev.x0, prev.x1))
            edge = pg.edge if prev.box_edge is None else prev.box_edge
            prev_x1 = prev.trail_x1 if glued and prev.trail_x1 is not None else prev.x1
            prev_full = prev_x1 >= edge - 1.2 * size and prev.box == ln.box
            prev_free = (prev.x0 - pg.left) > 6 * size  # centred / right-aligned: standalone
            prev_free = prev_free or _is_contents_entry(prev)
            same_col = prev.page == ln.page and prev.col == ln.col
            big_gap = same_col and ln.top - prev.bottom > 1.5 * size
            if prev_full and not prev_free and not big_gap and rel <= 6 * size:
                if cont_x is not None:
                    new = abs(rel - cont_x) > 0.6 * size
                else:
                    new = rel > start_x + 1.6 * size
        if new:
            out.append((ln.text, ln.page))
            start_x = rel
            cont_x = None
        else:
            text, page = out[-1]
            out[-1] = (text + _wrap_space(text, ln.text) + ln.text, page)
            if cont_x is None:
                cont_x = rel
        if ln.page in ocr_pages:
            ocr_of.setdefault(len(out) - 1, ln.page)
        prev = ln
    return [
        Line(t, page=p, element_id=f"{OCR_ID_PREFIX}{ocr_of[i]}" if i in ocr_of else None)
        for i, (t, p) in enumerate(out)
    ]


def _ocr_plines(ocr_lines: list[Any], pno: int) -> list[PLine]:
    """OCR lines as PLines with one synthetic char per character, spread over the line, so
    that running-head removal, column splitting and joining treat them like text-layer lines."""
    out: list[PLine] = []
    for ol in ocr_lines:
        text = str(ol.text)
        n = max(len(text), 1)
        step = (ol.x1 - ol.x0) / n
        chars: list[Char] = [
            {
                "text": ch,
                "x0": ol.x0 + k * step,
                "x1": ol.x0 + (k + 1) * step,
                "top": ol.top,
                "bottom": ol.bottom,
                "size": ol.size,
            }
            for k, ch in enumerate(text)
        ]
        out.append(
            PLine(
                text=text,
                x0=ol.x0,
                x1=ol.x1,
                top=ol.top,
                bottom=ol.bottom,
                size=ol.size,
                page=pno,
                chars=chars,
                ocr=True,
            )
        )
    return out


def _exception_chain(e: BaseException) -> list[BaseException]:
    """The exception, what it wraps (args, cause, context), and so on."""
    out: list[BaseException] = []
    todo: list[BaseException] = [e]
    while todo and len(out) < 20:
        x = todo.pop()
        if any(x is y for y in out):
            continue
        out.append(x)
        todo.extend(a for a in x.args if isinstance(a, BaseException))
        for nxt in (x.__cause__, x.__context__):
            if nxt is not None:
                todo.append(nxt)
    return out


def _open_error(e: BaseException) -> IngestError:
    chain = _exception_chain(e)
    words = " ".join(f"{type(x).__name__} {x}" for x in chain).lower()
    if "password" in words or "encrypt" in words:
        return IngestError("PDFが暗号化されています（パスワードが必要です）")
    detail = "; ".join(f"{type(x).__name__}: {x}" if str(x).strip() else type(x).__name__ for x in chain[:2])
    return IngestError(f"PDFを開けません（破損している可能性があります）: {detail}")


@dataclass
class PageRead:
    """What one page gives before the document-level steps; picklable (pages may be read on
    worker processes)."""

    pno: int
    height: float  # of the reading frame (a vertical page's width)
    lines: list[PLine] = field(default_factory=list)
    side: list[PLine] | None = None  # rotated lines beside the body (horizontal text pages)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    vertical: bool = False
    image_only: bool = False
    ocr: bool = False
    ocr_error: str | None = None
    unmapped: int = 0  # glyphs without a Unicode mapping
    mapped: int = 0  # private-use glyphs mapped by the checked table
    error: str | None = None  # the exception's type when the page could not be read


def read_page(page: Any, pno: int, engine: Any = None) -> PageRead:
    """One page's physical lines (and table rows) in reading order, or its OCR lines."""
    stats = GlyphStats()
    res = PageRead(pno=pno, height=float(page.height))
    try:
        objs = pdf_pages.page_objects(page)
        chars = fix_glyphs(dedupe_chars(objs.chars), pno, stats)
        if not any(str(c["text"]).strip() for c in chars):
            if objs.images:
                if engine is not None:
                    from analogscan.ingest import ocr

                    try:
                        got = ocr.ocr_page(page, engine)
                    except ocr.OcrError as e:
                        res.ocr_error = str(e)
                    else:
                        if got.lines:
                            res.ocr = True
                            if got.vertical:
                                res.vertical = True
                                res.height = float(page.width)
                            res.lines = sorted(_ocr_plines(got.lines, pno), key=lambda ln: ln.top)
                            return res
                res.image_only = True
            return res
        width = float(page.width)
        res.vertical = looks_vertical(chars)
        if not res.vertical:
            chars, res.side = split_rotated(chars, pno)
            res.boxes = page_boxes(objs.rects, width, res.height)
        try:
            tables = pdf_pages.find_tables(page, objs)
        except Exception:  # noqa: BLE001 - table finding is best effort
            tables = []
        table_rows, rest = _table_lines(tables, width, chars, pno, vertical=res.vertical)
        if res.vertical:
            res.height = width  # the quarter-turned frame's height
            rest = to_vertical_frame(rest, page)
        body = [p for p in (_row_to_pline(r, pno) for r in cluster_rows(rest)) if p is not None]
        res.lines = sorted(body + table_rows, key=lambda ln: ln.top)
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001 - a broken page must not stop the document
        res.error = type(e).__name__
        res.lines, res.side, res.boxes, res.vertical = [], None, [], False
    finally:
        res.unmapped, res.mapped = stats.unmapped[pno], stats.mapped[pno]
    return res


_WORKER_PDF: dict[str, Any] = {}  # on a page worker process: the document it is reading


def _read_chunk(path: str, pnos: list[int], engine: Any) -> list[PageRead]:
    """Pages ``pnos`` of the PDF at ``path`` (run on a page worker; keeps the file open there
    for the next chunk, as the worker ends with the document)."""
    import pdfplumber

    pdf = _WORKER_PDF.get(path) if pdf_pages.in_worker() else None
    if pdf is None:
        pdf = pdfplumber.open(path)
        if pdf_pages.in_worker():
            _WORKER_PDF[path] = pdf
    try:
        pages = pdf.pages
        out: list[PageRead] = []
        for pno in pnos:
            page = pages[pno - 1]
            out.append(read_page(page, pno, engine))
            page.close()  # drop pdfminer's layout: memory stays flat over long documents
        return out
    finally:
        if not pdf_pages.in_worker():
            pdf.close()


PAGE_JOBS = 1  # processes that share the pages of one PDF (the CLI's --jobs, via batch.scan_task)


@contextmanager
def page_jobs_set(jobs: int) -> Iterator[None]:
    """``PAGE_JOBS`` set to ``jobs`` for the duration of the block."""
    global PAGE_JOBS
    saved = PAGE_JOBS
    PAGE_JOBS = max(1, jobs)
    try:
        yield
    finally:
        PAGE_JOBS = saved


def _read_pages(path: Path, n_jobs: int, engine: Any) -> list[PageRead]:
    """Every page of the PDF, read in this process or shared by ``n_jobs`` page workers."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # noqa: BLE001 - pdfminer raises many kinds
        raise _open_error(e) from e
    reads: list[PageRead] = []
    try:
        try:
            page_list = list(pdf.pages)
        except Exception as e:  # noqa: BLE001
            raise _open_error(e) from e
        if not page_list:
            raise IngestError("PDFにページがありません")
        # an OCR'd page takes seconds: with OCR on, even two pages are worth a pool
        parts = pdf_pages.chunks(
            len(page_list), n_jobs, 1 if engine is not None else pdf_pages.MIN_PAGES_PER_PROCESS
        )
        if len(parts) > 1:
            for got in pdf_pages.map_chunks(_read_chunk, str(path), parts, n_jobs, engine):
                reads.extend(got)
        else:
            for pno, page in enumerate(page_list, 1):
                reads.append(read_page(page, pno, engine))
                page.close()
    except IngestError:
        raise
    except Exception as e:  # noqa: BLE001
        raise _open_error(e) from e
    finally:
        try:
            pdf.close()
        except Exception:  # noqa: BLE001
            pass
    return reads


@dataclass
class _DocPages:
    """The pages' reads gathered by page number, for the document-level steps."""

    pages: dict[int, list[PLine]] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    image_only: list[int] = field(default_factory=list)
    vertical: list[int] = field(default_factory=list)
    side: dict[int, list[PLine]] = field(default_factory=dict)
    boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    glyphs: GlyphStats = field(default_factory=GlyphStats)
    ocr_done: list[int] = field(default_factory=list)
    ocr_failed: dict[int, str] = field(default_factory=dict)
    errors: list[Message] = field(default_factory=list)  # pages that could not be read


def _gather(reads: list[PageRead]) -> _DocPages:
    out = _DocPages()
    for r in reads:
        pno = r.pno
        out.pages[pno] = r.lines
        out.heights[pno] = r.height
        if r.unmapped:
            out.glyphs.unmapped[pno] += r.unmapped
        if r.mapped:
            out.glyphs.mapped[pno] += r.mapped
        if r.error:
            out.errors.append(Message("warning", f"ページ{pno}を読み取れませんでした（{r.error}）", page=pno))
        if r.side is not None:
            out.side[pno] = r.side
            out.boxes[pno] = r.boxes
        if r.ocr_error is not None:
            out.ocr_failed[pno] = r.ocr_error
        if r.ocr:
            out.ocr_done.append(pno)
        if r.vertical:
            out.vertical.append(pno)
        if r.image_only:
            out.image_only.append(pno)
    return out


_NO_OCR_ENGINE = (
    "OCRエンジン（tesseract と日本語データ jpn）が見つかりません。scripts/setup.sh でインストールできます"
)


def _check_text(got: _DocPages, want_ocr: bool, engine: Any) -> list[Message]:
    """Raise IngestError when no page has text; the warning when OCR was wanted but is missing."""
    if not any(got.pages.values()):
        if got.image_only:
            if want_ocr and engine is None:
                raise IngestError(f"PDFにテキストがありません（画像のみ）。OCRが必要です（{_NO_OCR_ENGINE}）")
            if got.ocr_failed:
                raise IngestError(
                    f"PDFにテキストがありません（画像のみ）。OCRが必要です（{next(iter(got.ocr_failed.values()))}）"
                )
            raise IngestError("PDFにテキストがありません（画像のみ）。OCRが必要です")
        raise IngestError("PDFにテキストがありません")
    if want_ocr and engine is None and got.image_only:
        return [Message("warning", f"{_NO_OCR_ENGINE}（画像のみのページは読み取っていません）")]
    return []


def _reading_order(got: _DocPages) -> list[PLine]:
    """All physical lines in reading order: running heads and side furniture removed, columns
    split on the document's gutter grid, text boxes assigned."""
    pages = got.pages
    remove_running_heads(pages, got.heights)
    heads = remove_side_furniture(got.side)
    if heads:
        for pno, lines in pages.items():
            pages[pno] = [ln for ln in lines if ln.is_table or _loose(ln.text).strip("#") not in heads]
    page_gutters = {pno: _find_gutters(lines) for pno, lines in pages.items()}
    grid = document_grid(page_gutters)
    ordered: list[PLine] = []
    for pno in sorted(pages):
        ordered.extend(got.side.get(pno, []))
        lines = pages[pno]
        gutters = page_gutters[pno]
        if grid and any(all(abs(g - k) > 2 for g in gutters) for k in grid):
            gutters = _find_gutters(lines, grid)
        if gutters:
            lines = _split_columns(lines, gutters, pno)
        if got.boxes.get(pno):
            assign_boxes(lines, got.boxes[pno])
        ordered.extend(lines)
    return ordered


def _page_messages(got: _DocPages) -> list[Message]:
    """Image-only, OCR'd and vertical pages, and the glyph counts."""
    out: list[Message] = []
    for pno in got.image_only:
        reason = f"。OCRできませんでした: {got.ocr_failed[pno]}" if pno in got.ocr_failed else ""
        out.append(Message("warning", f"ページ{pno}にテキストがありません（画像のみ）{reason}", page=pno))
    for pno in got.ocr_done:
        out.append(
            Message("warning", f"ページ{pno}はOCRで読み取りました（誤認識の可能性があります）", page=pno)
        )
    for pno in got.vertical:
        out.append(Message("info", f"ページ{pno}は縦書きとして読み取りました", page=pno))
    out.extend(glyph_messages(got.glyphs))
    return out


def read_pdf(path: Path, jobs: int | None = None) -> SourceDocument:
    """Read a PDF; ``jobs`` processes share its pages (default ``PAGE_JOBS``). Documents of
    fewer than ``2 * pdf_pages.MIN_PAGES_PER_PROCESS`` pages are read in this process, unless
    OCR is on."""
    try:
        import pdfplumber  # noqa: F401
    except ImportError as e:  # pragma: no cover - dependency of the package
        raise IngestError("PDFを読むための pdfplumber がインストールされていません") from e

    doc = SourceDocument(path=str(path), format="pdf")
    engine: Any = None
    want_ocr = ocr_enabled()
    if want_ocr:
        from analogscan.ingest import ocr

        engine = ocr.find_engine()
    n_jobs = max(1, PAGE_JOBS if jobs is None else jobs)
    got = _gather(_read_pages(path, n_jobs, engine))
    doc.messages.extend(got.errors)
    doc.messages.extend(_check_text(got, want_ocr, engine))
    ordered = _reading_order(got)
    doc.messages.extend(_page_messages(got))
    doc.messages.sort(key=lambda m: m.page or 0)
    doc.lines = join_lines(ordered, frozenset(got.ocr_done))
    return doc


class PdfReader:
    name = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)
    fallback = False

    def sniff(self, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, path: Path) -> SourceDocument:
        return read_pdf(path)
