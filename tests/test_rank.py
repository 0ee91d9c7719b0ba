"""The rank stage: a learned score per finding decides its tier; the model is data beside the rule files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analogscan.engine import Engine
from analogscan.evaluate import load_gold
from analogscan.model import Finding, Location
from analogscan.pipeline import scan_file
from analogscan.rank import Ranker, RankerError, Sample, features, load_ranker, train
from analogscan.ranker_training import samples_of
from analogscan.ruleset.lint import lint
from analogscan.ruleset.loader import RuleLoadError, load_ruleset, shipped_rules_dir
from analogscan.ruleset.model import RuleSet

RULE = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    tier: possible
    title: 掲示の語
    message: 「{matched}」を含む規定です（{citation}）。
    confidence: 0.3
    triggers: [掲示]
    match:
      regex: "掲示"
    examples:
      match: [許可証を掲示しなければならない。]
      no_match: [許可証を提出しなければならない。]
"""

DOC = """\
第一条　営業者は、許可証を営業所の見やすい場所に掲示しなければならない。
第二条　区長は、前条の掲示の様式を定めることができる。
第三条　営業者は、料金表を店頭に掲示しなければならない。
"""


def _rules(tmp_path: Path, ranker: dict[str, object] | None = None) -> Path:
    d = tmp_path / "rules"
    d.mkdir(parents=True)
    (d / "keiji.yml").write_text(RULE, encoding="utf-8")
    if ranker is not None:
        (d / "ranker.json").write_text(json.dumps(ranker, ensure_ascii=False), encoding="utf-8")
    return d


def _model(weights: dict[str, float], bias: float = 0.0, threshold: float = 0.5) -> dict[str, object]:
    return {
        "kind": "analogscan-ranker",
        "version": 1,
        "threshold": threshold,
        "window": 20,
        "ngrams": [2, 3],
        "bias": bias,
        "trained": {},
        "weights": weights,
    }


def _finding(text: str, span: tuple[int, int], tier: str = "possible", item: str | None = None) -> Finding:
    loc = Location(part="main", article="1", paragraph=1, item=item, label="第1条")
    return Finding("keiji-901", "keiji", loc, text, text[span[0] : span[1]], span, "", 0.3, tier=tier)


def test_features_name_type_rule_tier_position_and_the_words_around_the_match() -> None:
    before = "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮ"  # 24 distinct characters
    after = "しなければならない。ただし、区長が定める場合はこの限りでない。"
    text = before + "掲示" + after
    a = len(before)
    fs = features("keiji", "keiji-901", "possible", text, (a, a + 2), False, "main")
    assert {"t:keiji", "r:keiji-901", "tier:keiji:possible", "keiji|item:False", "keiji|part:main"} <= set(fs)
    assert {"keiji|掲示", "keiji|Ｎ掲示", "keiji|示し", "keiji|らない"} <= set(fs)
    # only WINDOW (20) characters on either side of the match
    assert "keiji|４５" in fs and "keiji|３４" not in fs
    assert "keiji|定め" in fs and "keiji|場合" not in fs
    assert fs == sorted(set(fs))


def test_training_learns_a_deciding_feature_and_is_deterministic() -> None:
    samples = [Sample(["t:keiji", "keiji|掲示"], True) for _ in range(20)] + [
        Sample(["t:keiji", "keiji|様式"], False) for _ in range(20)
    ]
    w1, b1 = train(samples, min_count=1)
    w2, b2 = train(samples, min_count=1)
    assert (w1, b1) == (w2, b2)
    r = Ranker(w1, b1)
    assert r.score(["t:keiji", "keiji|掲示"]) > 0.8
    assert r.score(["t:keiji", "keiji|様式"]) < 0.2
    # a feature seen fewer than min_count times gets no weight
    w3, _ = train(samples + [Sample(["t:keiji", "keiji|稀"], True)], min_count=2)
    assert "keiji|稀" not in w3


