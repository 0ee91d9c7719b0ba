"""`analogscan eval`: precision / recall / F1 per type against a labels file.

Labels file: JSON Lines, one labelled provision a line:
  {"doc": "<file name without suffix>", "path": "<citation, e.g. 第3条第2項第1号>", "labels": ["keiji", ...],
   "split": "dev" | "blind"}
"split" (default dev) says whether the document was open to rule writing (dev) or held out
(blind); scores are given per split, and errors are listed for dev only. Findings are scored per
tier: likely alone, and likely + possible together; the search-word baseline (SEARCH_WORDS: what
staff type into a 例規 system) is scored on the same provisions.
(extra keys such as "text" and "note" are ignored). A line without "labels" (or with
"labels": null) marks a provision as not judged: findings there are not counted either way. Citations are compared by canonical
numbers, so 第十二条の二第三項 and 第12条の2第3項 are the same; paragraph 1 may be omitted; the
附則 block is not distinguished. A finding on a provision of a labelled document that has no
label line counts as a false positive (the labels file is taken as complete for its documents).
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AnalogscanError
from .model import TIERS, TYPE_CODES, DocumentResult
from .structure.numbering import citation_key, parse_citation

Key = tuple[str, tuple[Any, ...]]
SPLITS = ("dev", "blind")

# The plain search words staff type into a 例規 database in the manual's 洗い出し step, per type
# (the baseline the tool must never fall below).
SEARCH_WORDS: dict[str, tuple[str, ...]] = {
    "mokushi": ("目視", "巡視", "監視", "立会", "立ち会", "確認", "検査"),
    "jicchi": ("立入", "立ち入", "実地", "臨検", "現地調査"),
    "teiki": ("定期", "毎年", "毎月", "ごとに", "年一回", "年1回"),
    "jochu": ("常駐", "専任", "専従", "常勤", "兼ね"),
    "keiji": ("掲示", "掲げ"),
    "koshu": ("講習", "研修", "受講"),
    "etsuran": ("閲覧", "縦覧"),
    "media": (
        "フレキシブルディスク",
        "磁気ディスク",
        "磁気テープ",
        "光ディスク",
        "CD-ROM",
        "シー・ディー・ロム",
    ),
}


def search_word_types(text: str) -> set[str]:
    """The types whose search words occur in text (the baseline's prediction)."""
    return {t for t, words in SEARCH_WORDS.items() if any(w in text for w in words)}


class LabelsError(AnalogscanError):
    pass


@dataclass
class Gold:
    labels: dict[Key, set[str]] = field(default_factory=dict)
    citations: dict[Key, str] = field(default_factory=dict)
    docs: set[str] = field(default_factory=set)
    unjudged: set[Key] = field(default_factory=set)
    splits: dict[str, str] = field(default_factory=dict)  # doc -> dev | blind


def load_gold(paths: list[Path]) -> Gold:
    g = Gold()
    for path in paths:
        try:
            lines = path.read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise LabelsError(f"{path}: ラベルファイルを読めません（{e}）") from e
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                doc, cit, labels = rec["doc"], rec["path"], rec.get("labels")
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as e:
                raise LabelsError(
                    f"{path}:{n}: ラベルの行が不正です（doc, path, labels が必要です: {e}）"
                ) from e
            split = rec.get("split", "dev") if isinstance(rec, dict) else "dev"
            if split not in SPLITS:
                raise LabelsError(f"{path}:{n}: split は {' / '.join(SPLITS)} のどちらかにしてください")
            if g.splits.setdefault(str(doc), split) != split:
                raise LabelsError(
                    f"{path}:{n}: 文書「{doc}」の split が行によって違います（文書単位で決めてください）"
                )
            if labels is None:
                g.unjudged.add((str(doc), citation_key(parse_citation(str(cit)))))
                g.docs.add(str(doc))
                continue
            if not isinstance(labels, list):
                raise LabelsError(f"{path}:{n}: labels は規制区分コードの一覧にしてください")
            bad = [t for t in labels if t not in TYPE_CODES]
            if bad:
                raise LabelsError(f"{path}:{n}: 未知の規制区分 {bad}（使える値: {', '.join(TYPE_CODES)}）")
            key = (str(doc), citation_key(parse_citation(str(cit))))
            g.labels.setdefault(key, set()).update(labels)
            g.citations.setdefault(key, str(cit))
            g.docs.add(str(doc))
    return g


@dataclass
class TypeScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "support": self.support,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True)
class Interval:
    """A percentile interval of micro precision and recall from resampling whole documents."""

    precision: tuple[float, float]
    recall: tuple[float, float]
    resamples: int
    documents: int

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": [round(x, 4) for x in self.precision],
            "recall": [round(x, 4) for x in self.recall],
            "level": INTERVAL_LEVEL,
            "resamples": self.resamples,
            "documents": self.documents,
        }


