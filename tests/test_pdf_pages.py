"""PDF pages at scale: chars straight from pdfminer's layout, tables from the same edges, pages
read on several processes, and glued sub-item markers whose space fell at a line break.

Real PDFs only: drawn by the project's maker (corpora/make_pdfs.py, reportlab), the shared
samples and 官報 (skipped when ../shared is absent), and LibreOffice renderings (skipped when
``soffice`` is not installed)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import CORPORA, REPO, shared_path

from analogscan.batch import BatchConfig, run_batch
from analogscan.ingest import pdf_pages
from analogscan.ingest.pdf import read_pdf
from analogscan.model import DocumentResult
from analogscan.pipeline import load_ordinance
from analogscan.ruleset.loader import load_ruleset
from analogscan.structure.markers import int_to_kanji

sys.path.insert(0, str(CORPORA))
sys.path.insert(0, str(REPO / "bench"))
import bench_pdf  # noqa: E402
import make_pdfs  # noqa: E402

KEYS = ("text", "fontname", "size", "upright", "x0", "x1", "top", "bottom")


def _maker_lines(stems: list[str]) -> list[str]:
    """Title, date, number, then the bodies of several corpora/reiki ordinances."""
    out = ["試験用例規集（複数の例規をつなげたもの）", "令和七年一月一日", "試験第一号"]
    for stem in stems:
        text = (CORPORA / "reiki" / f"{stem}.txt").read_text(encoding="utf-8").lstrip("\ufeff")
        out += [ln for ln in text.splitlines() if ln.strip()][3:]
    return out


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10+ page PDF drawn by the project's maker."""
    stems = [s for s, enc in make_pdfs.PDF_DOCS.items() if enc == "utf-8"]
    out = tmp_path_factory.mktemp("maker") / "long.pdf"
    make_pdfs.render("long", _maker_lines(stems), out)
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 2 * pdf_pages.MIN_PAGES_PER_PROCESS
    return out


def _same_chars(path: Path, pages: list[int] | None = None) -> int:
    n = 0
    with pdfplumber.open(path) as pdf:
        for k in pages or range(1, len(pdf.pages) + 1):
            page = pdf.pages[k - 1]
            mine = pdf_pages.page_objects(page)
            theirs = [c for c in page.chars if c["text"]]
            assert [tuple(c[key] for key in KEYS) for c in mine.chars] == [
                tuple(c[key] for key in KEYS) for c in theirs
            ], (path.name, k)
            assert mine.rects == page.rects and mine.lines == page.lines and mine.curves == page.curves
            assert len(mine.images) == len(page.images)
            n += len(mine.chars)
    return n


def test_page_objects_match_pdfplumber_chars(long_pdf: Path) -> None:
    assert _same_chars(long_pdf) > 5000


@pytest.mark.parametrize("name", ["a_yoko", "b_tate_lo", "b_tate_identity_v", "c_nidan", "d_mixed"])
def test_page_objects_match_on_samples(name: str) -> None:
    assert _same_chars(shared_path("pdf-samples", f"{name}.pdf")) > 1000


def test_page_objects_match_on_rotated_kanpo() -> None:
    """A4 landscape via /Rotate 270, sideways masthead, CID fonts with private-use codes."""
    path = shared_path("corpus", "kanpo_pdf", "20250703c00122full00010040.pdf")
    assert _same_chars(path, [1, 2, 40]) > 1000


@pytest.mark.parametrize("name", ["a_yoko", "b_tate_lo", "c_nidan"])
def test_tables_from_the_same_edges(name: str) -> None:
    found = 0
    with pdfplumber.open(shared_path("pdf-samples", f"{name}.pdf")) as pdf:
        for page in pdf.pages:
            mine = pdf_pages.find_tables(page, pdf_pages.page_objects(page))
            theirs = page.find_tables()
            assert [t.bbox for t in mine] == [t.bbox for t in theirs]
            assert [t.cells for t in mine] == [t.cells for t in theirs]
            found += len(mine)
    assert found  # each sample has a ruled 別表


def test_chunks_cover_every_page_once_in_order() -> None:
    assert pdf_pages.chunks(5, 4) == [[1, 2, 3, 4, 5]]  # too short for a pool
    assert pdf_pages.chunks(4, 2, 1) == [[1], [2], [3], [4]]  # OCR: every page may take seconds
    assert pdf_pages.chunks(100, 1) == [list(range(1, 101))]
    for n, jobs in [(8, 2), (9, 2), (119, 2), (3000, 4), (13, 8)]:
        parts = pdf_pages.chunks(n, jobs)
        assert [p for part in parts for p in part] == list(range(1, n + 1))
        assert 1 < len(parts) <= jobs * pdf_pages.CHUNKS_PER_PROCESS
        assert min(len(p) for p in parts) >= pdf_pages.MIN_PAGES_PER_PROCESS


def _doc(path: Path, jobs: int) -> tuple[list[tuple[str, int | None]], list[tuple[str, str, int | None]]]:
    d = read_pdf(path, jobs=jobs)
    return [(ln.text, ln.page) for ln in d.lines], [(m.level, m.text, m.page) for m in d.messages]


def test_pages_on_two_processes_read_the_same(long_pdf: Path) -> None:
    one = _doc(long_pdf, 1)
    assert len(one[0]) > 100
    assert _doc(long_pdf, 2) == one
    assert _doc(long_pdf, 3) == one


def test_pages_on_two_processes_read_the_same_kanpo() -> None:
    path = shared_path("corpus", "kanpo_pdf", "20250703c00122full00010040.pdf")
    one = _doc(path, 1)
    assert any("文字コードの対応がない" in m[1] for m in one[1])  # glyph counts merged from workers
    assert _doc(path, 2) == one


