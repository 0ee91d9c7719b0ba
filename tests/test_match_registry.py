"""The condition grammar has one home: the kinds registered in analogscan.match agree with the JSON
Schema of rule files (adding a kind in one place only fails here), and every kind parses, plans and
evaluates through its own class."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analogscan.match import (
    CONDITION_KINDS,
    CONDITIONS,
    CONTEXT_KEYS,
    TERMS,
    Condition,
    Window,
    parse_condition,
)
from analogscan.match.registry import condition_schema_properties
from analogscan.rule_examples import ExampleRunner, run_examples, run_rule_examples
from analogscan.ruleset.loader import load_ruleset, schema

CONDITION = schema()["$defs"]["condition"]
TERM = schema()["$defs"]["term"]["oneOf"][1]


def test_schema_condition_kinds_are_the_registered_ones() -> None:
    in_schema = set(CONDITION["properties"]) - set(CONTEXT_KEYS)
    assert in_schema == set(CONDITIONS), (
        f"only in rules.schema.json: {sorted(in_schema - set(CONDITIONS))}; "
        f"only in analogscan.match.registry: {sorted(set(CONDITIONS) - in_schema)}"
    )
    assert set(CONDITION_KINDS) == set(CONDITIONS)


def test_schema_of_each_kind_is_the_one_its_class_declares() -> None:
    assert CONDITION["properties"] == condition_schema_properties()


def test_schema_term_keys_are_the_registered_term_kinds() -> None:
    assert set(TERM["properties"]) == set(TERMS) | {"pos"} | set(CONTEXT_KEYS)
    then = CONDITION["then"]
    assert set(then["propertyNames"]["enum"]) == set(TERMS) | set(CONTEXT_KEYS)
    assert [r["required"] for r in then["oneOf"]] == [[k] for k in TERMS]


def test_every_registered_class_parses_its_own_key() -> None:
    for key, cls in CONDITIONS.items():
        assert cls.key == key
        assert cls.SCHEMA, key


def _parse(data: Any, lexicons: dict[str, list[str]] | None = None) -> tuple[Condition | None, list[str]]:
    errors: list[str] = []
    c = parse_condition(data, ["match"], lambda p, m: errors.append(f"{p}: {m}"), lexicons)
    return c, errors


@pytest.mark.parametrize(
    "data, needs",
    [
        ({"text": "掲示"}, set()),
        ({"regex": "掲示(する|し)"}, set()),
        ({"lemma": "掲示する"}, {"tokens"}),
        ({"norm": "立ち入る"}, {"tokens"}),
        ({"text": "掲示", "not_preceded_by": "公"}, set()),
        ({"dep": {"head": {"lemma": "掲示"}, "child": "標識"}}, {"tokens", "dep"}),
        ({"bunsetsu": ["掲示"]}, {"all"}),
        ({"pattern": [{"LEMMA": "掲示"}]}, {"all"}),
        ({"near": {"terms": ["掲示", {"text": "標識", "pos": "NOUN"}]}}, {"tokens", "pos"}),
        ({"all": [{"text": "掲示"}, {"lemma": "する"}]}, {"tokens"}),
        ({"any": [{"text": "掲示"}]}, set()),
        ({"not": {"lemma": "する"}}, {"tokens"}),
    ],
)
def test_each_kind_says_what_it_needs(data: dict[str, Any], needs: set[str]) -> None:
    c, errors = _parse(data)
    assert c is not None and not errors, errors
    assert c.needs() == needs
    assert c.needs_nlp() == bool(needs)


def test_three_valued_evaluation_without_tokens() -> None:
    w = Window("事業者は、標識を掲示しなければならない。", None)
    cases = {
        "text hit": ({"text": "標識"}, True),
        "text miss": ({"text": "公告"}, False),
        "lemma unknown": ({"lemma": "掲示する"}, None),
        "all: a known miss decides": ({"all": [{"lemma": "掲示する"}, {"text": "公告"}]}, False),
        "any: a known hit decides": ({"any": [{"lemma": "掲示する"}, {"text": "標識"}]}, True),
        "not unknown": ({"not": {"lemma": "掲示する"}}, None),
        "not known": ({"not": {"text": "公告"}}, True),
        "dep: absent child": ({"dep": {"head": "掲示", "child": "公告"}}, False),
        "dep: both present": ({"dep": {"head": "掲示", "child": "標識"}}, None),
        "bunsetsu: absent term": ({"bunsetsu": ["公告"]}, False),
        "pattern": ({"pattern": [{"LEMMA": "掲示"}]}, None),
    }
    for name, (data, want) in cases.items():
        c, errors = _parse(data)
        assert c is not None and not errors, (name, errors)
        assert c.tri_eval(w) is want, name


def test_trigger_words() -> None:
    words = {
        "text": ({"text": ["掲示", "掲げ"]}, {"掲示", "掲げ"}),
        "full width folded": ({"text": "ＡＢ"}, {"AB"}),
        "regex unknown": ({"regex": "掲示"}, None),
        "all: smallest": ({"all": [{"text": ["a", "b"]}, {"text": "c"}, {"lemma": "d"}]}, {"c"}),
        "any: union": ({"any": [{"text": "a"}, {"text": "b"}]}, {"a", "b"}),
        "any: one unknown": ({"any": [{"text": "a"}, {"lemma": "b"}]}, None),
        "near": ({"near": {"terms": [{"lemma": "x"}, "y"]}}, {"y"}),
        "lexicon": ({"lexicon": "役職"}, {"管理者", "責任者"}),
    }
    for name, (data, want) in words.items():
        c, errors = _parse(data, {"役職": ["管理者", "責任者"]})
        assert c is not None and not errors, (name, errors)
        assert c.trigger_words() == want, name


def test_lexicon_kind_becomes_a_text_term_and_unknown_names_are_reported() -> None:
    c, errors = _parse({"lexicon": ["役職"], "not_preceded_by": "副"}, {"役職": ["管理者", "責任者"]})
    assert c is not None and not errors
    assert c.describe() == "text: 管理者/責任者（直前が 副 のものを除く）"
    c, errors = _parse({"near": {"terms": [{"lexicon": "場所"}, "掲示"]}}, {"役職": ["管理者"]})
    assert c is None
    assert errors == [
        "['match', 'near', 'terms', 0, 'lexicon']: 語彙「場所」がありません（定義済みの語彙: 役職）"
    ]


def test_unknown_kind_lists_the_registered_ones() -> None:
    c, errors = _parse({"word": "掲示"})
    assert c is None and len(errors) == 1
    assert all(k in errors[0] for k in CONDITIONS)


TODO_RULES = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-931
    title: 掲示
    message: 掲示です。
    confidence: 0.9
    triggers: [掲示]
    match: {text: 掲示しなければ}
    examples:
      match: [事業者は、標識を掲示しなければならない。]
      no_match: [事業者は、標識を備え付けなければならない。]
      todo_match:
        - 事業者は、標識を掲示すること。
        - 事業者は、標識を掲示しなければならない。
      todo_no_match:
        - 市長は、公告を掲示しなければならない。
        - 市長は、公告をする。
"""


