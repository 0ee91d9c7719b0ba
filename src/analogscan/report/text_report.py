"""A readable Japanese summary for the terminal."""

from __future__ import annotations

from typing import Any

from ..model import TIER_LABELS, TIERS, TYPE_CODES, TYPE_LABELS, tier_of
from .amend_view import HONESTY_LINE, MANUAL, amend_view, has_drafts

STATUS_JA = {"ok": "正常", "warning": "警告", "error": "エラー"}


def render_text(report: dict[str, Any], *, show_text: bool = True, width: int = 70) -> str:
    lines: list[str] = []
    s = report["summary"]
    lines.append("analogscan 検出結果")
    lines.append("=" * 40)
    if has_drafts(report):
        lines.append("※ " + HONESTY_LINE)
        lines.append("")
    for doc in report["documents"]:
        title = doc.get("title") or "（題名不明）"
        head = f"■ {title}"
        if doc.get("number"):
            head += f"（{doc['number']}）"
        lines.append(head)
        lines.append(f"  ファイル: {doc['path']}  状態: {STATUS_JA.get(doc['status'], doc['status'])}")
        for m in doc.get("messages", []):
            page = f"（ページ{m['page']}）" if m.get("page") else ""
            lines.append(f"  [{STATUS_JA.get(m['level'], m['level'])}] {m['text']}{page}")
        if doc["status"] != "error" and not doc["findings"]:
            lines.append("  検出なし")
        for f in doc["findings"]:
            loc = f["location"]["label"] or "（位置不明）"
            page = f" p.{f['page']}" if f.get("page") else ""
            also = f"（ほかに {', '.join(f['other_rules'])}）" if f.get("other_rules") else ""
            tier = TIER_LABELS[tier_of(f)]
            lines.append(
                f"  - {loc}{page}【{f['type_label']}・{tier}】確度{f['confidence']:.2f}  {f['rule_id']}{also}"
            )
            lines.append(f"      該当箇所: 「{f['matched']}」")
            lines.append(f"      理由: {f['message']}")
            if show_text:
                t = f["provision_text"]
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
        lines.append("")
    lines.append("-" * 40)
    lines.append(
        f"文書 {s['documents']} 件（正常 {s['ok']}・警告 {s['warning']}・エラー {s['error']}）、検出 {s['findings']} 件"
    )
    parts = [f"{TYPE_LABELS[t]} {s['by_type'].get(t, 0)}" for t in TYPE_CODES if s["by_type"].get(t, 0)]
    if parts:
        lines.append("内訳: " + "、".join(parts))
    by_tier = s.get("by_tier") or {}
    if by_tier:
        lines.append("判定段階: " + "、".join(f"{TIER_LABELS[t]} {by_tier.get(t, 0)}" for t in TIERS))
    return "\n".join(lines) + "\n"
