#!/usr/bin/env python
"""Dev evaluation of the shipped rules against gold-labelled provisions.

Each line of a labels file is one provision: {"doc", "path", "text", "labels": [type codes],
optionally "lead_in"}. Every text becomes a stand-alone provision
(``analogscan.engine.example_provision``); the candidates are parsed by GiNZA in one batch
(``Engine.parse_texts``) and evaluated with ``Engine.evaluate``. A provision is predicted to
be of type T when at least one rule of type T fires on it.

Prints per type and micro-overall TP / FP / FN, precision, recall and F1, then every false
positive (with the rule that fired and the matched words) and every false negative.

    .venv/bin/python tools/dev_eval.py                       # labels-dev, rules/
    .venv/bin/python tools/dev_eval.py --baseline            # also the keyword-only baseline
    .venv/bin/python tools/dev_eval.py --labels corpora/labels.jsonl --labels ../shared/labels-dev/labels.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = REPO.parent / "shared" / "labels-dev" / "labels.jsonl"
DEFAULT_RULES = REPO / "rules"

TYPES = ("mokushi", "jicchi", "teiki", "jochu", "keiji", "koshu", "etsuran", "media")

# The plain search words staff type into a 例規 database (洗い出し step), per type.
BASELINE_WORDS: dict[str, list[str]] = {
    "mokushi": ["目視", "巡視", "監視", "立会", "立ち会", "確認", "検査"],
    "jicchi": ["立入", "立ち入", "実地", "臨検", "現地調査"],
    "teiki": ["定期", "毎年", "毎月", "ごとに", "年一回", "年1回"],
    "jochu": ["常駐", "専任", "専従", "常勤", "兼ね"],
    "keiji": ["掲示", "掲げ"],
    "koshu": ["講習", "研修", "受講"],
    "etsuran": ["閲覧", "縦覧"],
    "media": [
        "フレキシブルディスク",
        "磁気ディスク",
        "磁気テープ",
        "光ディスク",
        "CD-ROM",
        "シー・ディー・ロム",
    ],
}


@dataclass
class Item:
    source: str
    doc: str
    path: str
    text: str
    gold: set[str]
    lead_in: str | None = None
    pred: set[str] = field(default_factory=set)
    why: dict[str, list[str]] = field(default_factory=dict)  # type -> ["rule-id: matched", ...]


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_items(files: list[Path]) -> list[Item]:
    items: list[Item] = []
    for f in files:
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            d = json.loads(line)
            items.append(
                Item(
                    source=f"{f.name}:{n}",
                    doc=str(d.get("doc", "")),
                    path=str(d.get("path", "")),
                    text=str(d["text"]),
                    gold=set(d.get("labels") or []),
                    lead_in=d.get("lead_in") or None,
                )
            )
    return items


def predict_rules(items: list[Item], rules_dir: Path) -> None:
    from analogscan.engine import Engine, example_provision
    from analogscan.rules.loader import load_ruleset

    engine = Engine(load_ruleset(rules_dir))
    provs = [example_provision(it.text, it.lead_in) for it in items]
    cands = [(it, p) for it, p in zip(items, provs, strict=True) if engine.is_candidate(p)]
    cache = engine.parse_texts([t for _, p in cands for t in (p.text, p.lead_in or "")])
    for it, p in cands:
        for o in engine.evaluate(p, cache):
            if o.fired and o.finding is not None:
                it.pred.add(o.rule.type)
                it.why.setdefault(o.rule.type, []).append(f"{o.rule.id}: {o.finding.matched}")


def predict_baseline(items: list[Item]) -> list[set[str]]:
    out = []
    for it in items:
        hay = it.text + "\n" + (it.lead_in or "")
        out.append({t for t, ws in BASELINE_WORDS.items() if any(w in hay for w in ws)})
    return out


def score(golds: list[set[str]], preds: list[set[str]]) -> dict[str, Scores]:
    s = {t: Scores() for t in TYPES}
    for g, p in zip(golds, preds, strict=True):
        for t in TYPES:
            if t in g and t in p:
                s[t].tp += 1
            elif t in p:
                s[t].fp += 1
            elif t in g:
                s[t].fn += 1
    micro = Scores(
        sum(x.tp for x in s.values()), sum(x.fp for x in s.values()), sum(x.fn for x in s.values())
    )
    s["micro"] = micro
    return s


def table(s: dict[str, Scores], title: str) -> str:
    lines = [title, f"{'type':<8} {'TP':>4} {'FP':>4} {'FN':>4} {'sup':>4}  {'P':>5} {'R':>5} {'F1':>5}"]
    for t in (*TYPES, "micro"):
        x = s[t]
        lines.append(
            f"{t:<8} {x.tp:>4} {x.fp:>4} {x.fn:>4} {x.support:>4}  {x.precision:5.3f} {x.recall:5.3f} {x.f1:5.3f}"
        )
    return "\n".join(lines)


def evaluate(
    label_files: list[Path] | None = None, rules_dir: Path | None = None
) -> tuple[list[Item], dict[str, Scores]]:
    """Run the rules over the labelled files; returns the items (with predictions) and scores."""
    items = load_items(label_files or [DEFAULT_LABELS])
    predict_rules(items, rules_dir or DEFAULT_RULES)
    return items, score([it.gold for it in items], [it.pred for it in items])


def _trim(s: str, n: int) -> str:
    s = s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--labels", action="append", type=Path, help="labels JSONL (repeatable; default: labels-dev)"
    )
    ap.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="rule folder (default: rules/)")
    ap.add_argument("--baseline", action="store_true", help="also score the keyword-only baseline")
    ap.add_argument("--type", action="append", help="list errors only for these types")
    ap.add_argument("--no-errors", action="store_true", help="print the tables only")
    ap.add_argument("--width", type=int, default=110, help="characters of text shown per error")
    args = ap.parse_args(argv)

    files = args.labels or [DEFAULT_LABELS]
    t0 = time.perf_counter()
    items, s = evaluate(files, args.rules)
    wall = time.perf_counter() - t0
    print(f"labels: {', '.join(map(str, files))} ({len(items)} provisions); rules: {args.rules}")
    print(table(s, "== rules =="))
    print(f"wall time: {wall:.1f} s")
    if args.baseline:
        print()
        print(table(score([it.gold for it in items], predict_baseline(items)), "== keyword baseline =="))
    if not args.no_errors:
        errs: dict[str, list[str]] = defaultdict(list)
        for it in items:
            for t in TYPES:
                if args.type and t not in args.type:
                    continue
                where = f"{it.doc} {it.path} [{it.source}]"
                if t in it.pred and t not in it.gold:
                    errs[t].append(
                        f"  FP {where} <- {'; '.join(it.why[t])}\n     {_trim(it.text, args.width)}"
                    )
                elif t in it.gold and t not in it.pred:
                    errs[t].append(f"  FN {where}\n     {_trim(it.text, args.width)}")
        for t in TYPES:
            if errs[t]:
                print(f"\n-- {t}: {len(errs[t])} error(s)")
                print("\n".join(errs[t]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