def test_todo_examples_are_reported_not_failed(tmp_path: Path) -> None:
    (tmp_path / "keiji.yml").write_text(TODO_RULES, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    rep = run_examples(rs)
    assert rep.failures == [] and rep.checked == 2
    got = [(t.kind, t.line) for t in rep.todos]
    assert got == [
        ("todo_match", 14),
        ("todo_match_passes", 15),
        ("todo_no_match", 17),
        ("todo_no_match_passes", 18),
    ]
    text = "\n".join(t.format() for t in rep.todos)
    assert "既知の見落とし（todo_match）: まだ一致しません" in text
    assert "match に移してください" in text and "no_match に移してください" in text
    assert run_rule_examples(rs, "keiji-931") == []
    runner = ExampleRunner(rs)
    assert runner.ids() == ["keiji-931"]
    assert [t.kind for t in runner.todos("keiji-931")] == [k for k, _ in got]


def test_per_rule_runner_returns_that_rules_failures(tmp_path: Path) -> None:
    broken = TODO_RULES.replace(
        "no_match: [事業者は、標識を備え付けなければならない。]", "no_match: [標識を掲示しなければ]"
    )
    (tmp_path / "keiji.yml").write_text(broken, encoding="utf-8")
    (f,) = run_rule_examples(load_ruleset(tmp_path), "keiji-931")
    assert (f.id, f.kind, f.line) == ("keiji-931", "no_match", 12)
