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

Pipeline mode (`--pipeline`) measures what `analogscan eval` measures: the labelled documents
are read and split by the project's parser (``analogscan.pipeline.scan_file``) and scored
with ``analogscan.evaluate.load_gold`` / ``score`` (findings on unlabelled provisions of a
labelled document are false positives; lines without labels mark unjudged provisions). By
default it uses the whole development gold set (DEV_GOLD) over DEV_PATHS. ``--hold-out DOC``
removes a document from the scores and the error lists (it is scored on its own with
``--only DOC``); ``--baseline`` scores the keyword-only baseline on the same provisions.

    .venv/bin/python tools/dev_eval.py --pipeline --baseline
    .venv/bin/python tools/dev_eval.py --pipeline --hold-out 食品衛生法施行規則
    .venv/bin/python tools/dev_eval.py --pipeline --only 食品衛生法施行規則 --no-errors
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from analogscan.evaluate import SEARCH_WORDS
from analogscan.evaluate import TypeScore as Scores
from analogscan.model import TYPE_CODES

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LABELS = REPO.parent / "shared" / "labels-dev" / "labels.jsonl"
DEFAULT_RULES = REPO / "rules"
SHARED = REPO.parent / "shared"
# the development gold set of the issue "Rule sets that beat keyword search"
DEV_GOLD = [
    SHARED / "labels-dev" / "labels.jsonl",
    REPO / "gold" / "labels-extra.jsonl",
    REPO / "gold" / "unlabelled.jsonl",
    REPO / "corpora" / "labels.jsonl",
]
DEV_PATHS = [SHARED / "corpus" / "national_laws_2013" / "text", REPO / "corpora" / "reiki"]

# one definition each, shared with `analogscan eval`: the types, the manual's search words and the scores
TYPES = TYPE_CODES
BASELINE_WORDS = SEARCH_WORDS


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
    from analogscan.ruleset.loader import load_ruleset

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


# ----------------------------------------------------------------------------- pipeline mode


def restrict_gold(gold, only: set[str] | None = None, drop: set[str] | None = None):
    """A copy of an ``analogscan.evaluate.Gold`` limited to some documents."""
    from analogscan.evaluate import Gold

    def keep(doc: str) -> bool:
        return (only is None or doc in only) and not (drop and doc in drop)

    g = Gold()
    g.labels = {k: v for k, v in gold.labels.items() if keep(k[0])}
    g.citations = {k: v for k, v in gold.citations.items() if keep(k[0])}
    g.unjudged = {k for k in gold.unjudged if keep(k[0])}
    g.docs = {d for d in gold.docs if keep(d)}
    return g


def baseline_results(results, provisions_of):
    """Keyword-only baseline on the parser's provisions: a provision is predicted to be of
    type T when its text or its lead-in contains one of BASELINE_WORDS[T]."""
    from analogscan.model import DocumentResult, Finding

    out = []
    for r in results:
        br = DocumentResult(path=r.path)
        for p in provisions_of[r.path]:
            hay = p.text + "\n" + (p.lead_in or "")
            for t, ws in BASELINE_WORDS.items():
                w = next((w for w in ws if w in hay), None)
                if w:
                    br.findings.append(Finding(f"kw-{t}", t, p.location, p.text, w, (0, 0), "", 1.0))
        out.append(br)
    return out


def pipeline_eval(
    gold_files: list[Path] | None = None,
    paths: list[Path] | None = None,
    rules_dir: Path | None = None,
    baseline: bool = False,
):
    """Scan the labelled documents with the full pipeline. Returns (gold, results,
    baseline_results or None, wall seconds of the scan)."""
    from analogscan.engine import Engine
    from analogscan.evaluate import load_gold
    from analogscan.ingest import iter_input_files
    from analogscan.model import DocumentResult
    from analogscan.pipeline import load_ordinance, scan_file
    from analogscan.ruleset.loader import load_ruleset

    gold = load_gold(list(gold_files or DEV_GOLD))
    files = [f for f in iter_input_files(list(paths or DEV_PATHS)) if f.stem in gold.docs]
    engine = Engine(load_ruleset(rules_dir or DEFAULT_RULES))
    t0 = time.perf_counter()
    results = [scan_file(f, engine) for f in files]
    wall = time.perf_counter() - t0
    base = None
    if baseline:
        provs = {}
        for f in files:
            o = load_ordinance(f, DocumentResult(path=str(f)))
            provs[str(f)] = o.provisions if o else []
        base = baseline_results(results, provs)
    return gold, results, base, wall


def _pipeline_main(args) -> int:
    from analogscan.evaluate import render_eval, score

    gold, results, base, wall = pipeline_eval(
        args.labels or None, args.path or None, args.rules, args.baseline
    )
    only = set(args.only) if args.only else None
    drop = set(args.hold_out or [])
    g = restrict_gold(gold, only, drop)
    types = args.type or None
    res = score(g, results, types)
    what = (
        f"only {sorted(only)}" if only else "all labelled docs" + (f" except {sorted(drop)}" if drop else "")
    )
    print(f"pipeline: {len(results)} docs scanned in {wall:.1f} s; scored: {what}")
    print(render_eval(res, max_list=0 if args.no_errors else 10000), end="")
    if base is not None:
        print("\n== keyword baseline ==")
        print(render_eval(score(g, base, types), max_list=0), end="")
    return 0


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
    ap.add_argument(
        "--pipeline",
        action="store_true",
        help="full pipeline (scan_file + evaluate.score), like analogscan eval",
    )
    ap.add_argument(
        "--path", action="append", type=Path, help="pipeline: files/folders to scan (default: DEV_PATHS)"
    )
    ap.add_argument("--hold-out", action="append", help="pipeline: leave this document out of the scores")
    ap.add_argument("--only", action="append", help="pipeline: score only this document")
    args = ap.parse_args(argv)
    if args.pipeline:
        return _pipeline_main(args)

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
