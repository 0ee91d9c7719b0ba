"""Benchmark: what the per-document budgets cost, and peak memory on hostile files (run by hand).

    .venv/bin/python bench/bench_budget.py [FOLDER] [--repeat 3] [--out bench/RESULTS-budget.md]

(a) FOLDER scanned with the shipped rules three ways, each timed end to end from the outside:
    in the calling process without budgets (--jobs 1 --doc-timeout 0 --doc-memory 0), in one
    budgeted worker process (--jobs 1, the default budgets) and in two (--jobs 2). The median of
    --repeat runs is reported.
(b) The hostile corpus (tests/hostile_corpus.py: 1 GB docx zip bombs, deep markup, …) scanned
    with --jobs 1: wall time and peak memory of the whole process tree.

Peak memory is the largest sum of RSS over the process tree (psutil, sampled every 50 ms).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_batch import run  # noqa: E402

DEFAULT = HERE.parent / "corpora" / "reiki"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS-budget.md")
    args = ap.parse_args()
    from hostile_corpus import build

    modes = {
        "in process, no budget": ["--jobs", "1", "--doc-timeout", "0", "--doc-memory", "0"],
        "1 budgeted worker (default)": ["--jobs", "1"],
        "2 budgeted workers": ["--jobs", "2"],
    }
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        for name, extra in modes.items():
            walls: list[float] = []
            peaks: list[float] = []
            for _ in range(args.repeat):
                r = run([str(args.folder), *extra], out)
                walls.append(r["wall"])
                peaks.append(r["peak_mb"])
            rows.append(
                f"| {name} | `analogscan scan {args.folder.name} {' '.join(extra)}` | "
                f"{statistics.median(walls):.1f} | {max(peaks):.0f} |"
            )
            print(rows[-1], flush=True)
        corpus = Path(tmp) / "hostile"
        cases = build(corpus)
        r = run([str(corpus), "--jobs", "1", "--doc-timeout", "120"], out)
        hostile = (
            f"| hostile corpus ({len(cases)} cases, docx bombs of 1 GB and 256 MB) | "
            f"`analogscan scan hostile --jobs 1 --doc-timeout 120` | {r['wall']:.1f} | {r['peak_mb']:.0f} |"
        )
        print(hostile, flush=True)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    text = [
        "# Per-document budgets: cost and memory",
        "",
        "Produced by `python bench/bench_budget.py"
        + ("" if args.folder == DEFAULT else f" {args.folder}")
        + "`.",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average at the end {load[0]:.1f} (other work was running: figures are indicative).",
        f"Folder: `{args.folder}` ({sum(1 for _ in args.folder.iterdir())} files), shipped rules, "
        f"median of {args.repeat} runs, each timed from process start to report written.",
        "",
        "| mode | command | wall s | peak RSS of the process tree, MB |",
        "|---|---|---:|---:|",
        *rows,
        hostile,
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