def test_apply_moves_findings_between_tiers_and_sets_confidence() -> None:
    text = "営業者は、許可証を掲示しなければならない。"
    a = text.index("掲示")
    r = Ranker({"keiji|掲示し": 3.0}, bias=-1.0)
    f = _finding(text, (a, a + 2))
    r.apply([f])
    assert f.tier == "likely" and f.confidence == pytest.approx(0.88, abs=0.01)
    g = _finding("区長は、掲示の様式を定める。", (4, 6), tier="likely")
    r.apply([g])
    assert g.tier == "possible" and g.confidence == pytest.approx(0.27, abs=0.01)
    # the threshold is the model's
    h = _finding("区長は、掲示の様式を定める。", (4, 6), tier="likely")
    Ranker({}, bias=-1.0, threshold=0.2).apply([h])
    assert h.tier == "likely"


def test_engine_uses_the_ranker_beside_the_rules_and_keeps_every_finding(tmp_path: Path) -> None:
    doc = tmp_path / "d.txt"
    doc.write_text(DOC, encoding="utf-8")
    plain = scan_file(doc, Engine(load_ruleset(_rules(tmp_path / "a"))))
    assert [f.tier for f in plain.findings] == ["possible"] * 3
    assert all(f.confidence == 0.3 for f in plain.findings)
    model = _model({"keiji|掲示し": 2.0, "keiji|の掲示": -2.0}, bias=0.0)
    ranked = scan_file(doc, Engine(load_ruleset(_rules(tmp_path / "b", model))))
    assert [(f.location.label, f.tier) for f in ranked.findings] == [
        ("第1条", "likely"),
        ("第2条", "possible"),
        ("第3条", "likely"),
    ]
    assert ranked.findings[0].confidence == pytest.approx(0.88, abs=0.01)


def test_the_ranker_file_is_part_of_the_rule_set_digest(tmp_path: Path) -> None:
    a = load_ruleset(_rules(tmp_path / "a", _model({"t:keiji": 1.0})))
    b = load_ruleset(_rules(tmp_path / "b", _model({"t:keiji": -1.0})))
    c = load_ruleset(_rules(tmp_path / "c"))
    assert len({a.digest, b.digest, c.digest}) == 3
    assert c.ranker is None and a.ranker is not None
    assert a.select(["keiji"]).ranker is a.ranker
    assert a.without_ranker().ranker is None


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('{"kind": "analogscan-ranker",\n "threshold": 0.5,,}', "", ["JSON として読めません"]),
        ('{"kind": "other"}', "kind", ["analogscan-ranker"]),
        (json.dumps({**_model({}), "threshold": 2}), "threshold", ["0.0 から 1.0"]),
        (json.dumps({**_model({}), "ngrams": []}), "ngrams", ["整数の一覧"]),
        (
            json.dumps({**_model({"t:keiji": "高い"})}, ensure_ascii=False),
            "weights.t:keiji",
            ["重みが数ではありません"],
        ),
    ],
)
def test_a_broken_ranker_file_gets_a_japanese_error_with_file_line_and_key(
    tmp_path: Path, text: str, key: str, words: list[str]
) -> None:
    d = _rules(tmp_path)
    (d / "ranker.json").write_text(text, encoding="utf-8")
    with pytest.raises(RankerError) as ei:
        load_ranker(d / "ranker.json")
    assert ei.value.key == key and all(w in str(ei.value) for w in words)
    with pytest.raises(RuleLoadError) as le:
        load_ruleset(d)
    (issue,) = le.value.issues
    assert issue.file.endswith("ranker.json") and issue.key == key
    if text.startswith('{"kind": "analogscan-ranker",\n'):
        assert issue.line == 2
    # the CLI shows it in Japanese, without a traceback
    p = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "rules", "validate", str(d)], capture_output=True, text=True
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "ranker.json" in p.stderr and words[0] in p.stderr


def test_validate_warns_when_the_model_was_trained_on_other_rules(tmp_path: Path) -> None:
    d = _rules(tmp_path, _model({}))
    (w,) = [i for i in lint(load_ruleset(d)) if i.key == "trained.rules_digest"]
    assert "学習し直して" in w.message
    model = _model({})
    model["trained"] = {"rules_digest": RuleSet.digest_of([d / "keiji.yml"])}
    (d / "ranker.json").write_text(json.dumps(model), encoding="utf-8")
    assert not [i for i in lint(load_ruleset(d)) if i.key == "trained.rules_digest"]


