"""Rule files are data edited by reviewers: every mistake gets a Japanese message with file, line and key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from analogscan.ruleset.loader import RuleLoadError, load_ruleset, schema
from analogscan.ruleset.yamlio import load_yaml

GOOD = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 掲示義務
    message: 「{matched}」を掲示させる規定です（{citation}）。
    confidence: 0.8
    triggers: [掲示]
    match:
      all:
        - lemma: 掲示する
        - text: [見やすい場所]
    examples:
      match: [営業者は、許可証を営業所の見やすい場所に掲示しなければならない。]
      no_match: [次に掲げる事項を記載した申請書を提出しなければならない。]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def issues_of(*paths: Path) -> list[str]:
    with pytest.raises(RuleLoadError) as ei:
        load_ruleset(list(paths))
    return [i.format() for i in ei.value.issues]


def test_good_file_loads(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, "keiji.yml", GOOD))
    assert [r.id for r in rs.rules] == ["keiji-901"]
    assert rs.rules[0].type == "keiji"
    assert rs.digest


def test_misspelled_key_names_file_line_and_key(tmp_path: Path) -> None:
    p = write(tmp_path, "keiji.yml", GOOD.replace("    message:", "    mesage:"))
    msgs = issues_of(p)
    # the unknown key at its own line (6), the missing one at the line where the rule starts (4)
    assert any(f"{p}:6:" in m and "mesage" in m and "未知のキー" in m for m in msgs), msgs
    assert any(f"{p}:4:" in m and "必須のキー「message」" in m for m in msgs), msgs


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("confidence: 0.8", "confidence: 1.8")
        .replace("- lemma: 掲示する", "- lemm: 掲示する")
        .replace("type: keiji", "type: keji")
    )
    p = write(tmp_path, "bad.yml", bad)
    msgs = issues_of(p)
    text = "\n".join(msgs)
    assert f"{p}:2:" in text and "keji" in text  # wrong type, line 2
    assert f"{p}:7:" in text and "1.8" in text  # confidence out of range, line 7
    assert f"{p}:11:" in text and "lemm" in text  # unknown condition kind, line 11


def test_bad_regex_and_placeholder(tmp_path: Path) -> None:
    bad = GOOD.replace("- text: [見やすい場所]", '- regex: "(見やすい"').replace("{citation}", "{citaton}")
    msgs = issues_of(write(tmp_path, "bad.yml", bad))
    assert any(":12:" in m and "正規表現" in m for m in msgs), msgs
    assert any(":6:" in m and "{citaton}" in m for m in msgs), msgs


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    p = write(tmp_path, "broken.yml", GOOD.replace("triggers: [掲示]", "triggers: [掲示"))
    msgs = issues_of(p)
    assert len(msgs) == 1 and "YAML の書式" in msgs[0] and str(p) in msgs[0]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    a = write(tmp_path, "a.yml", GOOD)
    b = write(tmp_path, "b.yml", GOOD)
    msgs = issues_of(a, b)
    assert any("重複" in m and "keiji-901" in m for m in msgs), msgs


def test_duplicate_key_in_mapping(tmp_path: Path) -> None:
    p = write(
        tmp_path, "d.yml", GOOD.replace("    confidence: 0.8\n", "    confidence: 0.8\n    confidence: 0.7\n")
    )
    msgs = issues_of(p)
    assert any(":8:" in m and "2回" in m for m in msgs), msgs


def test_missing_examples_and_triggers(tmp_path: Path) -> None:
    bad = GOOD.replace("    triggers: [掲示]\n", "").replace(
        "      no_match: [次に掲げる事項を記載した申請書を提出しなければならない。]\n", ""
    )
    msgs = issues_of(write(tmp_path, "m.yml", bad))
    assert any("triggers" in m for m in msgs)
    assert any("no_match" in m for m in msgs)


def test_yaml_is_safe_loaded(tmp_path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017 - yaml refuses python tags
        load_yaml("a: !!python/object/apply:os.system ['echo hi']")


def test_cli_validate_exit_2_and_no_traceback(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yml", GOOD.replace("confidence: 0.8", "confidence: high"))
    r = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "rules", "validate", str(p)], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    assert f"{p}:7:" in r.stderr and "confidence" in r.stderr


def test_schema_is_valid_json_schema_and_accepts_good_file(tmp_path: Path) -> None:
    sch = schema()
    jsonschema.Draft202012Validator.check_schema(sch)
    data = json.loads(json.dumps(load_yaml(GOOD)))
    jsonschema.validate(data, sch)


SCOPED = (
    GOOD.replace(
        "    match:\n",
        "    unless_scope: sentence\n    match:\n",
    ).replace(
        "        - text: [見やすい場所]\n",
        "        - {text: 見やすい場所, not_preceded_by: [最も]}\n"
        "        - near: {terms: [{lemma: 掲示する, not_followed_by: [場]}, 場所], within: 20}\n",
    )
    + """\