INTERVAL_LEVEL = 0.95
RESAMPLES = 1000


def _percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    tail = (1 - INTERVAL_LEVEL) / 2
    lo = values[math.floor(tail * (len(values) - 1))]
    hi = values[math.ceil((1 - tail) * (len(values) - 1))]
    return lo, hi


def document_interval(
    per_doc: dict[str, TypeScore], resamples: int = RESAMPLES, seed: int = 0
) -> Interval | None:
    """Micro P and R over ``resamples`` samples of the documents drawn with replacement.

    Errors cluster in documents (one law's way of wording a duty is missed in all its provisions),
    so provisions are not independent: resampling documents gives an honest width. Seeded, so the
    same gold and findings always print the same interval. None with fewer than two documents."""
    docs = sorted(per_doc)
    if len(docs) < 2:
        return None
    rng = random.Random(seed)
    ps: list[float] = []
    rs: list[float] = []
    for _ in range(resamples):
        tp = fp = fn = 0
        for d in rng.choices(docs, k=len(docs)):
            s = per_doc[d]
            tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
        if tp + fp:
            ps.append(tp / (tp + fp))
        if tp + fn:
            rs.append(tp / (tp + fn))
    if not ps or not rs:
        return None
    return Interval(_percentiles(ps), _percentiles(rs), resamples, len(docs))


@dataclass(frozen=True)
class Difference:
    """New minus old micro P and R over the same documents, with a paired document-resampling interval."""

    precision: float
    recall: float
    precision_interval: tuple[float, float]
    recall_interval: tuple[float, float]
    documents: int

    def to_json(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "precision_interval": [round(x, 4) for x in self.precision_interval],
            "recall_interval": [round(x, 4) for x in self.recall_interval],
            "level": INTERVAL_LEVEL,
            "documents": self.documents,
        }


def _pr_of(docs: list[str], per_doc: dict[str, TypeScore]) -> tuple[float | None, float | None]:
    tp = fp = fn = 0
    for d in docs:
        s = per_doc.get(d)
        if s is not None:
            tp, fp, fn = tp + s.tp, fp + s.fp, fn + s.fn
    return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def paired_difference(
    new: dict[str, TypeScore], old: dict[str, TypeScore], resamples: int = RESAMPLES, seed: int = 0
) -> Difference | None:
    """How far two rule sets differ on the same documents, and whether the difference outlasts the choice of
    documents: each resample draws documents with replacement and scores both rule sets on that draw (a paired
    bootstrap), so a change that helps one law and hurts another shows a wide interval around 0."""
    docs = sorted(set(new) | set(old))
    if len(docs) < 2:
        return None
    (pn, rn), (po, ro) = _pr_of(docs, new), _pr_of(docs, old)
    if pn is None or po is None or rn is None or ro is None:
        return None
    rng = random.Random(seed)
    dps: list[float] = []
    drs: list[float] = []
    for _ in range(resamples):
        draw = rng.choices(docs, k=len(docs))
        (a, b), (c, d) = _pr_of(draw, new), _pr_of(draw, old)
        if a is not None and c is not None:
            dps.append(a - c)
        if b is not None and d is not None:
            drs.append(b - d)
    if not dps or not drs:
        return None
    return Difference(pn - po, rn - ro, _percentiles(dps), _percentiles(drs), len(docs))


