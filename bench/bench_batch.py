"""Benchmark: naive full pipeline vs the batch path (run by hand, not in the test suite).

    .venv/bin/python bench/bench_batch.py [FOLDER] [--naive-chars N] [--jobs 2] [--out FILE.md]

FOLDER defaults to ../shared/corpus/national_laws_2013/text next to the checkout.

(a) naive: `analogscan scan --no-shortcuts` (no prefilter, every sentence of every provision
    through ja_ginza with all components, NER included, one process) on a sample of the
    folder's documents of about N characters; the whole folder is extrapolated from its rate.
(b) batch: `analogscan scan --jobs 2` on 25 %, 50 % and 100 % of the folder (by characters).

Both are timed end to end from the outside (process start, model loads, report written).
Peak memory is the largest sum of RSS over the process tree (psutil, sampled every 50 ms;
without psutil: the largest single child from getrusage, a lower bound).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

EXE = Path(sys.executable).parent / "analogscan"
REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared" / "corpus" / "national_laws_2013" / "text"


def tree_rss(pid: int) -> int:
    import psutil

    try:
        p = psutil.Process(pid)
        procs = [p, *p.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for q in procs:
        try:
            total += q.memory_info().rss
        except psutil.Error:
            pass
    return total


def run(args: list[str], out: Path) -> dict[str, float]:
    """Run `analogscan scan ARGS -q -o OUT`; wall time, peak tree RSS, characters, findings."""
    try:
        import psutil  # noqa: F401

        have_psutil = True
    except ImportError:
        have_psutil = False
    peak = 0
    started = time.monotonic()
    proc = subprocess.Popen([str(EXE), "scan", *args, "-q", "-o", str(out)])
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    if have_psutil:
        t.start()
    rc = proc.wait()
    wall = time.monotonic() - started
    stop.set()
    if have_psutil:
        t.join()
    else:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if rc not in (0, 1):
        raise SystemExit(f"scan failed ({rc}): {args}")
    rep = json.loads(out.read_text("utf-8"))
    chars = sum(int(d.get("characters") or 0) for d in rep["documents"])
    return {
        "wall": wall,
        "chars": chars,
        "docs": len(rep["documents"]),
        "findings": rep["summary"]["findings"],
        "peak_mb": peak / 2**20,
    }


def prefix_by_chars(files: list[Path], sizes: dict[Path, int], frac: float) -> list[Path]:
    total = sum(sizes.values())
    out: list[Path] = []
    acc = 0
    for f in files:
        if acc >= frac * total - 1e-9 and out:
            break
        out.append(f)
        acc += sizes[f]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=None,
        help="folder of .txt laws (default: ../shared/corpus/national_laws_2013/text)",
    )
    ap.add_argument("--naive-chars", type=int, default=40_000, help="size of the naive sample (characters)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rules", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None, help="also write the Markdown table here")
    a = ap.parse_args()
    if a.folder is None:
        if not DEFAULT.is_dir():
            ap.error(
                f"既定のフォルダ {DEFAULT} がありません。走査する .txt のフォルダを引数で指定してください"
            )
        a.folder = DEFAULT

    files = sorted(a.folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"{a.folder} に .txt ファイルがありません")
    rules = ["--rules", str(a.rules)] if a.rules else []
    # interleave big and small files so that each prefix is a fair sample of the corpus
    sizes = {f: len(f.read_text("utf-8", errors="replace")) for f in files}
    order = sorted(files, key=lambda f: (zlib.crc32(f.name.encode()) % 997, f.name))
    with tempfile.TemporaryDirectory() as td:
        tmp = Path(td)
        # (b) batch path on 25 / 50 / 100 %
        rows = []
        for frac in (0.25, 0.5, 1.0):
            sub = prefix_by_chars(order, sizes, frac)
            r = run([*map(str, sub), *rules, "--jobs", str(a.jobs)], tmp / f"b{frac}.json")
            r["frac"] = frac
            rows.append(r)
            print(f"batch {frac:4.0%}: {r}", flush=True)
        full = rows[-1]
        # (a) naive on a sample of small-to-medium documents
        sample: list[Path] = []
        acc = 0
        for f in sorted(files, key=lambda f: sizes[f]):
            if acc >= a.naive_chars:
                break
            sample.append(f)
            acc += sizes[f]
        nv = run([*map(str, sample), *rules, "--no-shortcuts"], tmp / "naive.json")
        print(f"naive sample: {nv}", flush=True)

    naive_rate = nv["chars"] / nv["wall"]
    naive_full_s = full["chars"] / naive_rate
    batch_rate = full["chars"] / full["wall"]
    cmd = f".venv/bin/python bench/bench_batch.py {a.folder}" + (f" --rules {a.rules}" if a.rules else "")
    lines = [
        f"Command: `{cmd}` (jobs={a.jobs}; {platform.node()}, {os.cpu_count()} cores; "
        f"{time.strftime('%Y-%m-%d %H:%M')})",
        "",
        "| run | documents | characters | wall s | chars/s | docs/s | peak RSS (tree) MB | findings |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| naive (`--no-shortcuts`, 1 process, all components) on a sample | {nv['docs']} | {nv['chars']:,} | "
        f"{nv['wall']:.1f} | {naive_rate:,.0f} | {nv['docs'] / nv['wall']:.2f} | {nv['peak_mb']:.0f} | "
        f"{nv['findings']} |",
        f"| naive, whole folder (extrapolated from the sample's rate) | {full['docs']} | {full['chars']:,} | "
        f"~{naive_full_s:,.0f} | {naive_rate:,.0f} | – | – | – |",
    ]
    for r in rows:
        lines.append(
            f"| batch `--jobs {a.jobs}`, {r['frac']:.0%} of the folder | {r['docs']} | {r['chars']:,} | "
            f"{r['wall']:.1f} | {r['chars'] / r['wall']:,.0f} | {r['docs'] / r['wall']:.2f} | "
            f"{r['peak_mb']:.0f} | {r['findings']} |"
        )
    lines += [
        "",
        f"Speed-up, whole folder: {batch_rate / naive_rate:.0f}× the naive single process "
        f"({batch_rate / (2 * naive_rate):.0f}× a naive run ideally spread over 2 cores).",
        "Growth: "
        + ", ".join(f"{r['frac']:.0%} → {r['wall']:.1f} s" for r in rows)
        + " (the fixed part is process start and GiNZA load in each worker).",
    ]
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    if a.out:
        a.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
