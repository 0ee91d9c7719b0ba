"""Shared word lists (rules/lexicon.yml): referenced from conditions and triggers, resolved at
load time; a wrong name is a Japanese error with file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from analogscan.engine import Engine, example_provision
from analogscan.ruleset.loader import RuleLoadError, load_ruleset

LEXICON = """\
schema_version: 1
lexicon:
  役職: [管理者, 責任者]
  拠点: [営業所, 事業所]
"""

RULE = """\
schema_version: 1
type: jochu
rules:
  - id: jochu-901
    title: 拠点ごとの役職
    message: 「{matched}」
    confidence: 0.8
    triggers: ["@拠点"]
    match:
      all:
        - lexicon: 拠点
        - {lexicon: 役職, not_preceded_by: [副]}
    examples:
      match: [事業者は、事業所ごとに責任者を置かなければならない。]
      no_match: [事業者は、事業所ごとに副責任者を置くことができる。]
"""


def _write(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_lexicon_terms_and_triggers(tmp_path: Path) -> None:
    rs = load_ruleset(_write(tmp_path, lexicon=LEXICON, jochu=RULE))
    (rule,) = rs.rules
    assert rule.triggers == ["営業所", "事業所"]
    engine = Engine(rs)

    def fires(text: str) -> bool:
        return any(o.fired for o in engine.evaluate(example_provision(text)))

    assert fires("営業者は、営業所ごとに管理者を置かなければならない。")
    assert not fires("営業者は、営業所ごとに副管理者を置くことができる。")  # not_preceded_by kept
    assert not fires("営業者は、管理者を置かなければならない。")  # no 拠点 word: no trigger


def test_unknown_lexicon_name_is_reported_with_line(tmp_path: Path) -> None:
    bad = RULE.replace("lexicon: 拠点\n", "lexicon: 場所\n")
    with pytest.raises(RuleLoadError) as e:
        load_ruleset(_write(tmp_path, lexicon=LEXICON, jochu=bad))
    msgs = [i.format() for i in e.value.issues]
    assert any("jochu.yml:11:" in m and "語彙「場所」がありません" in m and "役職" in m for m in msgs), msgs


def test_unknown_trigger_list_and_duplicate_lexicon(tmp_path: Path) -> None:
    bad = RULE.replace('"@拠点"', '"@施設"')
    dup = LEXICON + "  役職: [主任者]\n"
    with pytest.raises(RuleLoadError) as e:
        load_ruleset(_write(tmp_path, lexicon=dup, jochu=bad))
    msgs = [i.format() for i in e.value.issues]
    assert any("jochu.yml:8:" in m and "語彙「施設」がありません" in m for m in msgs), msgs
    assert any("lexicon.yml" in m and ("重複" in m or "2回" in m) for m in msgs), msgs


def test_shipped_lexicon_is_used() -> None:
    from conftest import RULES

    rs = load_ruleset(RULES)
    possible = [r for r in rs.rules if r.tier == "possible"]
    assert {r.type for r in possible} == {
        "mokushi",
        "jicchi",
        "teiki",
        "jochu",
        "keiji",
        "koshu",
        "etsuran",
        "media",
    }
    keiji = next(r for r in possible if r.type == "keiji")
    assert "掲示" in keiji.triggers and not any(t.startswith("@") for t in keiji.triggers)
