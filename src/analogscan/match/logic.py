"""all / any: [COND, ...], not: COND — conditions combined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Condition, KeyPath, Parser
from .window import Span, Window

_LIST_SCHEMA: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}


@dataclass
class _Group(Condition):
    children: list[Condition]

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        p = path + [cls.key]
        if not isinstance(value, list) or not value:
            parser.err(p, f"{cls.key} には条件の一覧（1つ以上）を指定してください")
            return None
        kids = [parser.condition(v, p + [i]) for i, v in enumerate(value)]
        good = [k for k in kids if k is not None]
        return cls(good) if len(good) == len(kids) else None

    def needs(self) -> set[str]:
        out: set[str] = set()
        for k in self.children:
            out |= k.needs()
        return out


@dataclass
class AllCond(_Group):
    key: ClassVar[str] = "all"
    SCHEMA: ClassVar[dict[str, Any]] = _LIST_SCHEMA

    def eval(self, w: Window) -> list[Span] | None:
        out: list[Span] = []
        for c in self.children:
            r = c.eval(w)
            if r is None:
                return None
            out.extend(r)
        return out

    def tri_unknown(self, w: Window) -> bool | None:
        vals = [k.tri_eval(w) for k in self.children]
        if any(v is False for v in vals):
            return False
        return True if all(v is True for v in vals) else None

    def neural_wanted(self, w: Window) -> bool:
        if self.tri_eval(w) is False:
            return False
        return any(k.neural_needed(w) for k in self.children)

    def trigger_words(self) -> set[str] | None:
        """Every child must hold: the smallest set a child has."""
        sets = [s for s in (k.trigger_words() for k in self.children) if s]
        return min(sets, key=len) if sets else None


@dataclass
class AnyCond(_Group):
    key: ClassVar[str] = "any"
    SCHEMA: ClassVar[dict[str, Any]] = _LIST_SCHEMA

    def eval(self, w: Window) -> list[Span] | None:
        out: list[Span] | None = None
        for c in self.children:
            r = c.eval(w)
            if r is not None:
                out = (out or []) + r
        return out

    def tri_unknown(self, w: Window) -> bool | None:
        vals = [k.tri_eval(w) for k in self.children]
        if any(v is True for v in vals):
            return True
        return False if all(v is False for v in vals) else None

    def neural_wanted(self, w: Window) -> bool:
        return any(k.neural_needed(w) for k in self.children)

    def trigger_words(self) -> set[str] | None:
        """One child must hold: the union, if every child has trigger words."""
        out: set[str] = set()
        for k in self.children:
            words = k.trigger_words()
            if not words:
                return None
            out |= words
        return out


@dataclass
class NotCond(Condition):
    key: ClassVar[str] = "not"
    SCHEMA: ClassVar[dict[str, Any]] = {"$ref": "#/$defs/condition"}

    child: Condition

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        c = parser.condition(value, path + [cls.key])
        return cls(c) if c else None

    def needs(self) -> set[str]:
        return self.child.needs()

    def eval(self, w: Window) -> list[Span] | None:
        return [] if self.child.eval(w) is None else None

    def tri_unknown(self, w: Window) -> bool | None:
        v = self.child.tri_eval(w)
        return None if v is None else not v

    def neural_wanted(self, w: Window) -> bool:
        return self.child.tri_eval(w) is None


@dataclass
class WholeText(Condition):
    """Holds on any window with text: the condition of a rule without `match` (or an exclusion without `when`)
    whose `lead_in` decides alone — every item under such a lead-in, whatever its own wording. Not a YAML kind:
    the loader puts it where the key is left out. Its span is the whole window (the item's text)."""

    def eval(self, w: Window) -> list[Span] | None:
        return [(w.start, w.end)] if w.end > w.start else None

    def describe(self) -> str:
        return "本文全体"
