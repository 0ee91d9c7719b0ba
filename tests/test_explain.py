"""explain: finds the provision by citation, shows tokens, bunsetsu, rule outcomes and exclusions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPORA

from analogscan.cli import main
from analogscan.ingest import input_formats

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
    # by default the rules without a trigger word and the exclusions that do not apply are only counted
    assert "ルールの判定（2 件中 1 件が検出、トリガー語があり検出しなかったもの 0 件）" in out
    assert "（トリガー語が本文にないルール 1 件は省略。すべては --verbose で表示）" in out
    assert "keiji-902" not in out and "excl-901" not in out
    assert "共通除外（1 件中 0 件が該当。該当しないものは --verbose で表示）:\n  該当なし" in out


def test_explain_verbose_lists_every_rule_and_exclusion(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第5条第1項", "--rules", str(rules), "--no-tokens", "--verbose")
    assert code == 0, out
    assert "○ keiji-901【書面掲示規制】見やすい場所への掲示  確度 0.90" in out
    assert "× トリガー語が本文にないルール（1 件）: keiji-902" in out
    assert "・ excl-901 罰則規定: 非該当" in out
    assert "省略" not in out


def test_explain_near_misses_shown_by_default(setup: tuple[Path, Path]) -> None:
    """A rule whose trigger word is present but whose match condition fails is shown with its reason."""
    f, rules = setup
    # 第6条 has neither trigger; 第1条 neither; 第7条 has 掲示 (trigger) and 掲示場 but is a penalty clause
    code, out = run(str(f), "--at", "第7条", "--rules", str(rules), "--no-tokens")
    assert code == 0, out
    assert "ルールの判定（2 件中 0 件が検出、トリガー語があり検出しなかったもの 1 件）" in out
    assert "× keiji-901 見やすい場所への掲示: 共通除外 excl-901（罰則規定）に該当" in out
    assert "keiji-902" not in out


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


@pytest.mark.parametrize("fmt", input_formats())
def test_explain_format_in_takes_every_input_format(fmt: str) -> None:
    """The same ordinance in each input format, read with --format-in forced, explains the same finding."""
    files = {
        "text": CORPORA / "reiki" / "okugai_kokokubutsu_jorei.txt",
        "pdf": CORPORA / "reiki" / "okugai_kokokubutsu_jorei.pdf",
        "docx": CORPORA / "docx" / "okugai_kokokubutsu_jorei.docx",
        "xml": CORPORA / "xml" / "okugai_kokokubutsu_jorei.xml",
        "html": CORPORA / "html" / "gyosei" / "okugai_kokokubutsu_jorei.html",
    }
    assert fmt in files, f"新しい入力形式 {fmt} の例をこの試験に加えてください"
    r = CliRunner().invoke(
        main, ["explain", str(files[fmt]), "--at", "第7条第2項", "--format-in", fmt, "--no-tokens"]
    )
    assert r.exit_code == 0, r.output
    assert "■ 第7条第2項" in r.output
    assert "○ keiji-003【書面掲示規制】" in r.output


def test_explain_format_in_is_forced(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第5条", "--rules", str(rules), "--format-in", "pdf")
    assert code == 2 and "を読み込めません" in out


def test_format_in_choices_are_one_list() -> None:
    """scan and explain offer the same --format-in values: the readers the ingest stage registers."""
    from analogscan.cli import main as group

    def choices(cmd: str) -> list[str]:
        opt = next(p for p in group.commands[cmd].params if p.name == "format_in")
        return list(opt.type.choices)  # type: ignore[attr-defined]

    assert choices("scan") == choices("explain") == input_formats()
    assert set(input_formats()) == {"text", "pdf", "html", "xml", "docx"}


def test_explain_unknown_citation_lists_nearby(setup: tuple[Path, Path]) -> None:
    f, rules = setup
    code, out = run(str(f), "--at", "第9条第2項", "--rules", str(rules))
    assert code == 2
    assert "「第9条第2項」は見つかりません" in out
    assert "近くの条項: " in out and "第7条" in out
    code, out = run(str(f), "--at", "でたらめ", "--rules", str(rules))
    assert code == 2 and "見つかりません" in out


def test_outcome_stage_is_set_by_the_engine(setup: tuple[Path, Path], tmp_path: Path) -> None:
    """explain selects rules by Outcome.stage (set where the engine decides), not by reason text."""
    from analogscan.engine import (
        STAGE_EXCLUDED,
        STAGE_FIRED,
        STAGE_NO_MATCH,
        STAGE_NO_TRIGGER,
        Engine,
    )
    from analogscan.explain import find_provisions
    from analogscan.model import DocumentResult
    from analogscan.pipeline import load_ordinance
    from analogscan.ruleset.loader import load_ruleset

    f, rules = setup
    doc = tmp_path / "j.txt"
    doc.write_text(f.read_text("utf-8") + "第8条　市長は、その旨を掲示する。\n", encoding="utf-8")
    ordinance = load_ordinance(doc, DocumentResult(path=str(doc)))
    assert ordinance is not None
    engine = Engine(load_ruleset([rules]))

    def stages(at: str) -> dict[str, str]:
        (p,) = find_provisions(ordinance, at)
        return {o.rule.id: o.stage for o in engine.evaluate(p)}

    assert stages("第5条第1項") == {"keiji-901": STAGE_FIRED, "keiji-902": STAGE_NO_TRIGGER}
    assert stages("第5条第2項")["keiji-901"] == STAGE_EXCLUDED  # unless
    assert stages("第7条")["keiji-901"] == STAGE_EXCLUDED  # shared exclusion
    assert stages("第8条")["keiji-901"] == STAGE_NO_MATCH  # 掲示 without 見やすい場所
    code, out = run(str(doc), "--at", "第8条", "--rules", str(rules), "--no-tokens")
    assert code == 0 and "× keiji-901 見やすい場所への掲示: 一致条件を満たしません" in out
