"""Numbers in Japanese legislative text: kanji / full-width numerals, article branch numbers,
item and sub-item markers, and citation labels (第12条の2第3項第1号イ) in both directions.

Canonical forms follow e-Gov: article "12_2", paragraph 3, item "1_2", sub-items as written in
a normalised half-width form ("イ", "(1)", "(i)", "a").
"""

from __future__ import annotations

import re
import unicodedata

from analogscan.model import Location

__all__ = [
    "IROHA",
    "AIUEO",
    "KANJI_NUM_CHARS",
    "GLUED_MARKER",
    "normalize_width",
    "kanji_to_int",
    "to_int",
    "int_to_kanji",
    "parse_branch",
    "parse_article",
    "parse_paragraph",
    "parse_item",
    "parse_subitem",
    "branch_to_label",
    "citation_label",
    "parse_citation",
    "citation_key",
    "article_sort_key",
]

IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス"
AIUEO = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
# a sub-item marker that may stand glued inside a line (old e-Gov export: 「…こと。ロ　…」):
# a kana, or a bracketed number, roman numeral or kana; in text a space follows it
GLUED_MARKER = rf"(?:[{IROHA}{AIUEO}]|[(（](?:[0-9０-９]+|[ivxｉｖｘ]+|[{IROHA}{AIUEO}])[)）])"

_DIGITS: dict[str, int] = {
    "〇": 0, "零": 0, "一": 1, "壱": 1, "壹": 1, "二": 2, "弐": 2, "貳": 2, "三": 3, "参": 3,
    "參": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "千": 1000}
_BIG: dict[str, int] = {"万": 10_000, "萬": 10_000}
KANJI_NUM_CHARS = "".join(_DIGITS) + "".join(_UNITS) + "".join(_BIG)

# a number as written: arabic (any width) or kanji
NUM = rf"(?:[0-9０-９]+|[{KANJI_NUM_CHARS}]+)"
_NO = r"[のノ之]"
_ROMAN = {
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
    "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
    "xix": 19, "xx": 20,
}  # fmt: skip


def normalize_width(s: str) -> str:
    """Full-width ASCII (digits, latin letters, parentheses) → half-width; half-width katakana →
    full-width. Kanji and kana otherwise unchanged."""
    return unicodedata.normalize("NFKC", s)


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
    t = normalize_width(s)
    if t.isascii() and t.isdigit():
        return int(t)
    return kanji_to_int(s)


