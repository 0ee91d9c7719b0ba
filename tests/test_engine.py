"""Engine semantics on real GiNZA parses: condition kinds, scope, lead-in, unless, exclusions, confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from analogscan.engine import Engine, example_provision, sentence_bounds
from analogscan.model import Location, Provision
from analogscan.rules.loader import load_ruleset

RULES = """\
schema_version: 1
rules:
  - id: keiji-901
    type: keiji
    title: 標識の掲示
    message: 「{matched}」は掲示義務です（{citation}、{type_label}）。
    confidence: 0.9
    triggers: [掲示, 掲げ]
    match:
      all:
        - lemma: [掲示する, 掲げる]
        - dep: {head: {lemma: [掲示, 掲げる]}, child: {text: [標識, 許可証, 料金表]}, rel: [obj]}
    unless:
      - text: インターネットの利用その他の方法
    adjust:
      - {when: {text: 必要に応じ}, delta: -0.3, note: 裁量的な規定}
    examples:
      match: [事業者は、標識を掲げなければならない。]
      no_match: [次に掲げる事項を記載した書類を提出しなければならない。]
  - id: keiji-902
    type: keiji
    title: 柱書で掲示を求める号
    message: 柱書の掲示義務の対象です。
    confidence: 0.7
    triggers: [掲示]
    match: {regex: "^.{1,30}$"}
    lead_in: {lemma: 掲示する}
    examples:
      match: [{text: 許可証, lead_in: 次に掲げるものを見やすい場所に掲示しなければならない。}]
      no_match: [{text: 許可証, lead_in: 次に掲げる書類を提出しなければならない。}]
  - id: jicchi-901
    type: jicchi
    title: 立入検査
    message: 立入検査です。
    confidence: 0.9
    triggers: [立入, 立ち入]
    match:
      all:
        - norm: [立ち入る, 立ち入り]
        - near: {terms: [{norm: [立ち入る, 立ち入り]}, {lemma: 検査}], within: 30}
    examples:
      match: [当該職員に、営業所に立入り、帳簿を検査させることができる。]
      no_match: [当該職員は、身分を示す証明書を携帯しなければならない。]
  - id: jochu-901
    type: jochu
    title: 専任
    message: 専任です。
    confidence: 0.8
    triggers: [専任]
    match: {bunsetsu: [専任, 者]}
    enabled: false
    examples:
      match: [専任者を置く。]
      no_match: [選任する。]
  - id: media-901
    type: media
    title: FD
    message: 記録媒体の指定です。
    confidence: 0.9
    triggers: [フレキシブルディスク, FD]
    scope: sentence
    match:
      pattern: [[{"TEXT": "フレキシブル"}, {"TEXT": "ディスク"}], [{"LOWER": "fd"}]]
    examples:
      match: [フレキシブルディスクを提出する。]
      no_match: [電磁的記録媒体を提出する。]
exclusions:
  - id: common-901
    title: 罰則規定
    applies_to: all
    when: {regex: "(罰金|過料)に処する"}
    examples:
      match: [標識を掲げなかった者は、五万円以下の過料に処する。]
      no_match: [標識を掲げなければならない。]
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    d = tmp_path_factory.mktemp("rules")
    (d / "r.yml").write_text(RULES, encoding="utf-8")
    return Engine(load_ruleset(d))


def fired(engine: Engine, text: str, lead_in: str | None = None) -> dict[str, str]:
    out = {}
    for o in engine.evaluate(example_provision(text, lead_in)):
        if o.fired and o.finding:
            out[o.rule.id] = o.finding.matched
    return out


def test_dependency_condition(engine: Engine) -> None:
    assert "keiji-901" in fired(engine, "営業者は、料金表を営業所の見やすい場所に掲示しなければならない。")
    # 掲げる without a sign as its object (次に掲げる) does not fire
    assert "keiji-901" not in fired(engine, "次に掲げる事項を記載した申請書を提出しなければならない。")


def test_unless_suppresses(engine: Engine) -> None:
    t = "営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。"
    assert "keiji-901" not in fired(engine, t)
    outcome = next(o for o in engine.evaluate(example_provision(t)) if o.rule.id == "keiji-901")
    assert "unless" in outcome.reason


