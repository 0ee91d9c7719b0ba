"""TermCond, the condition made of one term, and the parsing of a TERM. The word-level kinds
(text, regex, lemma, norm, lexicon) are one module each, on base.Term.

A TERM is a string (= text) or a mapping with one of the term keys and an optional pos
(e.g. NOUN, VERB or a list), not_preceded_by and not_followed_by (strings: an occurrence of the
term is ignored when the text right before it ends with / right after it starts with one of
them, e.g. {text: ごとに, not_preceded_by: [期間, 年]}). The two context keys are also allowed
on a plain term condition ({text: ごとに, not_preceded_by: [期間]}).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .base import Condition, ErrorSink, KeyPath, Parser, Term, as_list
from .safe_regex import MAX_PATTERN_CHARS
from .window import Span, Window

MAX_TERM_CHARS = MAX_PATTERN_CHARS  # one text / regex / lemma / norm value
CONTEXT_KEYS = ("not_preceded_by", "not_followed_by")
# keys people are likely to write for the context filters, and what to write instead
CONTEXT_HINTS = {
    "not_before": "not_preceded_by（直前が…のときは除く）か not_followed_by（直後が…のときは除く）",
    "not_after": "not_preceded_by（直前が…のときは除く）か not_followed_by（直後が…のときは除く）",
    "not_preceded": "not_preceded_by",
    "not_followed": "not_followed_by",
    "preceded_by": "not_preceded_by",
    "followed_by": "not_followed_by",
}


@dataclass
class TermCond(Condition):
    """A condition that is one term (text / regex / lemma / norm / lexicon)."""

    term: Term

    @property
    def kind(self) -> str:
        return self.term.kind

    def eval(self, w: Window) -> list[Span] | None:
        sp = self.term.spans(w)
        return sp or None

    def needs(self) -> set[str]:
        return self.term.needs()

    def tri_unknown(self, w: Window) -> bool | None:
        return False if self.term.present(w) is False else None

    def neural_wanted(self, w: Window) -> bool:
        return self.term.present(w) is not False

    def trigger_words(self) -> set[str] | None:
        return self.term.trigger_words()

    def describe(self) -> str:
        return self.term.describe()


def unknown_term_key(key: str, allowed: str) -> str:
    hint = CONTEXT_HINTS.get(key)
    if hint:
        return f"未知のキー「{key}」です。{hint} と書いてください"
    return f"未知のキー「{key}」です。{allowed}"


def parse_term(data: Any, path: KeyPath, parser: Parser, kinds: Mapping[str, type[Term]]) -> Term | None:
    """A TERM (see the module docstring) of one of ``kinds`` (key → Term class)."""
    err = parser.err
    if isinstance(data, str):
        if not data:
            err(path, "空の語は使えません")
            return None
        return kinds["text"]([data])
    if not isinstance(data, dict):
        err(path, "語の指定は文字列か、text / regex / lemma / norm のいずれか1つを持つ対応付けにしてください")
        return None
    present = [k for k in data if k in kinds]
    for k in data:
        if k not in kinds and k != "pos" and k not in CONTEXT_KEYS:
            allowed = "語に使えるのは text, regex, lemma, norm, pos, not_preceded_by, not_followed_by です"
            err(path + [k], unknown_term_key(k, allowed))
    if len(present) != 1:
        err(path, "語には text / regex / lemma / norm のうちちょうど1つを指定してください")
        return None
    kind = present[0]
    vals = _values(data[kind], path + [kind], err)
    if vals is None:
        return None
    ok, pos = _pos(data, path, err)
    if not ok:
        return None
    context = _context(data, path, err)
    if context is None:
        return None
    return kinds[kind].build(vals, pos, context, path + [kind], isinstance(data[kind], list), parser)


def _values(raw: Any, where: KeyPath, err: ErrorSink) -> list[str] | None:
    vals = as_list(raw)
    if not vals or not all(isinstance(v, str) and v for v in vals):
        err(where, "値は空でない文字列か、その一覧にしてください")
        return None
    for i, v in enumerate(vals):
        if len(v) > MAX_TERM_CHARS:
            err(
                where + ([i] if isinstance(raw, list) else []),
                f"値が長すぎます（{len(v):,} 字。上限は {MAX_TERM_CHARS:,} 字）",
            )
            return None
    return [str(v) for v in vals]


def _pos(data: dict[str, Any], path: KeyPath, err: ErrorSink) -> tuple[bool, list[str] | None]:
    """(no error, the pos filter or None without one)."""
    if "pos" not in data:
        return True, None
    pos = as_list(data["pos"])
    if not all(isinstance(p, str) for p in pos):
        err(path + ["pos"], "品詞は NOUN, VERB などの文字列か、その一覧にしてください")
        return False, None
    return True, [str(p) for p in pos]


def _context(data: dict[str, Any], path: KeyPath, err: ErrorSink) -> dict[str, list[str]] | None:
    context: dict[str, list[str]] = {}
    for ck in CONTEXT_KEYS:
        if ck in data:
            cv = as_list(data[ck])
            if not cv or not all(isinstance(v, str) and v for v in cv):
                err(path + [ck], f"{ck} は空でない文字列か、その一覧にしてください（例: {ck}: [期間, 年]）")
                return None
            context[ck] = [str(v) for v in cv]
    return context
