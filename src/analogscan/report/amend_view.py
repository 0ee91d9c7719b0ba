"""What every report shows of a finding's draft amendment (JSON ``amendment`` / ``amendment_manual``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..amend.apply import HONESTY_LINE, MANUAL
from ..amend.kaibun import segments
from .contract import Report, ReportFinding, read_report

__all__ = ["AmendView", "amend_view", "has_drafts", "HONESTY_LINE", "MANUAL"]


@dataclass
class AmendView:
    template_id: str = ""
    kaibun: str = ""
    before: list[tuple[str, bool]] = field(default_factory=list)  # (piece, changed)
    after: list[tuple[str, bool]] = field(default_factory=list)
    manual: str = ""  # why it is left to draft by hand

    @property
    def after_text(self) -> str:
        return "".join(p for p, _ in self.after)

    def cell_text(self) -> str:
        """One-cell form: the amended provision, or 「手作業で起案（理由）」."""
        return self.after_text if self.template_id else f"{MANUAL}（{self.manual}）"


def amend_view(f: ReportFinding) -> AmendView | None:
    a = f.amendment
    if a is not None:
        return AmendView(
            template_id=a.template_id,
            kaibun=a.kaibun,
            before=segments(a.before, list(a.before_marks)),
            after=segments(a.after, list(a.after_marks)),
        )
    if f.amendment_manual is not None:
        return AmendView(manual=f.amendment_manual)
    return None


def has_drafts(report: Report | Mapping[str, Any]) -> bool:
    return read_report(report).has_drafts
