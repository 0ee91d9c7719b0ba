"""The rank stage: one learned score per finding that decides its tier (issue 9, item 6).

The rules decide *whether* a provision is a candidate of a type; which rule fired, how its author tiered it and
the words around the match decide how likely the candidate is to be an analogue regulation. A logistic model
over those features, trained on the development half of the gold (``analogscan rules train-ranker``), gives
that probability. A finding whose probability reaches the threshold is 該当の可能性が高い (likely), the others
要確認 (possible); the probability becomes the finding's confidence. No finding is added or dropped: the
ranker only moves findings between the tiers, so everything the rules find is still reported.

The model is data beside the rule files (rules/ranker.json): the weights of named features, the threshold
and how it was trained. Rules that the model has never seen (a reviewer's new rule) are scored by their type,
their tier and the words around the match. Without the file (a rule folder of one's own, given with
``--rules``) the rules' own tiers and confidences stand.

Features of a finding (one definition here, used by training and scoring alike):
- ``t:TYPE``, ``r:RULE_ID``, ``tier:TYPE:RULE_TIER`` (the tier the rule's author gave);
- ``TYPE|item:True`` / ``TYPE|item:False`` (an item of a list or not), ``TYPE|part:main|suppl|appendix``;
- ``TYPE|xy`` and ``TYPE|xyz``: the character 2- and 3-grams of the text from WINDOW characters before the
  match to WINDOW characters after it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Finding

RANKER_FILE = "ranker.json"
KIND = "analogscan-ranker"
WINDOW = 20
NGRAMS = (2, 3)


def features(
    type_code: str,
    rule_id: str,
    rule_tier: str,
    text: str,
    span: tuple[int, int],
    is_item: bool,
    part: str,
    window: int = WINDOW,
    ngrams: Sequence[int] = NGRAMS,
) -> list[str]:
    """The feature names of one finding (sorted, each once)."""
    out = {f"t:{type_code}", f"r:{rule_id}", f"tier:{type_code}:{rule_tier}"}
    a, b = span
    win = text[max(0, a - window) : b + window]
    for n in ngrams:
        for i in range(len(win) - n + 1):
            out.add(f"{type_code}|{win[i : i + n]}")
    out.add(f"{type_code}|item:{is_item}")
    out.add(f"{type_code}|part:{part}")
    return sorted(out)


def finding_features(f: Finding, rule_tier: str | None = None, ranker: Ranker | None = None) -> list[str]:
    """features() of a finding as the rules produced it (``rule_tier``: the rule's own tier, default f.tier)."""
    w = ranker.window if ranker else WINDOW
    ng = ranker.ngrams if ranker else NGRAMS
    return features(
        f.type,
        f.rule_id,
        rule_tier or f.tier,
        f.provision_text,
        f.span,
        bool(f.location.item),
        f.location.part,
        w,
        ng,
    )


class RankerError(ValueError):
    """A ranker file that cannot be used; ``key`` names the JSON key, ``line`` its line (0 unknown)."""

    def __init__(self, message: str, key: str = "", line: int = 0) -> None:
        super().__init__(message)
        self.key = key
        self.line = line


@dataclass
class Ranker:
    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    window: int = WINDOW
    ngrams: tuple[int, ...] = NGRAMS
    trained: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def score(self, feats: Iterable[str]) -> float:
        s = self.bias + sum(self.weights.get(x, 0.0) for x in feats)
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, s))))

    def contributions(self, feats: Iterable[str], n: int = 5) -> list[tuple[str, float]]:
        """The n features that moved the score most, strongest first (for explain)."""
        ws = [(x, self.weights[x]) for x in feats if x in self.weights]
        return sorted(ws, key=lambda xw: -abs(xw[1]))[:n]

    def tier_of(self, p: float) -> str:
        """The tier of a probability: ≥ threshold → likely, else possible."""
        return "likely" if p >= self.threshold else "possible"

    def apply(self, findings: list[Finding]) -> None:
        """Re-tier the findings in place (tier_of their probability; the probability becomes the confidence)."""
        for f in findings:
            p = self.score(finding_features(f, ranker=self))
            f.confidence = round(p, 2)
            f.tier = self.tier_of(p)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "version": 1,
            "threshold": self.threshold,
            "window": self.window,
            "ngrams": list(self.ngrams),
            "bias": round(self.bias, 6),
            "trained": self.trained,
            "weights": {k: self.weights[k] for k in sorted(self.weights)},
        }


