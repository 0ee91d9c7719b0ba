"""The closed set of condition kinds: YAML key → class, and the parser that dispatches on it.

Adding a kind: a module with its class (see base.Condition), an entry here, its value schema in
schema/rules.schema.json ($defs.condition.properties; tests/test_match_registry.py checks that the
two agree), a section in docs/rules-guide.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Condition, ErrorSink, KeyPath, Term
from .bunsetsu import BunsetsuCond
from .dep import DepCond
from .lemma import LemmaTerm
from .lexicon import LexiconTerm
from .logic import AllCond, AnyCond, NotCond
from .near import NearCond
from .norm import NormTerm
from .pattern import PatternCond
from .regex import RegexTerm
from .term import CONTEXT_HINTS, CONTEXT_KEYS, TermCond, parse_term, unknown_term_key
from .text import TextTerm

# a registered kind: the class behind one YAML key (key, SCHEMA, from_yaml)
ConditionKind = type[Term] | type[Condition]

# the word-level kinds: allowed as a condition and as a TERM inside dep / bunsetsu / near
TERMS: dict[str, type[Term]] = {t.key: t for t in (TextTerm, RegexTerm, LemmaTerm, NormTerm, LexiconTerm)}
CONDITIONS: dict[str, ConditionKind] = {
    **TERMS,
    **{c.key: c for c in (PatternCond, DepCond, BunsetsuCond, NearCond, AllCond, AnyCond, NotCond)},
}
# listed in error messages, in this order (lexicon last: it was added last)
CONDITION_KINDS = tuple(k for k in CONDITIONS if k != LexiconTerm.key) + (LexiconTerm.key,)
TERM_KINDS = tuple(TERMS)


class RuleParser:
    """Parses conditions and terms, reporting every problem through ``err`` (key path, Japanese
    message); ``lexicons`` are the word lists ``{lexicon: 名前}`` refers to."""

    def __init__(self, err: ErrorSink, lexicons: Mapping[str, list[str]] | None = None) -> None:
        self.err = err
        self._lexicons = lexicons or {}

    def lexicon(self, name: str) -> list[str] | None:
        return self._lexicons.get(name)

    def lexicon_names(self) -> list[str]:
        return list(self._lexicons)

    def term(self, data: Any, path: KeyPath) -> Term | None:
        self._lexicon_with_text(data, path)
        return parse_term(data, path, self, TERMS)

    def _lexicon_with_text(self, data: Any, path: KeyPath) -> None:
        if isinstance(data, dict) and LexiconTerm.key in data and TextTerm.key in data:
            self.err(
                path + [LexiconTerm.key],
                "lexicon と text は同じ語に並べて書けません（どちらか一方にしてください）",
            )

    def term_condition(self, data: Any, path: KeyPath) -> Condition | None:
        t = self.term(data, path)
        return TermCond(t) if t else None

    def condition(self, data: Any, path: KeyPath) -> Condition | None:
        if isinstance(data, dict) and any(k in CONTEXT_KEYS or k in CONTEXT_HINTS for k in data):
            return self._term_with_context(data, path)
        if not isinstance(data, dict) or len(data) != 1:
            self._lexicon_with_text(data, path)
            self.err(
                path,
                "条件は「種類: 値」をちょうど1つ持つ対応付けにしてください（種類: "
                + ", ".join(CONDITION_KINDS)
                + "）",
            )
            return None
        ((kind, value),) = data.items()
        cls = CONDITIONS.get(kind)
        if cls is None:
            self.err(
                path + [kind],
                f"未知の条件の種類「{kind}」です。使えるのは " + ", ".join(CONDITION_KINDS) + " です",
            )
            return None
        return cls.from_yaml(value, path, self)

    def _term_with_context(self, data: dict[str, Any], path: KeyPath) -> Condition | None:
        """A term condition with context filters: {text: ごとに, not_preceded_by: [期間]}."""
        kinds = [k for k in data if k in TERMS]
        others = [k for k in data if k not in TERMS and k not in CONTEXT_KEYS]
        if not kinds:
            self.err(
                path,
                "not_preceded_by / not_followed_by は text / regex / lemma / norm の条件にだけ付けられます",
            )
            return None
        for k in others:
            if k in CONTEXT_HINTS:
                self.err(path + [k], unknown_term_key(k, ""))
            else:
                self.err(
                    path + [k],
                    f"未知のキー「{k}」です。条件「{kinds[0]}」に並べて書けるのは not_preceded_by, not_followed_by だけです",
                )
        if others:
            return None
        return self.term_condition(data, path)


def parse_condition(
    data: Any, path: KeyPath, err: ErrorSink, lexicons: Mapping[str, list[str]] | None = None
) -> Condition | None:
    """The condition of a YAML value, or None after reporting its problems through ``err``."""
    return RuleParser(err, lexicons).condition(data, path)


def condition_schema_properties() -> dict[str, Any]:
    """$defs.condition.properties of rules.schema.json as the registered kinds describe it."""
    out: dict[str, Any] = {k: {"$ref": "#/$defs/strings"} for k in CONTEXT_KEYS}
    out.update({k: dict(c.SCHEMA) for k, c in CONDITIONS.items()})
    return out
