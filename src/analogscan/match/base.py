"""What every condition kind builds on: Condition (the base of every kind), Term (the base of the
word-level kinds text / regex / lemma / norm / lexicon) and Parser (what a kind's parsing may ask of
the rule-file parser, match.registry.RuleParser).

A kind is a class with
- ``key``: its YAML key (the registry, match.registry, maps keys to classes);
- ``SCHEMA``: the JSON Schema of its value (tests check rules.schema.json against it);
- ``from_yaml(value, path, parser)``: the condition, or None after reporting through ``parser.err``
  (Japanese, with the key path; the loader adds file and line);
- ``eval(w)``: the spans that make it true on a Window, or None;
- ``needs()``: what it needs from GiNZA (TOKENS, POS, DEP, ALL_COMPONENTS; empty: nothing);
- ``tri_unknown(w)`` / ``neural_wanted(w)``: its part of the three-valued planning evaluation;
- ``trigger_words()``: words one of which occurs (width-folded) wherever it holds, or None.
A word-level kind is a Term subclass with ``find(w)`` (its occurrences) and, if it checks or
transforms its values, ``build``; match.term.TermCond makes a condition of it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from .width import fold_width_keep_length
from .window import Span, Window

ErrorSink = Callable[[list[str | int], str], None]
KeyPath = list[str | int]
STRINGS_SCHEMA: dict[str, Any] = {"$ref": "#/$defs/strings"}

# what a condition needs from GiNZA
TOKENS = "tokens"  # the tokenizer (lemma, norm)
POS = "pos"  # + morphologizer
DEP = "dep"  # + parser and bunsetu_recognizer
ALL_COMPONENTS = "all"  # the whole pipeline but NER (bunsetsu, pattern)


class Parser(Protocol):
    """What a kind's from_yaml may use: the error sink and the parsers of nested parts."""

    err: ErrorSink

    def condition(self, data: Any, path: KeyPath) -> Condition | None: ...

    def term(self, data: Any, path: KeyPath) -> Term | None: ...

    def term_condition(self, data: Any, path: KeyPath) -> Condition | None:
        """The condition made of one term (match.term.TermCond)."""
        ...

    def lexicon(self, name: str) -> list[str] | None: ...

    def lexicon_names(self) -> list[str]: ...


def as_list(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list) else [v]


def strict_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class Condition:
    """Base of every condition kind (see the module docstring)."""

    key: ClassVar[str] = ""
    SCHEMA: ClassVar[dict[str, Any]] = {}

    @property
    def kind(self) -> str:
        return self.key

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        raise NotImplementedError

    def eval(self, w: Window) -> list[Span] | None:
        raise NotImplementedError

    def needs(self) -> set[str]:
        return set()

    def needs_nlp(self) -> bool:
        return bool(self.needs())

    def neural(self) -> bool:
        """Does it read anything beyond the tokenizer (pos, dependencies, bunsetsu)?"""
        return bool(self.needs() - {TOKENS})

    def tri_eval(self, w: Window) -> bool | None:
        """Three-valued evaluation: True / False when what is known decides whether
        ``eval(w)`` is None, None when more analysis is needed. Without tokens (w.parsed None)
        only text/regex are known; with tokenizer output lemma/norm are known too."""
        needs = self.needs()
        if not needs or (w.parsed is not None and needs <= {TOKENS}):
            return self.eval(w) is not None
        return self.tri_unknown(w)

    def tri_unknown(self, w: Window) -> bool | None:
        """tri_eval when eval itself cannot be run yet: False if it is already sure to fail."""
        return None

    def neural_needed(self, w: Window) -> bool:
        """Could evaluating it on a tokenised window read pos/dep/bunsetsu in a way that
        changes its result or its spans? (Used for `match`, whose spans become the finding.)"""
        return self.neural() and self.neural_wanted(w)

    def neural_wanted(self, w: Window) -> bool:
        """neural_needed for a condition that does read pos/dep/bunsetsu."""
        return True

    def trigger_words(self) -> set[str] | None:
        """Words one of which occurs in any window where the condition holds (None: unknown)."""
        return None

    def describe(self) -> str:
        return self.kind


