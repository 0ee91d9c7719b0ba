"""`analogscan rules calibrate`: a rule's confidence from its measured precision.

For every rule, the labelled provisions where it fired (as the reported rule or as one of the
other rules of the same type) are counted, per split. The confidence becomes the blind
precision when the rule fired on at least ``min_support`` labelled blind provisions; otherwise the
dev precision with the same support; otherwise the author's prior stays. Findings on provisions
that no reader judged are not counted. With ``write`` the ``confidence:`` line of each changed
rule is rewritten in place (comments and layout of the file are kept).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .evaluate import Gold
from .fsutil import atomic_write_text
from .model import DocumentResult
from .ruleset.model import RuleSet
from .ruleset.yamlio import LineDict, load_yaml
from .structure.numbering import citation_key

_CONF_LINE = re.compile(r"^(\s*confidence:\s*)([0-9.]+)(.*)$")


@dataclass
class Calibration:
    rule_id: str
    tier: str
    prior: float
    counts: dict[str, tuple[int, int]]  # split -> (fired on labelled provisions, of which right)
    new: float | None  # None: prior kept
    basis: str  # blind | dev | prior

    def precision(self, split: str) -> float | None:
        n, ok = self.counts.get(split, (0, 0))
        return ok / n if n else None


def calibrate(
    rs: RuleSet, gold: Gold, results: list[DocumentResult], min_support: int = 10
) -> list[Calibration]:
    fired: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in results:
        doc = Path(r.path).stem
        if doc not in gold.docs:
            continue
        split = gold.splits.get(doc, "dev")
        for f in r.findings:
            key = (doc, citation_key(f.location))
            if key not in gold.labels:
                continue
            right = f.type in gold.labels[key]
            for rid in [f.rule_id, *f.other_rules]:
                c = fired[rid][split]
                c[0] += 1
                c[1] += int(right)
    out: list[Calibration] = []
    for rule in rs.rules:
        counts = {s: (v[0], v[1]) for s, v in fired.get(rule.id, {}).items()}
        new: float | None = None
        basis = "prior"
        for split in ("blind", "dev"):
            n, ok = counts.get(split, (0, 0))
            if n >= min_support:
                new, basis = round(min(0.99, max(0.05, ok / n)), 2), split
                break
        out.append(Calibration(rule.id, rule.tier, rule.confidence, counts, new, basis))
    return out


def write_confidences(rs: RuleSet, cals: list[Calibration]) -> list[str]:
    """Rewrite the confidence line of every rule whose value changes; returns 'file:line' edited."""
    by_id = {c.rule_id: c for c in cals if c.new is not None and c.new != c.prior}
    edits: dict[str, dict[int, float]] = defaultdict(dict)
    for f in rs.files:
        data = load_yaml(f.read_text("utf-8"))
        for item in data.get("rules", []) if isinstance(data, LineDict) else []:
            if isinstance(item, LineDict) and item.get("id") in by_id and "confidence" in item.key_lines:
                edits[str(f)][item.key_lines["confidence"]] = by_id[item["id"]].new  # type: ignore[assignment]
    done: list[str] = []
    for name, lines in edits.items():
        path = Path(name)
        text = path.read_text("utf-8").split("\n")
        for line_no, value in lines.items():
            m = _CONF_LINE.match(text[line_no - 1])
            if m:
                text[line_no - 1] = f"{m.group(1)}{value}{m.group(3)}"
                done.append(f"{name}:{line_no}")
        atomic_write_text(path, "\n".join(text))
    return done


def render_calibration(cals: list[Calibration]) -> str:
    out = ["ルールID       段階      事前   開発用（件数 適合率）  盲検（件数 適合率）  → 新しい確度（根拠）"]
    for c in cals:
        cols = []
        for split in ("dev", "blind"):
            n, _ = c.counts.get(split, (0, 0))
            p = c.precision(split)
            cols.append(f"{n:5d} {'  -  ' if p is None else f'{p:5.2f}'}")
        new = (
            "据え置き（件数不足）"
            if c.new is None
            else f"{c.new:.2f}（{'盲検' if c.basis == 'blind' else '開発用'}）"
        )
        out.append(
            f"{c.rule_id:14s} {c.tier:9s} {c.prior:4.2f}   {cols[0]}              {cols[1]}            → {new}"
        )
    return "\n".join(out) + "\n"
