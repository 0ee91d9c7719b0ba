"""Engine semantics on real GiNZA parses: condition kinds, scope, lead-in, unless, exclusions, confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from analogscan.engine import Engine, Outcome, example_provision, sentence_bounds
from analogscan.match import AllCond, TermCond
from analogscan.model import Location, Provision
from analogscan.rule_examples import run_examples
from analogscan.ruleset.loader import load_ruleset

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
    p = Provision(
        Location(article="3", paragraph=2, label="第3条第2項"),
        "市長は、必要に応じ、標識を掲げさせることができる。",
    )
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
    from analogscan.rule_examples import run_examples

    (tmp_path / "r.yml").write_text(RULES, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    assert rep.failures == []
    assert rep.checked >= 10


def test_failing_example_is_reported(tmp_path: Path) -> None:
    from analogscan.rule_examples import run_examples

    broken = RULES.replace(
        "no_match: [次に掲げる事項を記載した書類を提出しなければならない。]",
        "no_match: [事業者は、標識を掲げる。]",
    )
    (tmp_path / "r.yml").write_text(broken, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    assert [(f.id, f.kind) for f in rep.failures] == [("keiji-901", "no_match")]
    assert "一致しないはずの例文が一致しました" in rep.failures[0].format()


def test_one_finding_per_provision_and_type(engine: Engine) -> None:
    p = example_provision(
        "事業者は、標識を掲げること。", "次に掲げるものを見やすい場所に掲示しなければならない。"
    )
    fired_ids = {o.rule.id for o in engine.evaluate(p) if o.fired}
    assert fired_ids == {"keiji-901", "keiji-902"}
    (f,) = engine.scan([p])
    assert f.rule_id == "keiji-901" and f.other_rules == ["keiji-902"]
    assert f.to_json()["other_rules"] == ["keiji-902"]


# ----------------------------------------------------------------- unless_scope / exclusion scope / context filters

SCOPED = """\
schema_version: 1
rules:
  - id: keiji-911
    type: keiji
    title: 掲示（unless は一致した文だけ）
    message: 「{matched}」
    confidence: 0.9
    triggers: [掲示]
    unless_scope: sentence
    match: {regex: 掲示し}
    unless:
      - text: インターネットの利用その他の方法
    examples:
      match:
        - 営業者は、料金表を見やすい場所に掲示しなければならない。市長は、前項の料金表をインターネットの利用その他の方法により公表することができる。
      no_match:
        - 営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。
  - id: keiji-912
    type: keiji
    title: 掲示（unless は規定全体、既定）
    message: 「{matched}」
    confidence: 0.8
    triggers: [掲示]
    match: {regex: 掲示し}
    unless:
      - text: インターネットの利用その他の方法
    examples:
      match: [営業者は、料金表を見やすい場所に掲示しなければならない。]
      no_match:
        - 営業者は、料金表を見やすい場所に掲示しなければならない。市長は、前項の料金表をインターネットの利用その他の方法により公表することができる。
  - id: jicchi-911
    type: jicchi
    title: 立入り（文ごとの共通除外）
    message: 「{matched}」
    confidence: 0.9
    triggers: [立ち入り, 立入り]
    match: {regex: "立ち?入り"}
    examples:
      match: [当該職員に、営業所に立ち入り、帳簿を検査させることができる。前項の規定による立入りを拒んだ者は、五万円以下の過料に処する。]
      no_match: [前項の規定による立入りを拒んだ者は、五万円以下の過料に処する。]
  - id: mokushi-911
    type: mokushi
    title: 立入り（規定全体の共通除外）
    message: 「{matched}」
    confidence: 0.9
    triggers: [立ち入り, 立入り]
    match: {regex: "立ち?入り"}
    examples:
      match: [当該職員に、営業所に立ち入り、帳簿を検査させることができる。]
      no_match: [当該職員に、営業所に立ち入り、帳簿を検査させることができる。前項の規定による立入りを拒んだ者は、五万円以下の過料に処する。]
  - id: jochu-911
    type: jochu
    title: 営業所ごと（期間ごとを除く）
    message: 「{matched}」
    confidence: 0.9
    triggers: [ごと]
    match:
      all:
        - {text: ごとに, not_preceded_by: [期間, 年]}
        - near: {terms: [{regex: "(管理者|責任者)", not_followed_by: [講習]}, 置], within: 10}
    examples:
      match: [営業所ごとに管理者を置かなければならない。]
      no_match: [一年ごとに管理者を置く。, 三年を超えない期間ごとに管理者を置く。, 営業所ごとに管理者講習を置く。]
