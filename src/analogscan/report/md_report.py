"""Markdown: one table per ordinance, to paste into a memo, wiki or ticket."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .amend_view import HONESTY_LINE, MANUAL, amend_view
from .contract import (
    LEVEL_LABELS,
    STATUS_LABELS,
    STATUS_RECHECK,
    Decision,
    Report,
    ReportDocument,
    ReportFinding,
    read_report,
)

STATUS_JA = STATUS_LABELS
LEVEL_JA = LEVEL_LABELS


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


def md_draft(f: ReportFinding) -> list[str]:
    """The 見直し案 (changed words in bold) and 改め文 cells of a finding."""
    av = amend_view(f)
    if av is None:
        return ["", ""]
    if not av.template_id:
        return [md_cell(f"{MANUAL}（{av.manual}）"), ""]
    after = "".join(f"**{md_cell(p)}**" if c else md_cell(p) for p, c in av.after)
    return [after, md_cell(av.kaibun)]


def _head(rep: Report) -> list[str]:
    s = rep.summary
    out: list[str] = ["# アナログ規制 点検結果", ""]
    out.append(
        f"文書 {s.documents} 件（正常 {s.ok}・警告 {s.warning}・エラー {s.error}）、検出 {s.findings} 件"
    )
    parts = [f"{s.type_labels.get(t, t)} {n}" for t, n in s.by_type.items() if n]
    if parts:
        out.append("")
        out.append("内訳: " + "、".join(parts))
    if rep.has_drafts:
        out.append("")
        out.append("> " + md_cell(HONESTY_LINE))
    return out


def _columns(drafts: bool, decisions: bool) -> list[str]:
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
    if decisions:
        cols += ["該非", "見直し方針", "判断状況"]
    return cols


def _row(n: int, f: ReportFinding, drafts: bool, decisions: bool, text_limit: int) -> str:
    conf = f.confidence
    row = [
        str(n),
        md_cell(f.citation),
        md_cell(f.type_label),
        md_cell(f.tier_label),
        md_cell(f.matched),
        f"{conf:.2f}" if conf is not None else "",
        md_cell(f.message),
        md_cell(f.direction),
        md_cell(f.provision_text, text_limit),
    ]
    if drafts:
        row += md_draft(f)
    if decisions:
        d = f.decision or Decision()
        status = f.decision_status
        row += [
            md_cell(d.applicable),
            md_cell(d.policy),
            "**要再確認**" if status == STATUS_RECHECK else ("判断済み" if status else "未判断"),
        ]
    return "| " + " | ".join(row) + " |"


def _document(doc: ReportDocument, first: int, drafts: bool, decisions: bool, text_limit: int) -> list[str]:
    """The section of one document: heading, messages and the table of its findings (numbered from first)."""
    title = doc.title or doc.path or "（題名不明）"
    head = f"## {md_cell(title)}"
    if doc.number:
        head += f"（{md_cell(doc.number)}）"
    out = ["", head, "", f"ファイル: {md_cell(doc.path)}　状態: {doc.status_label}"]
    for m in doc.messages:
        page = f"（{m.page}ページ）" if m.page else ""
        out.append(f"- [{m.level_label}] {md_cell(m.text)}{page}")
    if not doc.findings:
        return out
    out.append("")
    cols = _columns(drafts, decisions)
    out.append("| " + " | ".join(cols) + " |")
    out.append("|" + "|".join("---:" if c in ("番号", "確度") else "---" for c in cols) + "|")
    for n, f in enumerate(doc.findings, first):
        out.append(_row(n, f, drafts, decisions, text_limit))
    return out


def render_md(report: Report | Mapping[str, Any], *, text_limit: int = 120) -> str:
    rep = read_report(report)
    out = _head(rep)
    drafts = rep.has_drafts
    has_decisions = any(f.decision for _, f in rep.findings())
    n = 0
    for doc in rep.documents:
        if not doc.findings and not doc.messages:
            continue
        out += _document(doc, n + 1, drafts, has_decisions, text_limit)
        n += len(doc.findings)
    if n == 0:
        out.append("")
        out.append("検出された規定はありません。")
    return "\n".join(out) + "\n"
