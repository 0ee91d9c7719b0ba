"""text: substring(s) of the text (full-width letters/digits match half-width ones)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import Term
from .width import fold_width_keep_length
from .window import Span, Window


@dataclass
class TextTerm(Term):
    key: ClassVar[str] = "text"

    def find(self, w: Window) -> list[Span]:
        out: list[Span] = []
        seg = w.segment
        for v in self.values:
            nv = fold_width_keep_length(v)
            i = seg.find(nv)
            while i >= 0:
                out.append((w.start + i, w.start + i + len(nv)))
                i = seg.find(nv, i + 1)
        return out

    def trigger_words(self) -> set[str] | None:
        return {fold_width_keep_length(v) for v in self.values}
