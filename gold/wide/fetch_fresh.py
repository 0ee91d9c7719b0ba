#!/usr/bin/env python
"""National laws no session had read: batch 18 of the wide gold set (issue 9), drawn from a full mirror of the 2013
e-Gov data service.

Every law of ../shared/corpus/national_laws_2013 (the first 62 and the 300 of `more`) had been read or shown in
output samples by some session, so none of them could measure the rules on unseen text any more. The same public
repository that `more` came from holds about 8,000 laws (github shibacow/law.e-gov.go.jp @ db7ffa7e, data2/html,
old e-Gov pages in Shift_JIS). The texts are not committed (brief: no copies in the project); this script writes
them outside the repository, to ../extra/fresh18 (a sibling of the checkout, like ../shared):

    # 1. bring the repository onto the machine (the session's `fetch` tool: github:shibacow/law.e-gov.go.jp);
    #    it prints the path of its git directory, e.g. /work/.mirror/shibacow+law.e-gov.go.jp/repo
    # 2. write the 24 laws of batch 18
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 18
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 19
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 20
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 21
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 22
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 23
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 24
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 25
    python gold/wide/fetch_fresh.py --mirror /work/.mirror/shibacow+law.e-gov.go.jp/repo --batch 26
    # (--check-selection also re-runs the draw below and checks it gives the same laws)

The draw (2026-12-07, ninth session, before anyone read the texts): laws whose <TITLE> is not a file name of
national_laws_2013/index.tsv or more/index.tsv, whose tag-stripped page is 6,000–60,000 characters, with at least 12
hits of the analogue wording KEYWORDS and no 「抄」 in the title; sorted by blob id; random.Random(20261207).sample(…,
24). The list, with each page's blob id, is fresh18-sources.tsv beside this file. Batch 19 (same day, after the rules
written from batch 18's dev laws): the same candidates minus batch 18's laws, random.Random(20261219).sample(…, 24),
fresh19-sources.tsv (written by --new before anyone read the texts). Batch 20 (2026-12-07, tenth session, after
the rules written from batch 19's dev laws): the same candidates minus batches 18-19, random.Random(20261220).sample(…,
24), fresh20-sources.tsv (written by --new before anyone read the texts). Batch 21 (same day, after batch 20 was labelled
and the teiki-001 trigger fix, no rule written from batch 20): the same candidates minus batches 18-20,
random.Random(20261221).sample(…, 24), fresh21-sources.tsv. Batch 22 (eleventh session, after the teiki-003 sub-item fix,
no rule written from batch 21's texts beyond that fix's dev law): the same candidates minus batches 18-21,
random.Random(20261222).sample(…, 24), fresh22-sources.tsv. Batch 23 (twelfth session, at its start, before any rule
change of that session): the same candidates minus batches 18-22, random.Random(20261223).sample(…, 24),
fresh23-sources.tsv. Batch 24 (thirteenth session, at its start, before any rule change of that session): the same
candidates minus batches 18-23, random.Random(20261224).sample(…, 24), fresh24-sources.tsv. Batch 25 (fourteenth session, at its start, before any
rule change of that session): the same candidates minus batches 18-24, random.Random(20261225).sample(…, 24),
fresh25-sources.tsv. Batch 26 (fifteenth session, at its start, before any rule change of that session): the same
candidates minus batches 18-25, random.Random(20261226).sample(…, 24), fresh26-sources.tsv.
"""

from __future__ import annotations

import argparse
import csv
import html
import random
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXTRA = REPO.parent / "extra"
KNOWN = [
    REPO.parent / "shared" / "corpus" / "national_laws_2013" / "index.tsv",
    REPO.parent / "shared" / "corpus" / "national_laws_2013" / "more" / "index.tsv",
]
KEYWORDS = re.compile(
    "目視|巡視|点検|立入検査|立ち入り|実地|定期|常駐|専任|掲示|標識|講習|閲覧|縦覧|フレキシブルディスク|磁気ディスク"
)
# batch -> seed of its draw; a later batch draws from the same candidates minus every earlier batch's laws
SEEDS = {
    18: 20261207,
    19: 20261219,
    20: 20261220,
    21: 20261221,
    22: 20261222,
    23: 20261223,
    24: 20261224,
    25: 20261225,
    26: 20261226,
}
COUNT = 24


def sources(batch: int) -> Path:
    return HERE / f"fresh{batch}-sources.tsv"


def read_sources(batch: int) -> list[dict[str, str]]:
    with sources(batch).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def blob(mirror: Path, sha: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(mirror), "cat-file", "-p", sha], capture_output=True, check=True
    ).stdout


def draw(mirror: Path, batch: int) -> list[tuple[str, str]]:
    """Re-run the draw of ``batch`` over the mirror: (blob id, title) of the chosen laws in draw order."""
    known = set()
    for tsv in KNOWN:
        known |= {ln.split("\t")[0] for ln in tsv.read_text("utf-8").splitlines()[1:]}
    for earlier in SEEDS:
        if earlier < batch:
            known |= {r["title"] for r in read_sources(earlier)}
    listing = subprocess.run(
        ["git", "-C", str(mirror), "ls-tree", "-r", "HEAD", "data2/html"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    cands = []
    for line in listing:
        sha = line.split()[2]
        try:
            page = blob(mirror, sha).decode("cp932", errors="replace")
        except subprocess.CalledProcessError:
            continue  # listed but absent from the snapshot
        m = re.search(r"<TITLE>(.*?)</TITLE>", page, re.S | re.I)
        title = html.unescape(m.group(1)).strip() if m else ""
        body = re.sub(r"<[^>]+>", "", page)
        if (
            title
            and title not in known
            and 6000 <= len(body) <= 60000
            and len(KEYWORDS.findall(body)) >= 12
            and "抄" not in title
        ):
            cands.append((sha, title))
    cands.sort()
    return random.Random(SEEDS[batch]).sample(cands, COUNT)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--mirror", type=Path, required=True, help="git directory of github:shibacow/law.e-gov.go.jp"
    )
    ap.add_argument("--batch", type=int, default=18, choices=sorted(SEEDS))
    ap.add_argument("--out", type=Path, default=None, help="default: ../extra/fresh<batch>")
    ap.add_argument("--check-selection", action="store_true")
    ap.add_argument(
        "--new", action="store_true", help="draw the batch and write its sources file (once, before reading)"
    )
    a = ap.parse_args()
    out = a.out or EXTRA / f"fresh{a.batch}"
    if a.new:
        if sources(a.batch).exists():
            sys.exit(f"{sources(a.batch).name} exists: a batch is drawn once")
        with sources(a.batch).open("w", encoding="utf-8") as f:
            f.write("title\tblob\n")
            for sha, title in draw(a.mirror, a.batch):
                f.write(f"{title}\t{sha}\n")
    rows = read_sources(a.batch)
    if a.check_selection:
        drawn = [t for _, t in draw(a.mirror, a.batch)]
        if drawn != [r["title"] for r in rows]:
            sys.exit(f"the draw over this mirror does not give the laws of {sources(a.batch).name}")
        print(f"draw reproduced: {len(rows)} laws, same order")
    a.out = out
    a.out.mkdir(parents=True, exist_ok=True)
    for r in rows:
        (a.out / f"{r['title']}.html").write_bytes(blob(a.mirror, r["blob"]))
    print(f"{len(rows)} laws written to {a.out}")


if __name__ == "__main__":
    main()
