"""`analogscan eval`: precision / recall / F1 per type against a labels file.

Labels file: JSON Lines, one labelled provision a line:
  {"doc": "<file name without suffix>", "path": "<citation, e.g. 第3条第2項第1号>", "labels": ["keiji", ...]}
(extra keys such as "text" and "note" are ignored). A line without "labels" (or with
"labels": null) marks a provision as not judged: findings there are not counted either way. Citations are compared by canonical
numbers, so 第十二条の二第三項 and 第12条の2第3項 are the same; paragraph 1 may be omitted; the
附則 block is not distinguished. A finding on a provision of a labelled document that has no
label line counts as a false positive (the labels file is taken as complete for its documents).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import TYPE_CODES, DocumentResult
from .structure.numbering import citation_key, parse_citation

Key = tuple[str, tuple[Any, ...]]


class LabelsError(Exception):
    pass


@dataclass
class Gold:
    labels: dict[Key, set[str]] = field(default_factory=dict)
    citations: dict[Key, str] = field(default_factory=dict)
    docs: set[str] = field(default_factory=set)
    unjudged: set[Key] = field(default_factory=set)


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
                raise LabelsError(f"{path}:{n}: ラベルの行が不正です（doc, path, labels が必要です: {e}）") from e
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


@dataclass
class EvalResult:
    per_type: dict[str, TypeScore]
    micro: TypeScore
    false_positives: list[dict[str, Any]]
    misses: list[dict[str, Any]]
    unmatched_docs: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "per_type": {t: s.to_json() for t, s in self.per_type.items()},
            "micro": self.micro.to_json(),
            "false_positives": self.false_positives,
            "misses": self.misses,
            "unmatched_docs": self.unmatched_docs,
        }


def score(
    gold: Gold, results: list[DocumentResult], types: list[str] | None = None, labelled_only: bool = False
) -> EvalResult:
    """Score findings against gold. labelled_only: ignore findings on provisions that have no
    label line (for gold files that are samples of their documents rather than complete)."""
    types = types or list(TYPE_CODES)
    pred: dict[Key, set[str]] = defaultdict(set)
    where: dict[Key, tuple[str, str, str]] = {}
    scanned: set[str] = set()
    for r in results:
        stem = Path(r.path).stem
        if stem not in gold.docs:
            continue
        scanned.add(stem)
        for f in r.findings:
            key = (stem, citation_key(f.location))
            pred[key].add(f.type)
            where.setdefault(key, (f.location.label, f.provision_text, f.rule_id))
    per = {t: TypeScore() for t in types}
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
            elif t in p:
                per[t].fp += 1
                label, text, rule = where.get(key, ("", "", ""))
                fps.append(
                    {"doc": key[0], "citation": label or gold.citations.get(key, ""), "type": t, "rule_id": rule,
                     "text": text, "labelled": key in gold.labels}
                )
            elif t in g:
                per[t].fn += 1
                misses.append({"doc": key[0], "citation": gold.citations.get(key, ""), "type": t})
    micro = TypeScore(
        sum(s.tp for s in per.values()), sum(s.fp for s in per.values()), sum(s.fn for s in per.values())
    )
    fps.sort(key=lambda d: (d["type"], d["doc"], d["citation"]))
    misses.sort(key=lambda d: (d["type"], d["doc"], d["citation"]))
    return EvalResult(per, micro, fps, misses, sorted(gold.docs - scanned))


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
    if res.false_positives:
        out.append("")
        out.append(f"誤検出（FP） {len(res.false_positives)} 件:")
        for d in res.false_positives[:max_list]:
            tag = "" if d["labelled"] else "（ラベルなしの規定）"
            out.append(f"  {d['type']:8s} {d['doc']} {d['citation']} [{d['rule_id']}]{tag} {d['text'][:60]}")
    if res.misses:
        out.append("")
        out.append(f"見落とし（FN） {len(res.misses)} 件:")
        for d in res.misses[:max_list]:
            out.append(f"  {d['type']:8s} {d['doc']} {d['citation']}")
    if res.unmatched_docs:
        out.append("")
        out.append("ラベルにあるが走査されなかった文書: " + "、".join(res.unmatched_docs))
    return "\n".join(out) + "\n"
