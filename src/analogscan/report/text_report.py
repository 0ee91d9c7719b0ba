"""A readable Japanese summary for the terminal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import TIER_LABELS, TIERS, TYPE_CODES, TYPE_LABELS
from .amend_view import HONESTY_LINE, MANUAL, amend_view
from .contract import STATUS_LABELS, Report, ReportFinding, read_report

STATUS_JA = STATUS_LABELS


def _finding_lines(f: ReportFinding, show_text: bool, width: int) -> list[str]:
    loc = f.citation or "（位置不明）"
    page = f" p.{f.page}" if f.page else ""
    also = f"（ほかに {', '.join(f.other_rules)}）" if f.other_rules else ""
    conf = f.confidence if f.confidence is not None else 0.0
    lines = [
        f"  - {loc}{page}【{f.type_label}・{f.tier_label}】確度{conf:.2f}  {f.rule_id}{also}",
        f"      該当箇所: 「{f.matched}」",
        f"      理由: {f.message}",
    ]
    if show_text:
        t = f.provision_text
        if len(t) > width:
            t = t[: width - 1] + "…"
        lines.append(f"      規定: {t}")
    av = amend_view(f)
    if av is not None and av.template_id:
        lines.append(
            f"      見直し案（{av.template_id}、変更箇所は［ ］）: "
            + "".join(f"［{p}］" if c else p for p, c in av.after)
        )
        for i, k in enumerate(av.kaibun.splitlines()):
            lines.append(("      改め文: " if i == 0 else "              ") + k)
    elif av is not None:
        lines.append(f"      見直し案: {MANUAL}（{av.manual}）")
    return lines


def render_text(report: Report | Mapping[str, Any], *, show_text: bool = True, width: int = 70) -> str:
    rep = read_report(report)
    lines: list[str] = []
    s = rep.summary
    lines.append("analogscan 検出結果")
    lines.append("=" * 40)
    if rep.has_drafts:
        lines.append("※ " + HONESTY_LINE)
        lines.append("")
    for doc in rep.documents:
        title = doc.title or "（題名不明）"
        head = f"■ {title}"
        if doc.number:
            head += f"（{doc.number}）"
        lines.append(head)
        lines.append(f"  ファイル: {doc.path}  状態: {doc.status_label}")
        for m in doc.messages:
            page = f"（ページ{m.page}）" if m.page else ""
            lines.append(f"  [{m.level_label}] {m.text}{page}")
        if doc.status != "error" and not doc.findings:
            lines.append("  検出なし")
        for f in doc.findings:
            lines += _finding_lines(f, show_text, width)
        lines.append("")
    lines.append("-" * 40)
    lines.append(
        f"文書 {s.documents} 件（正常 {s.ok}・警告 {s.warning}・エラー {s.error}）、検出 {s.findings} 件"
    )
    parts = [f"{TYPE_LABELS[t]} {s.by_type.get(t, 0)}" for t in TYPE_CODES if s.by_type.get(t, 0)]
    if parts:
        lines.append("内訳: " + "、".join(parts))
    if s.by_tier:
        lines.append("判定段階: " + "、".join(f"{TIER_LABELS[t]} {s.by_tier.get(t, 0)}" for t in TIERS))
    return "\n".join(lines) + "\n"