@dataclass
class Term:
    """One term; a subclass per kind finds its occurrences (find), the filters are shared."""

    key: ClassVar[str] = ""
    SCHEMA: ClassVar[dict[str, Any]] = STRINGS_SCHEMA
    NEEDS: ClassVar[frozenset[str]] = frozenset()  # what find() needs from GiNZA

    values: list[str]
    pos: list[str] | None = None
    not_preceded_by: list[str] = field(default_factory=list)
    not_followed_by: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.key

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        """The condition ``{key: value}``."""
        return parser.term_condition({cls.key: value}, path)

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
        """The term from checked values (errors at ``where`` [+ index when ``indexed``])."""
        return cls(values, pos, context.get("not_preceded_by", []), context.get("not_followed_by", []))

    def find(self, w: Window) -> list[Span]:
        """Occurrences in the window, before the context and pos filters."""
        raise NotImplementedError

    def needs(self) -> set[str]:
        out = set(self.NEEDS)
        if self.pos is not None:
            out |= {TOKENS, POS}
        return out

    def needs_nlp(self) -> bool:
        return bool(self.needs())

    def present(self, w: Window) -> bool | None:
        """Does the term occur in the window? None = cannot tell yet.

        text/regex are always known; lemma/norm are known once the window's sentences are
        tokenised (w.parsed set); a pos filter is only known after the morphologizer.
        """
        if TOKENS in self.NEEDS and w.parsed is None:
            return None
        if self.pos is None:
            return bool(self.spans(w))
        return None if self.without_pos().spans(w) else False

    def trigger_words(self) -> set[str] | None:
        return None

    def without_pos(self) -> Term:
        """The same term without its pos filter (context filters kept; compiled state shared)."""
        t = copy.copy(self)
        t.pos = None
        return t

    def _context_ok(self, w: Window, sp: Span) -> bool:
        """False when the occurrence is right after a not_preceded_by string or right before a
        not_followed_by string. The context is the whole text the window belongs to (so a term
        at the start of a bunsetsu or sentence still sees what precedes it)."""
        for v in self.not_preceded_by:
            nv = fold_width_keep_length(v)
            if sp[0] >= len(nv) and w.text[sp[0] - len(nv) : sp[0]] == nv:
                return False
        for v in self.not_followed_by:
            nv = fold_width_keep_length(v)
            if w.text[sp[1] : sp[1] + len(nv)] == nv:
                return False
        return True

    def describe(self) -> str:
        out = f"{self.kind}: {'/'.join(self.values)}"
        if self.not_preceded_by:
            out += f"（直前が {'/'.join(self.not_preceded_by)} のものを除く）"
        if self.not_followed_by:
            out += f"（直後が {'/'.join(self.not_followed_by)} のものを除く）"
        return out

    def spans(self, w: Window) -> list[Span]:
        out = self.find(w)
        if (self.not_preceded_by or self.not_followed_by) and out:
            out = [sp for sp in out if self._context_ok(w, sp)]
        if self.pos is not None and out:
            out = [sp for sp in out if self._pos_ok(w, sp)]
        return sorted(set(out))

    def _pos_ok(self, w: Window, sp: Span) -> bool:
        inside = w.tokens_overlapping(sp[0], sp[1])
        return bool(inside) and inside[-1][2].pos_ in (self.pos or [])

    def tokens(self, w: Window) -> list[Any]:
        """Tokens covered by a match of this term (the head, i.e. last, token of each match)."""
        spans = self.spans(w)
        if not spans:
            return []
        out: list[Any] = []
        for sp in spans:
            out.extend(t for _, _, t in w.tokens_overlapping(sp[0], sp[1]))
        return out
