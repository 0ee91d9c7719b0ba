"""Review decisions: the decisions file, carrying decisions to new reports, importing the review sheet.

Findings are keyed by their stable finding id (analogscan.ids: document identity + citation + rule id,
with the provision text hashed separately so that a carried decision whose text changed is flagged
「要再確認」). The decision vocabulary (statuses, fields, choices) is in report.contract.

Staff decisions live in a JSON decisions file keyed by finding id (see ``import_sheet``).
"""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict, cast

from . import jst
from .errors import AnalogscanError
from .fsutil import atomic_write_text
from .ids import ensure_ids, text_hash
from .ids import norm as _norm
from .report.contract import (
    DECISION_FIELDS,
    FIELD_CHOICES,
    FIELD_HEADERS,
    RECHECK_MARKER,
    RECHECK_NOTE,
    STATUS_CARRIED,
    STATUS_RECHECK,
)

DECISIONS_SCHEMA_VERSION = 1
DEFAULT_DECISIONS_FILE = "analogscan-decisions.json"

# --------------------------------------------------------------------------- decisions file


class DecisionsError(AnalogscanError):
    """A decisions file or review sheet that cannot be used (Japanese message)."""


# One recorded decision: the DECISION_FIELDS staff filled in, plus text_hash (of the provision text
# decided on), rule_id, title, citation, date and source (the sheet it came from).
DecisionRecord = dict[str, str | None]


class DecisionsFile(TypedDict):
    """The decisions file (analogscan-decisions.json): decisions keyed by finding id."""

    schema_version: int
    kind: str
    decisions: dict[str, DecisionRecord]


def empty_decisions() -> DecisionsFile:
    return {"schema_version": DECISIONS_SCHEMA_VERSION, "kind": "analogscan-decisions", "decisions": {}}


def load_decisions(path: Path) -> DecisionsFile:
    """Read a decisions file; a missing file is an empty set of decisions."""
    path = Path(path)
    if not path.exists():
        return empty_decisions()
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise DecisionsError(f"判断記録ファイルを読めません: {path}（{e}）") from e
    if not isinstance(data, dict) or not isinstance(data.get("decisions"), dict):
        raise DecisionsError(f"判断記録ファイルの形式が違います: {path}")
    if data.get("schema_version") != DECISIONS_SCHEMA_VERSION:
        raise DecisionsError(
            f"判断記録ファイルの版（{data.get('schema_version')}）に対応していません: {path}"
        )
    return cast(DecisionsFile, data)


def save_decisions(path: Path, data: DecisionsFile) -> None:
    out = {**data, "decisions": dict(sorted(data["decisions"].items()))}
    atomic_write_text(Path(path), json.dumps(out, ensure_ascii=False, indent=2) + "\n")


def apply_decisions(
    report: dict[str, Any], decisions: DecisionsFile | Mapping[str, DecisionRecord]
) -> dict[str, Any]:
    """A copy of report where each finding with a recorded decision carries it.

    finding["decision"] = the recorded decision; finding["decision_status"] = "carried" when the
    provision text is unchanged, "要再確認" when it changed since the decision.
    report["review"] summarises what was applied.
    """
    out = ensure_ids(copy.deepcopy(report))
    raw = decisions.get("decisions", decisions) if isinstance(decisions, Mapping) else {}
    table: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    carried = recheck = 0
    seen: set[str] = set()
    for doc in out.get("documents", []):
        for f in doc.get("findings", []):
            f.pop("decision", None)
            f.pop("decision_status", None)
            d = table.get(f["finding_id"])
            if not isinstance(d, dict):
                continue
            seen.add(f["finding_id"])
            f["decision"] = dict(d)
            if d.get("text_hash") and d.get("text_hash") != f["text_hash"]:
                f["decision_status"] = STATUS_RECHECK
                recheck += 1
            else:
                f["decision_status"] = STATUS_CARRIED
                carried += 1
    out["review"] = {
        "decisions": len(table),
        "carried": carried,
        "recheck": recheck,
        "unmatched": len(set(table) - seen),
    }
    return out


def apply_decisions_file(report: dict[str, Any], path: Path) -> dict[str, Any]:
    return apply_decisions(report, load_decisions(path))


# --------------------------------------------------------------------------- sheet import


@dataclass
class ImportResult:
    rows: int = 0  # data rows with a finding id
    imported: int = 0  # decisions written (new or updated)
    unchanged: int = 0
    kept_recheck: int = 0  # rows still marked 要再確認: old decision kept
    empty: int = 0  # rows without any decision value
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # the scanned documents the sheet lists (ファイル column)


def _header_key(v: object) -> str:
    return _norm(str(v or "")).lower()


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _strip_quote(s: str) -> str:
    """Undo the ' some tools put in front of formula-like text."""
    if s.startswith("'") and len(s) > 1 and s[1] in "=+-@\t\r":
        return s[1:]
    return s


