"""Times in Japan time in every report: ISO with +09:00, 和暦 where staff read dates; works without tzdata."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_report_xlsx import sample_results

from analogscan import jst
from analogscan.diff import diff_reports, render_diff_text
from analogscan.report import render
from analogscan.report.json_report import build_report
from analogscan.review import empty_decisions, import_sheet
from analogscan.store import FileInfo, Store

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.mark.parametrize(
    ("d", "want"),
    [
        (date(2026, 12, 5), "令和8年12月5日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
    ],
)
def test_wareki(d: date, want: str) -> None:
    assert jst.wareki(d) == want


def test_utc_times_are_shown_in_japan_time() -> None:
    t = jst.to_jst("2026-12-05T15:30:00+00:00")
    assert t is not None and t.isoformat() == "2026-12-06T00:30:00+09:00"
    assert jst.display("2026-12-05T15:30:00+00:00") == "令和8年12月6日 0時30分"
    assert jst.display("2026-12-06T09:05:00") == "令和8年12月6日 9時05分"  # no offset: already Japan time
    assert jst.display("") == "" and jst.display("不明") == "不明"


def test_report_time_is_japan_time() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    rep = build_report(sample_results())
    after = datetime.now(UTC)
    stamp = rep["tool"]["generated_at"]
    assert stamp.endswith("+09:00")
    assert before <= datetime.fromisoformat(stamp) <= after


def _old_report() -> dict:
    rep = build_report(sample_results(), ruleset_digest="test", rule_count=3)
    rep["tool"]["generated_at"] = "2026-12-05T15:30:00+00:00"  # a report written in UTC by an older version
    return rep


def test_xlsx_shows_wareki_and_iso_in_japan_time() -> None:
    wb = load_workbook(io.BytesIO(render(_old_report(), "xlsx")))
    ws = wb["集計"]
    rows = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert rows["作成日時"] == "令和8年12月6日 0時30分（2026-12-06T00:30:00+09:00）"
    fresh = load_workbook(io.BytesIO(render(build_report(sample_results()), "xlsx")))["集計"]
    rows = {r[0]: r[1] for r in fresh.iter_rows(values_only=True) if r and r[0]}
    assert rows["作成日時"].startswith(jst.wareki(jst.today())) and "+09:00）" in rows["作成日時"]


def test_html_shows_wareki_with_machine_readable_time() -> None:
    html = render(_old_report(), "html").decode("utf-8")
    assert '<time datetime="2026-12-06T00:30:00+09:00">令和8年12月6日 0時30分</time>' in html
    assert "+00:00" not in html


def test_diff_text_shows_japan_time() -> None:
    old = _old_report()
    new = build_report(sample_results())
    text = render_diff_text(diff_reports(old, new))
    assert "旧: 令和8年12月6日 0時30分" in text and f"新: {jst.wareki(jst.today())}" in text


def test_store_and_decisions_use_japan_time(tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("第1条　テスト", encoding="utf-8")
    with Store(tmp_path / "s.sqlite") as st:
        st.record(FileInfo.of(doc), "rs", {"path": str(doc), "status": "ok", "findings": []})
        st.flush()
        got = st.get(str(doc))
    assert got is not None and got.scanned_at.endswith("+09:00")
    # the date a decision was recorded is today's date in Japan
    rep = build_report(sample_results(), ruleset_digest="test", rule_count=3)
    sheet = tmp_path / "s.xlsx"
    sheet.write_bytes(render(rep, "xlsx"))
    wb = load_workbook(sheet)
    ws = wb["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    ws.cell(row=2, column=cols["該非"], value="該当")
    wb.save(sheet)
    decisions = empty_decisions()
    res = import_sheet(sheet, decisions)
    assert res.imported == 1
    assert [d["date"] for d in decisions["decisions"].values()] == [jst.today().isoformat()]


def test_without_time_zone_database_falls_back_to_fixed_jst(tmp_path: Path) -> None:
    """A fresh machine without /usr/share/zoneinfo and without the tzdata package still writes +09:00."""
    code = (
        "import sys; sys.modules['tzdata'] = None\n"
        "import zoneinfo\n"
        "try:\n    zoneinfo.ZoneInfo('Asia/Tokyo'); print('zoneinfo-available')\n"
        "except zoneinfo.ZoneInfoNotFoundError:\n    print('zoneinfo-missing')\n"
        "from analogscan import jst\n"
        "from analogscan.report import render\n"
        "from analogscan.report.json_report import build_report\n"
        "rep = build_report([])\n"
        "print(jst.JST is jst.JST_FIXED, rep['tool']['generated_at'])\n"
        "render(rep, 'xlsx'); render(rep, 'html')\n"
        "print(jst.display('2026-12-05T15:30:00+00:00'))\n"
    )
    env = {**os.environ, "PYTHONTZPATH": str(tmp_path / "no-zoneinfo"), "PYTHONPATH": str(SRC)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "zoneinfo-missing"
    fixed, stamp = lines[1].split()
    assert fixed == "True" and stamp.endswith("+09:00")
    assert lines[2] == "令和8年12月6日 0時30分"
