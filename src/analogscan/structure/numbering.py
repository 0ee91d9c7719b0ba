"""Numbers in Japanese legislative text: article branch numbers, item and sub-item markers, and
citation labels (第12条の2第3項第1号イ) in both directions. The markers themselves (漢数字, イロハ,
roman numerals, the の/ノ joiner) are defined in :mod:`analogscan.structure.markers`.

Canonical forms follow e-Gov: article "12_2", paragraph 3, item "1_2", sub-items as written in
a normalised half-width form ("イ", "(1)", "(i)", "a").
"""

from __future__ import annotations

import re
import unicodedata

from analogscan.model import Location
from analogscan.structure.markers import (
    AIUEO,
    IROHA,
    KANJI_NUM_CHARS,
    NO,
    NUM,
    ROMAN_NUMERALS,
    to_int,
)

__all__ = [
    "to_nfkc",
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


def to_nfkc(s: str) -> str:
    """Unicode NFKC: full-width ASCII (digits, latin letters, parentheses) → half-width, half-width
    katakana → full-width, and compatibility characters spelled out (① → 1, ㈱ → (株)), so the
    result may be longer or shorter than ``s``. For a width fold that keeps offsets, see
    ``analogscan.match.width.fold_width_keep_length``."""
    return unicodedata.normalize("NFKC", s)


def parse_branch(s: str) -> str | None:
    """十二の二 / 12の2 / １２ノ２ / 十二の二の三 → "12_2" / "12_2_3"; None when not a number."""
    parts = re.split(NO, s.strip())
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


_ARTICLE_RE = re.compile(rf"^第?({NUM})[条條]((?:{NO}{NUM})*)$")


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
    t = to_nfkc(s.strip())
    m = re.match(rf"^\(({NUM})\)$", t)
    if m:
        n = to_int(m.group(1))
        return None if n is None else str(n)
    m = re.match(rf"^第?({NUM})号?((?:{NO}{NUM})*)$", t)
    if m:
        return parse_branch(m.group(1) + m.group(2))
    return None


def parse_subitem(s: str) -> str | None:
    """イ → "イ"; (1)/(１)/（１） → "(1)"; (i) → "(i)"; ａ/a → "a"; (ア) → "(ア)"."""
    t = to_nfkc(s.strip())
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
        if inner.lower() in ROMAN_NUMERALS:
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
    rf"|(?P<appx>別表(?:第?(?P<appx_n>{NUM}(?:{NO}{NUM})*))?)"
    rf"|(?P<art>第?(?P<art_n>{NUM})[条條](?P<art_b>(?:{NO}{NUM})*))"
    rf"|(?P<para>第?(?P<para_n>{NUM})項)"
    rf"|(?P<item>第?(?P<item_n>{NUM})号(?P<item_b>(?:{NO}{NUM})*))"
    rf"|(?P<sub>\((?:[0-9]+|[ivxIVX]+|[a-zA-Z]|[{IROHA}{AIUEO}]|[{KANJI_NUM_CHARS}]+)\)|[{IROHA}]|[a-z])"
    rf"|(?P<skip>[\s、,・]+)"
)


def parse_citation(s: str) -> Location:
    """Parse what reviewers type and what the gold set uses:
    12条の2第3項, 第十二条の二第三項第一号イ, 附則第2項, 附則附則第1項, 別表第一 ...

    Unparseable tails are ignored; the label is rebuilt canonically."""
    t = to_nfkc(s.strip())
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