def test_shared_exclusion_and_reason(engine: Engine) -> None:
    t = "標識を掲げなかった者は、五万円以下の過料に処する。"
    outcome = next(o for o in engine.evaluate(example_provision(t)) if o.rule.id == "keiji-901")
    assert not outcome.fired and "common-901" in outcome.reason


def test_lead_in_condition(engine: Engine) -> None:
    assert "keiji-902" in fired(engine, "許可証", "次に掲げるものを見やすい場所に掲示しなければならない。")
    assert "keiji-902" not in fired(engine, "許可証", "次に掲げる書類を提出しなければならない。")
    assert "keiji-902" not in fired(engine, "許可証")


def test_norm_unifies_spellings(engine: Engine) -> None:
    for t in ("職員に営業所に立ち入り、帳簿を検査させる。", "職員に営業所に立入り、帳簿を検査させる。"):
        assert "jicchi-901" in fired(engine, t), t


def test_disabled_rule_never_fires(engine: Engine) -> None:
    assert all(r.id != "jochu-901" for r in engine.rules)
    assert "jochu-901" not in fired(engine, "専任者を置く。")


def test_pattern_and_full_width(engine: Engine) -> None:
    assert "media-901" in fired(engine, "申請書はフレキシブルディスクにより提出することができる。")
    assert "media-901" not in fired(engine, "申請書は電磁的記録媒体により提出することができる。")


def test_confidence_adjust_and_message(engine: Engine) -> None:
    p = Provision(Location(article="3", paragraph=2, label="第3条第2項"), "市長は、必要に応じ、標識を掲げさせることができる。")
    (f,) = [o.finding for o in engine.evaluate(p) if o.fired and o.finding and o.rule.id == "keiji-901"]
    assert f.confidence == pytest.approx(0.6)
    assert "第3条第2項" in f.message and "書面掲示規制" in f.message and "裁量的な規定" in f.message
    assert f.provision_text[f.span[0] : f.span[1]] == f.matched


def test_prefilter_skips_provisions_without_triggers(engine: Engine) -> None:
    p = example_provision("この条例は、公布の日から施行する。")
    assert not engine.is_candidate(p)
    assert engine.is_candidate(example_provision("許可証", "次に掲げるものを掲示しなければならない。"))


def test_scan_only_reports_fired(engine: Engine) -> None:
    provs = [
        example_provision("事業者は、標識を掲げなければならない。"),
        example_provision("この条例は、公布の日から施行する。"),
    ]
    findings = engine.scan(provs)
    assert [f.rule_id for f in findings] == ["keiji-901"]


def test_sentence_bounds_ignore_brackets() -> None:
    t = "この規則で「掲示」とは、次のものをいう。ただし、書面に限る。"
    b = sentence_bounds(t)
    assert [t[s:e] for s, e in b] == ["この規則で「掲示」とは、次のものをいう。", "ただし、書面に限る。"]


def test_rule_examples_pass(tmp_path: Path) -> None:
    from analogscan.rules.runner import run_examples

    (tmp_path / "r.yml").write_text(RULES, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    assert rep.failures == []
    assert rep.checked >= 10


def test_failing_example_is_reported(tmp_path: Path) -> None:
    from analogscan.rules.runner import run_examples

    broken = RULES.replace("no_match: [次に掲げる事項を記載した書類を提出しなければならない。]", "no_match: [事業者は、標識を掲げる。]")
    (tmp_path / "r.yml").write_text(broken, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    assert [(f.id, f.kind) for f in rep.failures] == [("keiji-901", "no_match")]
    assert "一致しないはずの例文が一致しました" in rep.failures[0].format()


def test_one_finding_per_provision_and_type(engine: Engine) -> None:
    p = example_provision("事業者は、標識を掲げること。", "次に掲げるものを見やすい場所に掲示しなければならない。")
    fired_ids = {o.rule.id for o in engine.evaluate(p) if o.fired}
    assert fired_ids == {"keiji-901", "keiji-902"}
    (f,) = engine.scan([p])
    assert f.rule_id == "keiji-901" and f.other_rules == ["keiji-902"]
    assert f.to_json()["other_rules"] == ["keiji-902"]
