"""新旧対照表 as Excel: one row per provision (改正後 | 改正前 underlined), and the 改め文 per 例規."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from ..amend.apply import HONESTY_LINE, MANUAL
from ..amend.draft import DraftDoc, render_kaibun_text
from ..amend.kaibun import Span, segments
from .xlsx_report import WRAP_TOP, clean_text, header_row, set_text

UNDERLINE = InlineFont(u="single", color="FFC00000")
COLUMNS = (
    ("例規名", 24),
    ("例規番号", 16),
    ("条項", 14),
    ("改正後", 60),
    ("改正前", 60),
    ("改め文", 50),
    ("起案", 12),
    ("文例", 16),
    ("備考", 40),
)


def _rich(text: str, marks: list[Span]) -> CellRichText | str:
    text = clean_text(text)
    segs = segments(text, marks)
    if not any(c for _, c in segs):
        return text
    return CellRichText([TextBlock(UNDERLINE, s) if c else s for s, c in segs])


def _table(ws: Worksheet, docs: list[DraftDoc]) -> None:
    header_row(ws, [h for h, _ in COLUMNS], [w for _, w in COLUMNS])
    row = 1
    for d in docs:
        for r in d.rows:
            row += 1
            vals = [
                d.title,
                d.number,
                r.label,
                None,
                None,
                r.kaibun or "",
                "文例" if r.kaibun else MANUAL,
                "・".join(r.template_ids),
                r.manual or "、".join(r.notes),
            ]
            for j, v in enumerate(vals, 1):
                if v is not None:
                    set_text(ws.cell(row=row, column=j), v)
            after = _rich(r.after, r.after_marks) if r.after is not None else f"（{MANUAL}）"
            before = _rich(r.before, r.before_marks if r.drafted else [])
            for col, v in ((4, after), (5, before)):
                if isinstance(v, CellRichText):
                    ws.cell(row=row, column=col).value = v
                else:
                    set_text(ws.cell(row=row, column=col), v)
            for j in range(1, len(COLUMNS) + 1):
                ws.cell(row=row, column=j).alignment = WRAP_TOP
    ws.cell(row=row + 2, column=1, value=HONESTY_LINE).font = Font(bold=True, color="FF9C0006")
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4


def render_draft_xlsx(docs: list[DraftDoc]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "新旧対照表"
    _table(ws, docs)
    ks = wb.create_sheet("改め文")
    ks.column_dimensions["A"].width = 120
    for i, line in enumerate(render_kaibun_text(docs).splitlines(), 1):
        c = ks.cell(row=i, column=1)
        set_text(c, line)
        c.alignment = WRAP_TOP
    wb.properties.title = "新旧対照表"
    wb.properties.creator = "analogscan"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
