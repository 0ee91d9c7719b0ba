"""Training the rank stage's model from gold labels (``analogscan rules train-ranker``).

The rules scan the gold documents of one split (dev by default: the blind half must stay unseen) with their
own tiers; every finding on a labelled provision is a sample, positive when the gold gives the provision the
finding's type. Findings on provisions nobody read are left out, as ``analogscan eval`` leaves them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .engine import Engine
from .evaluate import Gold
from .model import DocumentResult
from .rank import Ranker, Sample, finding_features, train
from .ruleset.model import RuleSet
from .structure.numbering import citation_key


@dataclass
class Training:
    ranker: Ranker
    samples: int
    positives: int
    documents: int


def samples_of(gold: Gold, results: list[DocumentResult]) -> list[Sample]:
    """One sample per finding on a labelled provision, in a fixed order (document, provision, type)."""
    keyed = []
    for r in results:
        stem = Path(r.path).stem
        for f in r.findings:
            key = (stem, citation_key(f.location))
            labels = gold.labels.get(key)
            if labels is None:
                continue
            keyed.append((stem, str(key[1]), f.type, Sample(finding_features(f), f.type in labels)))
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


def train_ranker(
    ruleset: RuleSet,
    gold: Gold,
    files: list[Path],
    *,
    threshold: float = 0.5,
    l2: float = 1.0,
    min_count: int = 3,
    split: str = "dev",
    gold_names: list[str] | None = None,
) -> Training:
    """Scan ``files`` with the rules' own tiers and fit the model on their findings."""
    from .pipeline import scan_file

    engine = Engine(ruleset.without_ranker())
    results = [scan_file(f, engine) for f in files]
    samples = samples_of(gold, results)
    if not samples:
        raise ValueError(
            "ラベル付きの規定に検出がありません（正解ラベルと走査する文書の名前が合っているか確かめてください）"
        )
    weights, bias = train(samples, l2=l2, min_count=min_count)
    positives = sum(s.y for s in samples)
    trained = {
        "date": dt.date.today().isoformat(),
        "split": split,
        "gold": gold_names or [],
        "documents": len(results),
        "samples": len(samples),
        "positives": positives,
        "l2": l2,
        "min_count": min_count,
        "rules_digest": ruleset.rule_files_digest(),
    }
    return Training(Ranker(weights, bias, threshold, trained=trained), len(samples), positives, len(results))
