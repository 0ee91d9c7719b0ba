"""explain: finds the provision by citation, shows tokens, bunsetsu, rule outcomes and exclusions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analogscan.cli import main

RULES = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 見やすい場所への掲示
    message: 「{matched}」：許可証等を特定の場所に掲示させる規定です。
    confidence: 0.9
    triggers: [掲示, 掲げ]
    match:
      all:
        - lemma: [掲示する, 掲げる]
        - text: [見やすい場所, 掲示場]
    unless:
      - text: [インターネット, 電磁的方法]
    examples:
      match: [営業者は、許可証を見やすい場所に掲示しなければならない。]
      no_match: [次に掲げる事項を記載した申請書を提出しなければならない。]
  - id: keiji-902
    title: 標識
    message: 標識
    confidence: 0.8
    triggers: [標識]
    match:
      text: [標識]
    examples:
      match: [標識を設置する。]
      no_match: [看板を設置する。]
exclusions:
  - id: excl-901
    title: 罰則規定
    applies_to: all
    when: {regex: "(罰金|過料|懲役)に処する"}
    examples:
      match: [五万円以下の過料に処する。]
      no_match: [標識を掲げなければならない。]
"""

ORDINANCE = """\
テスト市屋外広告物条例
平成18年3月31日
条例第12号
（目的）
第1条　この条例は、屋外広告物について必要な事項を定めることを目的とする。
（許可証の掲示）
第5条　許可を受けた者は、許可証を当該広告物の見やすい場所に掲示しなければならない。
２　前項の許可証は、インターネットの利用により公表することができる場合であっても、見やすい場所に掲示しなければならない。
（報告）
第6条　市長は、必要があると認めるときは、報告を求めることができる。
（罰則）
第7条　第5条の規定に違反して掲示場に掲示しなかった者は、五万円以下の過料に処する。
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("explain")
    (d / "rules").mkdir()
    (d / "rules" / "keiji.yml").write_text(RULES, encoding="utf-8")
    f = d / "jorei.txt"
    f.write_text(ORDINANCE, encoding="utf-8")
    return f, d / "rules"


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, ["explain", *args])
    return r.exit_code, r.output


def test_explain_fired_rule_with_tokens(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第5条第1項", "--rules", str(rules))
    assert code == 0, out
    assert "テスト市屋外広告物条例" in out
    assert "■ 第5条第1項" in out
    assert "規定内容: 許可を受けた者は、許可証を当該広告物の見やすい場所に掲示しなければならない。" in out
    # GiNZA token table: header and a real row (掲示 as a verb-ish サ変 noun, lemma shown)
    assert "表層形" in out and "原形" in out and "正規形" in out and "品詞" in out and "係り受け" in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert ["3", "受け", "受ける", "受ける", "VERB（動詞-一般）"] in [r[:5] for r in rows]
    assert "文節: 許可を／受けた／者は、／" in out
    assert "○ keiji-901【書面掲示規制】見やすい場所への掲示  確度 0.90" in out
    assert "該当箇所: 「" in out
    assert "× トリガー語が本文にないルール（1 件）: keiji-902" in out
    assert "・ excl-901 罰則規定: 非該当" in out


def test_explain_unless_and_exclusion_reasons(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "5条2項", "--rules", str(rules), "--no-tokens")
    assert code == 0, out
    assert "表層形" not in out
    assert "× keiji-901 見やすい場所への掲示: 除外条件 unless[0]" in out
    code, out = run(str(f), "--at", "第七条", "--rules", str(rules), "--no-tokens")
    assert code == 0, out
    assert "× keiji-901 見やすい場所への掲示: 共通除外 excl-901（罰則規定）に該当" in out
    assert "● excl-901 罰則規定: 該当" in out


def test_explain_article_covers_its_paragraphs(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第5条", "--rules", str(rules), "--no-tokens", "--types", "keiji")
    assert code == 0, out
    assert "該当する条項 2 件" in out
    assert "■ 第5条第1項" in out and "■ 第5条第2項" in out


def test_explain_unknown_citation_lists_nearby(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第9条第2項", "--rules", str(rules))
    assert code == 2
    assert "「第9条第2項」は見つかりません" in out
    assert "近くの条項: " in out and "第7条" in out
    code, out = run(str(f), "--at", "でたらめ", "--rules", str(rules))
    assert code == 2 and "見つかりません" in out