@pytest.mark.slow  # OCR on two processes: ~13 s
def test_ocr_pages_on_two_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """With OCR on, even a 4-page PDF shares its pages: the scanned page 2 of d_mixed is read by
    Tesseract on a worker, the same as in one process."""
    from analogscan.ingest import ocr
    from analogscan.ingest import pdf as pdf_reader

    path = shared_path("pdf-samples", "d_mixed.pdf")
    if ocr.find_engine() is None:
        pytest.skip("tesseract with Japanese data is not installed")
    monkeypatch.setattr(pdf_reader, "OCR_ENABLED", True)
    assert len(pdf_pages.chunks(4, 2, 1)) > 1
    one = read_pdf(path, jobs=1)
    two = read_pdf(path, jobs=2)
    assert [(ln.text, ln.page, ln.element_id) for ln in two.lines] == [
        (ln.text, ln.page, ln.element_id) for ln in one.lines
    ]
    assert [m.text for m in two.messages] == [m.text for m in one.messages]
    assert any(ln.element_id == "ocr:p2" for ln in two.lines)


def _chunk_or_die(path: str, pages: list[int], parent: int) -> list[int]:
    if os.getpid() != parent:
        os._exit(3)  # a worker killed (out of memory, say)
    return pages


def test_a_dead_worker_leaves_the_pages_to_this_process() -> None:
    parts = [[1, 2], [3, 4], [5, 6]]
    got = list(pdf_pages.map_chunks(_chunk_or_die, "x.pdf", parts, 2, os.getpid()))
    assert got == parts


def _glued_provisions(path: Path) -> dict[str, str]:
    r = DocumentResult(path=str(path))
    o = load_ordinance(path, r)
    assert o is not None, r.messages
    return {p.location.label: p.text for p in o.provisions}


def _glued_lines(n: int, pad: int) -> list[str]:
    """Articles whose item ends in glued sub-items (old e-Gov export: 「…こと。イ　…。ロ　…」)."""
    out = ["試験条例", "令和七年一月一日", "試験条例第一号"]
    for k in range(n):
        out.append(f"第{int_to_kanji(k + 1)}条　次に掲げる事項を定める。")
        out.append(
            f"一　次に掲げる事項{'あ' * (k + pad)}を記載すること。イ　いろはにほへとを記載すること。"
            f"ロ　ちりぬるを{'わ' * (k % 5)}を記載すること。ハ　よたれそを記載すること"
        )
    return out


def _check_glued(path: Path, n: int) -> None:
    prov = _glued_provisions(path)
    for k in range(1, n + 1):
        assert prov[f"第{k}条第1号イ"].startswith("いろはにほへと"), (k, prov.get(f"第{k}条第1号イ"))
        assert prov[f"第{k}条第1号ロ"].startswith("ちりぬるを"), (k, prov.get(f"第{k}条第1号ロ"))
        assert prov[f"第{k}条第1号ハ"].startswith("よたれそ"), (k, prov.get(f"第{k}条第1号ハ"))


def test_glued_subitem_at_a_line_break_maker_pdf(tmp_path: Path) -> None:
    """make_pdfs wraps by glyph width: pick items whose 「ロ」 ends a physical line and whose
    「　」 starts the next (the reader strips it), and check that ロ and ハ are cited as such."""
    lines = _glued_lines(40, 0)
    wraps = [make_pdfs.wrap(s, 1 * make_pdfs.EM, 2 * make_pdfs.EM, make_pdfs.WIDTH) for s in lines]
    at_break = [
        i
        for i, w in enumerate(wraps)
        if any(
            a[1].endswith(("。ロ", "。ハ")) and b[1].startswith("\u3000")
            for a, b in zip(w, w[1:], strict=False)
        )
    ]
    assert at_break  # the data really puts a marker's space at a line break
    out = tmp_path / "glued.pdf"
    make_pdfs.render("glued", lines, out)
    _check_glued(out, 40)


def _space_dropped(path: Path) -> bool:
    """Whether the text layer has a glued ロ/ハ not followed by its space (drawing order)."""
    with pdfplumber.open(path) as pdf:
        return any(re.search("。[ロハ][^\u3000]", "".join(c["text"] for c in p.chars)) for p in pdf.pages)


@pytest.mark.skipif(bench_pdf.soffice() is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("vertical", [False, True], ids=["horizontal", "vertical"])
def test_glued_subitem_at_a_line_break_libreoffice(tmp_path: Path, vertical: bool) -> None:
    """LibreOffice does not draw a space that falls at a line break at all."""
    out = tmp_path / "glued.pdf"
    office = bench_pdf.soffice()
    assert office is not None
    bench_pdf.render_lo(_glued_lines(44, 0), out, vertical, office)
    assert _space_dropped(out)
    doc = read_pdf(out)
    assert any("縦書き" in m.text for m in doc.messages) == vertical
    # the page number 「－2－」 under a vertical page's columns is dropped, not read into them
    assert not any("－" in ln.text for ln in doc.lines)
    _check_glued(out, 44)


def test_one_pdf_with_two_jobs_shares_its_pages(long_pdf: Path, tmp_path: Path) -> None:
    """``--jobs 2`` with a single PDF: the document's worker reads the pages on two processes;
    the findings are those of ``--jobs 1``."""
    rs = load_ruleset()
    one = run_batch([long_pdf], rs, None, BatchConfig(jobs=1, quiet=True)).results
    two = run_batch([long_pdf], rs, None, BatchConfig(jobs=2, quiet=True)).results
    assert one[0]["status"] == two[0]["status"] != "error"
    assert one[0]["findings"] and one[0]["findings"] == two[0]["findings"]
