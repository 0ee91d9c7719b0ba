"""Apply amendment templates to a finding: a draft (before / after / 改め文) or the reason there is none.

Works on the JSON report dicts (the contract every output reads), so a saved report gets drafts
too. `attach_amendments` adds ``"amendment"`` (template applied) or ``"amendment_manual"``
(「手作業で起案」 and why) to every finding; both keys are additive to schema_version 1.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..model import TYPE_LABELS
from .kaibun import Applied, Edit, apply_edits, kaibun, tail_position
from .numerals import kanji_label, uses_kanji
from .templates import Template, TemplateSet

# One line said wherever a draft is shown (reports, 新旧対照表, 改め文).
HONESTY_LINE = (
    "見直し案は analogscan が定型の文例から機械的に作った案です。"
    "そのまま使わず、必ず担当者が条文の意味・引用関係・法制執務上の表現を確認してください。"
)
MANUAL = "手作業で起案"


@dataclass
class Draft:
    template_ids: list[str]
    applied: Applied
    kaibun: str

    def to_json(self) -> dict[str, Any]:
        return {
            "template_id": self.template_ids[0],
            "before": self.applied.before,
            "after": self.applied.after,
            "kaibun": self.kaibun,
            "edits": [e.to_json() for e in self.applied.edits],
            "marks": {
                "before": [list(m) for m in self.applied.before_marks],
                "after": [list(m) for m in self.applied.after_marks],
            },
        }


def _phrase(m: re.Match[str]) -> tuple[int, int]:
    """The words a match replaces: the named group ``x`` when the pattern has one (the rest of the
    match is context that must be there), else the whole match."""
    return m.span("x") if "x" in m.re.groupindex and m.group("x") is not None else m.span()


def _overlaps(m: re.Match[str], span: tuple[int, int] | None) -> bool:
    return span is not None and m.start() < span[1] and span[0] < m.end()


def _unique_phrase(text: str, m: re.Match[str], x: str, y: str) -> tuple[str, str]:
    """Lengthen the phrase to the right until it occurs once, when it also occurs where the
    template did not match (a 改め文 「中「X」を」 would change every occurrence)."""
    start, end = _phrase(m)
    if text.count(x) <= 1:
        return x, y
    tail_end = end
    while tail_end < len(text) and text.count(text[start:tail_end]) > 1 and tail_end - end < 12:
        tail_end += 1
    extra = text[end:tail_end]
    if text.count(text[start:tail_end]) > 1:
        return x, y
    return x + extra, y + extra


def template_edits(
    t: Template, text: str, span: tuple[int, int] | None, item: bool
) -> list[Edit] | str | None:
    """The edits of one template on a provision; a reason (str) when it matches but must not be
    applied; None when it does not match at all."""
    matches = list(t.find.finditer(text))
    if not matches:
        return None
    for u in t.unless:
        if u.pattern.search(text):
            return u.reason
    if t.edit == "replace":
        edits: dict[Edit, None] = {}  # ordered set: a provision may hold thousands of matches
        matched_phrases = Counter(text[slice(*_phrase(mm))] for mm in matches)
        seen: set[tuple[str, str]] = set()
        ordered = sorted(matches, key=lambda m: not _overlaps(m, span))
        for m in ordered:
            a, b = _phrase(m)
            x, y = text[a:b], m.expand(t.to)
            if x == y or (x, y) in seen:
                continue
            seen.add((x, y))
            if text.count(x) > matched_phrases[x]:
                x, y = _unique_phrase(text, m, x, y)
            edits.setdefault(Edit("replace", x, y))
        return list(edits) or None
    if item:
        return "号の規定にただし書・後段を加える形は法制執務上まれなため、柱書か別の項として起案してください"
    if tail_position(text) is None:
        return "規定が「。」で終わっていないため、ただし書・後段を機械的に加えられません"
    if "ただし、" in text:
        return "既にただし書があるため、ただし書の書き換えを含めて起案してください"
    if t.edit == "sentence" and "この場合において" in text:
        return "既に後段（「この場合において」）があるため、後段の書き換えを含めて起案してください"
    m = next((mm for mm in matches if _overlaps(mm, span)), matches[0])
    return [Edit(t.edit, "", m.expand(t.to))]


def _span(finding: dict[str, Any], text: str) -> tuple[int, int] | None:
    sp = finding.get("span")
    if isinstance(sp, list | tuple) and len(sp) == 2:
        try:
            a, b = int(sp[0]), int(sp[1])
        except (TypeError, ValueError):
            return None
        if 0 <= a < b <= len(text):
            return a, b
    matched = str(finding.get("matched") or "")
    i = text.find(matched) if matched else -1
    return (i, i + len(matched)) if i >= 0 else None


def location_problem(loc: dict[str, Any]) -> str | None:
    if not loc.get("label"):
        return "条項を特定できないため、改め文の「第○条中」を書けません"
    if loc.get("part") == "suppl" and (loc.get("suppl_index") or 0) > 0:
        return "一部改正条例の附則の規定です（改正の対象にせず、本則の規定を見直します）"
    return None


def draft_finding(finding: dict[str, Any], templates: TemplateSet, *, kanji: bool = False) -> Draft | str:
    """A draft for one finding of a JSON report, or the reason it has to be drafted by hand."""
    text = str(finding.get("provision_text") or "")
    loc = finding.get("location") or {}
    problem = location_problem(loc)
    if problem:
        return problem
    ttype = str(finding.get("type") or "")
    candidates = templates.for_type(ttype)
    if not candidates:
        return f"{TYPE_LABELS.get(ttype, ttype)}の文例がありません"
    span = _span(finding, text)
    label = str(loc.get("label"))
    return draft_text(
        text, kanji_label(label) if kanji else label, candidates, span, item=bool(loc.get("item"))
    )


def draft_text(
    text: str,
    label: str,
    candidates: list[Template],
    span: tuple[int, int] | None = None,
    *,
    item: bool = False,
) -> Draft | str:
    """Apply the first template that fits (and later ones marked ``also``) to a provision."""
    reasons: list[str] = []
    used: list[str] = []
    edits: list[Edit] = []
    for t in candidates:
        if used and not t.also:
            continue
        got = template_edits(t, text, span, item=item)
        if got is None:
            continue
        if isinstance(got, str):
            reasons.append(got)
            continue
        if apply_edits(text, edits + got).after == apply_edits(text, edits).after:
            continue
        edits += got
        used.append(t.id)
    if used:
        applied = apply_edits(text, edits)
        return Draft(used, applied, kaibun(label, applied.edits))
    if reasons:
        return reasons[0]
    ids = "・".join(t.id for t in candidates)
    return f"文例（{ids}）に当てはまる文言がありません"


def attach_amendments(report: dict[str, Any], templates: TemplateSet) -> dict[str, Any]:
    """The report with ``amendment`` / ``amendment_manual`` on every finding (a copy)."""
    report = copy.deepcopy(report)
    for doc in report.get("documents") or []:
        kanji = uses_kanji(str(f.get("provision_text") or "") for f in doc.get("findings") or [])
        for f in doc.get("findings") or []:
            f.pop("amendment", None)
            f.pop("amendment_manual", None)
            got = draft_finding(f, templates, kanji=kanji)
            if isinstance(got, Draft):
                f["amendment"] = got.to_json()
            else:
                f["amendment_manual"] = got
    report.setdefault("tool", {})["amendment_note"] = HONESTY_LINE
    return report