def test_train_ranker_from_gold_labels_writes_a_model_scan_then_uses(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = []
    for i in range(6):
        (docs / f"d{i}.txt").write_text(DOC, encoding="utf-8")
        lines += [
            {"doc": f"d{i}", "path": "第1条", "labels": ["keiji"], "split": "dev"},
            {"doc": f"d{i}", "path": "第2条", "labels": [], "split": "dev"},
            {"doc": f"d{i}", "path": "第3条", "labels": ["keiji"], "split": "dev"},
        ]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    rules = _rules(tmp_path)
    g = load_gold([gold])
    res = [scan_file(f, Engine(load_ruleset(rules))) for f in sorted(docs.iterdir())]
    ss = samples_of(g, res)
    assert len(ss) == 18 and sum(s.y for s in ss) == 12
    out = rules / "ranker.json"
    p = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "rules", "train-ranker", "--gold", str(gold), str(docs)]
        + ["--rules", str(rules), "--min-count", "1", "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr
    assert "6 文書、検出 18 件（うち正解 12 件）で学習しました" in p.stdout
    rs = load_ruleset(rules)
    assert rs.ranker is not None and rs.ranker.trained["split"] == "dev"
    assert not [i for i in lint(rs) if i.key == "trained.rules_digest"]  # trained on these very rules
    ranked = scan_file(docs / "d0.txt", Engine(rs))
    assert [f.tier for f in ranked.findings] == ["likely", "possible", "likely"]


def test_the_shipped_rules_carry_a_ranker_trained_on_the_dev_half() -> None:
    rs = load_ruleset(shipped_rules_dir())
    assert rs.ranker is not None
    assert rs.ranker.trained["split"] == "dev"
    assert rs.ranker.trained["samples"] > 1000
    assert not [i for i in lint(rs) if i.key == "trained.rules_digest"]


def test_explain_shows_the_rankers_verdict_and_the_features_that_decided_it(tmp_path: Path) -> None:
    from analogscan.engine import example_provision
    from analogscan.explain import explain_provision

    rs = load_ruleset(_rules(tmp_path, _model({"keiji|掲示し": 2.0, "r:keiji-901": 0.5}, bias=-0.5)))
    text = "\n".join(
        explain_provision(example_provision("営業者は、許可証を掲示しなければならない。"), rs, tokens=False)
    )
    assert "順位付け（ranker.json、しきい値 0.5）:" in text
    assert "keiji keiji-901: 確率 0.88 → 該当の可能性が高い（ルールの区分: 要確認）" in text
    assert "効いた特徴: 「掲示し」 +2.00、ルール keiji-901 +0.50" in text
    # no finding, no ranking section
    quiet = explain_provision(example_provision("許可証を提出しなければならない。"), rs, tokens=False)
    assert not any(line.startswith("順位付け") for line in quiet)


def test_worker_processes_use_the_same_ranker_as_the_main_process(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(3):
        (docs / f"d{i}.txt").write_text(DOC, encoding="utf-8")
    rules = _rules(tmp_path, _model({"keiji|掲示し": 2.0, "keiji|の掲示": -2.0}))
    tiers = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        p = subprocess.run(
            [sys.executable, "-m", "analogscan.cli", "scan", str(docs), "--rules", str(rules)]
            + ["-j", jobs, "--no-decisions", "-q", "-o", str(out)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert p.returncode == 0, p.stderr
        rep = json.loads(out.read_text(encoding="utf-8"))
        tiers[jobs] = sorted(
            (Path(d["path"]).name, f["location"]["label"], f["tier"], f["confidence"])
            for d in rep["documents"]
            for f in d["findings"]
        )
    assert tiers["1"] == tiers["2"]
    assert [t[2] for t in tiers["2"] if t[0] == "d0.txt"] == ["likely", "possible", "likely"]
