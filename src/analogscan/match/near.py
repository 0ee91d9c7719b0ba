"""near: {terms: [TERM, TERM, ...], within: 20, ordered: false}: terms within N characters."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Condition, KeyPath, Parser, Term, strict_int
from .bunsetsu import AllTermsMixin, parse_terms
from .window import Span, Window


@dataclass
class NearCond(AllTermsMixin, Condition):
    key: ClassVar[str] = "near"
    SCHEMA: ClassVar[dict[str, Any]] = {
        "type": "object",
        "required": ["terms"],
        "additionalProperties": False,
        "properties": {
            "terms": {"type": "array", "minItems": 2, "items": {"$ref": "#/$defs/term"}},
            "within": {"type": "integer", "minimum": 0},
            "ordered": {"type": "boolean"},
        },
    }

    terms: list[Term]
    within: int = 20
    ordered: bool = False

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        p = path + [cls.key]
        err = parser.err
        if not isinstance(value, dict) or "terms" not in value:
            err(p, "near には terms（語の一覧）と within（文字数）を指定してください")
            return None
        for k in value:
            if k not in ("terms", "within", "ordered"):
                err(p + [k], f"未知のキー「{k}」です。near に使えるのは terms, within, ordered です")
        raw_terms = value["terms"]
        if not isinstance(raw_terms, list) or len(raw_terms) < 2:
            err(p + ["terms"], "near の terms には2つ以上の語を指定してください")
            return None
        terms = parse_terms(raw_terms, p + ["terms"], parser)
        within = value.get("within", 20)
        if not strict_int(within) or within < 0:
            err(p + ["within"], "within は0以上の整数（文字数）にしてください")
            return None
        ordered = value.get("ordered", False)
        if not isinstance(ordered, bool):
            err(p + ["ordered"], "ordered は true か false にしてください")
            return None
        return cls(terms, within, ordered) if terms is not None else None

    def needs(self) -> set[str]:
        out: set[str] = set()
        for t in self.terms:
            out |= t.needs()
        return out

    def eval(self, w: Window) -> list[Span] | None:
        all_spans = [t.spans(w) for t in self.terms]
        if any(not s for s in all_spans):
            return None
        for a in all_spans[0]:
            chosen = [a]
            prev = a
            for spans in all_spans[1:]:
                best = self._first_near(w, spans, a, prev)
                if best is None:
                    break
                chosen.append(best)
                prev = best
            else:
                return sorted(set(chosen))
        return None

    def _first_near(self, w: Window, spans: list[Span], a: Span, prev: Span) -> Span | None:
        """The first span (in sorted order) near enough: after ``prev`` by at most ``within``
        characters (ordered), or at most ``within`` characters from ``a`` either side. Characters
        inside parentheticals （…） between the two do not count (Window.gap)."""
        if self.ordered:
            # the gap only grows with the start, so the first span after ``prev`` is the nearest
            i = bisect_left(spans, (prev[1],))
            if i < len(spans) and w.gap(prev[1], spans[i][0]) <= self.within:
                return spans[i]
            return None
        for b in spans:
            if b[0] >= a[1]:
                d = w.gap(a[1], b[0])
            elif a[0] >= b[1]:
                d = w.gap(b[1], a[0])
            else:
                d = 0
            if d <= self.within:
                return b
        return None
