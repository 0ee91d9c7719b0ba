"""Numbering markers of Japanese legislative text, each defined once: 漢数字 and their conversion,
the イロハ and アイウエオ series, roman numerals, circled / parenthesised numbers and the の/ノ
joiner of branch numbers (第十二条の二).

Used by the segmenter (structure.segmenter, structure.numbering, structure.layout), the readers
(ingest.pdf, ingest.ocr, ingest.docx, ingest.egov_xml) and the 改め文 numerals (amend.numerals).
Character sets are plain strings to put inside a regex character class (``[{KANSUJI}]``);
``NUM``, ``NO`` and ``GLUED_MARKER`` are regex fragments.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "AIUEO",
    "ARABIC_DIGITS",
    "CIRCLED_NUMBERS",
    "GLUED_MARKER",
    "HALFWIDTH_KANA",
    "IROHA",
    "KANJI_NUM_CHARS",
    "KANSUJI",
    "NO",
    "NUM",
    "PARENTHESIZED_NUMBERS",
    "ROMAN_CHARS",
    "ROMAN_NUMERALS",
    "circled_number",
    "int_to_kanji",
    "int_to_roman",
    "kanji_to_int",
    "to_int",
]

# ---------------------------------------------------------------- 漢数字

_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "三": 3, "参": 3,
    "參": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "千": 1000}
_BIG: dict[str, int] = {"万": 10_000, "萬": 10_000}
# every character kanji_to_int reads (大字 such as 壱 弐 参 拾 and 万 included)
KANJI_NUM_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG)
# the kanji numerals article, item and row numbers are printed with (第十二条, 一　…, 第百条)
KANSUJI = "〇一二三四五六七八九十百千"
_KANSUJI_DIGITS = "〇一二三四五六七八九"

# Arabic digits of either width (for a character class)
ARABIC_DIGITS = "0-9０-９"
# a number as written: Arabic (any width) or kanji
NUM = rf"(?:[{ARABIC_DIGITS}]+|[{KANJI_NUM_CHARS}]+)"

# The joiner of branch numbers: 第十二条の二, and ノ in the katakana laws before 1946 (第十二條ノ二).
# Not 之: no Japanese text in the corpora writes 条之二 (that is Chinese usage), while 之 is a
# common word in the old laws (之ヲ, 之ニ).
NO = "[のノ]"

# ---------------------------------------------------------------- kana series

IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
# half-width katakana as a character-class range (ｱ … ﾝ): markers typed in old word processors
HALFWIDTH_KANA = "ｱ-ﾝ"

# ---------------------------------------------------------------- roman, circled, parenthesised

# the letters of lower-case roman numerals (either width) as markers use them: (i) (iv) (ｉｖ)
ROMAN_CHARS = "ivxｉｖｘ"
_ROMAN_STEPS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def int_to_roman(n: int) -> str:
    """14 → XIV (upper case; empty for n < 1)."""
    out = ""
    for value, letters in _ROMAN_STEPS:
        while n >= value:
            out += letters
            n -= value
    return out


# lower-case roman numeral → value, for the sub-item markers (i) … (xx)
ROMAN_NUMERALS: dict[str, int] = {int_to_roman(n).lower(): n for n in range(1, 21)}

CIRCLED_NUMBERS = "".join(chr(0x2460 + k) for k in range(20))  # ①–⑳
PARENTHESIZED_NUMBERS = "".join(chr(0x2474 + k) for k in range(20))  # ⑴–⒇ (官報 items)


def circled_number(n: int) -> str | None:
    """3 → ③ for 1–20; None otherwise."""
    return CIRCLED_NUMBERS[n - 1] if 1 <= n <= len(CIRCLED_NUMBERS) else None


# a sub-item marker that may stand glued inside a line (old e-Gov export: 「…こと。ロ　…」):
# a kana, or a bracketed number, roman numeral or kana; in text a space follows it
GLUED_MARKER = rf"(?:[{IROHA}{AIUEO}]|[(（](?:[{ARABIC_DIGITS}]+|[{ROMAN_CHARS}]+|[{IROHA}{AIUEO}])[)）])"

# ---------------------------------------------------------------- conversion


def kanji_to_int(s: str) -> int | None:
    """二百十三 → 213, 二〇〇 → 200, 拾 → 10; None when s is not a kanji numeral."""
    if not s or any(c not in _DIGITS and c not in _UNITS and c not in _BIG for c in s):
        return None
    if all(c in _DIGITS for c in s):  # positional: 二〇〇, 一一
        n = 0
        for c in s:
            n = n * 10 + _DIGITS[c]
        return n
    total = 0
    section = 0
    digit: int | None = None
    for c in s:
        if c in _DIGITS:
            if digit is not None:  # 二〇 mixed with units: treat positionally
                digit = digit * 10 + _DIGITS[c]
            else:
                digit = _DIGITS[c]
        elif c in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:  # 万
            section += digit or 0
            total += (section or 1) * _BIG[c]
            section = 0
            digit = None
    return total + section + (digit or 0)


def to_int(s: str) -> int | None:
    """Arabic (half- or full-width) or kanji numeral → int; None otherwise."""
    s = s.strip()
    if not s:
        return None
    t = unicodedata.normalize("NFKC", s)
    if t.isascii() and t.isdigit():
        return int(t)
    return kanji_to_int(s)


def int_to_kanji(n: int) -> str:
    """213 → 二百十三 (the way statutes write article numbers)."""
    if n == 0:
        return "〇"
    out = ""
    if n >= 10_000:
        out += int_to_kanji(n // 10_000) + "万"
        n %= 10_000
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            out += ("" if q == 1 else _KANSUJI_DIGITS[q]) + ch
    if n:
        out += _KANSUJI_DIGITS[n]
    return out
