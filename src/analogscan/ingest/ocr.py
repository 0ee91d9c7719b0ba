"""Optional OCR of image-only PDF pages with a local Tesseract (``tesseract`` + ``jpn`` data).

Nothing here is used unless OCR is switched on (see :func:`analogscan.ingest.pdf.ocr_enabled`),
and nothing is downloaded: the engine is the ``tesseract`` command found on PATH, with the
Debian packages ``tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert``.

Per page:
1. render at 300 dpi (pdfplumber / pypdfium2, no extra dependency);
2. orientation from the ink itself: in tiles of a 100 dpi copy, text lines leave blank rows
   between them (横書き) or blank columns (縦書き) — milliseconds, no OCR pass needed;
3. a vertical page is cut into tiers (段) at blank bands of rows (a rule between tiers counts as
   blank); a small band in the top/bottom margin (running head, page number) is dropped; each
   tier is read with ``jpn_vert --psm 5`` (one tier at a time: whole-page layout analysis mixes
   the tiers). A horizontal page is read with ``jpn --psm 3``;
4. words come from Tesseract's TSV with their boxes; a line's text is its words joined without
   spaces, with a full-width space where the gap is at least half a character (the space after
   第一条 / 一 / ２); structure markers and known misreads are repaired (:func:`repair_line`);
5. lines are returned in PDF points, vertical ones already in the quarter-turned frame the
   text-layer path reads vertical pages in, so :mod:`analogscan.ingest.pdf` joins them the same
   way (running heads, columns, wrapped lines).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from analogscan.errors import AnalogscanError
from analogscan.structure.markers import IROHA, KANSUJI, NO

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_DPI = 300
HORIZONTAL_PSM = 6  # per text column, as one uniform block (psm 3 when columns are unclear)
PROBE_DPI = 100  # orientation / tier detection
OCR_TIMEOUT_S = 180  # one Tesseract run (a page or a tier)
MARGIN_ZONE = 0.13  # same share as the text-layer reader

# what Tesseract makes of kanji numerals inside 第…条 and at a line start
_NUM_CONFUSABLE = {"ー": "一", "|": "一", "｜": "一", "l": "一", "I": "一", "—": "一", "－": "一", "ニ": "二"}
_ONE_LIKE = "ー|｜lI—－-一"
_FULLWIDTH_DIGITS = str.maketrans("0123456789()", "０１２３４５６７８９（）")
# known whole-word misreads (a word that does not exist → the word that was printed)
_MISREADS = {"日視": "目視", "曰視": "目視"}


class OcrError(AnalogscanError):
    """Tesseract failed on a page; ``str(e)`` is Japanese."""


@dataclass(frozen=True)
class OcrEngine:
    path: str
    langs: frozenset[str]

    @property
    def vertical_lang(self) -> str:
        return "jpn_vert" if "jpn_vert" in self.langs else "jpn"


@dataclass
class OcrLine:
    """One recognised line in PDF points (vertical pages: in the quarter-turned frame)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    conf: float


@dataclass
class OcrPage:
    lines: list[OcrLine] = field(default_factory=list)
    vertical: bool = False
    seconds: float = 0.0
    conf: float = 0.0  # mean word confidence (0–100), weighted by characters


