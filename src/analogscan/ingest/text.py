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

from analogscan.ingest.base import IngestError
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


def _plausible_share(text: str) -> float:
    """Share of characters a Japanese (or ASCII) text is made of: a right decode is near 1."""
    if not text:
        return 0.0
    ok = 0
    for ch in text:
        o = ord(ch)
        if (
            0x20 <= o < 0x7F
            or ch in "\t\r\n\f\u3000"
            or 0x3000 <= o <= 0x30FF
            or 0x4E00 <= o <= 0x9FFF
            or 0xFF01 <= o <= 0xFF9F
        ):
            ok += 1
    return ok / len(text)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when the bytes read as Japanese or ASCII text in UTF-16 (no BOM)."""
    if len(data) < 4:
        return None
    sample = data[: 65536 - (65536 % 2)]
    if len(sample) % 2:
        sample = sample[:-1]
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            text = sample.decode(enc, errors="replace")
            if text.count("\ufffd") > 2:  # only the cut at the end of the sample may be broken
                continue
        share = _plausible_share(text)
        if share >= 0.95 and (best is None or share > best[0]):
            best = (share, enc)
    return best[1] if best else None


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
    if b"\x00" in data or (len(data) % 2 == 0 and not _decodes(data, "utf-8")):
        enc16 = utf16_without_bom(data)
        if enc16 is not None and b"\x00" not in data and not _beats_cp932(data, enc16):
            enc16 = None
        if enc16 is not None:
            even = data[: len(data) - len(data) % 2]
            text = even.decode(enc16, errors="replace")
            bad = text.count("\ufffd")
            if bad <= max(1, len(text) * MAX_REPLACEMENT_RATIO):
                warnings.append(f"BOM のない {enc16.upper()} と判定して読み込みました")
                if bad:
                    warnings.append(f"読めない文字を「\ufffd」に置き換えました（{bad}箇所）")
                return text, enc16, warnings
    nuls = data.count(b"\x00")
    if nuls and nuls <= max(16, len(data) // 1000) and not looks_binary(data.replace(b"\x00", b"")):
        # a stray NUL (a bad copy, a truncated write): drop it instead of rejecting the whole file
        data = data.replace(b"\x00", b"")
        warnings.append(f"NUL 文字（{nuls} 個）を取り除きました")
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
    mixed = _mixed_lines(data)
    if mixed is not None:
        text, enc, note = mixed
        return text, enc, warnings + [note]
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


def _beats_cp932(data: bytes, enc16: str) -> bool:
    """Without NUL bytes (no ASCII in the text) UTF-16 must read as better Japanese than a strict
    CP932 / EUC-JP decode: a line of CP932 kanji is also a row of CJK code points in UTF-16BE."""
    even = data[: len(data) - len(data) % 2]
    score16 = japanese_score(even.decode(enc16, errors="replace"))
    for enc in ("cp932", "euc_jp"):
        try:
            if japanese_score(data.decode(enc)) >= score16:
                return False
        except UnicodeDecodeError:
            continue
    return True


def _decodes(data: bytes, enc: str) -> bool:
    try:
        data.decode(enc)
        return True
    except UnicodeDecodeError:
        return False


def _line_encoding(raw: bytes) -> tuple[str, str] | None:
    """(encoding, text) of one line decoded strictly, the most Japanese-looking codec; None if none."""
    if raw.isascii():
        return "ascii", raw.decode("ascii")
    if _decodes(raw, "utf-8"):
        return "utf-8", raw.decode("utf-8")
    best: tuple[float, str, str] | None = None
    for enc in ("cp932", "euc_jp"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        score = japanese_score(text)
        if best is None or score > best[0]:
            best = (score, enc, text)
    if best is None or best[0] <= 0:
        return None
    return best[1], best[2]


def _line_list(nums: list[int], limit: int = 20) -> str:
    shown = "、".join(str(n) for n in nums[:limit])
    return shown + (f" ほか {len(nums) - limit} 行" if len(nums) > limit else "")


def _mixed_lines(data: bytes) -> tuple[str, str, str] | None:
    """A file whose lines are in different encodings (UTF-8 lines pasted into a Shift_JIS file…):
    each line decoded on its own. Returns (text, 'utf-8+cp932', warning naming the lines), or None
    when the file is not such a mix. Newline bytes never occur inside a multibyte character in
    UTF-8, CP932 or EUC-JP, so splitting at them is safe."""
    raws = data.split(b"\n")
    decoded: list[tuple[str, str] | None] = [_line_encoding(r) for r in raws]
    utf8_lines = [
        i for i, d in enumerate(decoded) if d is not None and d[0] == "utf-8" and japanese_score(d[1]) > 0.5
    ]
    if not utf8_lines or len(utf8_lines) == sum(1 for d in decoded if d is not None and d[0] != "ascii"):
        return None  # no UTF-8 line, or nothing but UTF-8 lines: not a mix
    by_enc: dict[str, list[int]] = {}
    parts: list[str] = []
    bad_lines: list[int] = []
    for i, (raw, d) in enumerate(zip(raws, decoded, strict=True)):
        if d is None:
            bad_lines.append(i + 1)
            parts.append(raw.decode("cp932", errors="replace"))
            continue
        enc, text = d
        if enc != "ascii":
            by_enc.setdefault(enc, []).append(i + 1)
        parts.append(text)
    if len(by_enc) < 2 and not bad_lines:
        return None
    if len(bad_lines) > max(1, len(raws) * MAX_REPLACEMENT_RATIO):
        return None
    major = max(by_enc, key=lambda e: len(by_enc[e]))
    notes = [
        f"{_line_list(nums)} 行目を {enc} として" for enc, nums in sorted(by_enc.items()) if enc != major
    ]
    msg = f"文字コードが混在しています。{'、'.join(notes)}読み込みました（ほかの行は {major}）"
    if bad_lines:
        msg += f"。{_line_list(bad_lines)} 行目は読めない文字を「\ufffd」に置き換えました"
    encs = "+".join([major] + sorted(e for e in by_enc if e != major))
    return "\n".join(parts), encs, msg


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
        if _bom_encoding(head) is not None or not looks_binary(head):
            return True
        if utf16_without_bom(head) is not None:
            return True
        nuls = head.count(b"\x00")
        return nuls <= max(16, len(head) // 1000) and not looks_binary(head.replace(b"\x00", b""))

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
