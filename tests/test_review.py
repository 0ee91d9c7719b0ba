"""Finding ids, the decisions round trip through the Excel sheet, apply, and diff."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from test_report_xlsx import sample_results

from analogscan.cli import main
from analogscan.diff import diff_reports, render_diff_text
from analogscan.ids import doc_identity, finding_id, text_hash
from analogscan.model import Location
from analogscan.report import render
from analogscan.report.contract import RECHECK_MARKER, STATUS_CARRIED, STATUS_RECHECK
from analogscan.report.json_report import build_report
from analogscan.review import apply_decisions, empty_decisions, import_sheet, load_decisions


@pytest.fixture
def report() -> dict[str, Any]:
    return build_report(sample_results(), ruleset_digest="test", rule_count=3)


def findings(rep: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for d in rep["documents"] for f in d["findings"]]


# --------------------------------------------------------------------------- ids


def test_finding_id_is_stable_and_discriminating() -> None:
    loc = Location(article="5", paragraph=1, label="第5条第1項")
    same = Location(article="5", paragraph=None, label="第5条")  # paragraph None ≡ 1
    k = finding_id("市条例|平成1年条例第1号", loc, "keiji-001", "掲示しなければならない。")
    assert len(k.id) == 12 and len(k.text_hash) == 12
    assert k == finding_id("市条例|平成1年条例第1号", same, "keiji-001", "掲示しなければならない。")
    assert k.id == finding_id("市条例|平成1年条例第1号", loc, "keiji-001", "別の文。").id
    assert k.text_hash != finding_id("市条例|平成1年条例第1号", loc, "keiji-001", "別の文。").text_hash
    assert k.id != finding_id("市条例|平成1年条例第1号", loc, "keiji-002", "掲示しなければならない。").id
    assert (
        k.id != finding_id("市条例|平成1年条例第1号", Location(article="5", paragraph=2), "keiji-001", "").id
    )
    assert k.id != finding_id("別条例|平成1年条例第1号", loc, "keiji-001", "").id
    # the dict form in the JSON report gives the same id
    assert k.id == finding_id("市条例|平成1年条例第1号", loc.to_json(), "keiji-001", "").id


def test_doc_identity_and_text_hash_normalise() -> None:
    a = {"path": "a/x.pdf", "title": "みどり野市条例", "number": "平成１２年条例第８号"}
    b = {"path": "b/y.txt", "title": "みどり野市条例", "number": "平成12年条例第8号"}
    assert doc_identity(a) == doc_identity(b)
    assert doc_identity({"path": "reiki/foo.txt", "title": "", "number": ""}) == "file:foo"
    assert text_hash("掲示　しなければ\nならない。") == text_hash("掲示しなければならない。")
    assert text_hash("掲示しなければならない。") != text_hash("掲示することができる。")


def test_ids_unique_within_report(report: dict[str, Any]) -> None:
    ids = [f["finding_id"] for f in findings(apply_decisions(report, {}))]
    assert len(ids) == len(set(ids)) == 6


# --------------------------------------------------------------------------- round trip


def fill_sheet(path: Path, values: dict[int, dict[str, object]]) -> None:
    """Type decisions into the generated sheet the way staff would (by header name)."""
    wb = load_workbook(path, rich_text=True)
    ws = wb["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    for row, vals in values.items():
        for header, v in vals.items():
            ws.cell(row=row, column=cols[header], value=v)
    wb.save(path)


def test_import_round_trip_carried_and_recheck(report: dict[str, Any], tmp_path: Path) -> None:
    sheet = tmp_path / "レビュー表.xlsx"
    sheet.write_bytes(render(report, "xlsx"))
    fill_sheet(
        sheet,
        {
            2: {
                "該非": "該当",
                "根拠法令の有無": "無",
                "見直し方針": "規定の見直し",
                "見直し時期": dt.datetime(2026, 4, 1),
                "備考": "様式第3号も",
                "所管課": "都市計画課",
            },
            3: {"該非": "非該当", "備考": "-内部規定"},
            5: {"該非": "要検討"},
        },
    )
    decisions = empty_decisions()
    res = import_sheet(sheet, decisions, today=dt.date(2026, 1, 15))
    assert (res.rows, res.imported, res.empty, res.warnings) == (6, 3, 3, [])
    fs = findings(apply_decisions(report, {}))
    d0 = decisions["decisions"][fs[0]["finding_id"]]
    assert d0 == {
        "department": "都市計画課",
        "applicable": "該当",
        "legal_basis": "無",
        "policy": "規定の見直し",
        "timing": "2026-04-01",
        "note": "様式第3号も",
        "text_hash": fs[0]["text_hash"],
        "rule_id": "keiji-001",
        "title": "テスト市屋外広告物条例",
        "citation": "第5条第1項",
        "date": "2026-01-15",
        "source": "レビュー表.xlsx",
    }
    assert decisions["decisions"][fs[1]["finding_id"]]["note"] == "-内部規定"

    # next scan: same findings, one provision text changed
    new_results = sample_results()
    new_results[0].findings[1].provision_text = (
        new_results[0].findings[1].provision_text.replace("帳簿", "帳簿書類")
    )
    new_report = build_report(new_results)
    applied = apply_decisions(new_report, decisions)
    nf = findings(applied)
    assert nf[0]["decision_status"] == STATUS_CARRIED and nf[0]["decision"]["applicable"] == "該当"
    assert nf[1]["decision_status"] == STATUS_RECHECK
    assert nf[3]["decision_status"] == STATUS_CARRIED and nf[3]["decision"]["applicable"] == "要検討"
    assert "decision" not in nf[2]
    assert applied["review"] == {"decisions": 3, "carried": 2, "recheck": 1, "unmatched": 0}
    # the input report is not modified
    assert "decision" not in findings(new_report)[0]
    # the CSV carries the decisions too
    import csv as _csv
    import io as _io

    rows = list(_csv.DictReader(_io.StringIO(render(applied, "csv").decode("utf-8-sig"))))
    assert rows[0]["該非"] == "該当" and rows[0]["判断状況"] == STATUS_CARRIED
    assert rows[1]["判断状況"] == STATUS_RECHECK

    # the next sheet shows the carried decision and flags the changed one
    sheet2 = tmp_path / "next.xlsx"
    sheet2.write_bytes(render(applied, "xlsx"))
    ws = load_workbook(sheet2)["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    assert ws.cell(2, cols["該非"]).value == "該当"
    assert ws.cell(3, cols["備考"]).value.startswith(RECHECK_MARKER)
    # importing it untouched keeps the old decision (still 要再確認)
    res2 = import_sheet(sheet2, decisions, today=dt.date(2026, 2, 1))
    assert res2.kept_recheck == 1 and res2.imported == 0 and res2.unchanged == 2
    assert apply_decisions(new_report, decisions)["review"]["recheck"] == 1
    # staff re-check and remove the marker → the decision is renewed with the new text hash
    note = str(ws.cell(3, cols["備考"]).value)
    fill_sheet(
        sheet2,
        {
            3: {
                "備考": note.replace(RECHECK_MARKER, "").replace(
                    "-内部規定", "内部規定のため非該当（再確認済み）"
                )
            }
        },
    )
    res3 = import_sheet(sheet2, decisions, today=dt.date(2026, 2, 2))
    assert res3.imported == 1
    again = apply_decisions(new_report, decisions)
    assert again["review"] == {"decisions": 3, "carried": 3, "recheck": 0, "unmatched": 0}
    assert findings(again)[1]["decision"]["note"] == "内部規定のため非該当（再確認済み）"


def test_import_tolerates_reordered_extra_columns_and_empty_rows(
    report: dict[str, Any], tmp_path: Path
) -> None:
    ids = [f["finding_id"] for f in findings(apply_decisions(report, {}))]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "作業用"
    ws.append(["メモ欄"])  # a title row above the header
    ws.append(["担当メモ", " 備考 ", "finding_id", "見直し方針", "独自列", "該非", "根拠法令の有無"])
    ws.append(["", "確認済み", ids[0], "運用で対応", "x", "該当", "有"])
    ws.append([None, None, None, None, None, None, None])
    ws.append(["", "", ids[2], "", "", "がいとう", ""])
    ws.append(["", "", ids[3], "", "", "", ""])
    ws.append(
        ["", "確認済み", ids[0], "運用で対応", "", "該当", "有"]
    )  # same ordinance from a 2nd file: no warning
    ws.append(["", "", ids[4], "", "", "該当", ""])
    ws.append(["", "", ids[4], "", "", "非該当", ""])  # conflicting duplicate: warned, last row wins
    p = tmp_path / "custom.xlsx"
    wb.save(p)
    decisions = empty_decisions()
    res = import_sheet(p, decisions)
    assert res.imported == 4 and res.unchanged == 1 and res.empty == 1
    assert decisions["decisions"][ids[4]]["applicable"] == "非該当"
    assert sum("判断が違います" in w for w in res.warnings) == 1
    assert decisions["decisions"][ids[0]]["policy"] == "運用で対応"
    assert decisions["decisions"][ids[0]]["legal_basis"] == "有"
    assert decisions["decisions"][ids[0]]["text_hash"] is None
    assert any("がいとう" in w for w in res.warnings)
    assert any("見直し時期" in w for w in res.warnings)


def test_import_without_id_column_is_a_japanese_error(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["番号", "該非"])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    from analogscan.review import DecisionsError

    with pytest.raises(DecisionsError, match="finding_id 列が見つかりません"):
        import_sheet(p, empty_decisions())


def test_cli_review_import_and_apply(report: dict[str, Any], tmp_path: Path) -> None:
    rep_path = tmp_path / "r.json"
    rep_path.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    sheet = tmp_path / "s.xlsx"
    runner = CliRunner()
    r = runner.invoke(main, ["report", str(rep_path), "--format", "xlsx", "-o", str(sheet)])
    assert r.exit_code == 0, r.output
    fill_sheet(sheet, {2: {"該非": "該当", "見直し方針": "規定の見直し"}})
    dec = tmp_path / "dec" / "decisions.json"
    r = runner.invoke(main, ["review", "import", str(sheet), "--decisions", str(dec)])
    assert r.exit_code == 0, r.output
    assert "記録 1 件" in r.output
    data = load_decisions(dec)
    assert len(data["decisions"]) == 1
    assert not list(dec.parent.glob(".*.tmp"))
    out = tmp_path / "new.json"
    r = runner.invoke(main, ["review", "apply", str(rep_path), "--decisions", str(dec), "-o", str(out)])
    assert r.exit_code == 0, r.output
    applied = json.loads(out.read_text("utf-8"))
    assert findings(applied)[0]["decision_status"] == "carried"
    assert applied["review"]["carried"] == 1
    html = tmp_path / "new.html"
    r = runner.invoke(main, ["review", "apply", str(rep_path), "--decisions", str(dec), "-o", str(html)])
    assert r.exit_code == 0 and "前回の判断" in html.read_text("utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", "utf-8")
    r = runner.invoke(main, ["review", "apply", str(bad), "--decisions", str(dec)])
    assert r.exit_code == 2 and "レポートを読めません" in r.output
    r = runner.invoke(main, ["review", "apply", str(rep_path), "--decisions", str(tmp_path / "none.json")])
    assert r.exit_code == 2 and "判断記録ファイルがありません" in r.output
    r = runner.invoke(main, ["review", "import", str(sheet), "--decisions", str(bad)])
    assert r.exit_code == 2 and "判断記録ファイルの形式が違います" in r.output


# --------------------------------------------------------------------------- diff


def test_diff_new_resolved_changed(report: dict[str, Any], tmp_path: Path) -> None:
    new = copy.deepcopy(report)
    docs = new["documents"]
    removed = docs[0]["findings"].pop(2)  # teiki-001 resolved
    docs[0]["findings"][0]["provision_text"] += "ただし、電磁的方法による場合を除く。"  # text changed
    docs[0]["findings"][1]["message"] = "新しい理由"
    extra = copy.deepcopy(docs[0]["findings"][0])
    extra["rule_id"] = "keiji-009"
    extra["location"] = {
        "part": "main",
        "article": "30",
        "paragraph": 1,
        "item": None,
        "subitems": [],
        "label": "第30条第1項",
    }
    docs[0]["findings"].append(extra)
    d = diff_reports(report, new)
    assert d.counts() == {"new": 1, "resolved": 1, "changed": 2, "unchanged": 3}
    o = d.ordinances[0]
    assert o.title == "テスト市屋外広告物条例"
    assert [e.rule_id for e in o.resolved] == [removed["rule_id"]]
    assert [e.citation for e in o.new] == ["第30条第1項"]
    changes = {e.rule_id: e.changes for e in o.changed}
    assert changes == {"keiji-001": ["規定内容が変わりました"], "jicchi-001": ["判定理由が変わりました"]}
    text = render_diff_text(d)
    assert "新規 1 件・解消 1 件・変更 2 件（変わらず 3 件）" in text
    assert "■ テスト市屋外広告物条例（平成18年条例第12号）" in text
    assert "[解消] 第8条第2項【定期検査・点検規制】teiki-001" in text
    assert "[新規] 第30条第1項" in text

    old_p, new_p = tmp_path / "old.json", tmp_path / "new.json"
    old_p.write_text(json.dumps(report, ensure_ascii=False), "utf-8")
    new_p.write_text(json.dumps(new, ensure_ascii=False), "utf-8")
    runner = CliRunner()
    r = runner.invoke(main, ["diff", str(old_p), str(new_p)])
    assert r.exit_code == 0 and "[変更] 第5条第1項" in r.output
    r = runner.invoke(main, ["diff", str(old_p), str(new_p), "--format", "json"])
    j = json.loads(r.output)
    assert j["summary"] == {"new": 1, "resolved": 1, "changed": 2, "unchanged": 3}
    assert j["ordinances"][0]["changed"][0]["old"]["text_hash"]
    r = runner.invoke(main, ["diff", str(old_p), str(old_p)])
    assert "差異はありません。" in r.output


def test_diff_document_removed(report: dict[str, Any]) -> None:
    new = copy.deepcopy(report)
    del new["documents"][0]
    d = diff_reports(report, new)
    assert d.counts()["resolved"] == 3
    assert d.only_old_documents == ["reiki/kokoku_jorei.txt"]
    assert "なくなった文書: reiki/kokoku_jorei.txt" in render_diff_text(d)


def test_scan_with_decisions_option(tmp_path: Path) -> None:
    """scan --decisions carries staff decisions into a fresh scan; a broken file is a usage error."""
    import json as _json
    import subprocess
    import sys

    from conftest import CORPORA

    doc = CORPORA / "reiki" / "bochi_keiei_jorei.txt"
    first = tmp_path / "first.json"
    cli = [sys.executable, "-m", "analogscan.cli"]
    subprocess.run([*cli, "scan", str(doc), "-o", str(first), "-q"], check=True, timeout=600)
    sheet = tmp_path / "sheet.xlsx"
    subprocess.run(
        [*cli, "report", str(first), "--format", "xlsx", "-o", str(sheet)], check=True, timeout=600
    )
    fill_sheet(sheet, {2: {"該非": "該当", "見直し方針": "規定の見直し"}})
    dec = tmp_path / "decisions.json"
    subprocess.run([*cli, "review", "import", str(sheet), "--decisions", str(dec)], check=True, timeout=600)
    second = tmp_path / "second.json"
    subprocess.run(
        [*cli, "scan", str(doc), "-o", str(second), "-q", "--decisions", str(dec)], check=True, timeout=600
    )
    fs = [f for d in _json.loads(second.read_text("utf-8"))["documents"] for f in d["findings"]]
    carried = [f for f in fs if f.get("decision_status") == STATUS_CARRIED]
    assert len(carried) == 1 and carried[0]["decision"]["applicable"] == "該当"
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    r = subprocess.run(
        [*cli, "scan", str(doc), "--decisions", str(bad)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 2 and "判断記録ファイルを読めません" in r.stderr and "Traceback" not in r.stderr


def test_import_prints_rescan_and_scan_reads_decisions_in_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reviewer's loop in one folder: scan → fill the sheet → review import (default decisions file)
    → the printed command re-scans and carries the decisions without --decisions; the summary says so."""
    import shlex

    from conftest import CORPORA

    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    doc = CORPORA / "reiki" / "bochi_keiei_jorei.txt"
    runner = CliRunner()
    r = runner.invoke(main, ["scan", str(doc), "-o", "review.xlsx"])
    assert r.exit_code == 0, r.output
    assert "判断記録" not in r.output  # no decisions file yet
    fill_sheet(work / "review.xlsx", {2: {"該非": "該当", "見直し方針": "規定の見直し"}})
    r = runner.invoke(main, ["review", "import", "review.xlsx"])
    assert r.exit_code == 0, r.output
    assert (work / "analogscan-decisions.json").is_file()
    lines = r.output.splitlines()
    cmd_line = lines[lines.index("判断を引き継いで走査し直すには:") + 1].strip()
    cmd = shlex.split(cmd_line)
    assert cmd[:3] == ["analogscan", "scan", str(doc)] and "--decisions" not in cmd
    assert "scan は analogscan-decisions.json を自動で読み込みます" in r.output
    r = runner.invoke(main, cmd[1:])
    assert r.exit_code == 0, r.output
    assert (
        "判断記録 analogscan-decisions.json（カレントフォルダにあったので自動で読み込み）から引継ぎ 1 件・要再確認 0 件"
        in r.output
    )
    out = work / cmd[cmd.index("-o") + 1]
    ws = load_workbook(out)["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    assert ws.cell(row=2, column=cols["該非"]).value == "該当"
    # --no-decisions: the file is left alone
    r = runner.invoke(main, ["scan", str(doc), "-o", "plain.json", "--no-decisions"])
    assert r.exit_code == 0 and "判断記録" not in r.output
    assert "review" not in json.loads((work / "plain.json").read_text("utf-8"))
    r = runner.invoke(main, ["scan", str(doc), "--no-decisions", "--decisions", "analogscan-decisions.json"])
    assert r.exit_code == 2 and "同時に指定できません" in r.output
    # a broken file found in the folder stops the scan before any work, naming the way out
    (work / "analogscan-decisions.json").write_text("{", encoding="utf-8")
    r = runner.invoke(main, ["scan", str(doc), "-o", "x.json"])
    assert r.exit_code == 2 and "--no-decisions" in r.output and not (work / "x.json").exists()


def test_import_with_other_decisions_file_prints_decisions_option(
    report: dict[str, Any], tmp_path: Path
) -> None:
    sheet = tmp_path / "s.xlsx"
    sheet.write_bytes(render(report, "xlsx"))
    fill_sheet(sheet, {2: {"該非": "該当"}})
    dec = tmp_path / "判断.json"
    r = CliRunner().invoke(main, ["review", "import", str(sheet), "--decisions", str(dec)])
    assert r.exit_code == 0, r.output
    paths = sorted({d["path"] for d in report["documents"]})
    import os
    import shlex

    cmd = shlex.split(
        r.output.splitlines()[r.output.splitlines().index("判断を引き継いで走査し直すには:") + 1]
    )
    assert cmd[:3] == ["analogscan", "scan", os.path.commonpath(paths) if len(paths) > 1 else paths[0]]
    assert cmd[cmd.index("--decisions") + 1] == str(dec)
