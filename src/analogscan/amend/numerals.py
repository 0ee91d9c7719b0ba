"""Citation numbers in the style of the 例規: 「第12条の2第3項」 or 「第十二条の二第三項」.

A 改め文 quotes articles the way the amended text numbers them; texts that write 第十二条 (縦書き,
most national laws and older 例規) get 漢数字 in the 改め文 and the 新旧対照表 as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analogscan.structure.markers import ARABIC_DIGITS, KANSUJI, int_to_kanji

_KANJI_CITE = re.compile(rf"第[{KANSUJI}]+[条項号]")
_ARABIC_CITE = re.compile(rf"第[{ARABIC_DIGITS}]+[条項号]")


def kanji_number(n: int) -> str:
    """12 → 十二, 105 → 百五, 2024 → 二千二十四 (the 法令 style, no 〇 inside)."""
    return int_to_kanji(n) if n > 0 else str(n)


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
