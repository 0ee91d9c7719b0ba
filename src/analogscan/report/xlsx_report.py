"""Excel review sheet (レビュー表 / 集計 / 文書) that staff fill in for 該非判断 and 見直し方針.

Rendered from the JSON report dict. Text that comes from the scanned documents is never
written as a formula: cells starting with = + - @ TAB CR are forced to string type and get
Excel's quote prefix, so editing such a cell in Excel keeps it text too.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
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
from ..model import TYPE_CODES, TYPE_LABELS
from .amend_view import HONESTY_LINE, amend_view
from .contract import (
    FIELD_CHOICES,
    LEVEL_LABELS,
    RECHECK_NOTE,
    STATUS_LABELS,
    Decision,
    Report,
    ReportDocument,
    ReportFinding,
    read_report,
)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL = 32767
STATUS_JA = STATUS_LABELS
LEVEL_JA = LEVEL_LABELS

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


def _review_values(doc: ReportDocument, f: ReportFinding) -> dict[str, object]:
    """The text cells of one review-sheet row, by column header."""
    d = f.decision or Decision()
    return {
        "例規名": doc.title,
        "例規番号": doc.number,
        "条項": f.citation,
        "該当箇所": f.matched,
        "規制区分": f.type_label,
        "判定段階": f.tier_label,
        "判定理由": f.message,
        "見直しの方向性": f.direction,
        "所管課": d.department,
        "該非": d.applicable,
        "根拠法令の有無": d.legal_basis,
        "見直し方針": d.policy,
        "見直し時期": d.timing,
        "備考": (RECHECK_NOTE + ("\n" + d.note if d.note else "")) if f.recheck else d.note,
        "finding_id": f.finding_id,
        "text_hash": f.text_hash,
        "rule_id": f.rule_id,
        "ファイル": doc.path,
    }


def _review_row(ws: Worksheet, row: int, doc: ReportDocument, f: ReportFinding) -> None:
    ws.cell(row=row, column=COL["番号"], value=row - 1)
    ws.cell(row=row, column=COL["確度"], value=float(f.confidence) if f.confidence is not None else None)
    ws.cell(row=row, column=COL["確度"]).number_format = "0.00"
    for header, v in _review_values(doc, f).items():
        set_text(ws.cell(row=row, column=COL[header]), v)
    av = amend_view(f)
    if av is not None:
        ac = ws.cell(row=row, column=COL["見直し案"])
        if av.template_id and any(c for _, c in av.after):
            ac.value = CellRichText(
                [TextBlock(CHANGED_FONT, clean_text(p)) if c else clean_text(p) for p, c in av.after if p]
            )
        else:
            set_text(ac, av.cell_text())
    pc = ws.cell(row=row, column=COL["規定内容"])
    rt = rich_provision(f.provision_text, f.span, f.matched)
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
    if f.recheck:
        for h in ("備考", "該非", "条項"):
            ws.cell(row=row, column=COL[h]).fill = RECHECK_FILL
        ws.cell(row=row, column=COL["備考"]).font = Font(bold=True, color="FF9C0006")


def _review_validation(ws: Worksheet, last: int) -> None:
    """Drop-down lists for the columns with fixed choices (該非, 根拠法令の有無, 見直し方針)."""
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


def _review_sheet(ws: Worksheet, report: Report) -> int:
    _header(ws, [c.header for c in REVIEW_COLUMNS], [c.width for c in REVIEW_COLUMNS])
    for i, col in enumerate(REVIEW_COLUMNS, 1):
        letter = get_column_letter(i)
        if col.hidden:
            ws.column_dimensions[letter].hidden = True
        if col.input:
            ws.cell(row=1, column=i).fill = PatternFill("solid", fgColor="FFBF8F00")
    row = 1
    for doc, f in report.findings():
        row += 1
        _review_row(ws, row, doc, f)
    last = max(row, 2)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{last}"
    # printable for meetings: A3 landscape, all columns on one page width, header row repeated
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    _review_validation(ws, last)
    return row - 1


def _summary_sheet(ws: Worksheet, report: Report) -> None:
    headers = ["例規名", "例規番号"] + [TYPE_LABELS[t] for t in TYPE_CODES] + ["合計"]
    _header(ws, headers, [30, 18] + [11] * len(TYPE_CODES) + [8])
    totals: Counter[str] = Counter()
    row = 1
    for doc in report.documents:
        counts = Counter(f.type for f in doc.findings)
        row += 1
        set_text(ws.cell(row=row, column=1), doc.title or doc.path)
        set_text(ws.cell(row=row, column=2), doc.number)
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
    tool = report.tool
    row += 2
    rules = "" if tool.rules is None else tool.rules
    meta = [
        ("作成日時", _generated(tool.generated_at)),
        ("analogscan", tool.version),
        ("ルール", f"{rules} 件（{tool.ruleset}）"),
    ]
    if report.has_drafts:
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


def _documents_sheet(ws: Worksheet, report: Report) -> None:
    headers = ["ファイル", "例規名", "例規番号", "形式", "状態", "条項数", "検出数", "メッセージ"]
    _header(ws, headers, [36, 28, 18, 8, 8, 8, 8, 60])
    row = 1
    for doc in report.documents:
        row += 1
        msgs = []
        for m in doc.messages:
            page = f"（{m.page}ページ）" if m.page else ""
            msgs.append(f"[{m.level_label}] {m.text}{page}")
        vals: list[object] = [doc.path, doc.title, doc.number, doc.format, doc.status_label]
        for j, v in enumerate(vals, 1):
            set_text(ws.cell(row=row, column=j), v)
        ws.cell(row=row, column=6, value=doc.provisions)
        ws.cell(row=row, column=7, value=len(doc.findings))
        set_text(ws.cell(row=row, column=8), "\n".join(msgs))
        for j in range(1, len(headers) + 1):
            c = ws.cell(row=row, column=j)
            c.alignment = WRAP_TOP
            if doc.status == "error":
                c.fill = RECHECK_FILL
            elif doc.status == "warning":
                c.fill = PatternFill("solid", fgColor="FFFFEB9C")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(row, 2)}"


def build_workbook(report: Report | Mapping[str, Any]) -> Workbook:
    rep = read_report(report)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "レビュー表"
    _review_sheet(ws, rep)
    _summary_sheet(wb.create_sheet("集計"), rep)
    _documents_sheet(wb.create_sheet("文書"), rep)
    wb.properties.title = "アナログ規制 レビュー表"
    wb.properties.creator = "analogscan"
    return wb


def render_xlsx(report: Report | Mapping[str, Any]) -> bytes:
    buf = io.BytesIO()
    build_workbook(report).save(buf)
    return buf.getvalue()