@dataclass
class EvalResult:
    per_type: dict[str, TypeScore]
    micro: TypeScore
    false_positives: list[dict[str, Any]]
    misses: list[dict[str, Any]]
    unmatched_docs: list[str]
    per_doc: dict[str, TypeScore] = field(default_factory=dict)  # micro counts of each scored document

    def interval(self) -> Interval | None:
        return document_interval(self.per_doc)

    def to_json(self) -> dict[str, Any]:
        iv = self.interval()
        return {
            "per_type": {t: s.to_json() for t, s in self.per_type.items()},
            "micro": self.micro.to_json(),
            "interval": iv.to_json() if iv else None,
            "false_positives": self.false_positives,
            "misses": self.misses,
            "unmatched_docs": self.unmatched_docs,
        }


def score(
    gold: Gold,
    results: list[DocumentResult],
    types: list[str] | None = None,
    labelled_only: bool = False,
    tiers: tuple[str, ...] = ("likely",),
    split: str | None = None,
    baseline: dict[Key, set[str]] | None = None,
) -> EvalResult:
    """Score findings of the given tiers against gold (only documents of ``split`` when given).
    labelled_only: ignore findings on provisions that have no label line (for gold files that are
    samples of their documents rather than complete). baseline: score these predictions (per
    provision key, e.g. from ``search_word_types``) instead of the findings."""
    types = types or list(TYPE_CODES)
    pred: dict[Key, set[str]] = defaultdict(set)
    where: dict[tuple[Key, str], tuple[str, str, str]] = {}  # (provision, type) → label, text, rule id
    scanned: set[str] = set()
    for r in results:
        stem = Path(r.path).stem
        if stem not in gold.docs or (split is not None and gold.splits.get(stem, "dev") != split):
            continue
        scanned.add(stem)
        if baseline is not None:
            continue
        for f in r.findings:
            if f.tier not in tiers:
                continue
            key = (stem, citation_key(f.location))
            pred[key].add(f.type)
            where.setdefault((key, f.type), (f.location.label, f.provision_text, f.rule_id))
    if baseline is not None:
        for key, ts in baseline.items():
            if key[0] in scanned:
                pred[key] |= ts
    per = {t: TypeScore() for t in types}
    per_doc = {d: TypeScore() for d in scanned}
    fps: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    for key in set(gold.labels) | set(pred):
        if key[0] not in scanned or (key in gold.unjudged and key not in gold.labels):
            continue
        if labelled_only and key not in gold.labels:
            continue
        g = gold.labels.get(key, set())
        p = pred.get(key, set())
        for t in types:
            if t in g and t in p:
                per[t].tp += 1
                per_doc[key[0]].tp += 1
            elif t in p:
                per[t].fp += 1
                per_doc[key[0]].fp += 1
                label, text, rule = where.get((key, t), ("", "", ""))
                fps.append(
                    {
                        "doc": key[0],
                        "citation": label or gold.citations.get(key, ""),
                        "type": t,
                        "rule_id": rule,
                        "text": text,
                        "labelled": key in gold.labels,
                    }
                )
            elif t in g:
                per[t].fn += 1
                per_doc[key[0]].fn += 1
                misses.append({"doc": key[0], "citation": gold.citations.get(key, ""), "type": t})
    micro = TypeScore(
        sum(s.tp for s in per.values()), sum(s.fp for s in per.values()), sum(s.fn for s in per.values())
    )
    fps.sort(key=lambda d: (d["type"], d["doc"], d["citation"]))
    misses.sort(key=lambda d: (d["type"], d["doc"], d["citation"]))
    wanted = {d for d in gold.docs if split is None or gold.splits.get(d, "dev") == split}
    return EvalResult(per, micro, fps, misses, sorted(wanted - scanned), per_doc)


