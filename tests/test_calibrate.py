"""`rules calibrate`: confidence from measured precision (blind first, then dev, else the prior)."""

from __future__ import annotations

import json
from pathlib import Path

from analogscan.calibrate import calibrate, write_confidences
from analogscan.evaluate import load_gold
from analogscan.model import DocumentResult, Finding, Location
from analogscan.ruleset.loader import load_ruleset

RULES = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 掲示
    message: 「{matched}」
    confidence: 0.8   # 作成者の見立て
    triggers: [掲示]
    match: {text: 掲示}
    examples:
      match: [許可証を掲示しなければならない。]
      no_match: [申請書を提出しなければならない。]
  - id: keiji-902
    title: 標識
    message: 「{matched}」
    confidence: 0.7
    triggers: [標識]
    match: {text: 標識}
    examples:
      match: [標識を設置しなければならない。]
      no_match: [申請書を提出しなければならない。]
"""


def _finding(rule: str, art: str) -> Finding:
    return Finding(
        rule_id=rule,
        type="keiji",
        location=Location(article=art, paragraph=1, label=f"第{art}条"),
        provision_text="x",
        matched="x",
        span=(0, 1),
        message="m",
        confidence=0.8,
    )


def test_calibrate_and_write(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "keiji.yml").write_text(RULES, encoding="utf-8")
    rs = load_ruleset(rules)
    gold = tmp_path / "g.jsonl"
    lines = [
        {"doc": "a", "path": f"第{i}条", "labels": ["keiji"] if i <= 3 else [], "split": "blind"}
        for i in range(1, 5)
    ]
    gold.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    g = load_gold([gold])
    res = DocumentResult(path="/x/a.txt")
    res.findings = [_finding("keiji-901", str(i)) for i in range(1, 5)] + [_finding("keiji-902", "1")]
    cals = {c.rule_id: c for c in calibrate(rs, g, [res], min_support=4)}
    assert cals["keiji-901"].counts["blind"] == (4, 3) and cals["keiji-901"].new == 0.75
    assert cals["keiji-901"].basis == "blind"
    assert cals["keiji-902"].new is None and cals["keiji-902"].basis == "prior"  # 1 provision: too few
    done = write_confidences(rs, list(cals.values()))
    assert len(done) == 1 and done[0].endswith("keiji.yml:7")
    text = (rules / "keiji.yml").read_text("utf-8")
    assert "    confidence: 0.75   # 作成者の見立て" in text and "confidence: 0.7\n" in text
    assert load_ruleset(rules).rules[0].confidence == 0.75
