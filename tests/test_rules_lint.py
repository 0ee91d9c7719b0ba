"""`rules validate` warns (never fails) on rules that are hard to read aloud."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analogscan.ruleset.lint import lint
from analogscan.ruleset.loader import load_ruleset

RULE = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 掲示
    message: 「{matched}」
    confidence: 0.8
    triggers: [掲示, 標識]
    match:
      all:
        - regex: "(許可証|認定証|登録証|証票|料金表|標識|看板|名称|氏名|商号|営業時間|注意事項|禁止事項|案内図|見取図|配置図|一覧表|時刻表|運賃表|料金一覧|利用規約|管理規程|連絡先)を"
        - regex: "見やすい[^。]{0,120}掲示"
    examples:
      match: [営業者は、許可証を営業所の見やすい場所に掲示しなければならない。]
      no_match: [申請書を提出しなければならない。]
"""


def test_long_regex_wide_gap_and_unused_trigger(tmp_path: Path) -> None:
    (tmp_path / "keiji.yml").write_text(RULE, encoding="utf-8")
    msgs = [w.format() for w in lint(load_ruleset(tmp_path))]
    assert any("keiji.yml:11:" in m and "正規表現が" in m and "80 文字まで" in m for m in msgs), msgs
    assert any("keiji.yml:12:" in m and "{…,120}" in m for m in msgs), msgs
    assert any("keiji.yml:4:" in m and "「標識」" in m and "「掲示」" not in m for m in msgs), msgs
    assert len(msgs) == 3


def test_validate_prints_warnings_and_succeeds(tmp_path: Path) -> None:
    (tmp_path / "keiji.yml").write_text(RULE, encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "rules", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "問題ありません" in r.stdout and "読みやすさの警告 3 件" in r.stdout
