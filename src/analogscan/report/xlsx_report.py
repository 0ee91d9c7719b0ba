"""Excel review sheet (レビュー表 / 集計 / 文書) that staff fill in for 該非判断 and 見直し方針.

Rendered from the JSON report dict. Text that comes from the scanned documents is never
written as a formula: cells starting with = + - @ TAB CR are forced to string type and get
Excel's quote prefix, so editing such a cell in Excel keeps it text too.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..jst import display, to_jst
from ..model import TIER_LABELS, TYPE_CODES, TYPE_LABELS, tier_of
from ..review import (
    FIELD_CHOICES,
    RECHECK_NOTE,
    STATUS_RECHECK,
    decision_fields,
    direction_for,
    ensure_ids,
)
from .amend_view import HONESTY_LINE, amend_view, has_drafts

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32767
STATUS_JA = {"ok": "正常", "warning": "警告", "error": "エラー"}
LEVEL_JA = {"info": "情報", "warning": "警告", "error": "エラー"}

HEADER_FILL = PatternFill("solid", fgColor="FF1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFFFF9E0")  # columns staff type into
RECHECK_FILL = PatternFill("solid", fgColor="FFFFC7CE")
TECH_FILL = PatternFill("solid", fgColor="FFEDEDED")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
MATCH_FONT = InlineFont(b=True, color="FFFF0000")
CHANGED_FONT = InlineFont(u="single", color="FF006100")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    hidden: bool = False
    input: bool = False  # staff fill it in


REVIEW_COLUMNS: tuple[Column, ...] = (
    Column("番号", 6),
    Column("所管課", 12, input=True),
    Column("例規名", 24),
    Column("例規番号", 16),
    Column("条項", 14),
    Column("規定内容", 60),
    Column("該当箇所", 20),
    Column("規制区分", 14),
    Column("判定段階", 12),
    Column("判定理由", 40),
    Column("確度", 6),
    Column("見直しの方向性", 30),
    Column(
        "見直し案", 50
    ),  # the drafted amended provision (changed words underlined) or 「手作業で起案（理由）」
    Column("該非", 9, input=True),
    Column("根拠法令の有無", 10, input=True),
    Column("見直し方針", 14, input=True),
    Column("見直し時期", 12, input=True),
    Column("備考", 30, input=True),
    Column("finding_id", 14, hidden=True),
    Column("text_hash", 14, hidden=True),
    Column("rule_id", 14, hidden=True),
    Column("ファイル", 30, hidden=True),
)
COL = {c.header: i + 1 for i, c in enumerate(REVIEW_COLUMNS)}


def clean_text(value: object) -> str:
    s = "" if value is None else str(value)
    s = ILLEGAL_CHARACTERS_RE.sub("", s)
    if len(s) > MAX_CELL:
        s = s[: MAX_CELL - 10] + "…（以下省略）"
    return s


def set_text(cell: Cell, value: object) -> None:
    """Write input-derived text so that Excel shows it as text, never as a formula."""
    s = clean_text(value)
    cell.value = s if s else None
    if s:
        cell.data_type = "s"
        if s.startswith(FORMULA_START):
            cell.quotePrefix = True


def rich_provision(text: str, span: list[int] | tuple[int, int] | None, matched: str) -> CellRichText | str:
    """Provision text with the matched span in bold red (openpyxl rich text)."""
    text = clean_text(text)
    lo = hi = -1
    if span and len(span) == 2 and 0 <= int(span[0]) < int(span[1]) <= len(text):
        lo, hi = int(span[0]), int(span[1])
        if matched and text[lo:hi] != matched:
            lo = hi = -1
    if lo < 0 and matched:
        lo = text.find(clean_text(matched))
        hi = lo + len(clean_text(matched)) if lo >= 0 else -1
    if lo < 0 or hi <= lo:
        return text
    parts: list[str | TextBlock] = []
    if text[:lo]:
        parts.append(text[:lo])
    parts.append(TextBlock(MATCH_FONT, text[lo:hi]))
    if text[hi:]:
        parts.append(text[hi:])
    return CellRichText(parts)


def _header(ws: Worksheet, headers: list[str], widths: Sequence[float]) -> None:
    for i, (h, w) in enumerate(zip(headers, widths, strict=True), 1):
        c = ws.cell(row=1, column=i, value=h)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 30


header_row = _header  # the styled header row, shared with the 新旧対照表 workbook


def _review_sheet(ws: Worksheet, report: dict[str, Any]) -> int:
    _header(ws, [c.header for c in REVIEW_COLUMNS], [c.width for c in REVIEW_COLUMNS])
    for i, col in enumerate(REVIEW_COLUMNS, 1):
        letter = get_column_letter(i)
        if col.hidden:
            ws.column_dimensions[letter].hidden = True
        if col.input:
            ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor="FFBF8F00")
    row = 1
    for doc in report.get("documents", []):
        for f in doc.get("findings", []):
            row += 1
            d = decision_fields(f.get("decision"))
            recheck = f.get("decision_status") == STATUS_RECHECK
            values: dict[str, object] = {
                "例規名": doc.get("title", ""),
                "例規番号": doc.get("number", ""),
                "条項": f.get("location", {}).get("label", ""),
                "該当箇所": f.get("matched", ""),
                "規制区分": f.get("type_label") or TYPE_LABELS.get(f.get("type", ""), f.get("type", "")),
                "判定段階": TIER_LABELS[tier_of(f)],
                "判定理由": f.get("message", ""),
                "見直しの方向性": direction_for(f.get("type", "")),
                "所管課": d["department"],
                "該非": d["applicable"],
                "根拠法令の有無": d["legal_basis"],
                "見直し方針": d["policy"],
                "見直し時期": d["timing"],
                "備考": (RECHECK_NOTE + ("\n" + d["note"] if d["note"] else "")) if recheck else d["note"],
                "finding_id": f.get("finding_id", ""),
                "text_hash": f.get("text_hash", ""),
                "rule_id": f.get("rule_id", ""),
                "ファイル": doc.get("path", ""),
            }
            ws.cell(row=row, column=COL["番号"], value=row - 1)
            conf = f.get("confidence")
            ws.cell(row=row, column=COL["確度"], value=float(conf) if isinstance(conf, int | float) else None)
            ws.cell(row=row, column=COL["確度"]).number_format = "0.00"
            for header, v in values.items():
                set_text(ws.cell(row=row, column=COL[header]), v)
            av = amend_view(f)
            if av is not None:
                ac = ws.cell(row=row, column=COL["見直し案"])
                if av.template_id and any(c for _, c in av.after):
                    ac.value = CellRichText(
                        [
                            TextBlock(CHANGED_FONT, clean_text(p)) if c else clean_text(p)
                            for p, c in av.after
                            if p
                        ]
                    )
                else:
                    set_text(ac, av.cell_text())
            pc = ws.cell(row=row, column=COL["規定内容"])
            rt = rich_provision(str(f.get("provision_text", "")), f.get("span"), str(f.get("matched", "")))
            if isinstance(rt, CellRichText):
                pc.value = rt
                if str(rt).startswith(FORMULA_START):
                    pc.quotePrefix = True
            else:
                set_text(pc, rt)
            for i, col in enumerate(REVIEW_COLUMNS, 1):
                c = ws.cell(row=row, column=i)
                c.alignment = WRAP_TOP
                if col.input:
                    c.fill = INPUT_FILL
                elif col.hidden:
                    c.fill = TECH_FILL
            if recheck:
                for h in ("備考", "該非", "条項"):
                    ws.cell(row=row, column=COL[h]).fill = RECHECK_FILL
                ws.cell(row=row, column=COL["備考"]).font = Font(bold=True, color="FF9C0006")
    last = max(row, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{last}"
    # printable for meetings: A3 landscape, all columns on one page width, header row repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    for key, header in (("applicable", "該非"), ("legal_basis", "根拠法令の有無"), ("policy", "見直し方針")):
        choices = FIELD_CHOICES[key]
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{header}の入力",
            error="一覧から選んでください: " + "・".join(choices),
            showInputMessage=True,
            promptTitle=header,
            prompt="・".join(choices),
        )
        letter = get_column_letter(COL[header])
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    return row - 1


def _summary_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    headers = ["例規名", "例規番号"] + [TYPE_LABELS[t] for t in TYPE_CODES] + ["合計"]
    _header(ws, headers, [30, 18] + [11] * len(TYPE_CODES) + [8])
    totals: Counter[str] = Counter()
    row = 1
    for doc in report.get("documents", []):
        counts = Counter(f.get("type", "") for f in doc.get("findings", []))
        row += 1
        set_text(ws.cell(row=row, column=1), doc.get("title") or doc.get("path", ""))
        set_text(ws.cell(row=row, column=2), doc.get("number", ""))
        for j, t in enumerate(TYPE_CODES, 3):
            ws.cell(row=row, column=j, value=counts.get(t, 0))
        ws.cell(row=row, column=3 + len(TYPE_CODES), value=sum(counts.values()))
        totals.update(counts)
        for j in range(1, len(headers) + 1):
            ws.cell(row=row, column=j).alignment = WRAP_TOP
    row += 1
    ws.cell(row=row, column=1, value="合計").font = Font(bold=True)
    for j, t in enumerate(TYPE_CODES, 3):
        ws.cell(row=row, column=j, value=totals.get(t, 0)).font = Font(bold=True)
    ws.cell(row=row, column=3 + len(TYPE_CODES), value=sum(totals.values())).font = Font(bold=True)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row - 1, 2)}"
    tool = report.get("tool", {})
    row += 2
    meta = [
        ("作成日時", _generated(tool.get("generated_at", ""))),
        ("analogscan", tool.get("version", "")),
        ("ルール", f"{tool.get('rules', '')} 件（{tool.get('ruleset', '')}）"),
    ]
    if has_drafts(report):
        meta.append(("見直し案", HONESTY_LINE))
    for label, value in meta:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        set_text(ws.cell(row=row, column=2), value)
        row += 1


def _generated(value: object) -> str:
    """令和8年12月5日 17時28分（2026-12-05T17:28:31+09:00）: 和暦 for staff, ISO for the record."""
    t = to_jst(value) if isinstance(value, str) else None
    if t is None:
        return str(value or "")
    return f"{display(t)}（{t.isoformat(timespec='seconds')}）"


def _documents_sheet(ws: Worksheet, report: dict[str, Any]) -> None:
    headers = ["ファイル", "例規名", "例規番号", "形式", "状態", "条項数", "検出数", "メッセージ"]
    _header(ws, headers, [36, 28, 18, 8, 8, 8, 8, 60])
    row = 1
    for doc in report.get("documents", []):
        row += 1
        msgs = []
        for m in doc.get("messages", []):
            page = f"（{m['page']}ページ）" if m.get("page") else ""
            msgs.append(f"[{LEVEL_JA.get(m.get('level', ''), m.get('level', ''))}] {m.get('text', '')}{page}")
        vals: list[object] = [
            doc.get("path", ""),
            doc.get("title", ""),
            doc.get("number", ""),
            doc.get("format", ""),
            STATUS_JA.get(doc.get("status", ""), doc.get("status", "")),
        ]
        for j, v in enumerate(vals, 1):
            set_text(ws.cell(row=row, column=j), v)
        ws.cell(row=row, column=6, value=doc.get("provisions", 0))
        ws.cell(row=row, column=7, value=len(doc.get("findings", [])))
        set_text(ws.cell(row=row, column=8), "\n".join(msgs))
        for j in range(1, len(headers) + 1):
            c = ws.cell(row=row, column=j)
            c.alignment = WRAP_TOP
            if doc.get("status") == "error":
                c.fill = RECHECK_FILL
            elif doc.get("status") == "warning":
                c.fill = PatternFill("solid", fgColor="FFFFEB9C")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row, 2)}"


def build_workbook(report: dict[str, Any]) -> Workbook:
    report = ensure_ids(copy.deepcopy(report))
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "レビュー表"
    _review_sheet(ws, report)
    _summary_sheet(wb.create_sheet("集計"), report)
    _documents_sheet(wb.create_sheet("文書"), report)
    wb.properties.title = "アナログ規制 レビュー表"
    wb.properties.creator = "analogscan"
    return wb


def render_xlsx(report: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    build_workbook(report).save(buf)
    return buf.getvalue()
