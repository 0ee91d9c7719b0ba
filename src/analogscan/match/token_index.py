"""Tokens, bunsetsu and Docs of a parsed text, looked up by character offset in O(log n).

Built once per ParsedText (and dropped with ``drop_index`` when the pipeline's components
have run on its Docs), so a window (one sentence, or a whole provision) gets its tokens by
bisection instead of walking every token of the text; scan time then grows linearly with
the length of a provision.

Each lookup returns exactly what the linear filter it replaces returned, in the same order:
tokens, bunsetsu and Docs come in offset order and do not overlap, so "starts at or after
``start``" is a suffix and "ends at or before ``end``" a prefix of each list. If that ever did
not hold (an unexpected pipeline), the index falls back to the linear filter.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from ..nlp import ParsedText

Tok = tuple[int, int, Any]


def _monotone(starts: list[int], ends: list[int]) -> bool:
    return all(a <= b for a, b in zip(starts, starts[1:], strict=False)) and all(
        a <= b for a, b in zip(ends, ends[1:], strict=False)
    )


class TokenIndex:
    def __init__(self, parsed: ParsedText) -> None:
        self.parsed = parsed
        self.toks: list[Tok] = [(s, s + len(tok.text), tok) for s, tok in parsed.tokens()]
        self._starts = [t[0] for t in self.toks]
        self._ends = [t[1] for t in self.toks]
        self._sorted = _monotone(self._starts, self._ends)
        self._where: dict[tuple[int, int], int] | None = None
        self._values: dict[str, list[Any]] = {}
        self._bunsetsu: list[tuple[int, int]] | None = None
        self._bs_starts: list[int] = []
        self._bs_ends: list[int] = []
        self._bs_sorted = True
        self._doc_starts = [off for off, _ in parsed.docs]
        self._doc_ends = [off + len(doc.text) for off, doc in parsed.docs]
        self._docs_sorted = _monotone(self._doc_starts, self._doc_ends)

    # ------------------------------------------------------------------ tokens

    def window(self, start: int, end: int) -> tuple[int, int] | list[int]:
        """The tokens lying inside [start, end): a range of positions (or, unsorted, a list)."""
        if not self._sorted:
            return [i for i, (s, e, _) in enumerate(self.toks) if s >= start and e <= end]
        lo = bisect_left(self._starts, start)
        hi = bisect_right(self._ends, end)
        return (lo, max(lo, hi))

    def tokens(self, rng: tuple[int, int] | list[int]) -> list[Tok]:
        if isinstance(rng, tuple):
            return self.toks[rng[0] : rng[1]]
        return [self.toks[i] for i in rng]

    def values(self, rng: tuple[int, int] | list[int], attr: str) -> list[Any]:
        """getattr(token, attr) of the tokens of a window (cached per attribute)."""
        vals = self._values.get(attr)
        if vals is None:
            vals = [getattr(t, attr) for _, _, t in self.toks]
            self._values[attr] = vals
        if isinstance(rng, tuple):
            return vals[rng[0] : rng[1]]
        return [vals[i] for i in rng]

    def overlapping(self, rng: tuple[int, int] | list[int], a: int, b: int) -> list[Tok]:
        """Tokens of a window that overlap the span [a, b), in order."""
        if not isinstance(rng, tuple):
            return [t for t in self.tokens(rng) if t[0] < b and t[1] > a]
        lo = max(rng[0], bisect_right(self._ends, a))
        hi = min(rng[1], bisect_left(self._starts, b))
        out = self.toks[lo:hi] if lo < hi else []
        # zero-length tokens at the edges are not "overlapping" (as in the linear filter)
        return [t for t in out if t[0] < b and t[1] > a]

    def span_of(self, rng: tuple[int, int] | list[int], tok: Any) -> tuple[int, int] | None:
        """(start, end) of a token (by doc and index) if it lies in the window."""
        if self._where is None:
            self._where = {(id(t.doc), t.i): i for i, (_, _, t) in enumerate(self.toks)}
        i = self._where.get((id(tok.doc), tok.i))
        if i is None:
            return None
        inside = rng[0] <= i < rng[1] if isinstance(rng, tuple) else i in rng
        return (self.toks[i][0], self.toks[i][1]) if inside else None

    # ------------------------------------------------------------------ bunsetsu

    def bunsetsu(self, start: int, end: int) -> list[tuple[int, int]]:
        """The bunsetsu (文節) spans inside [start, end), in order."""
        if self._bunsetsu is None:
            import ginza

            spans: list[tuple[int, int]] = []
            for off, doc in self.parsed.docs:
                for sp in ginza.bunsetu_spans(doc):
                    spans.append((off + sp.start_char, off + sp.end_char))
            self._bunsetsu = spans
            self._bs_starts = [s for s, _ in spans]
            self._bs_ends = [e for _, e in spans]
            self._bs_sorted = _monotone(self._bs_starts, self._bs_ends)
        if not self._bs_sorted:
            return [(s, e) for s, e in self._bunsetsu if s >= start and e <= end]
        lo = bisect_left(self._bs_starts, start)
        hi = bisect_right(self._bs_ends, end)
        return self._bunsetsu[lo:hi] if lo < hi else []

    # ------------------------------------------------------------------ docs

    def docs(self, start: int, end: int) -> list[tuple[int, Any]]:
        """(offset, Doc) of the Docs that touch [start, end] (the only ones a match inside
        the window can come from)."""
        docs = self.parsed.docs
        if not self._docs_sorted:
            return list(docs)
        lo = bisect_left(self._doc_ends, start)
        hi = bisect_right(self._doc_starts, end)
        return docs[lo:hi] if lo < hi else []


def index_of(parsed: ParsedText) -> TokenIndex:
    idx = getattr(parsed, "_token_index", None)
    if idx is None:
        idx = TokenIndex(parsed)
        parsed._token_index = idx  # type: ignore[attr-defined]
    return idx


def drop_index(parsed: ParsedText) -> None:
    """Forget the index (after components ran on the Docs in place)."""
    if getattr(parsed, "_token_index", None) is not None:
        parsed._token_index = None  # type: ignore[attr-defined]