exclusions:
  - id: common-901
    title: 罰則
    applies_to: all
    scope: sentence
    when: {regex: "過料に処する"}
    examples:
      match: [五万円以下の過料に処する。]
      no_match: [営業者は、許可証を掲示しなければならない。]
"""
)


def test_scope_and_context_keys_load(tmp_path: Path) -> None:
    rs = load_ruleset(write(tmp_path, "keiji.yml", SCOPED))
    assert rs.rules[0].unless_scope == "sentence"
    assert rs.exclusions[0].scope == "sentence"
    data = json.loads(json.dumps(load_yaml(SCOPED)))
    jsonschema.validate(data, schema())  # the JSON Schema accepts the new keys too


def test_bad_scope_values_and_context_keys_all_at_once(tmp_path: Path) -> None:
    bad = (
        SCOPED.replace("unless_scope: sentence", "unless_scope: sentense")
        .replace("    scope: sentence\n", "    scope: 文\n")
        .replace("not_preceded_by: [最も]", "not_before: [最も]")
        .replace("not_followed_by: [場]", "not_followed_by: []")
    )
    p = write(tmp_path, "keiji.yml", bad)
    msgs = issues_of(p)
    text = "\n".join(msgs)
    assert (
        f"{p}:9:" in text and "sentense" in text and "unless_scope" in text and "provision, sentence" in text
    )
    assert f"{p}:22:" in text and "「文」" in text and "exclusions[0].scope" in text
    # not_before is ambiguous; the message names it and says what to write instead
    assert any(f"{p}:13:" in m and "not_before" in m and "not_preceded_by" in m for m in msgs), msgs
    assert any(f"{p}:14:" in m and "not_followed_by" in m and "空でない" in m for m in msgs), msgs
    assert len(msgs) == 4, msgs


def test_context_keys_only_on_term_conditions(tmp_path: Path) -> None:
    bad = GOOD.replace(
        "        - text: [見やすい場所]\n",
        "        - {any: [{text: 場所}], not_preceded_by: [最も]}\n        - {text: 場所, pos: NOUN, not_followed_by: [に]}\n",
    )
    p = write(tmp_path, "keiji.yml", bad)
    msgs = issues_of(p)
    assert any(f"{p}:12:" in m and "text / regex / lemma / norm の条件にだけ" in m for m in msgs), msgs
    assert any(f"{p}:13:" in m and "「pos」" in m for m in msgs), msgs


def test_scope_keys_are_not_mixed_up(tmp_path: Path) -> None:
    # unless_scope belongs to a rule, scope to an exclusion: the wrong one is an unknown key
    bad = SCOPED.replace("    scope: sentence\n", "    unless_scope: sentence\n")
    p = write(tmp_path, "keiji.yml", bad)
    msgs = issues_of(p)
    assert any(f"{p}:22:" in m and "unless_scope" in m and "未知のキー" in m for m in msgs), msgs


# ---------------------------------------------------------------- hostile rule files (issue 11)


def test_unknown_keys_reported_at_their_own_lines(tmp_path: Path) -> None:
    bad = GOOD.replace("    confidence: 0.8\n", "    confidence: 0.8\n    confidance: 0.9\n").replace(
        "    examples:\n", "    exampels_note: x\n    examples:\n"
    )
    p = write(tmp_path, "keiji.yml", bad)
    lines = bad.splitlines()
    msgs = issues_of(p)
    for key in ("confidance", "exampels_note"):
        line = next(i for i, s in enumerate(lines, 1) if s.strip().startswith(key + ":"))
        assert any(
            f"{p}:{line}:" in m and f"未知のキー「{key}」" in m and f"rules[0].{key}" in m for m in msgs
        ), msgs
    assert not any(f"{p}:4:" in m for m in msgs), msgs  # not at the line where the rule starts


@pytest.mark.parametrize("which", ["match", "no_match"])
def test_empty_example_lists_rejected(tmp_path: Path, which: str) -> None:
    bad = GOOD.replace(
        "      match: [営業者は、許可証を営業所の見やすい場所に掲示しなければならない。]\n"
        if which == "match"
        else "      no_match: [次に掲げる事項を記載した申請書を提出しなければならない。]\n",
        f"      {which}: []\n",
    )
    p = write(tmp_path, "keiji.yml", bad)
    line = next(i for i, s in enumerate(bad.splitlines(), 1) if s.strip() == f"{which}: []")
    msgs = issues_of(p)
    assert any(f"{p}:{line}:" in m and f"examples.{which}" in m and "少なくとも1個" in m for m in msgs), msgs


def test_wrong_example_type_under_a_key_named_match_is_reported(tmp_path: Path) -> None:
    bad = GOOD.replace(
        "      match: [営業者は、許可証を営業所の見やすい場所に掲示しなければならない。]\n",
        "      match: 営業者は掲示する。\n",
    )
    msgs = issues_of(write(tmp_path, "keiji.yml", bad))
    assert any(":14:" in m and "examples.match" in m and "一覧" in m for m in msgs), msgs


def test_unsafe_yaml_tag_named_in_message(tmp_path: Path) -> None:
    bad = GOOD.replace("    title: 掲示義務\n", "    title: !!python/object/apply:os.system [echo pwned]\n")
    p = write(tmp_path, "keiji.yml", bad)
    msgs = issues_of(p)
    assert len(msgs) == 1, msgs
    assert f"{p}:5:" in msgs[0] and "「!!python/object/apply:os.system」" in msgs[0] and "タグ" in msgs[0]
    assert "字下げ" not in msgs[0]
    local = write(
        tmp_path, "local.yml", GOOD.replace("    title: 掲示義務\n", "    title: !include other.yml\n")
    )
    assert any("「!include」" in m for m in issues_of(local))


def test_rule_file_size_limit(tmp_path: Path) -> None:
    from analogscan.ruleset.loader import MAX_RULE_FILE_BYTES

    big = GOOD + "# " + "あ" * (MAX_RULE_FILE_BYTES // 3 + 10) + "\n"
    p = write(tmp_path, "big.yml", big)
    msgs = issues_of(p)
    assert len(msgs) == 1 and f"{p}:1:" in msgs[0] and "大きすぎます" in msgs[0] and "1,000,000" in msgs[0], (
        msgs
    )


def test_pattern_length_limit(tmp_path: Path) -> None:
    from analogscan.match.safe_regex import MAX_PATTERN_CHARS

    long_rx = "(見やすい場所|" + "|".join(f"場所{i}" for i in range(MAX_PATTERN_CHARS // 4)) + ")"
    assert len(long_rx) > MAX_PATTERN_CHARS
    p = write(tmp_path, "keiji.yml", GOOD.replace("- text: [見やすい場所]", f'- regex: "{long_rx}"'))
    msgs = issues_of(p)
    assert any(f"{p}:12:" in m and "長すぎます" in m and f"{MAX_PATTERN_CHARS:,}" in m for m in msgs), msgs
    p2 = write(
        tmp_path, "keiji2.yml", GOOD.replace("- text: [見やすい場所]", "- text: [" + "掲" * 2001 + "]")
    )
    assert any(":12:" in m and "長すぎます" in m for m in issues_of(p2))


@pytest.mark.parametrize("rx", [r"(a+)+$", r"(.*)*X", r"(検+)+$", r"(\\w+\\s?)+$", r"(?:[^。]{1,6}、)+"])
def test_nested_quantifiers_rejected(tmp_path: Path, rx: str) -> None:
    p = write(tmp_path, "keiji.yml", GOOD.replace("- text: [見やすい場所]", f'- regex: "{rx}"'))
    msgs = issues_of(p)
    assert any(
        f"{p}:12:" in m and "入れ子の繰り返し" in m and "rules[0].match.all[1].regex" in m for m in msgs
    ), msgs


def test_exponential_alternation_rejected_by_probe(tmp_path: Path) -> None:
    # no nested quantifier, but (a|aa)+ splits a run of a's in exponentially many ways
    p = write(tmp_path, "keiji.yml", GOOD.replace("- text: [見やすい場所]", '- regex: "(a|aa)+$"'))
    msgs = issues_of(p)
    assert any(f"{p}:12:" in m and "時間がかかりすぎます" in m for m in msgs), msgs


def test_safe_patterns_with_bounded_repeats_and_lookaheads_pass(tmp_path: Path) -> None:
    ok = r"(閲覧|縦覧)(に|ニ)供(し|する|さ(?!れ)|シ)|(\\d+|[一二三]+)(年|月)ごと|は、[^。]{0,40}(省令|規則)で定める。$"
    rs = load_ruleset(
        write(tmp_path, "keiji.yml", GOOD.replace("- text: [見やすい場所]", f'- regex: "{ok}"'))
    )
    assert rs.rules[0].id == "keiji-901"


def test_cli_validate_names_backtracking_regex(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yml", GOOD.replace("- text: [見やすい場所]", '- regex: "(検+)+$"'))
    r = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "rules", "validate", str(p)], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    assert f"{p}:12:" in r.stderr and "入れ子の繰り返し" in r.stderr
    assert "問題ありません" not in r.stdout


def test_backtracking_regex_inside_spacy_pattern_rejected(tmp_path: Path) -> None:
    bad = GOOD.replace("- text: [見やすい場所]", '- pattern: [{TEXT: {REGEX: "(検+)+$"}}]')
    p = write(tmp_path, "keiji.yml", bad)
    msgs = issues_of(p)
    assert any(f"{p}:12:" in m and "入れ子の繰り返し" in m for m in msgs), msgs


# --- which rules are loaded: shipped, $ANALOGSCAN_RULES and --rules (README「ルールの場所」)


def test_default_is_the_shipped_rules() -> None:
    from conftest import RULES

    from analogscan.ruleset.loader import resolve_rule_paths, shipped_rules_dir

    assert shipped_rules_dir().resolve() == RULES.resolve()  # source checkout: the top-level rules/
    assert resolve_rule_paths((), env="") == [shipped_rules_dir()]


def test_plain_entries_replace_and_plus_entries_add(tmp_path: Path) -> None:
    from analogscan.ruleset.loader import resolve_rule_paths, shipped_rules_dir

    shipped = shipped_rules_dir()
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert resolve_rule_paths([str(a)], env="") == [a]
    assert resolve_rule_paths([f"+{a}"], env="") == [shipped, a]
    assert resolve_rule_paths([str(a), f"+{b}"], env="") == [a, b]
    # the environment changes the default, the command line changes the result of the environment
    assert resolve_rule_paths((), env=str(a)) == [a]
    assert resolve_rule_paths((), env=f"+{a}") == [shipped, a]
    assert resolve_rule_paths([f"+{c}"], env=f"{a}{os.pathsep}+{b}") == [a, b, c]
    assert resolve_rule_paths([str(c)], env=f"+{a}") == [c]


def test_plus_without_a_path_is_a_japanese_error() -> None:
    from analogscan.ruleset.loader import resolve_rule_paths

    with pytest.raises(RuleLoadError) as ei:
        resolve_rule_paths(["+"], env="")
    assert "「+」の後に" in ei.value.issues[0].format()


def test_env_var_is_used_by_the_library_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "mine.yml", GOOD)
    monkeypatch.setenv("ANALOGSCAN_RULES", str(tmp_path))
    assert [r.id for r in load_ruleset().rules] == ["keiji-901"]
    monkeypatch.setenv("ANALOGSCAN_RULES", f"+{tmp_path}")
    ids = [r.id for r in load_ruleset().rules]
    assert "keiji-901" in ids and len(ids) > 1


def test_added_rule_clashing_with_a_shipped_id_names_both_files_and_lines(tmp_path: Path) -> None:
    from conftest import RULES

    from analogscan.ruleset.loader import resolve_rule_paths

    shipped = load_ruleset(RULES)
    first = shipped.rules[0]
    p = write(
        tmp_path,
        "mine.yml",
        GOOD.replace("keiji-901", first.id).replace("type: keiji", f"type: {first.type}"),
    )
    with pytest.raises(RuleLoadError) as ei:
        load_ruleset(resolve_rule_paths([f"+{tmp_path}"], env=""))
    msgs = [i.format() for i in ei.value.issues]
    assert len(msgs) == 1, msgs
    assert msgs[0].startswith(f"{p}:4: ルールID「{first.id}」が重複しています"), msgs
    assert f"{first.file}:" in msgs[0] and "別の ID" in msgs[0], msgs


def test_same_folder_given_twice_is_loaded_once(tmp_path: Path) -> None:
    p = write(tmp_path, "keiji.yml", GOOD)
    rs = load_ruleset([tmp_path, tmp_path, p])
    assert [r.id for r in rs.rules] == ["keiji-901"] and len(rs.files) == 1


def test_cli_rules_option_adds_with_plus(tmp_path: Path) -> None:
    write(tmp_path, "mine.yml", GOOD)
    env = {k: v for k, v in os.environ.items() if k != "ANALOGSCAN_RULES"}
    cmd = [sys.executable, "-m", "analogscan.cli", "rules", "validate"]
    only = subprocess.run([*cmd, str(tmp_path)], capture_output=True, text=True, env=env)
    added = subprocess.run([*cmd, f"+{tmp_path}"], capture_output=True, text=True, env=env)
    assert only.returncode == 0 and "ルール 1 件" in only.stdout, only.stdout + only.stderr
    assert added.returncode == 0 and "ルール 1 件" not in added.stdout, added.stdout + added.stderr


def test_rule_needs_match_or_lead_in_and_exclusion_needs_when_or_lead_in(tmp_path: Path) -> None:
    """Leaving out both keys is a Japanese error at the rule's (exclusion's) line naming the two keys."""
    no_match = GOOD.replace(
        """    match:
      all:
        - lemma: 掲示する
        - text: [見やすい場所]
