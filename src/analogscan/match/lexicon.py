"""lexicon: a term naming shared word lists, ``{lexicon: 役職}`` or ``{lexicon: [役職, 拠点]}``.

The lists come from the rule files' top-level ``lexicon`` mappings (ruleset.lexicon collects them
and expands ``"@名前"`` triggers). When the rules are loaded the reference becomes a ``text`` term
of the listed words (with the same pos / not_preceded_by / not_followed_by), so the engine never
sees a name; an unknown name is a Japanese error naming file, line and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import KeyPath, Parser, Term
from .text import TextTerm
from .window import Span, Window


@dataclass
class LexiconTerm(Term):
    key: ClassVar[str] = "lexicon"

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
        words: list[str] = []
        for i, name in enumerate(values):
            found = parser.lexicon(name)
            if found is None:
                known = "、".join(sorted(parser.lexicon_names())) or "（定義なし）"
                parser.err(
                    where + ([i] if indexed else []), f"語彙「{name}」がありません（定義済みの語彙: {known}）"
                )
                return None
            words.extend(w for w in found if w not in words)
        return TextTerm.build(words, pos, context, where, indexed, parser)

    def find(self, w: Window) -> list[Span]:  # never built: build() returns a TextTerm
        raise NotImplementedError
