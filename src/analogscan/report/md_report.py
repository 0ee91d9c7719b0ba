"""Markdown: one table per ordinance, to paste into a memo, wiki or ticket."""

from __future__ import annotations

import copy
from typing import Any

from ..model import TIER_LABELS, tier_of
from ..review import STATUS_RECHECK, decision_fields, direction_for, ensure_ids
from .amend_view import HONESTY_LINE, MANUAL, amend_view, has_drafts

STATUS_JA = {"ok": "正常", "warning": "警告", "error": "エラー"}
LEVEL_JA = {"info": "情報", "warning": "警告", "error": "エラー"}


def md_cell(value: object, limit: int | None = None) -> str:
    """Text safe inside a Markdown table cell: one line; pipes, code spans, link and image
    syntax ([text](url), ![alt](src), [ref]) and HTML escaped, so text from an ordinance
    can never become a live link, image or markup."""
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    s = s.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    s = s.replace("[", "\\[").replace("]", "\\]")
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s


def md_draft(f: dict[str, Any]) -> list[str]:
    """The 見直し案 (changed words in bold) and 改め文 cells of a finding."""
    av = amend_view(f)
    if av is None:
        return ["", ""]
    if not av.template_id:
        return [md_cell(f"{MANUAL}（{av.manual}）"), ""]
    after = "".join(f"**{md_cell(p)}**" if c else md_cell(p) for p, c in av.after)
    return [after, md_cell(av.kaibun)]


def render_md(report: dict[str, Any], *, text_limit: int = 120) -> str:
    report = ensure_ids(copy.deepcopy(report))
    s = report.get("summary", {})
    out: list[str] = ["# アナログ規制 点検結果", ""]
    out.append(
        f"文書 {s.get('documents', 0)} 件（正常 {s.get('ok', 0)}・警告 {s.get('warning', 0)}・"
        f"エラー {s.get('error', 0)}）、検出 {s.get('findings', 0)} 件"
    )
    labels = s.get("type_labels", {})
    parts = [f"{labels.get(t, t)} {n}" for t, n in s.get("by_type", {}).items() if n]
    if parts:
        out.append("")
        out.append("内訳: " + "、".join(parts))
    drafts = has_drafts(report)
    if drafts:
        out.append("")
        out.append("> " + md_cell(HONESTY_LINE))
    has_decisions = any(f.get("decision") for d in report.get("documents", []) for f in d.get("findings", []))
    n = 0
    for doc in report.get("documents", []):
        msgs = doc.get("messages", [])
        if not doc.get("findings") and not msgs:
            continue
        title = doc.get("title") or doc.get("path") or "（題名不明）"
        out.append("")
        head = f"## {md_cell(title)}"
        if doc.get("number"):
            head += f"（{md_cell(doc['number'])}）"
        out.append(head)
        out.append("")
        out.append(
            f"ファイル: {md_cell(doc.get('path', ''))}　状態: {STATUS_JA.get(doc.get('status', ''), doc.get('status', ''))}"
        )
        for m in msgs:
            page = f"（{m['page']}ページ）" if m.get("page") else ""
            out.append(
                f"- [{LEVEL_JA.get(m.get('level', ''), m.get('level', ''))}] {md_cell(m.get('text', ''))}{page}"
            )
        if not doc.get("findings"):
            continue
        out.append("")
        cols = [
            "番号",
            "条項",
            "規制区分",
            "判定段階",
            "該当箇所",
            "確度",
            "判定理由",
            "見直しの方向性",
            "規定内容",
        ]
        if drafts:
            cols += ["見直し案（変更箇所は太字）", "改め文"]
        if has_decisions:
            cols += ["該非", "見直し方針", "判断状況"]
        out.append("| " + " | ".join(cols) + " |")
        out.append("|" + "|".join("---:" if c in ("番号", "確度") else "---" for c in cols) + "|")
        for f in doc["findings"]:
            n += 1
            conf = f.get("confidence")
            row = [
                str(n),
                md_cell(f.get("location", {}).get("label", "")),
                md_cell(f.get("type_label", f.get("type", ""))),
                md_cell(TIER_LABELS[tier_of(f)]),
                md_cell(f.get("matched", "")),
                f"{conf:.2f}" if isinstance(conf, int | float) else "",
                md_cell(f.get("message", "")),
                md_cell(direction_for(str(f.get("type", "")))),
                md_cell(f.get("provision_text", ""), text_limit),
            ]
            if drafts:
                row += md_draft(f)
            if has_decisions:
                d = decision_fields(f.get("decision"))
                status = f.get("decision_status") or ""
                row += [
                    md_cell(d["applicable"]),
                    md_cell(d["policy"]),
                    "**要再確認**" if status == STATUS_RECHECK else ("判断済み" if status else "未判断"),
                ]
            out.append("| " + " | ".join(row) + " |")
    if n == 0:
        out.append("")
        out.append("検出された規定はありません。")
    return "\n".join(out) + "\n"
