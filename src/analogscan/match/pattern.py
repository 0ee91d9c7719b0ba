"""pattern: a spaCy Matcher token pattern (a list of token dicts, or a list of such lists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .base import ALL_COMPONENTS, Condition, KeyPath, Parser
from .safe_regex import check_pattern
from .window import Span, Window


@dataclass
class PatternCond(Condition):
    key: ClassVar[str] = "pattern"
    SCHEMA: ClassVar[dict[str, Any]] = {"type": "array", "minItems": 1}

    patterns: list[list[dict[str, Any]]]
    _matcher: Any = field(default=None, repr=False)

    @classmethod
    def from_yaml(cls, value: Any, path: KeyPath, parser: Parser) -> Condition | None:
        p = path + [cls.key]
        pats = (
            value
            if isinstance(value, list) and value and all(isinstance(x, list) for x in value)
            else [value]
        )
        ok = True
        for i, pat in enumerate(pats):
            if not isinstance(pat, list) or not pat or not all(isinstance(tok, dict) for tok in pat):
                parser.err(p + [i], "pattern はトークン条件（対応付け）の一覧にしてください")
                ok = False
                continue
            for problem in _problems(pat):
                parser.err(p + [i], problem)
                ok = False
        return cls([list(x) for x in pats]) if ok else None

    def needs(self) -> set[str]:
        return {ALL_COMPONENTS}

    def eval(self, w: Window) -> list[Span] | None:
        if w.parsed is None:
            raise RuntimeError("pattern needs GiNZA")
        if self._matcher is None:
            from spacy.matcher import Matcher

            from ..nlp import get_nlp

            m = Matcher(get_nlp().vocab)
            m.add("P", self.patterns)
            self._matcher = m
        out: list[Span] = []
        for off, doc in w.docs():  # only the Docs a match inside the window can come from
            for _, s, e in self._matcher(doc):
                span = doc[s:e]
                a, b = off + span.start_char, off + span.end_char
                if a >= w.start and b <= w.end:
                    out.append((a, b))
        return sorted(set(out)) or None


def _problems(pat: list[dict[str, Any]]) -> list[str]:
    """What is wrong with one token pattern (spaCy's check, then the regex guard)."""
    from spacy.schemas import validate_token_pattern

    out = [f"spaCy のトークンパターンとして不正です: {prob}" for prob in validate_token_pattern(pat)]
    for rx in _pattern_regexes(pat):  # {"TEXT": {"REGEX": ...}}: the same guard as regex
        problem = check_pattern(rx)
        if problem:
            out.append(problem)
    return out


def _pattern_regexes(data: Any) -> list[str]:
    """Every REGEX value inside a spaCy token pattern."""
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "REGEX" and isinstance(v, str):
                out.append(v)
            else:
                out.extend(_pattern_regexes(v))
    elif isinstance(data, list):
        for v in data:
            out.extend(_pattern_regexes(v))
    return out
