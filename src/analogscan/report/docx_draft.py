"""新旧対照表 as Word (.docx): A4 landscape, one table 改正後 | 改正前 per 例規, changed words underlined."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from ..amend.apply import HONESTY_LINE, MANUAL
from ..amend.draft import DraftDoc
from ..amend.kaibun import Span, segments

FONT = "ＭＳ 明朝"
HEADERS = ("改正後", "改正前")


def _font(run_or_style: object, size: float | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = run_or_style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)


def _clean(s: str) -> str:
    # characters XML 1.0 cannot carry (control codes from a broken source) would corrupt the file
    return "".join(ch for ch in s if ch in "\t\n" or ord(ch) >= 0x20)


def _fill(cell: _Cell, label: str, text: str, marks: list[Span], note: str | None = None) -> None:
    p = cell.paragraphs[0]
    head = p.add_run(_clean(label) + "　")
    head.bold = True
    _font(head)
    for piece, changed in segments(text, marks):
        r = p.add_run(_clean(piece))
        _font(r)
        if changed:
            r.underline = True
    if note:
        q = cell.add_paragraph()
        r = q.add_run(_clean(note))
        _font(r, 9)
        r.italic = True


def build_docx(docs: list[DraftDoc]) -> DocxDocument:
    d = Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(18))
    _font(d.styles["Normal"], 10.5)
    d.core_properties.title = "新旧対照表"
    d.core_properties.author = "analogscan"
    if not docs:
        d.add_paragraph("改正の対象となる規定はありません。")
    for n, doc in enumerate(docs):
        title = d.add_paragraph()
        if n:
            title.add_run().add_break(WD_BREAK.PAGE)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        tr = title.add_run(_clean(doc.table_title))
        tr.bold = True
        _font(tr, 14)
        if doc.number:
            sub = d.add_paragraph()
            sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(sub.add_run(_clean(f"（改正する{doc.kind}: {doc.title}（{doc.number}））")), 9)
        honesty = d.add_paragraph()
        _font(honesty.add_run(HONESTY_LINE), 9)
        table = d.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, h in zip(table.rows[0].cells, HEADERS, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            r = cell.paragraphs[0].add_run(h)
            r.bold = True
            _font(r)
        for row in doc.rows:
            after_cell, before_cell = table.add_row().cells
            if row.drafted:
                note = None
                if row.manual:
                    note = f"※ {row.manual}"
                elif row.notes:
                    note = "※ " + "、".join(row.notes)
                _fill(after_cell, row.label, row.after or "", row.after_marks, note)
            else:
                _fill(after_cell, row.label, f"（{MANUAL}）", [], f"理由: {row.manual or ''}")
            _fill(before_cell, row.label, row.before, row.before_marks if row.drafted else [])
        for r in table.rows:
            for c in r.cells:
                c.width = Mm(130)
    return d


def render_docx(docs: list[DraftDoc]) -> bytes:
    buf = io.BytesIO()
    build_docx(docs).save(buf)
    return buf.getvalue()
