"""Character accuracy of the PDF reader against the samples' expected text.

Run by hand:  .venv/bin/python bench/pdf_accuracy.py [/path/to/pdf-samples] [--diff NAME]

CER = Levenshtein distance / expected length, whitespace removed on both sides (so table-cell
separators do not count). Also reports logical line counts and exact-line matches.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

from analogscan.ingest import IngestError, read_document

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "pdf-samples"
SAMPLES = [
    "a_yoko",
    "a_yoko_variant",
    "c_nidan",
    "d_mixed",
    "b_tate_lo",
    "b_tate_koho",
    "b_tate_koho_shuffled",
    "b_tate_identity_v",
    "d_scan_yoko",
    "d_scan_tate",
]
_WS = re.compile(r"\s+")


def levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def norm_line(s: str) -> str:
    return _WS.sub("", s)


def cer(got: str, expected: str) -> float:
    """Character error rate, whitespace removed: edit distance / length of the expected text."""
    g, e = norm_line(got), norm_line(expected)
    return levenshtein(g, e) / max(1, len(e))


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    show_diff = "--diff" in argv
    folder = Path(args[0]) if args else DEFAULT_DIR
    names = args[1:] or SAMPLES
    print(
        f"{'file':<18} {'pages':>5} {'ms/page':>8} {'lines':>6} {'expected':>8} {'exact':>6} {'CER':>7}  messages"
    )
    for name in names:
        pdf = folder / f"{name}.pdf"
        txt = folder / f"{name}.txt"
        if not pdf.exists() or not txt.exists():
            print(f"{name:<18} missing")
            continue
        expected = [ln for ln in txt.read_text(encoding="utf-8").splitlines() if ln.strip()]
        t0 = time.perf_counter()
        try:
            doc = read_document(pdf)
        except IngestError as e:
            print(f"{name:<18} error: {e}")
            continue
        ms = (time.perf_counter() - t0) * 1000
        got = [ln.text for ln in doc.lines]
        npages = max((ln.page or 0 for ln in doc.lines), default=0)
        exp_n = [norm_line(s) for s in expected]
        got_n = [norm_line(s) for s in got]
        a = "".join(got_n)
        b = "".join(exp_n)
        rate = cer(a, b)
        exact = sum((Counter(exp_n) & Counter(got_n)).values())
        msgs = "; ".join(m.text for m in doc.messages)
        print(
            f"{name:<18} {npages:>5} {ms / max(1, npages):>8.0f} {len(got):>6} {len(expected):>8} {exact:>6} {rate:>7.4f}  {msgs}"
        )
        if show_diff:
            import difflib

            for d in difflib.unified_diff(exp_n, got_n, "expected", "got", lineterm="", n=0):
                print("   ", d)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
