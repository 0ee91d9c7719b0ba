#!/usr/bin/env python
"""Pick findings of the gold set at random (seeded) and print their draft amendments for a reader.

A finding belongs to the gold set when a gold label line gives its provision the finding's type
(a true positive). Reports are scanned beforehand and carry drafts (``analogscan scan`` attaches them;
``analogscan report old.json -o new.json`` re-attaches them with the current templates):

    analogscan scan corpora/reiki -o /tmp/reiki.json
    analogscan scan ../shared/corpus/national_laws_2013/text/<gold documents> -o /tmp/nat.json
    python tools/amend_sample.py /tmp/reiki.json /tmp/nat.json --n 30 --seed 20261205
    python tools/amend_sample.py /tmp/reiki.json /tmp/nat.json --n 30 --seed 20261206 --skip-seed 20261205

Gold: corpora/labels.jsonl, gold/labels-extra.jsonl and ../shared/labels-dev/labels.jsonl (when present).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from analogscan.evaluate import load_gold
from analogscan.ids import location_from_json
from analogscan.structure.numbering import citation_key

REPO = Path(__file__).resolve().parent.parent
GOLD = [
    REPO / "corpora" / "labels.jsonl",
    REPO / "gold" / "labels-extra.jsonl",
    Path("/work/shared/labels-dev/labels.jsonl"),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("reports", nargs="+", type=Path)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=20261205)
    ap.add_argument(
        "--skip-seed", type=int, help="leave out the findings this seed picks (a second, disjoint sample)"
    )
    args = ap.parse_args()
    gold = load_gold([p for p in GOLD if p.exists()])
    pool: dict[tuple[str, object, str], dict[str, object]] = {}
    for rp in args.reports:
        rep = json.loads(rp.read_text("utf-8"))
        for d in rep["documents"]:
            stem = Path(d["path"]).stem
            for f in d["findings"]:
                key = (stem, citation_key(location_from_json(f["location"])))
                if f["type"] in gold.labels.get(key, set()):
                    pool.setdefault((stem, key[1], f["type"]), {"doc": d["title"] or stem, "finding": f})
    keys = sorted(pool, key=str)
    print(f"gold true positives with a finding: {len(keys)}")
    if args.skip_seed is not None:
        skip = set(random.Random(args.skip_seed).sample(keys, min(args.n, len(keys))))
        keys = [k for k in keys if k not in skip]
    pick = random.Random(args.seed).sample(keys, min(args.n, len(keys)))
    for i, k in enumerate(pick, 1):
        item = pool[k]
        f = item["finding"]
        assert isinstance(f, dict)
        a = f.get("amendment")
        print(f"### {i}. {item['doc']} {f['location']['label']}（{f['type']}、{f['rule_id']}）")
        print(f"- 規定: {f['provision_text']}")
        if a:
            print(f"- 文例: {a['template_id']}")
            print(f"- 改正後: {a['after']}")
            print("- 改め文: " + a["kaibun"].replace("\n", " ／ "))
        else:
            print(f"- 手作業で起案: {f.get('amendment_manual')}")
        print()


if __name__ == "__main__":
    main()
