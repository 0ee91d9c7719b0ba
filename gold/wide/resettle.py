#!/usr/bin/env python
"""Apply a cross-batch settlement to the wide gold files.

Different batches were read by different readers; where they decided one kind of case differently, a third reader
settles every unit of that kind in every batch at once (selected by a regex over the text, never by the tool's output),
with a written reason. The decisions live in gold/wide/readings/cross-<name>.jsonl, one line per unit:

    {"set": "national8", "doc": "…", "path": "第26条", "type": "jochu", "present": true, "reason": "…"}

This script sets or clears that one type on those provisions of gold/wide/<set>.jsonl (other labels untouched) and
records the reason under "cross_reason" (one entry per type: a settlement may decide several types of one provision,
one line each). Running it again changes nothing.

    .venv/bin/python gold/wide/resettle.py gold/wide/readings/cross-jochu-kane.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from analogscan.model import TYPE_CODES

HERE = Path(__file__).resolve().parent
# an entry of cross_reason starts with a type code; a reason may itself contain " / " (「lists of … / attachments」)
_ENTRY_START = re.compile(" / (?=(?:" + "|".join(TYPE_CODES) + "): )")


def _reasons(text: object) -> list[tuple[str, str]]:
    """The per-type entries of an earlier cross_reason ("jochu: … / mokushi: …"). Until 2026-12-06 this split on
    every " / ", so a reason containing one left a stray entry (「attachments）: 」) behind: anything not starting with
    a type code is dropped."""
    if not isinstance(text, str) or not text:
        return []
    out = []
    for part in _ENTRY_START.split(text):
        t, _, why = part.partition(": ")
        if t in TYPE_CODES:
            out.append((t, why))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("decisions", type=Path)
    a = ap.parse_args()
    decisions = [json.loads(ln) for ln in a.decisions.read_text("utf-8").splitlines() if ln.strip()]
    by_set: dict[str, dict[tuple[str, str], list[dict[str, object]]]] = {}
    for d in decisions:
        by_set.setdefault(str(d["set"]), {}).setdefault((str(d["doc"]), str(d["path"])), []).append(d)
    changed = 0
    for name, wanted in by_set.items():
        path = HERE / f"{name}.jsonl"
        rows = [json.loads(ln) for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        seen = set()
        for r in rows:
            ds = wanted.get((r["doc"], r["path"]))
            if ds is None or r["labels"] is None:
                continue
            seen.add((r["doc"], r["path"]))
            labels = set(r["labels"])
            reasons = dict(_reasons(r.get("cross_reason")))
            for d in ds:
                before = set(labels)
                (labels.add if d["present"] else labels.discard)(str(d["type"]))
                reasons[str(d["type"])] = str(d["reason"])
                changed += labels != before
            r["labels"] = sorted(labels)
            r["cross_reason"] = " / ".join(f"{t}: {why}" for t, why in sorted(reasons.items()))
        missing = set(wanted) - seen
        if missing:
            raise SystemExit(
                f"{name}: {len(missing)} decisions name no read provision, e.g. {sorted(missing)[:3]}"
            )
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    print(f"{len(decisions)} decisions, {changed} labels changed")


if __name__ == "__main__":
    main()
