#!/usr/bin/env python
"""Build the wide gold files from the units (build_units.py), two independent readings and the
settled disagreements.

    .venv/bin/python gold/wide/assemble.py --set national \
        --units /tmp/gold_wide/national.jsonl \
        --reading C=/tmp/gold_wide/labels_C/national --reading D=/tmp/gold_wide/labels_D/national \
        --settled /tmp/gold_wide/settled_national.jsonl
    (a second batch of laws: --batch 2, written to national2.jsonl)

Writes gold/wide/<set>.jsonl (<set><batch>.jsonl for later batches): one line per provision of every labelled document. Read units carry
their labels, the split, how they were selected (net / sample), whether the readers agreed and,
for a settled disagreement, the reason. Provisions that nobody read (outside the net and the
sample) get "labels": null, so `analogscan eval` neither rewards nor punishes findings there.
Each reader's own labels are kept in gold/wide/readings/<set>-<reader>.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_units import set_files, split_of  # noqa: E402

from analogscan.ingest import read_document  # noqa: E402
from analogscan.structure import build_ordinance  # noqa: E402


def _jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]


def _reading(folder: Path) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for f in sorted(folder.glob("*.jsonl")):
        for d in _jsonl(f):
            out[str(d["id"])] = d
    return out


def _merge(a: dict[str, object], b: dict[str, object]) -> dict[str, object]:
    """Two read units with one citation (the cells of one 別表, 附則 blocks of the same number): the
    evaluation keys provisions by citation, so the citation carries every type any of its units
    has. (Until national4, assemble kept the last unit only; the earlier sets were built that way.)"""
    out = dict(a)
    out["labels"] = sorted(set(a["labels"]) | set(b["labels"]))  # type: ignore[call-overload]
    out["agreed"] = bool(a["agreed"]) and bool(b["agreed"])
    out["selected_by"] = "net" if "net" in (a["selected_by"], b["selected_by"]) else "sample"
    out["units"] = int(a.get("units", 1)) + 1  # type: ignore[call-overload]
    for k in ("reason", "spec_note"):
        if b.get(k):
            out[k] = " / ".join(x for x in (str(a.get(k, "")), str(b[k])) if x)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=["municipal", "national", "fresh"], required=True)
    ap.add_argument("--units", type=Path, required=True)
    ap.add_argument("--reading", action="append", required=True, help="NAME=FOLDER (two of them)")
    ap.add_argument("--settled", type=Path, required=True)
    ap.add_argument(
        "--batch", type=int, default=1, help="national: which batch of laws (build_units.py --batch)"
    )
    a = ap.parse_args()
    name = a.set if a.batch == 1 and a.set != "fresh" else f"{a.set}{a.batch}"
    units = {str(u["id"]): u for u in _jsonl(a.units)}
    readings = {}
    for spec in a.reading:
        reader, folder = spec.split("=", 1)
        readings[reader] = _reading(Path(folder))
    (r1, l1), (r2, l2) = readings.items()
    settled = {str(d["id"]): d for d in _jsonl(a.settled)} if a.settled.exists() else {}
    readings_dir = HERE / "readings"
    readings_dir.mkdir(exist_ok=True)
    for reader, lab in readings.items():
        with (readings_dir / f"{name}-{reader}.jsonl").open("w", encoding="utf-8") as f:
            for uid in units:
                if uid in lab:
                    d = lab[uid]
                    rec = {"id": uid, "labels": sorted(d.get("labels") or [])}  # type: ignore[arg-type]
                    if d.get("why"):
                        rec["why"] = d["why"]
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    read: dict[tuple[str, str], dict[str, object]] = {}
    missing = []
    for uid, u in units.items():
        if uid not in l1 or uid not in l2:
            missing.append(uid)
            continue
        s1 = sorted(l1[uid].get("labels") or [])  # type: ignore[arg-type]
        s2 = sorted(l2[uid].get("labels") or [])  # type: ignore[arg-type]
        rec: dict[str, object] = {
            "doc": u["doc"],
            "path": u["path"],
            "text": u["text"],
            "split": u["split"],
            "selected_by": u["selected_by"],
            "agreed": s1 == s2,
        }
        if s1 == s2:
            rec["labels"] = s1
        elif uid in settled:
            rec["labels"] = sorted(settled[uid]["labels"])  # type: ignore[arg-type]
            rec["reason"] = settled[uid].get("reason", "")
            if settled[uid].get("spec_note"):
                rec["spec_note"] = settled[uid]["spec_note"]
        else:
            missing.append(uid)
            continue
        key = (str(u["doc"]), str(u["path"]))
        read[key] = _merge(read[key], rec) if key in read else rec
    if missing:
        sys.exit(f"{len(missing)} units lack two readings or a settlement, e.g. {missing[:5]}")
    files = set_files(a.set, a.batch)
    out = HERE / f"{name}.jsonl"
    n_read = n_null = 0
    with out.open("w", encoding="utf-8") as f:
        for path in files:
            doc = path.stem
            o = build_ordinance(read_document(path))
            written: set[str] = set()
            for p in o.provisions:
                if p.location.label in written:  # one line per citation (the eval's key)
                    continue
                written.add(p.location.label)
                rec = read.get((doc, p.location.label))
                if rec is None:
                    rec = {"doc": doc, "path": p.location.label, "labels": None, "split": split_of(doc)}
                    n_null += 1
                else:
                    n_read += 1
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{out}: {n_read} read provisions, {n_null} unread (labels null)")


if __name__ == "__main__":
    main()
