"""Assemble gold/heldout/labels.jsonl from /tmp/ho/provisions.jsonl (gold/heldout/net.py) and the
reading sheets gold/heldout/sheets/p1_<law>.tsv (idx<TAB>labels or '-'<TAB>note).
Every provision of a law that has a sheet was read: rows without a sheet line are labelled [].
Laws without a sheet are written without a "labels" key (not judged)."""

import json
from pathlib import Path

HERE = Path(__file__).parent
provs = [json.loads(line) for line in open("/tmp/ho/provisions.jsonl")]
sheets = {}
for f in sorted((HERE / "sheets").glob("p1_*.tsv")):
    law = f.stem[3:]
    rows = {}
    for line in f.read_text().splitlines():
        if not line.strip():
            continue
        idx, labs, note = (line.split("\t") + [""])[:3]
        rows[int(idx)] = ([] if labs.strip() == "-" else labs.strip().split(","), note.strip())
    sheets[law] = rows
with open(HERE / "labels.jsonl", "w") as out:
    for p in provs:
        rec = {"doc": p["doc"], "path": p["path"], "text": p["text"]}
        if p["doc"] in sheets:
            labs, note = sheets[p["doc"]].get(p["idx"], ([], ""))
            for lab in labs:
                assert lab in {"mokushi", "jicchi", "teiki", "jochu", "keiji", "koshu", "etsuran", "media"}, (
                    lab
                )
            rec["labels"] = labs
            if note:
                rec["note"] = note
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