@functools.lru_cache(maxsize=1)
def find_engine() -> OcrEngine | None:
    """The local Tesseract with Japanese data, or None."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    try:
        r = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    langs = frozenset(
        ln.strip() for ln in (r.stdout + "\n" + r.stderr).splitlines() if ln.strip() and " " not in ln.strip()
    )
    if "jpn" not in langs:
        return None
    return OcrEngine(path=exe, langs=langs)


# ---------------------------------------------------------------- image analysis


def render_page(page: Any, dpi: int = OCR_DPI) -> Image:
    """A pdfplumber page as a greyscale PIL image."""
    img: Image = page.to_image(resolution=dpi).original
    return img.convert("L")


def _ink(img: Image, threshold: int = 128) -> Image:
    """Binary image with ink = 255."""
    return img.convert("L").point(lambda v: 255 if v < threshold else 0)


def _profile(ink: Image, axis: str) -> list[int]:
    """Mean ink (0–255) per row (axis "rows") or per column ("cols")."""
    from PIL import Image as PILImage

    w, h = ink.size
    size = (1, h) if axis == "rows" else (w, 1)
    return list(ink.resize(size, PILImage.Resampling.BOX).tobytes())


def _blank_share(p: list[int], limit: int = 2) -> float:
    idx = [k for k, v in enumerate(p) if v > limit]
    if not idx:
        return 0.0
    seg = p[idx[0] : idx[-1] + 1]
    return sum(1 for v in seg if v <= limit) / len(seg)


def looks_vertical_image(img: Image, tiles: int = 4) -> bool:
    """True when text lines run top to bottom: per tile, blank columns between text lines
    outnumber blank rows. Tiles keep skew and multi-tier layouts from blurring the gaps."""
    ink = _ink(img)
    w, h = ink.size
    votes_h = votes_v = 0
    for i in range(tiles):
        for j in range(tiles):
            t = ink.crop((w * j // tiles, h * i // tiles, w * (j + 1) // tiles, h * (i + 1) // tiles))
            rows = _profile(t, "rows")
            if sum(rows) / max(len(rows), 1) < 0.01 * 255:
                continue
            br, bc = _blank_share(rows), _blank_share(_profile(t, "cols"))
            if br > bc + 0.05:
                votes_h += 1
            elif bc > br + 0.05:
                votes_v += 1
    return votes_v > votes_h


def find_bands(
    img: Image, axis: str = "rows", min_gap: float = 0.012, rule_share: float = 0.5
) -> list[tuple[float, float]]:
    """Bands of ink separated by blank rows (axis "rows": tiers, as (top, bottom) shares of the
    height) or blank columns (axis "cols": text columns, (left, right) shares of the width).

    Rows/columns that are mostly ink (a rule between tiers or columns) count as blank;
    ``min_gap`` is the smallest blank run (share of the page) that separates two bands.
    """
    from PIL import Image as PILImage

    ink = _ink(img)
    if axis == "cols":  # columns become rows, the left edge at the top
        ink = ink.transpose(PILImage.Transpose.TRANSPOSE)
    w, h = ink.size
    rows = _profile(ink, "rows")
    blank = [v <= 2 or v >= rule_share * 255 for v in rows]
    bands: list[tuple[int, int]] = []
    start: int | None = None
    gap = 0
    need = max(2, int(min_gap * h))
    for y, b in enumerate(blank):
        if not b:
            if start is None:
                start = y
            elif gap >= need:
                bands.append((start, y - gap))
                start = y
            gap = 0
        elif start is not None:
            gap += 1
    if start is not None:
        bands.append((start, h - gap))
    return [(a / h, b / h) for a, b in bands if b > a]


def body_bands(bands: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Bands without running heads / page numbers: a thin band inside the top or bottom margin."""
    out = []
    for top, bottom in bands:
        thin = bottom - top < 0.04
        in_margin = bottom < MARGIN_ZONE or top > 1 - MARGIN_ZONE
        if thin and in_margin:
            continue
        out.append((top, bottom))
    return out


# ---------------------------------------------------------------- Tesseract


@dataclass
class _Word:
    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    key: tuple[int, int, int, int]  # page, block, paragraph, line


