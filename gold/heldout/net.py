"""Split the held-out laws with the project's parser and mark broad-net hits per type.

Usage: .venv/bin/python gold/heldout/net.py  -> /tmp/ho/provisions.jsonl (idx, doc, path, text, lead_in, net)
The net is only a reading aid (for the second reading's risky-word list); every provision of the
laws listed in README.md was read in full, net hit or not.
"""

from __future__ import annotations

import json
from pathlib import Path

from analogscan.ingest import read_document
from analogscan.structure import build_ordinance

CORPUS = Path("/work/shared/corpus/national_laws_2013/text")
LAWS = ["建設業法", "理容師法", "火薬類取締法"]

NET = {
    "mokushi": ["目視", "巡視", "巡回", "監視", "見張", "立会", "立ち会", "点検", "検査", "確認"],
    "jicchi": ["立入", "立ち入", "実地", "現地", "臨検"],
    "teiki": ["定期", "毎年", "毎月", "年一回", "年に", "回以上", "ごとに", "以内ごと", "周期", "測定"],
    "jochu": ["常駐", "専任", "専従", "常勤", "常時", "専ら", "兼ね", "置かなければ", "ごとに"],
    "keiji": ["掲示", "を掲げ", "標識", "見やすい"],
    "koshu": ["講習", "研修", "講義", "実習", "修了"],
    "etsuran": ["閲覧", "縦覧", "備え置", "備付", "備え付"],
    "media": ["ディスク", "磁気", "テープ", "記録媒体", "シー・ディー", "CD"],
}
# second-reading "risky" words (homonyms / borderline)
RISKY = [
    "定期",
    "毎年",
    "年に",
    "回以上",
    "ごとに",
    "磁気",
    "ディスク",
    "目視",
    "標識",
    "掲示",
    "閲覧",
    "縦覧",
    "兼ね",
    "立会",
    "立ち会",
    "専任",
    "専ら",
    "常時",
    "講習",
    "研修",
    "検査",
    "点検",
    "立入",
    "立ち入",
]


def main() -> None:
    out = Path("/tmp/ho")
    out.mkdir(exist_ok=True)
    idx = 0
    with open(out / "provisions.jsonl", "w") as f:
        for law in LAWS:
            o = build_ordinance(read_document(CORPUS / f"{law}.txt"))
            n = c = 0
            for p in o.provisions:
                net = sorted({t for t, ws in NET.items() for w in ws if w in p.text})
                risky = sorted({w for w in RISKY if w in p.text})
                f.write(
                    json.dumps(
                        {
                            "idx": idx,
                            "doc": law,
                            "path": p.location.label,
                            "text": p.text,
                            "lead_in": p.lead_in,
                            "net": net,
                            "risky": risky,
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                idx += 1
                n += 1
                c += bool(net)
            print(law, n, "provisions,", c, "net hits")


if __name__ == "__main__":
    main()
