"""PDF reading speed in pages per second: one process, then the pages split among --jobs processes.

Run from the repo root (reads ../shared, or --shared DIR):

    .venv/bin/python bench/bench_pdf.py                 # --jobs 2, each PDF read twice per setting
    .venv/bin/python bench/bench_pdf.py --jobs 4 --repeat 3 --cache /tmp/pdfs

PDFs: with LibreOffice (``soffice``) and the IPAex明朝 font, national laws from
../shared/corpus/national_laws_2013/text are laid out in 例規集 style (one paragraph per
条/項/号, hanging indents, running head, page number 「－N－」) as Flat ODT and exported to PDF,
horizontally and vertically (``style:writing-mode="tb-rl"``); without LibreOffice the same
lines are drawn with reportlab by corpora/make_pdfs.py (horizontal only). The text-layer
samples of ../shared/pdf-samples are added when present. Rendered PDFs are kept in the cache
folder and reused.

Printed: per PDF its pages, pages/s at --jobs 1 (wall clock, and per CPU second of this
process: what one idle core would do), pages/s at --jobs N (wall clock), best of --repeat,
``read_pdf`` only (opening, per-page extraction, document-level joining); the totals; and
whether both settings gave the same logical lines (they must). Last, the rendered laws joined
into one PDF (pypdfium2), as a 例規集 exported in one file: the case --jobs shares pages for.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEXT_SAMPLES = [
    "a_yoko",
    "a_yoko_variant",
    "c_nidan",
    "b_tate_lo",
    "b_tate_koho",
    "b_tate_koho_shuffled",
    "b_tate_identity_v",
]
# (law, writing mode): about 120 pages together, like the reference set
DEFAULT_SET = [("食品衛生法", "h"), ("水道法", "v"), ("温泉法", "h")]

_KNUM = "〇一二三四五六七八九十百千"
_MARKER = re.compile(
    rf"^(?:第[{_KNUM}]+条(?:の[{_KNUM}]+)*|○?[0-9０-９]+|[{_KNUM}]+(?:の[{_KNUM}]+)*|[イロハニホヘトチリヌルヲ])$"
)
_ARTICLE = re.compile(rf"^第[{_KNUM}]+条")
_PARA = re.compile(r"^[0-9０-９]+\u3000")
_ITEM = re.compile(rf"^[{_KNUM}]+(?:の[{_KNUM}]+)*\u3000")
_SUB = re.compile(r"^[イロハニホヘトチリヌルヲ]\u3000")
_HEADING = re.compile(rf"^第[{_KNUM}]+[編章節款目]|^附\u3000?則")


def law_lines(path: Path) -> list[str]:
    """The e-Gov text export (marker alone on its line, text on the next) as 例規集 lines."""
    raw = [ln.rstrip() for ln in path.read_text(encoding="utf-8").splitlines()]
    src = [ln for ln in raw if ln.strip()]
    out: list[str] = []
    i = 0
    while i < len(src):
        s = src[i].strip(" \u3000")
        if _MARKER.match(s) and i + 1 < len(src) and src[i + 1].startswith("\u3000"):
            out.append(s.lstrip("○") + "\u3000" + src[i + 1].strip(" \u3000"))
            i += 2
            continue
        if len(out) == 1 and s.startswith("（"):  # law number, then the amendment history
            s = s[: s.find("）") + 1] if "）" in s else s
        out.append(s)
        i += 1
    return out


def _indent(s: str) -> tuple[float, float]:
    """(left margin, first-line indent) in em, 例規集 style."""
    if _HEADING.match(s):
        return 3.0, 0.0
    if s.startswith("（") and s.endswith("）"):
        return 1.0, 0.0
    if _ARTICLE.match(s) or _PARA.match(s):
        return 1.0, -1.0
    if _ITEM.match(s):
        return 2.0, -1.0
    if _SUB.match(s):
        return 3.0, -1.0
    return 1.0, -1.0


def fodt(lines: list[str], vertical: bool) -> str:
    """A Flat ODT of the lines: IPAex明朝 10.5pt, A4, hanging indents, head and page number."""
    em = 10.5
    styles: dict[tuple[float, float], str] = {}
    body: list[str] = []
    for s in lines[1:]:
        key = _indent(s)
        name = styles.setdefault(key, f"P{len(styles) + 1}")
        body.append(f'<text:p text:style-name="{name}">{escape(s)}</text:p>')
    auto = "".join(
        f'<style:style style:name="{n}" style:family="paragraph" style:parent-style-name="Standard">'
        f'<style:paragraph-properties fo:margin-left="{left * em}pt" fo:text-indent="{ind * em}pt"/></style:style>'
        for (left, ind), n in styles.items()
    )
    mode = "tb-rl" if vertical else "lr-tb"
    title = escape(lines[0])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls><style:font-face style:name="IPAexMincho" svg:font-family="IPAexMincho"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:line-height="170%"/>
<style:text-properties style:font-name="IPAexMincho"
 fo:font-size="{em}pt" style:font-name-asian="IPAexMincho" style:font-size-asian="{em}pt"
 fo:language="ja" fo:country="JP" style:language-asian="ja" style:country-asian="JP"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/>
<style:text-properties fo:font-size="8pt" style:font-size-asian="8pt"/></style:style>
<style:style style:name="Foot" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/></style:style>
</office:styles>
<office:automatic-styles>{auto}
<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
 fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm" style:writing-mode="{mode}"/>
<style:header-style><style:header-footer-properties fo:min-height="0.8cm"/></style:header-style>
<style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style>
</style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Head">{title}</text:p></style:header>
<style:footer><text:p text:style-name="Foot">－<text:page-number text:select-page="current"/>－</text:p></style:footer>
</style:master-page></office:master-styles>
<office:body><office:text><text:p text:style-name="P1">{title}</text:p>{"".join(body)}</office:text></office:body>
</office:document>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_lo(lines: list[str], out: Path, vertical: bool, office: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as d:
        src = Path(d) / f"{out.stem}.fodt"
        src.write_text(fodt(lines, vertical), encoding="utf-8")
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{d}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                d,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        shutil.move(str(Path(d) / f"{out.stem}.pdf"), out)


def render_reportlab(lines: list[str], out: Path) -> None:
    sys.path.insert(0, str(REPO / "corpora"))
    import make_pdfs  # type: ignore[import-not-found]

    make_pdfs.render(out.stem, lines, out)


def make_set(cache: Path, laws: list[tuple[str, str]], shared: Path) -> list[Path]:
    cache.mkdir(parents=True, exist_ok=True)
    office = soffice()
    out: list[Path] = []
    for law, mode in laws:
        src = shared / "corpus" / "national_laws_2013" / "text" / f"{law}.txt"
        if not src.exists():
            print(f"  {law}: source not found ({src}), skipped")
            continue
        vertical = mode == "v" and office is not None
        tag = ("lo-v" if vertical else "lo-h") if office else "rl-h"
        pdf = cache / f"{law}.{tag}.pdf"
        if not pdf.exists():
            lines = law_lines(src)
            if office:
                render_lo(lines, pdf, vertical, office)
            else:
                render_reportlab(lines, pdf)
        out.append(pdf)
    return out


def combine(pdfs: list[Path], out: Path) -> Path:
    """One PDF holding the pages of all ``pdfs`` in turn (a 例規集 exported as one file)."""
    if out.exists():
        return out
    import pypdfium2 as pdfium

    dest = pdfium.PdfDocument.new()
    for p in pdfs:
        src = pdfium.PdfDocument(str(p))
        dest.import_pages(src)
        src.close()
    dest.save(str(out))
    dest.close()
    return out


def _pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def time_read(path: Path, jobs: int, repeat: int) -> tuple[float, float, list[str]]:
    """Best wall-clock and this process's CPU seconds of ``read_pdf`` over ``repeat`` runs,
    and the lines read. A reader without ``jobs`` (before pages were shared) is timed at
    --jobs 1 only (nan otherwise)."""
    import inspect

    from analogscan.ingest.pdf import read_pdf

    takes_jobs = "jobs" in inspect.signature(read_pdf).parameters
    if not takes_jobs and jobs != 1:
        return float("nan"), float("nan"), []
    best = cpu = float("inf")
    texts: list[str] = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        doc = read_pdf(path, jobs=jobs) if takes_jobs else read_pdf(path)
        best = min(best, time.perf_counter() - t)
        cpu = min(cpu, time.process_time() - c)
        texts = [f"{ln.page}:{ln.text}" for ln in doc.lines]
    return best, cpu, texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "analogscan-bench-pdf")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (default ../shared)")
    ap.add_argument("--no-samples", action="store_true", help="leave out ../shared/pdf-samples")
    args = ap.parse_args()

    print(
        f"renderer: {'LibreOffice ' + str(soffice()) if soffice() else 'reportlab (no soffice)'}; cache {args.cache}"
    )
    pdfs = make_set(args.cache, DEFAULT_SET, args.shared)
    samples = args.shared / "pdf-samples"
    if not args.no_samples:
        pdfs += [samples / f"{n}.pdf" for n in TEXT_SAMPLES if (samples / f"{n}.pdf").exists()]
    if not pdfs:
        print("no PDFs to read")
        return 1
    laws = [p for p in pdfs if p.parent == args.cache]
    if laws:
        pdfs.append(combine(laws, args.cache / f"combined-{len(laws)}.pdf"))
    print(f"cpus: {os.cpu_count()}, load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    j = args.jobs
    print(f"{'file':<28} {'pages':>5} {'p/s j1':>7} {'p/cpu-s':>7} {'p/s j' + str(j):>7}  same lines")
    tot_pages = 0
    tot = {"t1": 0.0, "c1": 0.0, "tn": 0.0}
    all_same = True
    combined_row = ""
    for p in pdfs:
        n = _pages(p)
        t1, c1, a = time_read(p, 1, args.repeat)
        tn, _, b = time_read(p, j, args.repeat)
        same = a == b if b else None
        all_same &= same is not False
        row = f"{p.name[:28]:<28} {n:>5} {n / t1:>7.1f} {n / c1:>7.1f} {n / tn:>7.1f}  {'–' if same is None else 'yes' if same else 'NO'}"
        if p.name.startswith("combined-"):
            combined_row = row
            continue
        print(row)
        tot_pages += n
        tot["t1"] += t1
        tot["c1"] += c1
        tot["tn"] += tn
    print(
        f"{'total (files above)':<28} {tot_pages:>5} {tot_pages / tot['t1']:>7.1f} {tot_pages / tot['c1']:>7.1f} "
        f"{tot_pages / tot['tn']:>7.1f}  {'yes' if all_same else 'NO'}"
    )
    if laws:
        print(f"one PDF of the {len(laws)} laws:")
        print(combined_row)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if all_same else 1


if __name__ == "__main__":
    sys.exit(main())
