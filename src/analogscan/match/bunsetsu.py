"""bunsetsu: [TERM, TERM, ...]: all terms inside one bunsetsu (文節)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import ALL_COMPONENTS, Condition, KeyPath, Parser, Term
from .window import Span, Window


def parse_terms(values: list[Any], path: KeyPath, parser: Parser) -> list[Term] | None:
    """Every term of a list (each error reported), None if one is wrong."""
    terms = [parser.term(v, path + [i]) for i, v in enumerate(values)]
    out = [t for t in terms if t is not None]
    return out if len(out) == len(terms) else None


def terms_tri(terms: list[Term], w: Window) -> bool | None:
    """For conditions that need every term: False once one is known to be absent."""
    return False if any(t.present(w) is False for t in terms) else None


def terms_trigger_words(terms: list[Term]) -> set[str] | None:
    """The trigger words of the first term that has some (every term must occur)."""
    for t in terms:
        words = t.trigger_words()
        if words:
            return words
    return None


class AllTermsMixin:
    """Three-valued evaluation and trigger words for a condition whose every term must occur
    (bunsetsu, near): shared, so the two kinds cannot drift apart."""

    terms: list[Term]

    def tri_unknown(self, w: Window) -> bool | None:
        return terms_tri(self.terms, w)

    def neural_wanted(self, w: Window) -> bool:
        return terms_tri(self.terms, w) is None

    def trigger_words(self) -> set[str] | None:
        return terms_trigger_words(self.terms)


@dataclass
class BunsetsuCond(AllTermsMixin, Condition):
    key: ClassVar[str] = "bunsetsu"
    SCHEMA: ClassVar[dict[str, Any]] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/term"}}

    terms: list[Term]

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        p = path + [cls.key]
        if not isinstance(value, list) or len(value) < 1:
            parser.err(p, "bunsetsu には語の一覧を指定してください")
            return None
        terms = parse_terms(value, p, parser)
        return cls(terms) if terms is not None else None

    def needs(self) -> set[str]:
        return {ALL_COMPONENTS}

    def eval(self, w: Window) -> list[Span] | None:
        for bs, be in w.bunsetsu():
            sub = w.sub(bs, be)
            hits: list[Span] = []
            for t in self.terms:
                sp = t.spans(sub)
                if not sp:
                    break
                hits.extend(sp)
            else:
                return sorted(set(hits))
        return None
