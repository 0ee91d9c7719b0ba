"""Render some みどり野市 documents as horizontal A4 PDFs in 例規集 style.

Sources: corpora/reiki/<stem>.txt (decoded from its encoding) or, for PDF-only documents,
corpora/pdf_src/<stem>.txt.src.  Output: corpora/reiki/<stem>.pdf.

Layout: reportlab built-in CID font HeiseiMin-W3 (not embedded), 10.5pt body, line wrapping by
character width with simple 禁則 (、。）」 never start a line), hanging indents (条・項 1 字,
号 2 字, イロハ/アイウ 3 字), 見出し and 章 indented, ruled 別表, running head (the title) on every
page, page-number footer 「－1－」.  Articles run on across page breaks.

After writing, each PDF is read back with pdfplumber and every source line (whitespace removed)
must occur in the extracted text with running heads and footers removed.

Run: .venv/bin/python corpora/make_pdfs.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pdfplumber
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).resolve().parent
REIKI = HERE / "reiki"
PDF_SRC = HERE / "pdf_src"

# stem -> source encoding (None = PDF-only source in pdf_src/)
PDF_DOCS = {
    "okugai_kokokubutsu_jorei": "utf-8",
    "koshu_yokujo_jorei": "utf-8",
    "kaihatsu_shido_yoko": "utf-8",
    "nyusatsu_shikaku_yoko": "utf-8",
    "shizei_jorei_kisoku": None,
}

FONT = "HeiseiMin-W3"
SIZE = 10.5
LEAD = 18.5  # line pitch
HEAD_SIZE = 8
PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 70, 70, 78, 72
WIDTH = PAGE_W - LEFT - RIGHT
EM = SIZE
NO_START = set("、。，．）」』〕］｝")

pdfmetrics.registerFont(UnicodeCIDFont(FONT))

NUM = r"[0-9０-９〇一二三四五六七八九十百]+"
RE_CHAPTER = re.compile(rf"^第{NUM}[章節款]　")
RE_CAPTION = re.compile(r"^（[^）]*）$")
RE_ARTICLE = re.compile(rf"^第{NUM}条(の{NUM})*　")
RE_PARA = re.compile(r"^([0-9]+|[０-９]+)　")
RE_ITEM = re.compile(r"^(\([0-9]+\)|（[0-9０-９]+）|[一二三四五六七八九十]+)　")
RE_SUB = re.compile(r"^([アイウエオカキクケコ]|[イロハニホヘトチ])　")
RE_SUPPL = re.compile(r"^附　?則")
RE_TABLE = re.compile(rf"^別表(第{NUM})?（.*関係）$|^別表(第{NUM})?$")


def width(s: str, size: float = SIZE) -> float:
    return pdfmetrics.stringWidth(s, FONT, size)


def wrap(text: str, first: float, rest: float, avail: float) -> list[tuple[float, str]]:
    """Split text into (indent, line) pairs fitting avail points, by character widths."""
    out: list[tuple[float, str]] = []
    indent, cur, w = first, "", 0.0
    for ch in text:
        cw = width(ch)
        if cur and indent + w + cw > avail and ch not in NO_START:
            out.append((indent, cur))
            indent, cur, w = rest, "", 0.0
        cur += ch
        w += cw
    if cur:
        out.append((indent, cur))
    return out


class Doc:
    def __init__(self, path: Path, title: str):
        self.c = canvas.Canvas(str(path), pagesize=A4, invariant=1)  # reproducible bytes
        self.c.setTitle(title)
        self.c.setAuthor("みどり野市（架空）")
        self.title = title
        self.page = 0
        self.y = 0.0
        self.new_page()

    def new_page(self) -> None:
        if self.page:
            self.c.showPage()
        self.page += 1
        c = self.c
        c.setFont(FONT, HEAD_SIZE)
        c.drawRightString(PAGE_W - RIGHT, PAGE_H - 44, self.title)
        c.setLineWidth(0.4)
        c.line(LEFT, PAGE_H - 49, PAGE_W - RIGHT, PAGE_H - 49)
        c.setFont(FONT, 9)
        c.drawCentredString(PAGE_W / 2, 36, f"－{self.page}－")
        self.y = PAGE_H - TOP

    def need(self, h: float) -> None:
        if self.y - h < BOTTOM:
            self.new_page()

    def line(self, x: float, s: str, size: float = SIZE) -> None:
        self.need(LEAD)
        self.c.setFont(FONT, size)
        self.c.drawString(LEFT + x, self.y, s)
        self.y -= LEAD

    def para(self, text: str, first: float, rest: float) -> None:
        for x, s in wrap(text, first, rest, WIDTH):
            self.line(x, s)

    def right(self, s: str) -> None:
        self.need(LEAD)
        self.c.setFont(FONT, SIZE)
        self.c.drawRightString(PAGE_W - RIGHT, self.y, s)
        self.y -= LEAD

    def table(self, rows: list[list[str]]) -> None:
        ncol = max(len(r) for r in rows)
        # first column narrow, the rest share the remaining width
        first_w = min(WIDTH * 0.34, max(width(r[0]) for r in rows) + EM)
        widths = [first_w] + [(WIDTH - first_w) / (ncol - 1)] * (ncol - 1) if ncol > 1 else [WIDTH]
        pad = 3
        for r in rows:
            cells = [
                wrap(cell, 0, 0, w - 2 * pad)
                for cell, w in zip(r + [""] * (ncol - len(r)), widths, strict=False)
            ]
            nlines = max(len(x) for x in cells) or 1
            h = nlines * LEAD + 4
            self.need(h)
            top = self.y + LEAD - 5
            x = LEFT
            self.c.setLineWidth(0.5)
            for cell, w in zip(cells, widths, strict=True):
                self.c.rect(x, top - h, w, h)
                yy = self.y - 2
                self.c.setFont(FONT, SIZE)
                for _, s in cell:
                    self.c.drawString(x + pad, yy, s)
                    yy -= LEAD
                x += w
            self.y -= h

    def save(self) -> None:
        self.c.save()


def render(stem: str, lines: list[str], out: Path) -> None:
    title, date, number, body = lines[0], lines[1], lines[2], lines[3:]
    d = Doc(out, title)
    d.para(title, EM, EM)
    d.right(date)
    d.right(number)
    d.y -= LEAD / 2
    in_toc = False
    table: list[list[str]] | None = None
    in_suppl = False
    for s in body + [""]:
        if table is not None and (not s or RE_TABLE.match(s)):
            d.table(table)
            d.y -= LEAD / 2
            table = None
        if not s:
            continue
        if s == "目次":
            in_toc = True
            d.line(EM, s)
            continue
        if in_toc and (re.match(rf"^第{NUM}[章節].*（.*）$", s) or s == "附則"):
            d.para(s, 2 * EM, 3 * EM)
            continue
        in_toc = False
        if RE_TABLE.match(s):
            d.line(0, s)
            table = []
            continue
        if table is not None:
            table.append(s.split("　", 1))
            continue
        if RE_SUPPL.match(s):
            in_suppl = True
            d.line(3 * EM, s)
        elif RE_CHAPTER.match(s):
            d.line(3 * EM, s)
        elif RE_CAPTION.match(s):
            d.line(EM, s)
        elif RE_ARTICLE.match(s) or RE_PARA.match(s):
            d.para(s, 0, EM)
        elif RE_ITEM.match(s):
            d.para(s, EM, 2 * EM)
        elif RE_SUB.match(s):
            d.para(s, 2 * EM, 3 * EM)
        elif in_suppl:
            d.para(s, EM, 0)  # unnumbered 附則 paragraph
        else:
            d.para(s, 0, EM)
    d.save()


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def verify(pdf: Path, lines: list[str]) -> tuple[int, int, int]:
    """Return (pages, missing source lines, pages whose first body line continues a provision)."""
    title = lines[0]
    texts = []
    run_on = 0
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages, 1):
            t = page.extract_text() or ""
            body = t.splitlines()
            if body and body[0].strip() == title:  # running head
                body = body[1:]
            # footer: pdfminer maps the CID of 「－」 back to U+2212, so accept either
            if body and re.fullmatch(rf"[－−-]{i}[－−-]", body[-1].strip()):
                body = body[:-1]
            else:
                print(f"   page {i}: footer not found")
            if i > 1 and body and not re.match(rf"^(第{NUM}|[0-9０-９]+\s|（|\(|附|別表)", body[0]):
                run_on += 1
            texts.append("".join(body))
    full = squeeze("".join(texts))
    missing = [ln for ln in lines if squeeze(ln) not in full]
    for ln in missing[:5]:
        print("   missing:", ln[:60])
    return len(texts), len(missing), run_on


def main() -> int:
    bad = 0
    for stem, enc in PDF_DOCS.items():
        if enc is None:
            src = PDF_SRC / f"{stem}.txt.src"
            text = src.read_text(encoding="utf-8")
        else:
            src = REIKI / f"{stem}.txt"
            text = src.read_bytes().decode(enc)
        lines = [ln for ln in text.lstrip("\ufeff").splitlines() if ln.strip()]
        out = REIKI / f"{stem}.pdf"
        render(stem, lines, out)
        pages, missing, run_on = verify(out, lines)
        print(
            f"{out.relative_to(HERE.parent)}: {pages} pages, {len(lines)} source lines, "
            f"missing in text layer: {missing}, pages starting mid-provision: {run_on}"
        )
        bad += missing
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