def import_sheet(sheet_path: Path, decisions: DecisionsFile, *, today: date | None = None) -> ImportResult:
    """Read the decisions staff typed into a review sheet into `decisions` (updated in place).

    Columns are found by header name (any order, extra columns allowed); rows without a
    finding id or without any decision value are skipped.
    """
    from openpyxl import load_workbook

    from .ziplimits import ZipLimitError, check_members

    try:
        if zipfile.is_zipfile(sheet_path):  # openpyxl gives its own message for anything else
            check_members(Path(sheet_path), "レビュー表（.xlsx）")
    except ZipLimitError as e:
        raise DecisionsError(f"{e}: {sheet_path}") from e
    try:
        wb = load_workbook(Path(sheet_path), read_only=True, data_only=True)
    except Exception as e:  # noqa: BLE001 - any unreadable file gets one Japanese message
        raise DecisionsError(f"レビュー表を開けません: {sheet_path}（{type(e).__name__}: {e}）") from e
    try:
        return _import_workbook(wb, Path(sheet_path), decisions, today or jst.today())
    finally:
        wb.close()


def _import_workbook(wb: Any, sheet_path: Path, decisions: DecisionsFile, today: date) -> ImportResult:
    wanted = {
        "finding_id": "finding_id",
        "text_hash": "text_hash",
        "rule_id": "rule_id",
        "例規名": "title",
        "条項": "citation",
        "規定内容": "provision_text",
        "ファイル": "path",
    }
    wanted.update({h: k for k, h, _ in DECISION_FIELDS})
    wanted_keys = {_header_key(h): k for h, k in wanted.items()}
    sheets = [wb["レビュー表"]] if "レビュー表" in wb.sheetnames else []
    sheets += [ws for ws in wb.worksheets if ws.title != "レビュー表"]
    for ws in sheets:
        rows = ws.iter_rows(values_only=True)
        for header_row, values in enumerate(rows, 1):
            if header_row > 20:
                break
            cols: dict[str, int] = {}
            for i, v in enumerate(values):
                k = wanted_keys.get(_header_key(v))
                if k and k not in cols:
                    cols[k] = i
            if "finding_id" in cols:
                return _import_rows(rows, header_row, cols, sheet_path, decisions, today)
    raise DecisionsError(
        f"レビュー表に finding_id 列が見つかりません: {sheet_path}"
        "（analogscan が作った Excel のレビュー表を指定してください。列を削除した場合は戻してください）"
    )


def _import_rows(
    rows: Any, header_row: int, cols: dict[str, int], sheet_path: Path, decisions: DecisionsFile, today: date
) -> ImportResult:
    res = ImportResult()
    table = decisions.setdefault("decisions", {})
    missing = [h for k, h, _ in DECISION_FIELDS if k not in cols and k != "department"]
    if missing:
        res.warnings.append("列が見つかりません（読み飛ばします）: " + "、".join(missing))
    seen: dict[str, tuple[int, dict[str, str]]] = {}

    def get(values: tuple[Any, ...], key: str) -> str:
        i = cols.get(key)
        if i is None or i >= len(values):
            return ""
        return _strip_quote(_cell_text(values[i]))

    for rownum, values in enumerate(rows, header_row + 1):
        if values is None:
            continue
        fid = get(values, "finding_id")
        if not fid:
            continue
        res.rows += 1
        doc_path = get(values, "path")
        if doc_path and doc_path not in res.files:
            res.files.append(doc_path)
        entry = {k: get(values, k) for k, _, _ in DECISION_FIELDS}
        if not any(entry.values()):
            res.empty += 1
            continue
        # The same ordinance scanned from two files (PDF and text) gives rows with the same id;
        # that is fine unless staff wrote different decisions into them.
        if fid in seen and seen[fid][1] != entry:
            res.warnings.append(
                f"{rownum} 行目: 同じ検出（finding_id {fid}）の {seen[fid][0]} 行目と判断が違います（{rownum} 行目を採用）"
            )
        seen[fid] = (rownum, entry)
        if entry["note"].startswith(RECHECK_MARKER):
            if fid in table:
                res.kept_recheck += 1
                continue
            entry["note"] = entry["note"][len(RECHECK_MARKER) :].strip()
        # staff removed the marker but left our explanation: keep only their own words
        entry["note"] = entry["note"].replace(RECHECK_NOTE[len(RECHECK_MARKER) :], "").strip()
        for k, choices in FIELD_CHOICES.items():
            if choices and entry[k] and entry[k] not in choices:
                res.warnings.append(
                    f"{rownum} 行目: {FIELD_HEADERS[k]}「{entry[k]}」は選択肢（{'・'.join(choices)}）にありません（そのまま記録します）"
                )
        th = get(values, "text_hash")
        if not th and get(values, "provision_text"):
            th = text_hash(get(values, "provision_text"))
        rec: DecisionRecord = {k: v for k, v in entry.items() if v}
        rec["text_hash"] = th or None
        rec["rule_id"] = get(values, "rule_id")
        rec["title"] = get(values, "title")
        rec["citation"] = get(values, "citation")
        old = table.get(fid)
        compare = [k for k, _, _ in DECISION_FIELDS] + ["text_hash"]
        if isinstance(old, dict) and all((old.get(k) or "") == (rec.get(k) or "") for k in compare):
            res.unchanged += 1
            continue
        rec["date"] = today.isoformat()
        rec["source"] = sheet_path.name
        table[fid] = rec
        res.imported += 1
    return res
