"""Source layouts that wrap the printed text in markup the segmenter must not see.

One layout today: the Markdown-like 例規 export (open-arch-reiki and similar): 「# 題名」,
「## 第１章　総則」, 「### 第一条」 (the article number alone or with its text), 「#### 2　…」 (a
paragraph), 「##### 一　…」 / 「#####(2)…」 (items), 「###### イ …」 (sub-items); 「---」 rules between blocks; 「- 1 …」 list marks before numbers. Stripping the
heading marks leaves the printed layout, which the segmenter already reads; the numbers
themselves decide the level, never the count of 「#」 (exports are not consistent about it).
"""

from __future__ import annotations

import re
from dataclasses import replace

from analogscan.model import Line
from analogscan.structure.markers import ARABIC_DIGITS, KANSUJI

__all__ = ["is_markdown_layout", "strip_markdown_layout"]

_MARK_RE = re.compile(r"^#{1,6}[ \u3000\t]*")
_NUM_CHARS = ARABIC_DIGITS + KANSUJI
_STRUCTURAL_RE = re.compile(
    rf"^#{{1,6}}[ \u3000\t]*(?:第[{_NUM_CHARS}]|[{_NUM_CHARS}]+[ \u3000]|[(（][{_NUM_CHARS}])"
)
_RULE_RE = re.compile(r"^(?:#+|-{3,}|\*{3,})$")
# a Markdown list mark before a paragraph or item number: 「- 1 この規則は…」「-(1) …」
_LIST_RE = re.compile(r"^[-－][ \u3000]*(?=[0-9０-９(（])")


def is_markdown_layout(lines: list[Line]) -> bool:
    """True when the document uses heading marks for its structure (at least two structural
    lines such as 「### 第一条」 or 「#### 2　…」), so a stray 「#」 in plain text never triggers it."""
    structural = 0
    for ln in lines:
        if _STRUCTURAL_RE.match(ln.text):
            structural += 1
            if structural >= 2:
                break
    return structural >= 2


def strip_markdown_layout(lines: list[Line]) -> list[Line]:
    """The lines without their heading marks (and without lines that were only marks), when the
    document is in the Markdown-like layout; otherwise the lines unchanged."""
    if not is_markdown_layout(lines):
        return lines
    out: list[Line] = []
    for ln in lines:
        text = _MARK_RE.sub("", ln.text, count=1) if ln.text.startswith("#") else ln.text
        text = _LIST_RE.sub("", text.strip(), count=1)
        if text and not _RULE_RE.match(text):
            out.append(replace(ln, text=text))
    return out
