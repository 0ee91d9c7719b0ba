"""Broad candidate net for the extra gold set (gold/labels-extra.jsonl).

Usage: .venv/bin/python gold/net.py  -> writes /tmp/gold_work/provisions.jsonl (all provisions,
with the net's hits per type) and prints candidate counts per law.
A provision is a candidate when its own text (not the lead-in it inherits) contains any word
below. Sample: 30 non-candidates per law, random.Random(SEED + law index).
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from analogscan.ingest import read_document
from analogscan.structure import build_ordinance

CORPUS = Path("/work/shared/corpus/national_laws_2013/text")
LAWS = [
    "消防法施行規則",
    "食品衛生法施行規則",
    "建築基準法施行規則",
    "廃棄物の処理及び清掃に関する法律施行規則",
]
SEED = 20240611

NET = {
    "mokushi": ["目視", "巡視", "巡回", "監視", "見張", "立会", "立ち会", "確認", "点検", "検査", "観察"],
    "jicchi": ["立入", "立ち入", "実地", "現地", "臨検", "検査"],
    "teiki": [
        "定期",
        "毎年",
        "毎月",
        "年一回",
        "年に",
        "以上",
        "ごとに",
        "周期",
        "点検",
        "検査",
        "測定",
        "報告",
    ],
    "jochu": ["常駐", "専任", "専従", "常勤", "専ら", "兼ね", "置かなければ", "ごとに"],
    "keiji": ["掲示", "掲げ", "標識", "表示"],
    "koshu": ["講習", "研修", "講義", "実習", "修了"],
    "etsuran": ["閲覧", "縦覧", "備え置", "備付"],
    "media": [
        "フレキシブル",
        "ディスク",
        "磁気",
        "テープ",
        "光ディスク",
        "CD",
        "ＣＤ",
        "シー・ディー",
        "記録媒体",
        "FD",
        "ＦＤ",
    ],
}


# Priority tier. Every candidate that hits a STRONG word/pattern is labelled. Candidates that
# hit only weak words (以上, 測定, 確認, 報告, 表示, ごとに, 「次に掲げる」-type 掲げ …) are
# far too many to read in the time we had: a seeded random sample of WEAK_SAMPLE per law is
# labelled, the rest is listed in gold/unlabelled.jsonl.
STRONG = [
    "目視",
    "巡視",
    "巡回",
    "監視",
    "見張",
    "立会",
    "立ち会",
    "点検",
    "検査",
    "観察",
    "立入",
    "立ち入",
    "実地",
    "現地",
    "臨検",
    "定期",
    "毎年",
    "毎月",
    "年一回",
    "年に",
    "周期",
    "回以上",
    "常駐",
    "専任",
    "専従",
    "常勤",
    "専ら",
    "兼ね",
    "置かなければ",
    "掲示",
    "標識",
    "見やすい",
    "講習",
    "研修",
    "講義",
    "実習",
    "修了",
    "閲覧",
    "縦覧",
    "備え置",
    "備付",
] + NET["media"]
STRONG_RE = re.compile(r"(を|旨を)掲げ|ごとに.{0,40}(測定|報告)|(測定|報告).{0,40}ごとに")
WEAK_SAMPLE = 30


def is_strong(text: str) -> bool:
    return any(w in text for w in STRONG) or bool(STRONG_RE.search(text))


def fix_path(law: str, p) -> str:
    """Correct citation. The parser mislabels the whole main body of 食品衛生法施行規則 as
    附則 (the table of contents ends with a bare 「附則」 line): suppl_index 0 there is the main
    body, so drop the 附則 prefix."""
    lab = p.location.label
    if law == "食品衛生法施行規則" and p.location.suppl_index == 0 and lab.startswith("附則"):
        return lab[len("附則") :]
    return lab


def hits(text: str) -> dict[str, list[str]]:
    out = {}
    for t, words in NET.items():
        w = [x for x in words if x in text]
        if w:
            out[t] = w
    return out


def main() -> None:
    outdir = Path("/tmp/gold_work")
    outdir.mkdir(exist_ok=True)
    rows = []
    for li, law in enumerate(LAWS):
        o = build_ordinance(read_document(CORPUS / f"{law}.txt"))
        ncand = 0
        non = []
        for i, p in enumerate(o.provisions):
            h = hits(p.text)
            r = {
                "doc": law,
                "idx": i,
                "path": fix_path(law, p),
                "parser_label": p.location.label,
                "lead_in": p.lead_in,
                "text": p.text,
                "hits": h,
            }
            rows.append(r)
            if h:
                ncand += 1
            else:
                non.append(i)
        rng = random.Random(SEED + li)
        sample = set(rng.sample(non, 30))
        mine = [r for r in rows if r["doc"] == law]
        weak = [r["idx"] for r in mine if r["hits"] and not is_strong(r["text"])]
        weak_pick = set(random.Random(SEED + 100 + li).sample(weak, WEAK_SAMPLE))
        for r in mine:
            if r["hits"]:
                r["set"] = "candidates"
                r["tier"] = (
                    "strong"
                    if is_strong(r["text"])
                    else ("weak-sample" if r["idx"] in weak_pick else "weak-unlabelled")
                )
            else:
                r["set"] = "sample" if r["idx"] in sample else None
                r["tier"] = "sample" if r["idx"] in sample else None
        ns = sum(1 for r in mine if r.get("tier") == "strong")
        print(
            law,
            "provisions",
            len(o.provisions),
            "candidates",
            ncand,
            "strong",
            ns,
            "weak",
            len(weak),
            "non",
            len(non),
            file=sys.stderr,
        )
    with open(outdir / "provisions.jsonl", "w") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
