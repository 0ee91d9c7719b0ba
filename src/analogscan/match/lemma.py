"""lemma: a word or phrase compared token by token on GiNZA's lemma (掲示する ≈ 掲示し)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from .base import TOKENS, Term
from .window import Span, Window


@dataclass
class LemmaTerm(Term):
    key: ClassVar[str] = "lemma"
    NEEDS: ClassVar[frozenset[str]] = frozenset({TOKENS})
    ATTR: ClassVar[str] = "lemma_"  # the token attribute compared
    _seqs: list[list[str]] | None = field(default=None, repr=False)

    def _token_seqs(self) -> list[list[str]]:
        if self._seqs is None:
            from ..nlp import get_nlp

            tok = get_nlp().tokenizer
            self._seqs = [[getattr(t, self.ATTR) for t in tok(v)] for v in self.values]
        return self._seqs

    def find(self, w: Window) -> list[Span]:
        out: list[Span] = []
        toks = w.tokens()
        vals = w.token_values(self.ATTR)
        for seq in self._token_seqs():
            n = len(seq)
            if n == 0:
                continue
            for i in range(len(toks) - n + 1):
                if vals[i : i + n] == seq:
                    out.append((toks[i][0], toks[i + n - 1][1]))
        return out
