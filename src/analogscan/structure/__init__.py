"""Ordinance structure stage: logical lines (or a reader's tree) → Ordinance with provisions."""

from __future__ import annotations

from analogscan.model import Ordinance, SourceDocument
from analogscan.structure.segmenter import parse_lines, provisions_from_tree

__all__ = ["build_ordinance", "parse_lines", "provisions_from_tree"]


def build_ordinance(src: SourceDocument) -> Ordinance:
    """The structured ordinance of a source document.

    A reader that already knows the structure sets src.ordinance; its provisions are filled in
    from its tree when empty. Otherwise the logical lines are segmented."""
    if src.ordinance is not None:
        ordinance = src.ordinance
        if not ordinance.provisions:
            try:
                ordinance.provisions = provisions_from_tree(ordinance)
            except Exception:  # a malformed tree must not stop the run
                ordinance.provisions = []
        return ordinance
    return parse_lines(src.lines)
