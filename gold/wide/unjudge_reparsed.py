"""Mark as unjudged the gold rows that a parser fix moved to other citations.

The 2013 text of some laws breaks a reference onto a line of its own (「…有機則」「様式第三号」「、鉛中毒予防
規則…」) or puts a 読み替え table cell on its own line (「様式第十四」). Until 2026-12-06 the parser opened a
様式 / 別表 part there, and every later article was cited as that 様式 (the readers read those units under
「様式第7号」). Now the articles keep their own citations, so for each labelled document this script

- sets "labels" to null (unjudged) on a read row whose citation no longer holds the text that was read, and
- adds an unjudged row for every citation the current parser gives that has no row,

with the reason in "unjudged_reason". Labels are never invented or moved: the readers saw the old units.

    .venv/bin/python gold/wide/unjudge_reparsed.py gold/wide/national4.jsonl \
        特定機器に係る適合性評価手続の結果の外国との相互承認の実施に関する法律施行規則

Only the named documents are touched (those whose provisions the fix changed: compare the parser's
citations before and after); in the others a row's stored text can differ from today's provision for
older, documented reasons (merged citations, the municipal 付則 units).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_units import NATIONAL_BATCHES, municipal_files, national_files  # noqa: E402

from analogscan.ingest import read_document  # noqa: E402
from analogscan.structure import build_ordinance  # noqa: E402
from analogscan.structure.numbering import citation_key, parse_citation  # noqa: E402

REASON = "読んだ時点のパーサが条文中の「様式第○号」の行で様式を始め、後の条を様式として引用していたため、今の規定単位と対応しない"


def _files() -> dict[str, Path]:
    out = {p.stem: p for p in municipal_files()}
    for batch in NATIONAL_BATCHES:
        out.update({p.stem: p for p in national_files(batch)})
    return out


def main(paths: list[Path], docs: set[str]) -> None:
    files = _files()
    for path in paths:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        by_doc: dict[str, list[dict[str, object]]] = defaultdict(list)
        for row in rows:
            by_doc[str(row["doc"])].append(row)
        out: list[dict[str, object]] = []
        changed = added = 0
        for doc, doc_rows in by_doc.items():
            if doc not in docs:
                out.extend(doc_rows)
                continue
            texts: dict[object, str] = defaultdict(str)
            split = doc_rows[0].get("split", "dev")
            current = []
            for p in build_ordinance(read_document(files[doc])).provisions:
                key = citation_key(p.location)
                if key not in texts:
                    current.append((key, p.location.label))
                texts[key] += p.text
            have = set()
            for row in doc_rows:
                key = citation_key(parse_citation(str(row["path"])))
                have.add(key)
                read = str(row.get("text") or "")
                if row.get("labels") is not None and read and read not in texts.get(key, ""):
                    row["labels"] = None
                    row["unjudged_reason"] = REASON
                    changed += 1
                out.append(row)
            for key, label in current:
                if key not in have:
                    out.append(
                        {"doc": doc, "path": label, "labels": None, "split": split, "unjudged_reason": REASON}
                    )
                    added += 1
        if changed or added:
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out), encoding="utf-8")
        print(f"{path}: {changed} read rows set to unjudged, {added} unjudged rows added")


if __name__ == "__main__":
    args = sys.argv[1:]
    main([Path(a) for a in args if a.endswith(".jsonl")], {a for a in args if not a.endswith(".jsonl")})
