"""Check corpora/labels.jsonl against the documents (independent of build_corpus.py).

For every document (corpora/reiki/*.txt and the PDF-only sources corpora/pdf_src/*.txt.src):
  * decode it (BOM / UTF-8 / CP932 / EUC-JP, whichever yields the みどり野市 title),
  * split it crudely into provision lines by line markers (skip title, date, number, 目次 entries,
    章/節 headings, （見出し）, 附則 headers and 別表 headings),
  * require: number of provision lines == number of labels for the doc, every label text occurs
    verbatim in the document text, each provision line is covered by exactly one label
    (in order), labels are valid type codes, citations look like 第N条…/附則…/別表…,
  * and expected_counts.json equals the counts recomputed from labels.jsonl.
Exit status 1 on any problem.  Run: .venv/bin/python corpora/check_labels.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TYPES = {"mokushi", "jicchi", "teiki", "jochu", "keiji", "koshu", "etsuran", "media"}
PATH_RE = re.compile(
    r"^(附則)?(第\d+条(の\d+)*)?(第\d+項)?(第\d+号)?([アイウエオカキクケコロハニホヘト])?$|^別表(第\d+)?$"
)


def decode(raw: bytes) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "utf-8-sig"
    for enc in ("utf-8", "cp932", "euc_jp"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if "みどり野市" in text.splitlines()[0]:
            return text, enc
    raise ValueError("cannot decode")


SKIP = [
    re.compile(r"^目次$"),
    re.compile(r"^第[0-9０-９一二三四五六七八九十]+[章節款]"),  # headings and 目次 entries
    re.compile(r"^（[^）]*）$"),
    re.compile(r"^附　?則(（.*）)?$"),
    re.compile(r"^附則$"),
    re.compile(r"^別表(第[0-9０-９一二三四五六七八九十]+)?（.*関係）$"),
]


def provision_lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines()[3:]:
        if not line.strip() or any(p.match(line) for p in SKIP):
            continue
        out.append(line)
    return out


def main() -> int:
    labels = [json.loads(x) for x in (HERE / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in labels:
        by_doc[r["doc"]].append(r)
    docs = {p.stem: p for p in sorted((HERE / "reiki").glob("*.txt"))}
    docs.update({p.name[: -len(".txt.src")]: p for p in sorted((HERE / "pdf_src").glob("*.txt.src"))})
    pdf_only = [p.stem for p in (HERE / "reiki").glob("*.pdf") if p.stem not in docs]
    problems = []
    for stem in pdf_only:
        problems.append(f"{stem}: PDF without .txt or pdf_src source")
    for stem in sorted(set(by_doc) - set(docs)):
        problems.append(f"{stem}: labels for unknown document")
    total_lines = 0
    for stem, path in docs.items():
        text, enc = decode(path.read_bytes())
        lines = provision_lines(text)
        total_lines += len(lines)
        rows = by_doc.get(stem, [])
        if len(lines) != len(rows):
            problems.append(f"{stem}: {len(lines)} provision lines but {len(rows)} labels")
        for line, r in zip(lines, rows, strict=False):
            if not line.endswith(r["text"]):
                problems.append(f"{stem} {r['path']}: label text does not match line {line[:40]!r}")
        for r in rows:
            if r["text"] not in text:
                problems.append(f"{stem} {r['path']}: text not found verbatim")
            if not set(r["labels"]) <= TYPES:
                problems.append(f"{stem} {r['path']}: bad labels {r['labels']}")
            if not PATH_RE.match(r["path"]) or r["path"] in ("", "附則第"):
                problems.append(f"{stem} {r['path']}: odd citation")
            if r["labels"] and not r.get("note"):
                problems.append(f"{stem} {r['path']}: positive without note")
        dup = [k for k, n in Counter((r["path"], r["text"]) for r in rows).items() if n > 1]
        for k in dup:
            problems.append(f"{stem}: duplicate unit {k[0]}")
        # same citation with different labels (the evaluation ignores which 附則 block)
        seen: dict[str, set] = {}
        for r in rows:
            if r["path"].startswith("別表"):
                continue
            s = frozenset(r["labels"])
            if r["path"] in seen and seen[r["path"]] != s:
                problems.append(f"{stem} {r['path']}: same citation, different labels")
            seen.setdefault(r["path"], s)
        print(
            f"{stem:28s} {enc:10s} lines={len(lines):3d} labels={len(rows):3d} "
            f"positive={sum(bool(r['labels']) for r in rows):3d}"
        )
    counts = {t: sum(t in r["labels"] for r in labels) for t in sorted(TYPES)}
    expected = json.loads((HERE / "expected_counts.json").read_text(encoding="utf-8"))
    for t, n in counts.items():
        if expected.get(t) != n:
            problems.append(f"expected_counts.json: {t}={expected.get(t)} but labels give {n}")
        if n < 3:
            problems.append(f"type {t}: only {n} positives")
    print(f"documents={len(docs)} provision lines={total_lines} labels={len(labels)}")
    print("positives per type:", json.dumps(counts, ensure_ascii=False))
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
