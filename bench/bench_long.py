"""Benchmark: one very long provision (run by hand, not in the test suite).

    .venv/bin/python bench/bench_long.py [--sizes 50000,100000,200000,500000,1000000] [--out FILE.md]

For each size N (UTF-8 bytes; 1 MB = 1,000,000 bytes, about 340,000 characters) a text file
is written holding one ordinance with a single article (第1条) whose only paragraph is about
N bytes long: the sentences of the sample
ordinances in corpora/reiki/*.txt, article and paragraph numbers stripped, without the
sentences on which a provision-wide shared exclusion of rules/common.yml holds (one of those
would exclude the whole provision), repeated in order while they fit in N bytes. Such a provision is full of trigger words, so every rule
and its token conditions run on it. Each file is scanned end to end from the outside with
`analogscan scan FILE -o OUT.json -q` (process start, model load, report written); wall
time and the number of findings (at most one per type for a single provision) are
reported. The done-criterion of issue 11 is a 1 MB provision in at most 60 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "analogscan"
_HEAD = re.compile(
    r"^(第[0-9０-９一二三四五六七八九十百]+条(の[0-9０-９]+)?|[0-9０-９]+|[２-９]|\([0-9]+\)|（[0-9]+）)[\s　]+"
)


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "cp932", "euc-jp"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def sentences() -> list[str]:
    """Provision sentences of the sample ordinances, numbering stripped."""
    out: list[str] = []
    for f in sorted((REPO / "corpora" / "reiki").glob("*.txt")):
        for line in _decode(f.read_bytes()).splitlines():
            line = line.strip()
            m = _HEAD.match(line)
            if not m:
                continue
            body = line[m.end() :].strip()
            if len(body) >= 10:
                out.append(body if body.endswith("。") else body + "。")
    return out


def usable_sentences() -> list[str]:
    """The sentences on which no provision-wide shared exclusion holds (a single one would
    exclude the whole long provision, and no rule could fire)."""
    from analogscan.engine import Engine
    from analogscan.ruleset.loader import load_ruleset

    engine = Engine(load_ruleset())
    wide = [x for x in engine.exclusions if x.scope == "provision"]
    return [s for s in sentences() if not any(engine.exclusion_matches(x, s) for x in wide)]


def long_provision(n_bytes: int, sents: list[str]) -> str:
    """Whole sentences, in order and repeated, up to ``n_bytes`` bytes of UTF-8."""
    parts: list[str] = []
    size = 0
    i = 0
    while True:
        s = sents[i % len(sents)]
        b = len(s.encode("utf-8"))
        if size + b > n_bytes:
            break
        parts.append(s)
        size += b
        i += 1
    return "".join(parts)


def write_doc(path: Path, n_bytes: int, sents: list[str]) -> int:
    """Write the test ordinance; returns the length of its one provision in characters."""
    body = long_provision(n_bytes, sents)
    path.write_text("長大条文試験条例\n第1条　" + body + "\n", encoding="utf-8")
    return len(body)


def run(path: Path, out: Path, timeout: float) -> dict[str, object]:
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [str(EXE), "scan", str(path), "-o", str(out), "-q"],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "rc": None, "findings": None}
    secs = time.monotonic() - started
    findings = None
    if out.exists():
        data = json.loads(out.read_text("utf-8"))
        findings = sum(len(d.get("findings", [])) for d in data["documents"])
    return {
        "seconds": round(secs, 1),
        "rc": proc.returncode,
        "findings": findings,
        "stderr": proc.stderr[-500:],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000,100000,200000,500000,1000000")
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    sents = usable_sentences()
    with tempfile.TemporaryDirectory() as td:
        for n in sizes:
            doc = Path(td) / f"long_{n}.txt"
            chars = write_doc(doc, n, sents)
            r = run(doc, Path(td) / f"long_{n}.json", args.timeout)
            r["chars"] = chars
            r["bytes"] = doc.stat().st_size
            rows.append(r)
            secs = "timeout" if r["seconds"] is None else f"{r['seconds']} s"
            print(
                f"{chars:>9,} chars  {r['bytes']:>10,} bytes  {secs:>9}  findings={r['findings']}  rc={r['rc']}",
                flush=True,
            )
    if args.out:
        cmd = "bench/bench_long.py --sizes " + args.sizes
        lines = [
            "| provision characters | file bytes | wall time | findings | exit |",
            "|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            secs = f"timeout (> {args.timeout:.0f} s)" if r["seconds"] is None else f"{r['seconds']} s"
            lines.append(f"| {r['chars']:,} | {r['bytes']:,} | {secs} | {r['findings']} | {r['rc']} |")
        text = (
            f"Command: `.venv/bin/python {cmd}`  \n"
            f"Machine: {platform.platform()}, Python {platform.python_version()}\n\n"
            + "\n".join(lines)
            + "\n"
        )
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
