"""Review decisions: stable finding ids, the decisions file, and carrying decisions to new reports.

A finding id must survive re-scans, so it is built from what identifies the finding, not from
where it happens to sit in a report:

* the document identity — title + 例規番号 when both are known (survives file renames and
  PDF/text exports of the same ordinance), else the file name stem;
* the citation key of the provision (条・項・号…, plus which 附則 block);
* the rule id.

The provision text is hashed separately (``text_hash``): when a later scan finds the same
finding but the text changed, a carried decision is flagged 「要再確認」.

Staff decisions live in a JSON decisions file keyed by finding id (see ``import_sheet``).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from . import jst
from .fsutil import atomic_write_text
from .model import Location
from .structure.numbering import citation_key

DECISIONS_SCHEMA_VERSION = 1
DEFAULT_DECISIONS_FILE = "analogscan-decisions.json"

STATUS_CARRIED = "carried"
STATUS_RECHECK = "要再確認"

# Decision fields: (key in the decisions file, column header in the review sheet, allowed values)
DECISION_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("department", "所管課", ()),
    ("applicable", "該非", ("該当", "非該当", "要検討")),
    ("legal_basis", "根拠法令の有無", ("有", "無", "要確認")),
    ("policy", "見直し方針", ("規定の見直し", "運用で対応", "見直し不要")),
    ("timing", "見直し時期", ()),
    ("note", "備考", ()),
)
FIELD_HEADERS: dict[str, str] = {k: h for k, h, _ in DECISION_FIELDS}
FIELD_CHOICES: dict[str, tuple[str, ...]] = {k: c for k, _, c in DECISION_FIELDS}

# What the review sheet writes in 備考 for a decision whose provision text changed. While the
# marker is still there, importing the sheet keeps the old decision (staff have not re-checked).
RECHECK_MARKER = "【要再確認】"
RECHECK_NOTE = RECHECK_MARKER + "前回の判断の後に規定内容が変わりました。確認したらこの印を消してください。"

# 見直しの方向性: replacement technologies per type (デジタル庁 テクノロジーマップ・技術カタログ).
DIRECTIONS: dict[str, str] = {
    "mokushi": "ドローン・カメラ・ロボット・画像解析AI等による遠隔での確認・監視",
    "jicchi": "オンライン会議・ウェアラブルカメラ等による遠隔での検査、帳簿書類の電子提出",
    "teiki": "センサー等による常時監視・自動計測と異常時の自動通知（頻度の見直しを含む）",
    "jochu": "遠隔監視・オンラインでの対応、一人の者による複数の場所の兼務の許容",
    "keiji": "ウェブサイトへの掲載、デジタルサイネージ、QRコードによる案内",
    "koshu": "ライブ配信・オンデマンド配信による講習（本人確認・受講確認を含む）",
    "etsuran": "認証・複製防止の措置を講じたオンラインでの閲覧・縦覧",
    "media": "オンラインでの提出、「電磁的記録媒体」等の媒体を限定しない規定への改正",
}


def direction_for(type_code: str) -> str:
    return DIRECTIONS.get(type_code, "")


# --------------------------------------------------------------------------- ids


class FindingKey(NamedTuple):
    id: str
    text_hash: str


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def doc_identity(doc: dict[str, Any]) -> str:
    """Identity of a document within a report: title + number, else the file name stem."""
    title = _norm(str(doc.get("title") or ""))
    number = _norm(str(doc.get("number") or ""))
    if title and number:
        return f"{title}|{number}"
    path = str(doc.get("path") or "")
    stem = Path(path.replace("\\", "/")).stem
    return "file:" + (_norm(stem) or title or path)


def location_from_json(d: dict[str, Any] | Location) -> Location:
    if isinstance(d, Location):
        return d
    return Location(
        part=d.get("part") or "main",
        article=d.get("article"),
        paragraph=d.get("paragraph"),
        item=d.get("item"),
        subitems=list(d.get("subitems") or []),
        suppl_index=d.get("suppl_index"),
        suppl_label=d.get("suppl_label"),
        appendix=d.get("appendix"),
        label=d.get("label") or "",
    )


def text_hash(provision_text: str) -> str:
    """sha256 (12 hex) of the provision text; width and whitespace differences do not count."""
    return hashlib.sha256(_norm(provision_text).encode("utf-8")).hexdigest()[:12]


def finding_id(
    doc_identity: str, location: Location | dict[str, Any], rule_id: str, provision_text: str
) -> FindingKey:
    """Stable id (12 hex) of a finding plus the hash of its provision text."""
    loc = location_from_json(location)
    key = citation_key(loc)
    suppl = str(loc.suppl_index) if loc.part == "suppl" and loc.suppl_index is not None else ""
    # Provisions without numbers (別表 lines, 前文) share a key; the label tells them apart.
    extra = loc.label if not (loc.article or loc.paragraph or loc.item) else ""
    raw = json.dumps([1, doc_identity, list(key), suppl, extra, rule_id], ensure_ascii=False)
    fid = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
    return FindingKey(fid, text_hash(provision_text))


def finding_key(doc: dict[str, Any], f: dict[str, Any]) -> FindingKey:
    return finding_id(doc_identity(doc), f["location"], str(f["rule_id"]), str(f.get("provision_text", "")))


def ensure_ids(report: dict[str, Any]) -> dict[str, Any]:
    """Add finding_id / text_hash to every finding that lacks them (in place); returns report."""
    for doc in report.get("documents", []):
        for f in doc.get("findings", []):
            if not f.get("finding_id") or not f.get("text_hash"):
                k = finding_key(doc, f)
                f["finding_id"] = k.id
                f["text_hash"] = k.text_hash
    return report


# --------------------------------------------------------------------------- decisions file


class DecisionsError(Exception):
    """A decisions file or review sheet that cannot be used (Japanese message)."""


def empty_decisions() -> dict[str, Any]:
    return {"schema_version": DECISIONS_SCHEMA_VERSION, "kind": "analogscan-decisions", "decisions": {}}


def load_decisions(path: Path) -> dict[str, Any]:
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
    return data


def save_decisions(path: Path, data: dict[str, Any]) -> None:
    data = dict(data)
    data["decisions"] = dict(sorted(data["decisions"].items()))
    atomic_write_text(Path(path), json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def decision_fields(decision: dict[str, Any] | None) -> dict[str, str]:
    """The staff-entered fields of a decision (strings, '' when absent)."""
    d = decision or {}
    return {k: str(d.get(k) or "") for k, _, _ in DECISION_FIELDS}


def apply_decisions(report: dict[str, Any], decisions: dict[str, Any]) -> dict[str, Any]:
    """A copy of report where each finding with a recorded decision carries it.

    finding["decision"] = the recorded decision; finding["decision_status"] = "carried" when the
    provision text is unchanged, "要再確認" when it changed since the decision.
    report["review"] summarises what was applied.
    """
    out = ensure_ids(copy.deepcopy(report))
    table: dict[str, Any] = decisions.get("decisions", decisions) if isinstance(decisions, dict) else {}
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


def decision_columns(f: dict[str, Any]) -> list[str]:
    """該非, 根拠法令の有無, 見直し方針, 見直し時期, 備考, 判断状況 of one finding (for flat outputs)."""
    d = decision_fields(f.get("decision"))
    status = f.get("decision_status") or ""
    return [d["applicable"], d["legal_basis"], d["policy"], d["timing"], d["note"], status]


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


def import_sheet(sheet_path: Path, decisions: dict[str, Any], *, today: date | None = None) -> ImportResult:
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


def _import_workbook(wb: Any, sheet_path: Path, decisions: dict[str, Any], today: date) -> ImportResult:
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
    rows: Any, header_row: int, cols: dict[str, int], sheet_path: Path, decisions: dict[str, Any], today: date
) -> ImportResult:
    res = ImportResult()
    table: dict[str, Any] = decisions.setdefault("decisions", {})
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
        rec: dict[str, Any] = {k: v for k, v in entry.items() if v}
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