""",
        "",
    )
    excl = """\
exclusions:
  - id: common-901
    title: 除外
    applies_to: all
    examples:
      match: [掲示しなければならない。]
      no_match: [備えなければならない。]
"""
    p = write(tmp_path, "bad.yml", no_match + excl)
    msgs = issues_of(p)
    assert any(f"{p}:4:" in m and "「match」か「lead_in」のどちらかを書いてください" in m for m in msgs), msgs
    assert any(f"{p}:13:" in m and "「when」か「lead_in」のどちらかを書いてください" in m for m in msgs), msgs
    # with a lead_in each of them loads
    fixed = no_match.replace(
        "    examples:\n", '    lead_in: {regex: "次に掲げる"}\n    examples:\n', 1
    ) + excl.replace("    examples:", '    lead_in: {regex: "委任する"}\n    examples:')
    rs = load_ruleset(write(tmp_path, "good.yml", fixed))
    assert rs.rules[0].lead_in is not None and rs.exclusions[0].lead_in is not None


def test_items_condition_errors_name_file_line_and_key(tmp_path: Path) -> None:
    """A broken `items` condition or example is a Japanese error at its own line naming the key; a good one loads."""
    good = GOOD.replace("    examples:\n", '    items: {regex: "一月に一回"}\n    examples:\n', 1)
    rs = load_ruleset(write(tmp_path, "good.yml", good))
    assert rs.rules[0].items is not None
    bad = GOOD.replace("    examples:\n", "    items: {regx: 一月に一回}\n    examples:\n", 1)
    p = write(tmp_path, "bad.yml", bad)
    msgs = issues_of(p)
    line = bad.splitlines().index("    items: {regx: 一月に一回}") + 1
    assert any(f"{p}:{line}:" in m and "items" in m and "regx" in m for m in msgs), msgs
    bad_example = GOOD.replace(
        "      match: [",
        "      match: [{text: 見やすい場所に掲示しなければならない。, items: 一月に一回}, ",
        1,
    )
    assert bad_example != GOOD
    p2 = write(tmp_path, "bad2.yml", bad_example)
    msgs2 = issues_of(p2)
    assert any(str(p2) in m and "items" in m for m in msgs2), msgs2
