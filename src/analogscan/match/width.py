"""Width folding for matching: the one text transformation conditions and triggers share."""

from __future__ import annotations

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c - 0xFEE0).isalnum()}
_WIDTH.update({0xFF0D: ord("-"), 0x2010: ord("-"), 0x2212: ord("-"), 0x2011: ord("-")})


def fold_width_keep_length(text: str) -> str:
    """Full-width ASCII letters/digits and hyphen variants → half-width, character for character.

    The result has the same length as ``text``, so offsets found in it are offsets in ``text``
    (unlike NFKC, which may change the length)."""
    return text.translate(_WIDTH)
