"""Assemble gold/labels-extra.jsonl and gold/unlabelled.jsonl from the net output
(/tmp/gold_work/provisions.jsonl, made by gold/net.py) and the reading sheets
gold/sheets/*.tsv (idx <TAB> labels separated by ; <TAB> note). Provisions in the labelled
tiers that have no sheet line were read and judged empty."""

import json
from pathlib import Path

HERE = Path(__file__).parent
rows = [json.loads(line) for line in open("/tmp/gold_work/provisions.jsonl")]
sheet = {}
for f in sorted((HERE / "sheets").glob("p1_*.tsv")):
    for line in f.read_text().splitlines():
        if not line.strip():
            continue
        parts = line.split("\t")
        idx, labs = int(parts[0]), parts[1]
        note = parts[2] if len(parts) > 2 else ""
        doc = f.stem.split("_")[1]
        sheet[(doc, idx)] = ([x for x in labs.split(";") if x], note)
SHORT = {
    "shobo": "消防法施行規則",
    "shokuhin": "食品衛生法施行規則",
    "kenchiku": "建築基準法施行規則",
    "haiki": "廃棄物の処理及び清掃に関する法律施行規則",
}
sheet = {(SHORT[d], i): v for (d, i), v in sheet.items()}
DOCS_DONE = set(json.loads((HERE / "docs_done.json").read_text()))
with open(HERE / "labels-extra.jsonl", "w") as out, open(HERE / "unlabelled.jsonl", "w") as un:
    for r in rows:
        tier = r.get("tier")
        if tier is None:
            continue
        if tier == "weak-unlabelled":
            un.write(
                json.dumps(
                    {"doc": r["doc"], "path": r["path"], "text": r["text"], "net_hits": r["hits"]},
                    ensure_ascii=False,
                )
                + "\n"
            )
            continue
        if r["doc"] not in DOCS_DONE:
            continue
        labs, note = sheet.get((r["doc"], r["idx"]), ([], ""))
        rec = {
            "doc": r["doc"],
            "path": r["path"],
            "text": r["text"],
            "labels": sorted(labs),
            "set": r["set"],
            "tier": tier,
            "note": note,
        }
        if r["path"] != r["parser_label"]:
            rec["parser_label"] = r["parser_label"]
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
