"""Mark as unjudged the municipal units that were read with a 附則 merged into them.

When the units were drawn (build_units.py), the parser of the time did not split a municipal 附則 written
as 「付則」 followed by 「- 1」「- 2」 lines: the whole 附則 was glued to the last provision before it
(e.g. 第51条第4号 + 付則第1項…第4項), and the readers labelled that glued text. The parser now splits them,
so the label of such a unit no longer belongs to the provision the tool scores under that citation (a
teiki label earned by the 附則's 報告の時期 sits on a 号 about rooms). This script sets those units'
labels to null (unjudged) with the reason, for dev and blind alike, chosen by the text alone:

    .venv/bin/python gold/wide/unjudge_merged.py gold/wide/municipal.jsonl

The split provisions (the 号 itself and each 附則 paragraph) are left for a later reading.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MERGED = re.compile(r"[付附]\s?則[^。]{0,60}?-\s?1\s")
REASON = "読んだ時点のパーサが付則（- 1 形式）を直前の規定に連結していたため、今の規定単位と対応しない"


def main(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = 0
    for row in rows:
        if row.get("labels") is not None and MERGED.search(str(row.get("text", ""))):
            row["labels"] = None
            row["unjudged_reason"] = REASON
            n += 1
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{path}: {n} units set to unjudged")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
