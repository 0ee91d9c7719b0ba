"""Every shipped rule's, exclusion's and amendment template's example sentences, one test per id.

The examples are parsed and run once per test session (one GiNZA pass over all of them); each test
then reports the failures of one id, so a failure names the rule: test_rule_examples[keiji-003].
This is the CI run of the examples (scripts/test.sh no longer runs `analogscan rules test` separately).
"""

from __future__ import annotations

import warnings
from collections import defaultdict

import pytest
from conftest import RULES

from analogscan.amend.runner import TemplateFailure, run_template_examples
from analogscan.amend.templates import load_templates
from analogscan.rule_examples import ExampleFailure, ExampleRunner
from analogscan.ruleset.loader import load_ruleset

_RULESET = load_ruleset(RULES)
_TEMPLATES = load_templates(RULES / "amend")
RULE_IDS = [r.id for r in _RULESET.active()] + [x.id for x in _RULESET.exclusions]
TEMPLATE_IDS = [t.id for t in _TEMPLATES.templates if t.enabled]


@pytest.fixture(scope="module")
def runner() -> ExampleRunner:
    return ExampleRunner(_RULESET)  # every example sentence is parsed once, on first use


@pytest.fixture(scope="module")
def template_failures() -> dict[str, list[TemplateFailure]]:
    report = run_template_examples(_TEMPLATES)
    assert report.checked >= len(TEMPLATE_IDS)
    by_id: dict[str, list[TemplateFailure]] = defaultdict(list)
    for f in report.failures:
        by_id[f.id].append(f)
    return by_id


def test_ids_are_collected() -> None:
    assert len(RULE_IDS) > 50 and len(set(RULE_IDS)) == len(RULE_IDS)
    assert len(TEMPLATE_IDS) >= 8


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_examples(rule_id: str, runner: ExampleRunner) -> None:
    failures: list[ExampleFailure] = runner.failures(rule_id)
    assert not failures, "\n".join(f.format() for f in failures)
    for todo in runner.todos(rule_id):  # known misses (todo_match / todo_no_match): reported, not failed
        warnings.warn(todo.format(), stacklevel=1)


def test_runner_knows_every_rule(runner: ExampleRunner) -> None:
    assert set(runner.ids()) >= set(RULE_IDS)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_examples(template_id: str, template_failures: dict[str, list[TemplateFailure]]) -> None:
    failures = template_failures.get(template_id, [])
    assert not failures, "\n".join(f.format() for f in failures)