def _error_lines(fps: list[dict[str, Any]], misses: list[dict[str, Any]], max_list: int) -> list[str]:
    out: list[str] = []
    if fps:
        out.append("")
        out.append(f"誤検出（FP） {len(fps)} 件:")
        for d in fps[:max_list]:
            tag = "" if d["labelled"] else "（ラベルなしの規定）"
            out.append(f"  {d['type']:8s} {d['doc']} {d['citation']} [{d['rule_id']}]{tag} {d['text'][:60]}")
    if misses:
        out.append("")
        out.append(f"見落とし（FN） {len(misses)} 件:")
        for d in misses[:max_list]:
            out.append(f"  {d['type']:8s} {d['doc']} {d['citation']}")
    return out


def render_eval(res: EvalResult, *, max_list: int = 200) -> str:
    from .model import TYPE_LABELS

    out = ["規制区分                 正解数   TP   FP   FN  適合率  再現率     F1"]
    for t, s in res.per_type.items():
        name = f"{t} {TYPE_LABELS[t]}"
        pad = 24 - sum(2 if ord(c) > 0x2000 else 1 for c in name)
        out.append(
            f"{name}{' ' * max(pad, 1)}{s.support:5d} {s.tp:4d} {s.fp:4d} {s.fn:4d}  {s.precision:6.3f}  {s.recall:6.3f} {s.f1:6.3f}"
        )
    m = res.micro
    out.append(
        f"全体（マイクロ平均）     {m.support:5d} {m.tp:4d} {m.fp:4d} {m.fn:4d}  {m.precision:6.3f}  {m.recall:6.3f} {m.f1:6.3f}"
    )
    out.extend(_error_lines(res.false_positives, res.misses, max_list))
    if res.unmatched_docs:
        out.append("")
        out.append("ラベルにあるが走査されなかった文書: " + "、".join(res.unmatched_docs))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------ dev / blind, tiers, baseline

SPLIT_LABELS = {"dev": "開発用（ルール作成に使用）", "blind": "盲検（ルール作成に不使用）"}
COLUMNS = (("likely", "該当の可能性が高い"), ("all", "要確認まで含む"), ("baseline", "検索語だけ"))


def baseline_predictions(paths: list[Path], gold: Gold) -> dict[Key, set[str]]:
    """The search-word baseline on every provision of the labelled documents among paths."""
    from .pipeline import load_ordinance

    out: dict[Key, set[str]] = {}
    for path in paths:
        if path.stem not in gold.docs:
            continue
        ordinance = load_ordinance(path, DocumentResult(path=str(path)))
        for p in ordinance.provisions if ordinance else []:
            ts = search_word_types(p.text)
            if ts:
                out.setdefault((path.stem, citation_key(p.location)), set()).update(ts)
    return out


@dataclass
class Comparison:
    """Per split: likely tier, both tiers, and the search-word baseline on the same provisions."""

    results: dict[str, dict[str, EvalResult]]  # split -> column -> result

    def to_json(self) -> dict[str, Any]:
        return {s: {c: r.to_json() for c, r in cols.items()} for s, cols in self.results.items()}


def compare(
    gold: Gold,
    results: list[DocumentResult],
    baseline: dict[Key, set[str]],
    types: list[str] | None = None,
    labelled_only: bool = False,
    splits: tuple[str, ...] = SPLITS,
) -> Comparison:
    out: dict[str, dict[str, EvalResult]] = {}
    for split in splits:
        if not any(s == split for d, s in gold.splits.items() if d in gold.docs):
            continue
        out[split] = {
            "likely": score(gold, results, types, labelled_only, ("likely",), split),
            "all": score(gold, results, types, labelled_only, TIERS, split),
            "baseline": score(gold, results, types, labelled_only, split=split, baseline=baseline),
        }
    return Comparison(out)


@dataclass
class RuleComparison:
    """Per split: the difference (these rules minus the other rules) in the likely tier and in both tiers."""

    results: dict[str, dict[str, Difference | None]]  # split -> likely | all -> difference

    def to_json(self) -> dict[str, Any]:
        return {
            s: {c: d.to_json() if d else None for c, d in cols.items()} for s, cols in self.results.items()
        }


def compare_rules(new: Comparison, old: Comparison) -> RuleComparison:
    """Paired differences between two evaluations of the same gold and documents (``compare`` run with two rule
    sets)."""
    out: dict[str, dict[str, Difference | None]] = {}
    for split, cols in new.results.items():
        if split not in old.results:
            continue
        out[split] = {
            c: paired_difference(cols[c].per_doc, old.results[split][c].per_doc) for c in ("likely", "all")
        }
    return RuleComparison(out)


