"""CSV (UTF-8 with BOM so Excel opens it); cells that would start a formula are neutralised."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import TIER_LABELS, tier_of

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


def render_csv(report: dict[str, Any]) -> str:
    from ..review import decision_columns
    from .amend_view import amend_view, has_drafts

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    with_decisions = any("decision" in f for doc in report["documents"] for f in doc["findings"])
    with_drafts = has_drafts(report)
    w.writerow(
        COLUMNS + (DRAFT_COLUMNS if with_drafts else []) + (DECISION_COLUMNS if with_decisions else [])
    )
    n = 0
    for doc in report["documents"]:
        for f in doc["findings"]:
            n += 1
            row = [
                n,
                doc["path"],
                doc.get("title", ""),
                doc.get("number", ""),
                f["location"]["label"],
                f.get("page", ""),
                f["type_label"],
                f["type"],
                TIER_LABELS[tier_of(f)],
                f["rule_id"],
                f["matched"],
                f["message"],
                f["confidence"],
                f["provision_text"],
            ]
            if with_drafts:
                av = amend_view(f)
                row += [av.cell_text(), av.kaibun] if av is not None else ["", ""]
            if with_decisions:
                row += decision_columns(f)
            w.writerow([safe_cell(c) for c in row])
    return "\ufeff" + buf.getvalue()
