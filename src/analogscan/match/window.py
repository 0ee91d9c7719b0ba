"""The text a condition looks at (Window) and the character spans conditions return (Span)."""

from __future__ import annotations

from typing import Any

from ..nlp import ParsedText
from .token_index import TokenIndex, index_of
from .width import fold_width_keep_length

Span = tuple[int, int]


class Window:
    """The text a condition looks at: [start, end) of one provision, with its tokens."""

    def __init__(self, text: str, parsed: ParsedText | None, start: int = 0, end: int | None = None) -> None:
        self.raw = text
        self.text = fold_width_keep_length(text)
        self.parsed = parsed
        self.start = start
        self.end = len(text) if end is None else end
        self._range: tuple[int, int] | list[int] | None = None
        self._paren: list[int] | None = None

    @property
    def segment(self) -> str:
        return self.text[self.start : self.end]

    def _index(self) -> TokenIndex:
        if self.parsed is None:
            raise RuntimeError("this condition needs GiNZA tokens but the text was not parsed")
        return index_of(self.parsed)

    def _token_range(self) -> tuple[int, int] | list[int]:
        if self._range is None:
            self._range = self._index().window(self.start, self.end)
        return self._range

    def tokens(self) -> list[tuple[int, int, Any]]:
        """(start, end, token) of the tokens inside the window, absolute offsets."""
        return self._index().tokens(self._token_range())

    def token_values(self, attr: str) -> list[Any]:
        """getattr(token, attr) for the tokens of tokens(), in the same order."""
        return self._index().values(self._token_range(), attr)

    def tokens_overlapping(self, a: int, b: int) -> list[tuple[int, int, Any]]:
        """The tokens of the window that overlap [a, b), in order."""
        return self._index().overlapping(self._token_range(), a, b)

    def token_span(self, tok: Any) -> tuple[int, int] | None:
        """(start, end) of a token of this window's text, None if it is not in the window."""
        return self._index().span_of(self._token_range(), tok)

    def docs(self) -> list[tuple[int, Any]]:
        """(offset, Doc) of the parsed Docs that touch the window."""
        return self._index().docs(self.start, self.end)

    def bunsetsu(self) -> list[Span]:
        if self.parsed is None:
            raise RuntimeError("bunsetsu needs GiNZA")
        return self._index().bunsetsu(self.start, self.end)

    def gap(self, a: int, b: int) -> int:
        """Characters from offset ``a`` to offset ``b`` (a <= b) that are not inside a parenthetical （…）.

        Statutes insert definitions, exceptions and references in parentheses (「一年に一回以上（…その都度）
        水質検査を行い」); a distance between two words in the same sentence should not grow with them."""
        if self._paren is None:
            self._paren = paren_prefix(self.text)
        return (b - a) - (self._paren[b] - self._paren[a])

    def sub(self, start: int, end: int) -> Window:
        w = Window.__new__(Window)
        w.raw, w.text, w.parsed = self.raw, self.text, self.parsed
        w.start, w.end, w._range = start, end, None
        w._paren = self._paren
        return w


def paren_prefix(text: str) -> list[int]:
    """prefix[i] = how many of text[:i] lie inside full-width parentheses （…） (nested ones included, the
    parentheses themselves counted). An unclosed （ counts to the end of its sentence (。)."""
    out = [0] * (len(text) + 1)
    depth = 0
    for i, ch in enumerate(text):
        if ch == "（":
            depth += 1
        inside = depth > 0
        if ch == "）" and depth:
            depth -= 1
        elif ch == "。":
            depth = 0
        out[i + 1] = out[i] + (1 if inside else 0)
    return out