def run_tesseract(engine: OcrEngine, img: Image, lang: str, psm: int) -> list[_Word]:
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    try:
        r = subprocess.run(
            [engine.path, "stdin", "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(OCR_DPI), "tsv"],
            input=buf.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise OcrError(f"OCRが時間切れになりました（{OCR_TIMEOUT_S}秒）") from e
    except OSError as e:
        raise OcrError(f"OCRエンジンを実行できません（{e}）") from e
    if r.returncode != 0:
        err = r.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"OCRエンジンがエラーを返しました（{err[-1] if err else r.returncode}）")
    words: list[_Word] = []
    reader = csv.DictReader(
        io.StringIO(r.stdout.decode("utf-8", "replace")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    for row in reader:
        try:
            if row.get("level") != "5" or not (row.get("text") or "").strip():
                continue
            words.append(
                _Word(
                    text=(row["text"] or "").strip(),
                    left=int(row["left"]),
                    top=int(row["top"]),
                    width=int(row["width"]),
                    height=int(row["height"]),
                    conf=float(row["conf"]),
                    key=(
                        int(row["page_num"]),
                        int(row["block_num"]),
                        int(row["par_num"]),
                        int(row["line_num"]),
                    ),
                )
            )
        except (KeyError, TypeError, ValueError):
            continue
    return words


def _group_lines(words: list[_Word]) -> list[list[_Word]]:
    groups: dict[tuple[int, int, int, int], list[_Word]] = {}
    for w in words:
        groups.setdefault(w.key, []).append(w)
    return list(groups.values())


_MARKER_SO_FAR = re.compile(
    rf"^(?:第[^\u3000 ]{{1,8}}?[条章節款編](?:{NO}[^\u3000 ]{{1,4}})?|[{KANSUJI}ーニ|｜lI]{{1,4}}|[0-9０-９]{{1,3}}|[{IROHA}])$"
)
_JUNK = re.compile(r"[.,'\"`:;~_・“”‘’\]\[=。、]+")
_NO_SPACE_AFTER = set("、。，．,.「『（(［【〔・")
_NO_SPACE_BEFORE = set("、。，．,.」』）)］】〕・")


def _gap(prev: _Word, w: _Word, vertical: bool) -> int:
    return (w.top - (prev.top + prev.height)) if vertical else (w.left - (prev.left + prev.width))


def _drop_noise(ws: list[_Word], vertical: bool, size: float) -> list[_Word]:
    """Specks read as 人, -, ~ …: low-confidence words standing apart from the line's text."""
    keep: list[_Word] = []
    for i, w in enumerate(ws):
        if w.conf < 50:
            before = _gap(ws[i - 1], w, vertical) if i > 0 else None
            after = _gap(w, ws[i + 1], vertical) if i + 1 < len(ws) else None
            gaps = [g for g in (before, after) if g is not None]
            if not gaps or min(gaps) > 2 * size:
                continue
        keep.append(w)
    # dots, quotes and bullets Tesseract makes of specks at either end of the line
    while keep and _JUNK.fullmatch(keep[0].text):
        keep.pop(0)
    while keep and _JUNK.fullmatch(keep[-1].text) and not keep[-1].text.endswith(("。", "、", "）", "」")):
        keep.pop()
    return keep


def _line_text(words: list[_Word], vertical: bool) -> tuple[str, float]:
    """Words joined without spaces; a full-width space where the gap is wide: half a character
    after a leading marker (第一条　/ 一　/ ２　), 0.8 of one elsewhere, never next to 、。 or
    brackets (their glyphs sit in a corner of the cell). Returns (text, character size in px)."""
    if vertical:
        ws = sorted(words, key=lambda w: w.top)
        size = float(statistics.median([w.width for w in ws]))
    else:
        ws = sorted(words, key=lambda w: w.left)
        size = float(statistics.median([w.height for w in ws]))
    ws = _drop_noise(ws, vertical, size)
    out: list[str] = []
    prev: _Word | None = None
    for w in ws:
        if prev is not None:
            gap = _gap(prev, w, vertical)
            so_far = "".join(out)
            need = 0.5 if _MARKER_SO_FAR.match(so_far) else 0.8
            if (
                gap >= need * size
                and so_far[-1:] not in _NO_SPACE_AFTER
                and w.text[:1] not in _NO_SPACE_BEFORE
            ):
                out.append("\u3000")
        out.append(w.text)
        prev = w
    return "".join(out), size


# ---------------------------------------------------------------- repair

_NUMLIKE = rf"[{KANSUJI}ーニ|｜lI—－]"
_DAI = re.compile(rf"第({_NUMLIKE}+)([条章節款編項号])((?:{NO}{_NUMLIKE}+)*)")
_LEAD_ONE = re.compile(rf"^[{re.escape(_ONE_LIKE)}](?=[\u3000 ])")
_LEAD_TWO = re.compile(r"^ニ(?=[\u3000 ])")
_LEAD_KANSUJI = re.compile(rf"^([{KANSUJI}]+)(?=[\u3000 ])")
_LEAD_IROHA = re.compile(rf"^([{IROHA}])(?=[\u3000 ])")
_RANGE_DASH = re.compile(r"([条章節])\s*[|｜ー\-－]\s*(第)")


def _fix_numeral(s: str) -> str:
    if not any(ch in KANSUJI for ch in s) and len(s) > 1:
        return s  # 第ーー条 is no numeral
    return "".join(_NUM_CONFUSABLE.get(ch, ch) for ch in s)


def repair_line(text: str, prev_marker: str | None = None) -> str:
    """Repair what Tesseract does to structure markers and a few known words.

    ``prev_marker`` is the item marker of the previous item line on the page (「一」, 「ハ」 …),
    used to tell 二 (after 一) from the katakana ニ of an イロハ list (after ハ).
    """
    t = text.strip(" \u3000")
    # half-width digits and brackets are full-width in Japanese legal text
    t = t.translate(_FULLWIDTH_DIGITS)
    t = re.sub(r"\s*（\s*", "（", t)
    t = re.sub(r"\s*）", "）", t)
    # stray dots / dashes Tesseract adds after the last character
    t = re.sub(r"(?<=[^\x00-\x7f])[\u3000 ]*[.\-~_'`|]+$", "", t)
    # item markers at the line start: 一 read as ー | l -, 二 as 一| (two strokes)
    if _LEAD_ONE.match(t):
        t = _LEAD_ONE.sub("一", t, count=1)
    t = re.sub(r"^一[\u3000 ]*[|｜](?=[\u3000 ]|[^\x00-\x7f])[\u3000 ]*", "二\u3000", t)
    if _LEAD_TWO.match(t) and prev_marker != "ハ":
        t = _LEAD_TWO.sub("二", t, count=1)
    # 第…条 / 章 numerals and the dash in 「（第一条―第四条）」
    t = _DAI.sub(lambda m: f"第{_fix_numeral(m.group(1))}{m.group(2)}{_fix_numeral(m.group(3))}", t)
    t = _RANGE_DASH.sub(r"\1―\2", t)
    for wrong, right in _MISREADS.items():
        t = t.replace(wrong, right)
    # exactly one full-width space after a marker
    t = re.sub(rf"^(第[^\u3000 ]{{1,12}}?[条章節款編](?:{NO}[^\u3000 ]{{1,4}})?)[\u3000 ]+", "\\1\u3000", t)
    t = re.sub(rf"^([{KANSUJI}]+|[０-９]+|[{IROHA}])[\u3000 ]+", "\\1\u3000", t)
    return t


def _marker(text: str) -> str | None:
    m = _LEAD_KANSUJI.match(text) or _LEAD_IROHA.match(text)
    return m.group(1) if m else None


# ---------------------------------------------------------------- page


def _lines_from_words(
    words: list[_Word], vertical: bool, scale: float, offset_px: tuple[int, int], page_width_pt: float
) -> list[tuple[OcrLine, int]]:
    """OcrLines (points; vertical: quarter-turned frame) with their character count."""
    out: list[tuple[OcrLine, int]] = []
    ox, oy = offset_px
    for ws in _group_lines(words):
        text, size_px = _line_text(ws, vertical)
        if not text.strip(" \u3000"):
            continue
        left = min(w.left for w in ws) + ox
        right = max(w.left + w.width for w in ws) + ox
        top = min(w.top for w in ws) + oy
        bottom = max(w.top + w.height for w in ws) + oy
        n = sum(len(w.text) for w in ws)
        conf = sum(w.conf * len(w.text) for w in ws) / max(n, 1)
        if vertical:  # columns become lines: x along the column, y from the right edge
            x0, x1 = top * scale, bottom * scale
            y0, y1 = page_width_pt - right * scale, page_width_pt - left * scale
        else:
            x0, x1, y0, y1 = left * scale, right * scale, top * scale, bottom * scale
        out.append((OcrLine(text, x0, x1, y0, y1, size_px * scale, conf), n))
    return out


def _regularise_extent(lines: list[OcrLine]) -> None:
    """Line ends from the character count and the page's character pitch.

    Word boxes swallow specks of the scan, so a short line can reach the right margin; the
    joining stage decides "full line → continues" from the line end, so the end is rebuilt as
    at most start + characters × pitch (pitch = median over long, confident lines)."""
    pitches = [
        (ln.x1 - ln.x0) / len(ln.text)
        for ln in lines
        if len(ln.text) >= 10 and ln.conf >= 80 and ln.x1 > ln.x0
    ]
    if len(pitches) < 3:
        return
    pitch = statistics.median(pitches)
    for ln in lines:
        ln.x1 = min(ln.x1, ln.x0 + 1.1 * pitch * len(ln.text))
        if not 0.6 * pitch <= ln.size <= 1.5 * pitch:  # a box bloated or squashed by specks
            ln.size = pitch


def ocr_page(page: Any, engine: OcrEngine) -> OcrPage:
    """Recognise one pdfplumber page; lines in reading order (before the joining stage)."""
    t0 = time.monotonic()
    width_pt = float(page.width)
    img = render_page(page, OCR_DPI)
    probe = render_page(page, PROBE_DPI)
    vertical = looks_vertical_image(probe)
    scale = width_pt / img.size[0]  # pixels → points
    result = OcrPage(vertical=vertical)
    counted: list[tuple[OcrLine, int]] = []
    if vertical:
        w, h = img.size
        pad = int(0.004 * h)
        for top, bottom in body_bands(find_bands(probe)):
            y0 = max(0, int(top * h) - pad)
            y1 = min(h, int(bottom * h) + pad)
            crop = img.crop((0, y0, w, y1))
            words = run_tesseract(engine, crop, engine.vertical_lang, 5)
            tier = _lines_from_words(words, True, scale, (0, y0), width_pt)
            tier.sort(key=lambda p: p[0].top)  # right to left
            counted.extend(tier)
    else:  # text columns one at a time, each as a uniform block (psm 6 reads more exactly
        # than psm 3's layout analysis; psm 3 stays for a page without clear columns)
        w, h = img.size
        pad = int(0.004 * w)
        cols = [(a, b) for a, b in find_bands(probe, axis="cols") if b - a >= 0.01]
        psm = HORIZONTAL_PSM
        if not cols or any(b - a < 0.2 for a, b in cols):  # a table's cells, not text columns
            cols, psm = [(0.0, 1.0)], 3
        for left, right in cols:
            x0 = max(0, int(left * w) - pad)
            x1 = min(w, int(right * w) + pad)
            crop = img.crop((x0, 0, x1, h))
            words = run_tesseract(engine, crop, "jpn", psm)
            block = _lines_from_words(words, False, scale, (x0, 0), width_pt)
            block.sort(key=lambda p: p[0].top)
            counted.extend(block)
    prev_marker: str | None = None
    for ln, _n in counted:
        ln.text = repair_line(ln.text, prev_marker)
        prev_marker = _marker(ln.text) or prev_marker
    result.lines = [ln for ln, _n in counted if ln.text]
    _regularise_extent(result.lines)
    total = sum(n for _ln, n in counted)
    result.conf = sum(ln.conf * n for ln, n in counted) / total if total else 0.0
    result.seconds = time.monotonic() - t0
    return result