def _line_of(raw: str, key: str) -> int:
    """The line of the first occurrence of "key" in the file text (0 if absent)."""
    i = raw.find(f'"{key}"')
    return raw.count("\n", 0, i) + 1 if i >= 0 else 0


def load_ranker(path: Path) -> Ranker:
    """Read a ranker file. Raises RankerError with a Japanese message naming the key and line."""
    try:
        raw = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RankerError(f"順位付けモデルのファイルを読めません（{e}）") from e
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise RankerError(f"JSON として読めません（{e.msg}、{e.colno} 文字目）", line=e.lineno) from e
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise RankerError(
            f'"kind": "{KIND}" のオブジェクトにしてください', key="kind", line=_line_of(raw, "kind")
        )

    def num(key: str, lo: float, hi: float) -> float:
        v = data.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or not lo <= v <= hi:
            raise RankerError(f"{lo} から {hi} までの数にしてください", key=key, line=_line_of(raw, key))
        return float(v)

    threshold = num("threshold", 0.0, 1.0)
    bias = num("bias", -1e6, 1e6)
    window = int(num("window", 0, 1000))
    ngrams = data.get("ngrams")
    if (
        not isinstance(ngrams, list)
        or not ngrams
        or not all(isinstance(n, int) and 1 <= n <= 10 for n in ngrams)
    ):
        raise RankerError(
            "1 から 10 までの整数の一覧にしてください", key="ngrams", line=_line_of(raw, "ngrams")
        )
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise RankerError(
            "特徴の名前と重みの対応にしてください", key="weights", line=_line_of(raw, "weights")
        )
    for k, v in weights.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            raise RankerError(
                f"特徴「{k}」の重みが数ではありません", key=f"weights.{k}", line=_line_of(raw, k)
            )
    raw_trained = data.get("trained")
    trained: dict[str, Any] = raw_trained if isinstance(raw_trained, dict) else {}
    return Ranker(
        {str(k): float(v) for k, v in weights.items()},
        bias,
        threshold,
        window,
        tuple(ngrams),
        trained,
        path,
    )


def find_ranker(paths: Iterable[Path]) -> Path | None:
    """The ranker file of the first rule folder that has one (the shipped folder comes first with +folder)."""
    for p in paths:
        if p.is_dir() and (p / RANKER_FILE).is_file():
            return p / RANKER_FILE
    return None


@dataclass
class Sample:
    feats: list[str]
    y: bool


def train(
    samples: Sequence[Sample],
    l2: float = 1.0,
    epochs: int = 300,
    lr: float = 0.1,
    min_count: int = 1,
) -> tuple[dict[str, float], float]:
    """Fit the logistic model (full-batch Adam, L2 penalty ``l2``): weights by feature name, and the bias.

    Deterministic for the same samples in the same order. Features seen in fewer than ``min_count`` samples
    get no weight."""
    import numpy as np

    counts: dict[str, int] = {}
    for s in samples:
        for x in s.feats:
            counts[x] = counts.get(x, 0) + 1
    names = sorted(x for x, c in counts.items() if c >= min_count)
    index = {x: i for i, x in enumerate(names)}
    rows = [[index[x] for x in s.feats if x in index] for s in samples]
    n, d = len(rows), len(names)
    if n == 0:
        raise ValueError("no samples")
    lens = np.array([len(r) for r in rows])
    flat = np.array([i for r in rows for i in r], dtype=np.int64)
    sid = np.repeat(np.arange(n), lens)
    y = np.array([1.0 if s.y else 0.0 for s in samples])
    w = np.zeros(d)
    b = 0.0
    m = np.zeros(d)
    v = np.zeros(d)
    mb = vb = 0.0
    for ep in range(1, epochs + 1):
        z = np.bincount(sid, weights=w[flat], minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))
        err = p - y
        g = np.bincount(flat, weights=err[sid], minlength=d) / n + l2 * w / n
        gb = float(err.mean())
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= lr * (m / (1 - 0.9**ep)) / (np.sqrt(v / (1 - 0.999**ep)) + 1e-8)
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        b -= lr * (mb / (1 - 0.9**ep)) / (math.sqrt(vb / (1 - 0.999**ep)) + 1e-8)
    weights = {x: round(float(w[i]), 4) for x, i in index.items() if abs(w[i]) >= 5e-4}
    return weights, float(b)
