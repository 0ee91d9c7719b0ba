"""What every report shows of a finding's draft amendment (JSON ``amendment`` / ``amendment_manual``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..amend.apply import HONESTY_LINE, MANUAL
from ..amend.kaibun import Span, segments

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


def _marks(value: object) -> list[Span]:
    out: list[Span] = []
    for m in value if isinstance(value, list) else []:
        if isinstance(m, list | tuple) and len(m) == 2 and all(isinstance(x, int) for x in m):
            out.append((int(m[0]), int(m[1])))
    return out


def amend_view(f: dict[str, Any]) -> AmendView | None:
    a = f.get("amendment")
    if isinstance(a, dict) and isinstance(a.get("after"), str):
        raw = a.get("marks")
        marks: dict[str, Any] = raw if isinstance(raw, dict) else {}
        before = str(a.get("before") or "")
        return AmendView(
            template_id=str(a.get("template_id") or ""),
            kaibun=str(a.get("kaibun") or ""),
            before=segments(before, _marks(marks.get("before"))),
            after=segments(a["after"], _marks(marks.get("after"))),
        )
    if isinstance(f.get("amendment_manual"), str):
        return AmendView(manual=f["amendment_manual"])
    return None


def has_drafts(report: dict[str, Any]) -> bool:
    return any(
        "amendment" in f or "amendment_manual" in f
        for d in report.get("documents") or []
        for f in d.get("findings") or []
    )
