"""The shipped rule files (rules/*.yml): they load, their examples pass, and they keep the
quality recorded in docs/rules-eval.md on the labelled sets."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPORA, REPO, RULES, shared_path

from analogscan.model import TYPE_CODES
from analogscan.rules.loader import load_ruleset
from analogscan.rules.runner import run_examples

# Figures recorded in docs/rules-eval.md (micro F1); the tests allow 0.02 below them.
RECORDED_MICRO_F1_DEV = 1.000  # ../shared/labels-dev/labels.jsonl
RECORDED_MICRO_F1_CORPORA = 0.989  # corpora/labels.jsonl
TOLERANCE = 0.02


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULES)  # raises RuleLoadError listing every problem


def _dev_eval():
    path = REPO / "tools" / "dev_eval.py"
    spec = importlib.util.spec_from_file_location("dev_eval", path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["dev_eval"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_type_has_rules(ruleset):
    types = {r.type for r in ruleset.rules}
    assert types == set(TYPE_CODES)


def test_ids_unique(ruleset):
    ids = Counter([r.id for r in ruleset.rules] + [x.id for x in ruleset.exclusions])
    assert [i for i, n in ids.items() if n > 1] == []


def test_every_rule_has_examples(ruleset):
    thin = [
        r.id
        for r in [*ruleset.rules, *ruleset.exclusions]
        if len(r.examples_match) < 2 or len(r.examples_no_match) < 2
    ]
    assert thin == [], f"rules with fewer than 2 positive / 2 negative examples: {thin}"


def test_rules_have_japanese_title_message_and_triggers(ruleset):
    for r in ruleset.rules:
        assert r.title and r.message and "{matched}" in r.message, r.id
        assert r.triggers, r.id
        assert 0 < r.confidence <= 1, r.id


def test_examples_pass(ruleset):
    report = run_examples(ruleset)
    assert report.checked > 0
    assert report.failures == [], "\n".join(f.format() for f in report.failures)


def _check_f1(label_file: Path, recorded: float) -> None:
    dev_eval = _dev_eval()
    _, scores = dev_eval.evaluate([label_file], RULES)
    micro = scores["micro"]
    assert micro.f1 >= recorded - TOLERANCE, dev_eval.table(scores, f"{label_file}")


def test_dev_gold_f1():
    _check_f1(shared_path("labels-dev", "labels.jsonl"), RECORDED_MICRO_F1_DEV)


def test_corpora_gold_f1():
    labels = CORPORA / "labels.jsonl"
    if not labels.exists():
        pytest.skip("corpora/labels.jsonl not built")
    _check_f1(labels, RECORDED_MICRO_F1_CORPORA)
