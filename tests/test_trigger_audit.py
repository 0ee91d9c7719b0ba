"""``analogscan rules triggers``: rules whose match succeeds where none of their trigger words occur."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analogscan.ruleset.loader import load_ruleset
from analogscan.trigger_audit import audit_triggers, render_trigger_audit

# keiji-951 is triggered by 標識 only, but its match also finds 掲示: a provision that says 掲示 without 標識
# is never looked at. keiji-952's match needs its own trigger word, so it cannot have such a gap.
RULES = """\
schema_version: 1
rules:
  - id: keiji-951
    type: keiji
    title: 標識・掲示
    message: 「{matched}」
    confidence: 0.9
    triggers: [標識]
    match: {regex: "(標識|料金表)を(掲げ|掲示し)"}
    examples:
      match: [事業者は、標識を掲げなければならない。]
      no_match: [次に掲げる事項を記載した書類を提出しなければならない。]
  - id: keiji-952
    type: keiji
    title: 許可証の掲示
    message: 「{matched}」
    confidence: 0.9
    triggers: [許可証]
    match: {regex: "許可証を(掲げ|掲示し)"}
    examples:
      match: [営業者は、許可証を掲示しなければならない。]
      no_match: [許可証を返納しなければならない。]
"""

DOC = """\
第一条　事業者は、営業所ごとに、標識を掲げなければならない。
第二条　事業者は、料金表を掲示しなければならない。
第三条　営業者は、許可証を掲示しなければならない。
"""


def test_audit_finds_the_rule_whose_match_goes_beyond_its_triggers(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "keiji.yml").write_text(RULES, encoding="utf-8")
    doc = tmp_path / "ryokin.txt"
    doc.write_text(DOC, encoding="utf-8")
    rs = load_ruleset([rules / "keiji.yml"])
    audit = audit_triggers(rs, [doc])
    assert audit.documents == 1 and not audit.errors
    assert [(g.rule_id, g.citation, g.matched) for g in audit.gaps] == [
        ("keiji-951", "第2条", "料金表を掲示し")
    ]
    text = render_trigger_audit(audit, rs)
    assert "keiji-951（" in text and "keiji.yml:" in text and "トリガー語: 標識" in text
    assert "keiji-952" not in text

    # the CLI: exit 1 while there is a gap; 0 once the trigger is added
    cmd = [sys.executable, "-m", "analogscan.cli", "rules", "triggers", "--rules", str(rules), str(doc)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "トリガー語のない規定に一致したルールが 1 件" in r.stdout and "料金表を掲示し" in r.stdout
    (rules / "keiji.yml").write_text(
        RULES.replace("triggers: [標識]", "triggers: [標識, 料金表]"), encoding="utf-8"
    )
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "見つかりませんでした" in r.stdout


def test_unreadable_document_is_reported_and_the_audit_goes_on(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "keiji.yml").write_text(RULES, encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really a pdf")
    good = tmp_path / "ryokin.txt"
    good.write_text(DOC, encoding="utf-8")
    rs = load_ruleset([rules / "keiji.yml"])
    audit = audit_triggers(rs, [bad, good])
    assert audit.documents == 2 and len(audit.errors) == 1 and "broken.pdf" in audit.errors[0]
    assert [g.rule_id for g in audit.gaps] == ["keiji-951"]
    assert "読めなかった文書" in render_trigger_audit(audit, rs)