exclusions:
  - id: common-911
    title: 罰則（文ごと）
    applies_to: [jicchi]
    scope: sentence
    when: {regex: "(罰金|過料)に処する"}
    examples:
      match: [当該職員に立ち入らせる。前項の立入りを拒んだ者は、過料に処する。]
      no_match: [当該職員に立ち入らせる。]
  - id: common-912
    title: 罰則（規定全体）
    applies_to: [mokushi]
    when: {regex: "(罰金|過料)に処する"}
    examples:
      match: [当該職員に立ち入らせる。前項の立入りを拒んだ者は、過料に処する。]
      no_match: [当該職員に立ち入らせる。]
  - id: common-913
    title: 準用（文の先頭から）
    applies_to: [keiji]
    scope: sentence
    when: {regex: "^第[^、]{1,20}の規定は、.*について準用する。$"}
    examples:
      match: [市長は、職員に掲示させる。第三条の規定は、前項の掲示について準用する。]
      no_match: [第三条の規定（第五条において準用する場合を含む。）により、掲示しなければならない。]
"""

EXCLUDED_THEN_HIT = "営業者は、料金表を見やすい場所に掲示しなければならない。市長は、前項の料金表をインターネットの利用その他の方法により公表することができる。"
PENAL = "当該職員に、営業所に立ち入り、帳簿を検査させることができる。前項の規定による立入りを拒んだ者は、五万円以下の過料に処する。"


@pytest.fixture(scope="module")
def scoped(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    d = tmp_path_factory.mktemp("scoped")
    (d / "r.yml").write_text(SCOPED, encoding="utf-8")
    return Engine(load_ruleset(d))


def outcome(engine: Engine, text: str, rule_id: str) -> Outcome:
    return next(o for o in engine.evaluate(example_provision(text)) if o.rule.id == rule_id)


def test_scope_keys_loaded(scoped: Engine) -> None:
    by_id = {r.id: r for r in scoped.rules}
    assert by_id["keiji-911"].unless_scope == "sentence"
    assert by_id["keiji-912"].unless_scope == "provision"  # the default: today's behaviour
    assert {x.id: x.scope for x in scoped.exclusions} == {
        "common-911": "sentence",
        "common-912": "provision",
        "common-913": "sentence",
    }


def test_unless_scope_sentence_keeps_hit_in_other_sentence(scoped: Engine) -> None:
    o = outcome(scoped, EXCLUDED_THEN_HIT, "keiji-911")
    assert o.fired and o.finding is not None and o.finding.matched == "掲示し"
    o = outcome(scoped, EXCLUDED_THEN_HIT, "keiji-912")
    assert not o.fired and "unless[0]" in o.reason
    # the same sentence: suppressed either way
    same = "営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。"
    o = outcome(scoped, same, "keiji-911")
    assert not o.fired and "unless[0]" in o.reason and "一致した文" in o.reason


def test_first_unexcluded_sentence_gives_span_and_evidence(scoped: Engine) -> None:
    s1 = "営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。"
    s2 = "営業者は、許可証を見やすい場所に掲示しなければならない。"
    o = outcome(scoped, s1 + s2, "keiji-911")
    assert o.fired and o.finding is not None
    assert o.finding.span[0] >= len(s1)  # the span is in the second sentence, not the excluded first
    assert o.finding.evidence == ["掲示し"]
    # every matching sentence excluded: suppressed, and the reason says so
    o = outcome(scoped, s1 + s1, "keiji-911")
    assert not o.fired and "2 文はいずれも除外" in o.reason
    # unless_scope: provision: the excluded sentence still suppresses the whole provision
    assert not outcome(scoped, s1 + s2, "keiji-912").fired


def test_exclusion_scope_sentence(scoped: Engine) -> None:
    o = outcome(scoped, PENAL, "jicchi-911")  # common-911, scope: sentence
    assert o.fired and o.finding is not None and o.finding.span[1] <= PENAL.index("。") + 1
    o = outcome(scoped, PENAL, "mokushi-911")  # common-912, scope: provision
    assert not o.fired and "common-912" in o.reason
    penal_only = "前項の規定による立入りを拒んだ者は、五万円以下の過料に処する。"
    o = outcome(scoped, penal_only, "jicchi-911")
    assert not o.fired and "common-911" in o.reason and "一致した文" in o.reason


def test_sentence_exclusion_regex_anchors_at_sentence_start(scoped: Engine) -> None:
    s2 = "第三条の規定は、前条の規定により掲示しなければならない事項について準用する。"
    t = "市長は、職員に掲示しなければならない。" + s2
    # match succeeds in both sentences; the second is a 準用 sentence, the first is not
    assert outcome(scoped, t, "keiji-911").fired
    o = outcome(scoped, s2, "keiji-911")
    assert not o.fired and "common-913" in o.reason
    by_id = {x.id: x for x in scoped.exclusions}
    assert scoped.exclusion_matches(by_id["common-913"], t)  # ^ = start of the second sentence


def test_not_preceded_by_and_not_followed_by(scoped: Engine) -> None:
    assert "jochu-911" in fired(scoped, "営業所ごとに管理者を置かなければならない。")
    assert "jochu-911" not in fired(scoped, "一年ごとに管理者を置く。")
    assert "jochu-911" not in fired(scoped, "三年を超えない期間ごとに管理者を置く。")
    assert "jochu-911" not in fired(scoped, "営業所ごとに管理者講習を置く。")
    # one occurrence filtered, another kept: the kept one counts
    assert "jochu-911" in fired(scoped, "一年ごとに報告し、営業所ごとに責任者を置く。")
    # only what is right before the occurrence counts: 年 elsewhere in the sentence does not
    assert "jochu-911" in fired(scoped, "１年を経過した営業所ごとに管理者を置く。")
    r = next(r for r in scoped.rules if r.id == "jochu-911")
    assert isinstance(r.match, AllCond) and isinstance(r.match.children[0], TermCond)
    assert r.match.children[0].describe() == "text: ごとに（直前が 期間/年 のものを除く）"


def test_context_filter_on_token_terms(tmp_path: Path) -> None:
    rules = SCOPED.split("exclusions:")[0].replace(
        "        - {text: ごとに, not_preceded_by: [期間, 年]}",
        "        - {lemma: ごと, not_preceded_by: [期間, 年]}",
    )
    (tmp_path / "r.yml").write_text(rules, encoding="utf-8")
    eng = Engine(load_ruleset(tmp_path))
    assert "jochu-911" in fired(eng, "営業所ごとに管理者を置かなければならない。")
    assert "jochu-911" not in fired(eng, "一年ごとに管理者を置く。")


def test_scoped_examples_run(tmp_path: Path) -> None:
    from analogscan.rule_examples import run_examples

    (tmp_path / "r.yml").write_text(SCOPED, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    assert rep.failures == [], [f.format() for f in rep.failures]
    # without the new keys the same examples fail: the runner honours them
    plain = SCOPED.replace("    unless_scope: sentence\n", "").replace("    scope: sentence\n", "")
    (tmp_path / "r.yml").write_text(plain, encoding="utf-8")
    rep = run_examples(load_ruleset(tmp_path))
    got = {(f.id, f.kind) for f in rep.failures}
    assert got == {("keiji-911", "match"), ("jicchi-911", "match"), ("common-913", "match")}, got


def test_sentence_scope_fast_path_identical_and_parses_only_matching_sentences(tmp_path: Path) -> None:
    rules = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-921
    title: 掲示
    message: 「{matched}」
    confidence: 0.9
    triggers: [掲示]
    unless_scope: sentence
    match: {regex: 掲示し}
    unless:
      - dep: {head: {lemma: 公表する}, child: {text: 方法}, rel: [obl]}
    examples:
      match: [営業者は、料金表を掲示しなければならない。]
      no_match: [営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。]
exclusions:
  - id: common-921
    title: 罰則
    applies_to: all
    scope: sentence
    when: {all: [{lemma: 処する}, {regex: "(罰金|過料)"}]}
    examples:
      match: [五万円以下の過料に処する。]
      no_match: [料金表を掲示しなければならない。]
"""
    (tmp_path / "r.yml").write_text(rules, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    s_other = "市長は、毎年度、事業の計画を定めるものとする。"
    s_hit = "営業者は、料金表を見やすい場所に掲示しなければならない。"
    s_web = "営業者は、料金表を掲示し、又はインターネットの利用その他の方法により公表しなければならない。"
    s_penal = "前項の掲示をしなかった者は、五万円以下の過料に処する。"
    texts = [
        s_other + s_hit + s_web,
        s_web + s_hit,
        s_web + s_penal,
        s_penal + s_other,
        s_other + s_web,
        s_hit + s_penal,
    ]
    provs = [
        Provision(Location(article=str(i + 1), paragraph=1, label=f"第{i + 1}条"), t)
        for i, t in enumerate(texts)
    ]
    fast = Engine(rs)
    naive = Engine(rs, use_prefilter=False)
    got = [(f.location.label, f.span) for f in fast.scan(provs)]
    assert got == [(f.location.label, f.span) for f in naive.scan(provs)]
    assert [g[0] for g in got] == ["第1条", "第2条", "第6条"]
    # only the sentences where match may succeed are analysed, not whole provisions
    one = Engine(rs)
    one.scan([provs[0]])
    # s_other: match false; s_hit: the unless and the exclusion are false on its text alone
    assert one.stats["tokenized_chars"] == len(s_web)


def test_context_filter_on_regex_does_not_hide_a_later_occurrence() -> None:
    from analogscan.match import Window, parse_condition

    errors: list[str] = []
    c = parse_condition(
        {"regex": "ごとに[^。]{0,30}?を置", "not_preceded_by": ["期間"]},
        ["match"],
        lambda p, m: errors.append(m),
    )
    assert c is not None and not errors
    t = "期間ごとに報告し、営業所ごとに管理者を置く。"
    # the first match (期間ごとに…を置) is dropped; like a lookbehind, the later ごとに is still found
    assert [t[s:e] for s, e in c.eval(Window(t, None)) or []] == ["ごとに管理者を置"]
    assert c.eval(Window("期間ごとに管理者を置く。", None)) is None
    d = parse_condition({"text": "掲示", "not_followed_by": ["場"]}, ["match"], lambda p, m: errors.append(m))
    assert d is not None and d.eval(Window("掲示場に掲示する。", None)) == [(4, 6)]
    assert d.eval(Window("掲示場に掲げる。", None)) is None


def _item(article: int, n: int, text: str, lead: str | None) -> Provision:
    """Item n of an article (第{article}条第{n}号) under the lead-in ``lead``."""
    loc = Location(part="main", article=str(article), paragraph=1, item=str(n), label=f"第{article}条第{n}号")
    return Provision(location=loc, text=text, lead_in=lead)


LEAD_IN_EXCLUSION = """\
schema_version: 1
rules:
  - id: koshu-921
    type: koshu
    title: 講習の語
    message: 講習の語を含みます。
    confidence: 0.4
    triggers: [講習]
    match: {regex: 講習}
    examples:
      match: [講習の実施場所]
      no_match: [研修の実施場所]
exclusions:
  - id: common-921
    title: 記載事項の号
    applies_to: all
    lead_in: {lemma: [記載する]}
    when: {not: {regex: "すること。?$"}}
    examples:
      match:
        - {text: 講習の実施場所, lead_in: 次に掲げる事項を記載した帳簿を備えなければならない。}
      no_match:
        - {text: 講習の実施場所, lead_in: 講習は、次に掲げるところにより行う。}
        - 講習の実施場所
"""


def test_exclusion_with_lead_in_applies_only_to_items_under_that_lead_in(tmp_path: Path) -> None:
    (tmp_path / "r.yml").write_text(LEAD_IN_EXCLUSION, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    (ex,) = rs.exclusions
    assert ex.lead_in is not None and ex.lead_in.needs_nlp()
    eng = Engine(rs)

    books = "登録講習機関は、次に掲げる事項を記載した帳簿を備えなければならない。"
    provs = [
        _item(3, 1, "講習の実施場所", books),  # a content of the books: excluded
        _item(3, 2, "講習の実施場所", "登録講習は、次に掲げるところにより行う。"),  # how the course is run
        _item(3, 3, "講習を実施すること。", books),  # a duty sentence: `when` fails
        _item(3, 4, "講習の実施場所", None),  # no lead-in: an exclusion with lead_in never holds
    ]
    # the planned scan path (prefilter, lead-in parsed on demand) and evaluate() agree
    assert sorted(f.location.label for f in eng.scan(provs)) == ["第3条第2号", "第3条第3号", "第3条第4号"]
    (o,) = eng.evaluate(provs[0])
    assert not o.fired and "common-921" in o.reason
    assert eng.exclusion_matches(ex, "講習の実施場所", books)
    assert not eng.exclusion_matches(ex, "講習の実施場所")


UNLESS_LEAD_IN_EXCLUSION = """\
schema_version: 1
rules:
  - id: mokushi-921
    type: mokushi
    title: 点検の語
    message: 点検の語を含みます。
    confidence: 0.5
    triggers: [点検]
    match: {regex: 点検}
    examples:
      match: [設備の点検に関すること。]
      no_match: [設備の清掃に関すること。]
exclusions:
  - id: common-922
    title: 事項の一覧の号
    applies_to: all
    unless_lead_in: {all: [{lemma: [行う]}, {regex: "なければならない"}]}
    when: {regex: "に関すること。?$"}
    examples:
      match:
        - 設備の点検に関すること。
        - {text: 設備の点検に関すること。, lead_in: 保安規定には、次に掲げる事項を定めなければならない。}
      no_match:
        - {text: 設備の点検に関すること。, lead_in: 船舶所有者は、次に掲げる事項を安全担当者に行わせなければならない。}
"""


def test_exclusion_unless_lead_in_keeps_items_whose_lead_in_makes_them_duties(tmp_path: Path) -> None:
    (tmp_path / "r.yml").write_text(UNLESS_LEAD_IN_EXCLUSION, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    (ex,) = rs.exclusions
    assert ex.unless_lead_in is not None and ex.lead_in is None
    eng = Engine(rs)

    duty = "船舶所有者は、次に掲げる事項を安全担当者に行わせなければならない。"
    contents = "保安規定には、次に掲げる事項を定めなければならない。"
    provs = [
        _item(5, 1, "設備の点検に関すること。", duty),  # the lead-in makes the item a duty: kept
        _item(5, 2, "設備の点検に関すること。", contents),  # a content of the rules: excluded
        _item(5, 3, "設備の点検に関すること。", None),  # no lead-in: unless_lead_in does not apply
    ]
    assert [f.location.label for f in eng.scan(provs)] == ["第5条第1号"]
    assert not eng.evaluate(provs[1])[0].fired and not eng.evaluate(provs[2])[0].fired
    assert not eng.exclusion_matches(ex, "設備の点検に関すること。", duty)
    assert eng.exclusion_matches(ex, "設備の点検に関すること。", contents)
    assert eng.exclusion_matches(ex, "設備の点検に関すること。")


SPREAD_NEAR = """\
schema_version: 1
rules:
  - id: jicchi-921
    type: jicchi
    title: 立入検査
    message: 「{matched}」
    confidence: 0.9
    triggers: [立ち入]
    match:
      all:
        - regex: "^大臣は"
        - near:
            terms:
              - {text: 立ち入り}
              - {text: 構造設備}
              - {text: 検査させ}
            within: 40
            ordered: true
    examples:
      match: [大臣は、職員に、施設に立ち入り、構造設備を検査させることができる。]
      no_match: [大臣は、報告を求めることができる。]
"""


def test_matched_shows_the_densest_stretch_of_evidence(tmp_path: Path) -> None:
    """Evidence spread over more than 60 characters: 該当箇所 is the stretch holding most of it, not the
    first span alone (which showed 「大臣は」 for the whole match)."""
    (tmp_path / "r.yml").write_text(SPREAD_NEAR, encoding="utf-8")
    eng = Engine(load_ruleset(tmp_path))
    text = (
        "大臣は、"
        + "この法律の施行に必要な限度において" * 4
        + "、職員に、施設に立ち入り、構造設備を検査させることができる。"
    )
    (o,) = eng.evaluate(example_provision(text))
    assert o.fired and o.finding is not None
    f = o.finding
    assert f.matched == "立ち入り、構造設備を検査させ"
    assert text[f.span[0] : f.span[1]] == f.matched
    assert "大臣は" in f.evidence  # all evidence is still listed


def test_unless_lead_in_failure_message_names_it(tmp_path: Path) -> None:
    """A failing exclusion example under unless_lead_in says that the lead-in may have kept the item."""
    bad = UNLESS_LEAD_IN_EXCLUSION.replace(
        "      no_match:\n        - {text: 設備の点検に関すること。, lead_in: 船舶所有者は",
        "      no_match:\n        - {text: 設備の点検に関すること。, lead_in: 保安規定には、次に掲げる事項を定めなければならない。}\n"
        "        - {text: 設備の点検に関すること。, lead_in: 船舶所有者は",
    )
    (tmp_path / "r.yml").write_text(bad, encoding="utf-8")
    failures = run_examples(load_ruleset(tmp_path)).failures
    assert any("unless_lead_in を満たしません" in f.detail for f in failures), failures


LEAD_IN_ONLY = """\
schema_version: 1
rules:
  - id: keiji-931
    type: keiji
    title: 掲示する事項の号
    message: 「{matched}」：柱書が掲示を義務づける号です。
    confidence: 0.8
    triggers: [掲示]
    lead_in: {regex: "次に掲げる事項を[^。]*掲示しなければならない"}
    examples:
      match:
        - {text: 運行系統, lead_in: 事業者は、次に掲げる事項を営業所に掲示しなければならない。}
      no_match:
        - {text: 運行系統, lead_in: 申請書には、次に掲げる事項を記載しなければならない。}
        - 運行系統を掲示する。
  - id: keiji-932
    type: keiji
    title: 掲示すること
    message: 「{matched}」：掲示させる号です。
    confidence: 0.8
    triggers: [掲示]
    match: {regex: 掲示すること}
    examples:
      match: [事務所に掲示すること。]
      no_match: [事務所に備えること。]
exclusions:
  - id: common-931
    title: 権限の委任の号
    applies_to: all
    lead_in: {regex: "権限のうち[^。]*委任する"}
    examples:
      match:
        - {text: 事務所に掲示すること。, lead_in: 大臣の権限のうち、次に掲げるものは、局長に委任する。}
      no_match:
        - 事務所に掲示すること。
"""


def test_rule_without_match_and_exclusion_without_when_are_decided_by_the_lead_in(tmp_path: Path) -> None:
    """`match` (of a rule) and `when` (of an exclusion) may be left out when a `lead_in` decides alone: the rule
    then matches every item under such a lead-in (its span is the item's whole text), the exclusion clears every
    item under its lead-in."""
    (tmp_path / "r.yml").write_text(LEAD_IN_ONLY, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    (rule, _), (ex,) = rs.rules, rs.exclusions
    assert rule.lead_in is not None and ex.lead_in is not None
    rep = run_examples(rs)
    assert rep.checked == 7 and not rep.failures, rep.failures
    eng = Engine(rs)
    duty = "事業者は、次に掲げる事項を営業所に掲示しなければならない。"
    provs = [
        _item(4, 1, "運行系統", duty),
        _item(4, 2, "運賃及び料金", duty),
        _item(4, 3, "運行系統", "申請書には、次に掲げる事項を記載しなければならない。"),
        _item(4, 4, "運行系統", None),  # no lead-in: a lead-in-only rule never fires
        _item(5, 1, "事務所に掲示すること。", "大臣の権限のうち、次に掲げるものは、局長に委任する。"),
        _item(6, 1, "事務所に掲示すること。", "事業者は、次に掲げる措置を講じなければならない。"),
    ]
    found = eng.scan(provs)
    assert sorted(f.location.label for f in found) == ["第4条第1号", "第4条第2号", "第6条第1号"]
    assert {f.matched for f in found if f.rule_id == "keiji-931"} == {"運行系統", "運賃及び料金"}
    assert "「運行系統」" in next(f.message for f in found if f.location.label == "第4条第1号")
    o = next(o for o in eng.evaluate(provs[4]) if o.rule.id == "keiji-932")
    assert not o.fired and "common-931" in o.reason


ITEMS_RULE = """\
schema_version: 1
rules:
  - id: teiki-921
    type: teiki
    title: 号が頻度を定める検査の柱書
    message: 号で頻度を定める検査です。
    confidence: 0.7
    triggers: [次により]
    match: {regex: "検査を次により行う"}
    items: {any: [{regex: "一月に一回"}, {lemma: [毎日]}]}
    examples:
      match:
        - {text: 水質検査を次により行うこと。, items: [水素イオン濃度　一月に一回以上測定すること。]}
      no_match:
        - {text: 水質検査を次により行うこと。, items: [別表の方法により測定すること。]}
        - 水質検査を次により行うこと。
"""


def test_items_condition_reads_the_items_under_a_provision(tmp_path: Path) -> None:
    """A rule's `items` condition is evaluated on the texts of the provision's items: the lead-in whose items fix the
    frequency fires, the same lead-in with items that do not, or with no items, does not; the planned scan path, the
    trigger-free path (`rules triggers`) and evaluate() agree, and the reasons name the items."""
    (tmp_path / "r.yml").write_text(ITEMS_RULE, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    (rule,) = rs.rules
    assert rule.items is not None and rule.items.needs_nlp()  # lemma: the items text goes through GiNZA
    assert rule.examples_match[0].items == "水素イオン濃度　一月に一回以上測定すること。"
    assert not run_examples(rs).failures

    def prov(n: int, items: str | None) -> Provision:
        loc = Location(part="main", article=str(n), paragraph=1, label=f"第{n}条")
        return Provision(location=loc, text="水質検査を次により行うこと。", items=items)

    provs = [
        prov(1, "水素イオン濃度　一月に一回以上測定すること。"),
        prov(
            2, "水素イオン濃度　毎日測定すること。\n浮遊物質量　別表の方法による。"
        ),  # lemma on the second line's parse
        prov(3, "別表の方法により測定すること。"),
        prov(4, None),
    ]
    for eng in (Engine(rs), Engine(rs, check_triggers=False)):
        assert sorted(f.location.label for f in eng.scan(provs)) == ["第1条", "第2条"]
    eng = Engine(rs)
    (o3,) = eng.evaluate(provs[2])
    assert not o3.fired and o3.stage == "items_failed" and "号の条件" in o3.reason
    (o4,) = eng.evaluate(provs[3])
    assert not o4.fired and o4.stage == "no_items" and "号" in o4.reason


def test_structure_gives_a_provision_the_texts_of_its_items(tmp_path: Path) -> None:
    from analogscan.ingest import read_document
    from analogscan.structure import build_ordinance

    f = tmp_path / "a.txt"
    f.write_text(
        "第一条　水質検査を次により行うこと。\n"
        "一　埋立処分開始前に測定すること。\n"
        "二　埋立処分開始後、次により測定すること。\n"
        "イ　カドミウム　一年に一回以上\n"
        "ロ　浮遊物質量　一月に一回以上\n"
        "第二条　この規則は、公布の日から施行する。\n",
        encoding="utf-8",
    )
    provs = {p.location.label: p for p in build_ordinance(read_document(f)).provisions}
    assert provs["第1条"].items == (
        "埋立処分開始前に測定すること。\n埋立処分開始後、次により測定すること。\n"
        "カドミウム　一年に一回以上\n浮遊物質量　一月に一回以上"
    )
    assert provs["第1条第2号"].items == "カドミウム　一年に一回以上\n浮遊物質量　一月に一回以上"
    assert provs["第1条第1号"].items is None
    assert provs["第2条"].items is None
