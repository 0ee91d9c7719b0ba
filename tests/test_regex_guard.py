"""A rule regex that backtracks without end must not hang the run (issue 11).

The loader rejects nested quantifiers and exponential patterns (tests/test_rules_loader.py);
a regex that still overruns its time limit on some document (e.g. a quadratic one on a
30,000-digit run) is left out for that document with a warning naming the rule, and every
other rule and document keeps its results.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analogscan.engine import Engine
from analogscan.match import RegexTerm, Term, TermCond
from analogscan.match.safe_regex import RegexTimeout, SafeRegex, check_pattern
from analogscan.ruleset.loader import load_ruleset
from analogscan.ruleset.model import Exclusion

REPO = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "analogscan"

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

EXPONENTIAL = "(a|aa)+$"  # rejected by the loader; built by hand here, as if it had slipped through


def slow_term() -> Term:
    t = RegexTerm([EXPONENTIAL])
    return t


def test_safe_regex_times_out_and_names_the_pattern(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANALOGSCAN_REGEX_TIMEOUT", "0.05")
    rx = SafeRegex(EXPONENTIAL)
    assert [m.group() for m in rx.finditer("aaa")] == ["aaa"]
    with pytest.raises(RegexTimeout) as ei:
        list(rx.finditer("a" * 80 + "!"))
    assert ei.value.pattern == EXPONENTIAL and "時限" in ei.value.describe() and "0.05" in ei.value.describe()
    with pytest.raises(RegexTimeout):
        rx.search("a" * 80 + "!", 0)
    assert check_pattern(EXPONENTIAL) is not None


def test_timeout_is_a_warning_naming_the_rule_and_other_rules_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analogscan.pipeline import scan_file

    monkeypatch.setenv("ANALOGSCAN_REGEX_TIMEOUT", "0.05")
    (tmp_path / "keiji.yml").write_text(GOOD, encoding="utf-8")
    rs = load_ruleset(tmp_path / "keiji.yml")
    good = rs.rules[0]
    slow = type(good)(**{**good.__dict__, "id": "keiji-902", "title": "遅いルール", "triggers": ["a"]})
    slow.match = TermCond(slow_term())
    rs.rules.append(slow)
    rs.exclusions.append(
        Exclusion(id="common-902", title="遅い除外", applies_to=None, when=TermCond(slow_term()))
    )
    doc = tmp_path / "law.txt"
    doc.write_text(
        "試験条例\n"
        "第1条　営業者は、許可証を営業所の見やすい場所に掲示しなければならない。\n"
        "第2条　" + "a" * 80 + "!\n"
        "第3条　管理者は、標識を見やすい場所に掲示しなければならない。" + "a" * 80 + "!\n",
        encoding="utf-8",
    )
    result = scan_file(doc, Engine(rs))
    # the good rule fired on both articles where it matches (the overrunning exclusion is left out)
    assert [(f.rule_id, f.location.label) for f in result.findings] == [
        ("keiji-901", "第1条"),
        ("keiji-901", "第3条"),
    ]
    assert result.status == "warning"
    texts = [m.text for m in result.messages if m.level == "warning"]
    assert any("keiji-902" in t and "遅いルール" in t and "時限" in t and EXPONENTIAL in t for t in texts), (
        texts
    )
    assert any("common-902" in t and "遅い除外" in t and "時限" in t for t in texts), texts
    assert len(texts) == 2, texts  # one warning per rule / exclusion, not one per provision


def test_cli_scan_with_overrunning_rule_finishes_and_keeps_good_law(tmp_path: Path) -> None:
    """A folder with a good law and a document on which a (valid, quadratic) rule regex
    overruns: the report is written, the good law keeps its findings, the bad document is
    named with a warning."""
    law = REPO / "corpora" / "reiki" / "okugai_kokokubutsu_jorei.txt"
    if not law.exists():
        pytest.skip("corpora/ not available")
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    (rules / "zz_slow.yml").write_text(
        """\
schema_version: 1
type: teiki
rules:
  - id: teiki-990
    title: 周期の点検（試験用）
    message: 周期の点検です。
    confidence: 0.5
    triggers: ["1"]
    match: {regex: "(\\\\d+|[一二三]+)(年|月)(ごと|毎)"}
    examples:
      match: [3年ごとに点検する。]
      no_match: [毎日点検する。]
""",
        encoding="utf-8",
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(law, docs / "good.txt")
    (docs / "digits.txt").write_text("数字条例\n第1条　" + "1" * 30000 + "!\n", encoding="utf-8")
    out = tmp_path / "report.json"
    env = {**os.environ, "ANALOGSCAN_REGEX_TIMEOUT": "0.01"}
    r = subprocess.run(
        [str(EXE), "scan", str(docs), "--rules", str(rules), "-q", "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert "Traceback" not in r.stderr + r.stdout
    assert r.returncode == 0, r.stderr
    report = json.loads(out.read_text("utf-8"))
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert len(by_name["good.txt"]["findings"]) > 10 and by_name["good.txt"]["status"] == "ok"
    bad = by_name["digits.txt"]
    assert bad["status"] == "warning"
    assert any("teiki-990" in m["text"] and "時限" in m["text"] for m in bad["messages"]), bad["messages"]


def test_explain_and_exclusion_check_report_the_timeout_instead_of_crashing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from analogscan.engine import example_provision
    from analogscan.explain import explain_provision

    monkeypatch.setenv("ANALOGSCAN_REGEX_TIMEOUT", "0.05")
    (tmp_path / "keiji.yml").write_text(GOOD, encoding="utf-8")
    rs = load_ruleset(tmp_path / "keiji.yml")
    slow = type(rs.rules[0])(
        **{**rs.rules[0].__dict__, "id": "keiji-902", "title": "遅いルール", "triggers": ["a"]}
    )
    slow.match = TermCond(slow_term())
    rs.rules.append(slow)
    ex = Exclusion(id="common-902", title="遅い除外", applies_to=None, when=TermCond(slow_term()))
    rs.exclusions.append(ex)
    engine = Engine(rs)
    assert engine.exclusion_matches(ex, "a" * 80 + "!") is False
    assert "common-902" in engine.timed_out and any("common-902" in w for w in engine.warnings)
    lines = explain_provision(example_provision("a" * 80 + "!"), rs, tokens=False)
    text = "\n".join(lines)
    assert "× keiji-902 遅いルール: ルール keiji-902（遅いルール）の正規表現" in text and "時限" in text, text
    assert "common-902 遅い除外: 判定できません（" in text, text
