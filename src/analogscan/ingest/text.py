"""Plain-text reader: encoding detected from the content, never from the suffix.

Order: BOM (UTF-8, UTF-16, UTF-32) → binary check → ISO-2022-JP (escape sequences) → strict
UTF-8 → strict CP932 / EUC-JP, choosing between them by a Japanese-plausibility score →
lenient decode with a warning when only a few bytes are bad → IngestError.
charset-normalizer is not used for the decision: on short CP932/EUC-JP texts it is often wrong.
The text is kept as written (no NFKC): citations and offsets depend on the original characters.
"""

from __future__ import annotations

import re
from pathlib import Path

from analogscan.ingest import IngestError
from analogscan.model import Line, Message, SourceDocument

MAX_TEXT_BYTES = 50 * 1024 * 1024  # larger files are refused without being read

# share of undecodable characters tolerated (with a warning) before giving up
MAX_REPLACEMENT_RATIO = 0.01

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

# C0 controls other than TAB LF VT FF CR and ESC (ESC introduces ISO-2022-JP)
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1B)) | frozenset(range(0x1C, 0x20))
_NEWLINES = re.compile(r"\r\n|\r|\n|\f|\u2028|\u2029|\x85")
_STRIP = " \t\v\u3000\ufeff"


def _bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 2 % C0 control bytes in the sample: not text."""
    if not data:
        return False
    if b"\x00" in data:
        return True
    sample = data[:65536]
    controls = sum(1 for b in sample if b in _CONTROL_BYTES)
    return controls > max(2, len(sample) * 0.02)


def japanese_score(text: str) -> float:
    """How plausible ``text`` is as Japanese, per non-ASCII character (higher is better).

    Hiragana, katakana, common kanji and full-width punctuation count positive; half-width
    katakana, private-use, box drawing and rare symbols (what a wrong CJK codec produces)
    count negative.
    """
    good = 0.0
    bad = 0.0
    n = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        n += 1
        if 0x3040 <= o <= 0x309F:  # hiragana: the strongest signal
            good += 2.0
        elif 0x30A0 <= o <= 0x30FF or 0x3000 <= o <= 0x303F:
            good += 1.0
        elif 0x4E00 <= o <= 0x9FFF:
            good += 0.8
        elif 0xFF01 <= o <= 0xFF5E:
            good += 0.8
        elif 0xFF61 <= o <= 0xFF9F:  # half-width katakana: typical of EUC read as CP932
            bad += 1.0
        elif 0xE000 <= o <= 0xF8FF or o == 0xFFFD:
            bad += 2.0
        else:
            bad += 0.5
    if n == 0:
        return 0.0
    return (good - bad) / n


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode bytes to str. Returns (text, encoding name, Japanese warnings)."""
    warnings: list[str] = []
    bom = _bom_encoding(data)
    if bom:
        try:
            return data.decode(bom), bom, warnings
        except UnicodeDecodeError:
            text = data.decode(bom, errors="replace")
            bad = text.count("\ufffd")
            if bad > max(1, len(text) * MAX_REPLACEMENT_RATIO):
                raise IngestError(f"文字コード（{bom}）として読めない部分が多すぎます") from None
            warnings.append(f"文字コード {bom} として読めない文字を「\ufffd」に置き換えました（{bad}箇所）")
            return text, bom, warnings
    if looks_binary(data):
        raise IngestError("テキストファイルではありません（バイナリデータです）")
    if b"\x1b$" in data or b"\x1b(" in data:
        try:
            return data.decode("iso2022_jp"), "iso2022_jp", warnings
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    candidates: list[tuple[float, str, str]] = []
    for enc in ("cp932", "euc_jp"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((japanese_score(text), enc, text))
    # on a tie prefer cp932 (listed first; far more common). A candidate that does not look
    # like Japanese at all (Python's cp932 maps stray 0x80/0xA0/0xFD-0xFF to C1/private-use
    # characters) is not accepted as a strict decode.
    candidates.sort(key=lambda c: -c[0])
    if candidates and candidates[0][0] > 0:
        return candidates[0][2], candidates[0][1], warnings
    # nothing decodes cleanly: accept a few bad bytes with a warning
    best: tuple[int, float, str, str] | None = None
    for enc in ("utf-8", "cp932", "euc_jp"):
        text = data.decode(enc, errors="replace")
        bad = _count_bad(text)
        key = (bad, -japanese_score(text), enc, text)
        if best is None or key[:2] < best[:2]:
            best = key
    assert best is not None
    bad, _neg, enc, text = best
    if bad > max(1, len(text) * MAX_REPLACEMENT_RATIO):
        raise IngestError(
            "文字コードを判定できません（UTF-8・Shift_JIS（CP932）・EUC-JPのいずれとしても読めません）"
        )
    warnings.append(
        f"文字コードを {enc} と推定しましたが、読めない文字を「\ufffd」に置き換えました（{bad}箇所）"
    )
    return text, enc, warnings


def _count_bad(text: str) -> int:
    """Replacement characters plus what a wrong codec typically yields (C1 controls, cp932 PUA)."""
    return sum(1 for ch in text if ch == "\ufffd" or 0x80 <= ord(ch) <= 0x9F or 0xF8F0 <= ord(ch) <= 0xF8F3)


def split_lines(text: str) -> list[str]:
    """Normalise newlines, strip the BOM and surrounding whitespace, drop blank lines."""
    if text.startswith("\ufeff"):
        text = text[1:]
    out: list[str] = []
    for raw in _NEWLINES.split(text):
        s = raw.strip(_STRIP).rstrip()
        if s:
            out.append(s)
    return out


class TextReader:
    name = "text"
    suffixes: tuple[str, ...] = (".txt",)
    fallback = True

    def __init__(self, max_bytes: int = MAX_TEXT_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, head: bytes) -> bool:
        return _bom_encoding(head) is not None or not looks_binary(head)

    def read(self, path: Path) -> SourceDocument:
        size = path.stat().st_size
        if size > self.max_bytes:
            raise IngestError(
                f"ファイルが大きすぎます（{size / 1024 / 1024:.1f}MB、上限 {self.max_bytes / 1024 / 1024:g}MB）"
            )
        data = path.read_bytes()
        if not data:
            raise IngestError("ファイルが空です")
        text, encoding, warnings = decode_text(data)
        lines = split_lines(text)
        if not lines:
            raise IngestError("ファイルに文字がありません（空白のみです）")
        doc = SourceDocument(path=str(path), format=self.name, encoding=encoding)
        doc.lines = [Line(s) for s in lines]
        doc.messages = [Message("warning", w) for w in warnings]
        if not warnings and "\ufffd" in text:
            n = text.count("\ufffd")
            doc.messages.append(Message("warning", f"置換文字「\ufffd」が含まれています（{n}箇所）"))
        return doc
