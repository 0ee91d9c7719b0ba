"""regex: Python regular expression(s) (re syntax; guarded against runaway backtracking, see safe_regex)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .base import KeyPath, Parser, Term
from .safe_regex import SafeRegex, check_pattern
from .window import Span, Window


@dataclass
class RegexTerm(Term):
    key: ClassVar[str] = "regex"
    _regexes: list[SafeRegex] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self._regexes:
            self._regexes = [SafeRegex(v) for v in self.values]

    @classmethod
    def build(
        cls,
        values: list[str],
        pos: list[str] | None,
        context: dict[str, list[str]],
        where: KeyPath,
        indexed: bool,
        parser: Parser,
    ) -> Term | None:
        for i, v in enumerate(values):
            problem = check_pattern(v)
            if problem:
                parser.err(where + ([i] if indexed else []), problem)
                return None
        return super().build(values, pos, context, where, indexed, parser)

    def find(self, w: Window) -> list[Span]:
        out: list[Span] = []
        seg = w.segment
        context = bool(self.not_preceded_by or self.not_followed_by)
        for rx in self._regexes:
            if not context:
                for m in rx.finditer(seg):
                    if m.end() > m.start():
                        out.append((w.start + m.start(), w.start + m.end()))
                continue
            # like finditer, but a match dropped by the context filters is retried one
            # character later (so it cannot hide a later occurrence, as a lookbehind would not)
            pos = 0
            while pos <= len(seg):
                found = rx.search(seg, pos)
                if found is None:
                    break
                sp = (w.start + found.start(), w.start + found.end())
                if found.end() > found.start() and self._context_ok(w, sp):
                    out.append(sp)
                    pos = found.end()
                else:
                    pos = found.start() + 1
        return out
