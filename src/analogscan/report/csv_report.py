"""CSV (UTF-8 with BOM so Excel opens it); cells that would start a formula are neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from .amend_view import amend_view
from .contract import Decision, Report, ReportFinding, read_report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "番号",
    "ファイル",
    "例規名",
    "例規番号",
    "条項",
    "ページ",
    "規制区分",
    "規制区分コード",
    "判定段階",
    "ルールID",
    "該当箇所",
    "判定理由",
    "確度",
    "規定内容",
]


def safe_cell(value: object) -> str:
    """Text that Excel will show as text, never evaluate as a formula."""
    s = "" if value is None else str(value)
    if s.startswith(FORMULA_START):
        return "'" + s
    return s


# when the findings carry drafts; the header names the caveat (a CSV has no place for a note line)
DRAFT_COLUMNS = ["見直し案（担当者が確認する案）", "改め文"]
DECISION_COLUMNS = ["該非", "根拠法令の有無", "見直し方針", "見直し時期", "備考", "判断状況"]


def decision_columns(f: ReportFinding) -> list[str]:
    """該非, 根拠法令の有無, 見直し方針, 見直し時期, 備考, 判断状況 of one finding."""
    d = f.decision or Decision()
    return [d.applicable, d.legal_basis, d.policy, d.timing, d.note, f.decision_status]


def render_csv(report: Report | Mapping[str, Any]) -> str:
    rep = read_report(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    with_decisions = rep.has_decisions
    with_drafts = rep.has_drafts
    w.writerow(
        COLUMNS + (DRAFT_COLUMNS if with_drafts else []) + (DECISION_COLUMNS if with_decisions else [])
    )
    for n, (doc, f) in enumerate(rep.findings(), 1):
        row: list[object] = [
            n,
            doc.path,
            doc.title,
            doc.number,
            f.citation,
            f.page,
            f.type_label,
            f.type,
            f.tier_label,
            f.rule_id,
            f.matched,
            f.message,
            f.confidence,
            f.provision_text,
        ]
        if with_drafts:
            av = amend_view(f)
            row += [av.cell_text(), av.kaibun] if av is not None else ["", ""]
        if with_decisions:
            row += decision_columns(f)
        w.writerow([safe_cell(c) for c in row])
    return "\ufeff" + buf.getvalue()