def _signed_range(lo: float, hi: float) -> str:
    return f"{lo:+.3f}〜{hi:+.3f}"


def render_rule_comparison(rc: RuleComparison, other: str) -> str:
    out = [f"■ ルールの比較（このルール − {other}。括弧内は文書を組にして復元抽出した95%区間）"]
    for split, cols in rc.results.items():
        out.append(f"{SPLIT_LABELS[split]}:")
        for c, label in COLUMNS:
            d = cols.get(c)
            if c not in cols:
                continue
            if d is None:
                out.append(f"  {label}: 比べられません（文書が 2 件未満か、検出・正解がありません）")
                continue
            verdict = ""
            for name, (lo, hi) in (("P", d.precision_interval), ("R", d.recall_interval)):
                if lo > 0:
                    verdict += f" {name} は上がった"
                elif hi < 0:
                    verdict += f" {name} は下がった"
            out.append(
                f"  {label}: P {d.precision:+.3f}（{_signed_range(*d.precision_interval)}）"
                f"  R {d.recall:+.3f}（{_signed_range(*d.recall_interval)}）"
                + (
                    f" —{verdict}"
                    if verdict
                    else " — どの文書でも同じ結果です"
                    if d.precision_interval == d.recall_interval == (0.0, 0.0)
                    else " — 区間が 0 を含むので、文書の選び方で消えうる差です"
                )
            )
    return "\n".join(out) + "\n"


def _pr(s: TypeScore) -> str:
    return f"{s.precision:5.3f} {s.recall:5.3f}"


def _interval_lines(cols: dict[str, EvalResult]) -> list[str]:
    ivs = [(label, cols[c].interval()) for c, label in COLUMNS]
    shown = [(label, iv) for label, iv in ivs if iv is not None]
    if not shown:
        return []
    lines = [
        f"  全体の95%区間（{shown[0][1].documents} 文書を復元抽出して {RESAMPLES} 回数え直した幅。"
        "この幅より小さい差は、どの文書を選んだかで入れ替わりえます）:"
    ]
    for label, iv in shown:
        (plo, phi), (rlo, rhi) = iv.precision, iv.recall
        lines.append(f"    {label}: P {plo:.3f}〜{phi:.3f}  R {rlo:.3f}〜{rhi:.3f}")
    return lines


def render_comparison(cmp: Comparison, *, max_list: int = 200) -> str:
    from .model import TYPE_LABELS

    out: list[str] = []
    for split, cols in cmp.results.items():
        out.append(f"■ {SPLIT_LABELS[split]}")
        head = "規制区分                 正解数 | " + " | ".join(f"{label}（P R）" for _, label in COLUMNS)
        out.append(head)
        types = list(cols["likely"].per_type)
        for t in [*types, "micro"]:
            if t == "micro":
                name, support = "全体（マイクロ平均）", cols["likely"].micro.support
                scores = [cols[c].micro for c, _ in COLUMNS]
            else:
                name, support = f"{t} {TYPE_LABELS[t]}", cols["likely"].per_type[t].support
                scores = [cols[c].per_type[t] for c, _ in COLUMNS]
            pad = 24 - sum(2 if ord(ch) > 0x2000 else 1 for ch in name)
            out.append(f"{name}{' ' * max(pad, 1)}{support:5d} | " + " | ".join(_pr(s) for s in scores))
        out.extend(_interval_lines(cols))
        out.append("")
    if "dev" in cmp.results:
        dev = cmp.results["dev"]
        out.append(
            "■ 開発用の誤り（盲検の誤りは表示しません。盲検の文書を読んでルールを直すと盲検でなくなります）"
        )
        out.append("「該当の可能性が高い」の誤検出と、要確認まで含めても見落としたもの:")
        out.extend(_error_lines(dev["likely"].false_positives, dev["all"].misses, max_list))
    return "\n".join(out).rstrip() + "\n"