def int_to_kanji(n: int) -> str:
    """213 → 二百十三 (the way statutes write article numbers)."""
    if n == 0:
        return "〇"
    digits = "〇一二三四五六七八九"
    out = ""
    if n >= 10_000:
        out += int_to_kanji(n // 10_000) + "万"
        n %= 10_000
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            out += ("" if q == 1 else digits[q]) + ch
    if n:
        out += digits[n]
    return out


def parse_branch(s: str) -> str | None:
    """十二の二 / 12の2 / １２ノ２ / 十二の二の三 → "12_2" / "12_2_3"; None when not a number."""
    parts = re.split(_NO, s.strip())
    nums: list[str] = []
    for p in parts:
        n = to_int(p)
        if n is None:
            return None
        nums.append(str(n))
    return "_".join(nums) if nums else None


def branch_to_label(num: str) -> str:
    """ "12_2_3" → "12の2の3"."""
    return "の".join(num.split("_"))


def _numbered(prefix: str, num: str, suffix: str) -> str:
    """("第", "12_2", "条") → 第12条の2."""
    head, *rest = num.split("_")
    return f"{prefix}{head}{suffix}" + "".join(f"の{r}" for r in rest)


_ARTICLE_RE = re.compile(rf"^第?({NUM})[条條]((?:{_NO}{NUM})*)$")


def parse_article(s: str) -> str | None:
    """第十二条の二 / 第12条の2 / 第１２条の２ / 第十二條ノ二 / 12条の2 → "12_2"."""
    m = _ARTICLE_RE.match(s.strip())
    if not m:
        return None
    return parse_branch(m.group(1) + m.group(2))


def parse_paragraph(s: str) -> int | None:
    """２ / 2 / 第二項 / ○２ → 2."""
    t = s.strip().lstrip("○")
    m = re.match(rf"^第?({NUM})項?$", t)
    return to_int(m.group(1)) if m else None


def parse_item(s: str) -> str | None:
    """一 / (1) / （１） / 1 / 一の二 / 第一号の二 → "1" / "1_2"."""
    t = normalize_width(s.strip())
    m = re.match(rf"^\(({NUM})\)$", t)
    if m:
        n = to_int(m.group(1))
        return None if n is None else str(n)
    m = re.match(rf"^第?({NUM})号?((?:{_NO}{NUM})*)$", t)
    if m:
        return parse_branch(m.group(1) + m.group(2))
    return None


def parse_subitem(s: str) -> str | None:
    """イ → "イ"; (1)/(１)/（１） → "(1)"; (i) → "(i)"; ａ/a → "a"; (ア) → "(ア)"."""
    t = normalize_width(s.strip())
    if len(t) == 1 and (t in IROHA or t in AIUEO):
        return t
    if len(t) == 1 and t.isascii() and t.isalpha():
        return t.lower()
    m = re.match(r"^\((.+)\)$", t)
    if m:
        inner = m.group(1)
        n = to_int(inner)
        if n is not None:
            return f"({n})"
        if inner.lower() in _ROMAN:
            return f"({inner.lower()})"
        if len(inner) == 1 and (inner in IROHA or inner in AIUEO):
            return f"({inner})"
        if len(inner) == 1 and inner.isascii() and inner.isalpha():
            return f"({inner.lower()})"
    return None


def citation_label(loc: Location, *, single_paragraph: bool) -> str:
    """The label staff write: 第12条の2第3項第1号イ, 附則第2項, 別表第1.

    第1項 is written only when the article (or the article-less 附則) has more than one
    paragraph (single_paragraph False)."""
    out = ""
    if loc.part == "suppl":
        out += "附則"
    elif loc.part == "appendix":
        out += loc.appendix or "別表"
    if loc.article:
        out += _numbered("第", loc.article, "条")
    if loc.paragraph is not None and (loc.paragraph != 1 or not single_paragraph):
        out += f"第{loc.paragraph}項"
    if loc.item:
        out += _numbered("第", loc.item, "号")
    out += "".join(loc.subitems)
    if not out and loc.part == "main" and loc.paragraph is None and loc.article is None:
        out = "前文"
    return out


_CIT_TOKEN = re.compile(
    rf"(?P<suppl>附\s*則)"
    rf"|(?P<appx>別表(?:第?(?P<appx_n>{NUM}(?:{_NO}{NUM})*))?)"
    rf"|(?P<art>第?(?P<art_n>{NUM})[条條](?P<art_b>(?:{_NO}{NUM})*))"
    rf"|(?P<para>第?(?P<para_n>{NUM})項)"
    rf"|(?P<item>第?(?P<item_n>{NUM})号(?P<item_b>(?:{_NO}{NUM})*))"
    rf"|(?P<sub>\((?:[0-9]+|[ivxIVX]+|[a-zA-Z]|[{IROHA}{AIUEO}]|[{KANJI_NUM_CHARS}]+)\)|[{IROHA}]|[a-z])"
    rf"|(?P<skip>[\s、,・]+)"
)


def parse_citation(s: str) -> Location:
    """Parse what reviewers type and what the gold set uses:
    12条の2第3項, 第十二条の二第三項第一号イ, 附則第2項, 附則附則第1項, 別表第一 ...

    Unparseable tails are ignored; the label is rebuilt canonically."""
    t = normalize_width(s.strip())
    t = t.replace("（", "(").replace("）", ")")
    loc = Location()
    pos = 0
    while pos < len(t):
        m = _CIT_TOKEN.match(t, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("suppl"):
            loc.part = "suppl"
        elif m.group("appx"):
            loc.part = "appendix"
            n = m.group("appx_n")
            b = parse_branch(n) if n else None
            loc.appendix = f"別表第{branch_to_label(b)}" if b else "別表"
        elif m.group("art"):
            loc.article = parse_branch(m.group("art_n") + m.group("art_b"))
        elif m.group("para"):
            loc.paragraph = to_int(m.group("para_n"))
        elif m.group("item"):
            loc.item = parse_branch(m.group("item_n") + m.group("item_b"))
        elif m.group("sub"):
            sub = parse_subitem(m.group("sub"))
            if sub:
                loc.subitems.append(sub)
    if loc.part == "suppl":
        loc.suppl_index = None
    loc.label = citation_label(loc, single_paragraph=False)
    return loc


def citation_key(loc: Location) -> tuple[str, str, str, int, str, tuple[str, ...]]:
    """Comparison key: paragraph None ≡ 1; ignores which 附則 block."""
    return (
        loc.part,
        loc.appendix or "",
        loc.article or "",
        loc.paragraph if loc.paragraph is not None else 1,
        loc.item or "",
        tuple(loc.subitems),
    )


def article_sort_key(num: str | None) -> tuple[int, ...]:
    """ "12_2" → (12, 2) for order comparisons."""
    if not num:
        return ()
    out: list[int] = []
    for p in num.split("_"):
        out.append(int(p) if p.isdigit() else 0)
    return tuple(out)
