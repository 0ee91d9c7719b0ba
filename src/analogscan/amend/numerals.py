"""Citation numbers in the style of the 例規: 「第12条の2第3項」 or 「第十二条の二第三項」.

A 改め文 quotes articles the way the amended text numbers them; texts that write 第十二条 (縦書き,
most national laws and older 例規) get 漢数字 in the 改め文 and the 新旧対照表 as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_DIGITS = "〇一二三四五六七八九"
_KANJI_CITE = re.compile(r"第[一二三四五六七八九十百千]+[条項号]")
_ARABIC_CITE = re.compile(r"第[0-9０-９]+[条項号]")


def kanji_number(n: int) -> str:
    """12 → 十二, 105 → 百五, 2024 → 二千二十四 (the 法令 style, no 〇 inside)."""
    if n <= 0:
        return str(n)
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out += ("" if q == 1 else _DIGITS[q]) + unit
    return out + (_DIGITS[n] if n else "")


def kanji_label(label: str) -> str:
    """第12条の2第3項第1号 → 第十二条の二第三項第一号 (other characters kept)."""
    return re.sub(r"[0-9０-９]+", lambda m: kanji_number(int(m.group(0))), label)


def uses_kanji(texts: Iterable[str]) -> bool:
    """True when the texts cite articles in 漢数字 more often than in Arabic numerals."""
    k = a = 0
    for t in texts:
        k += len(_KANJI_CITE.findall(t))
        a += len(_ARABIC_CITE.findall(t))
    return k > a
