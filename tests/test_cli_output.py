"""Output format from --format or the suffix of -o; a suffix that names no format is exit 2 with the list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPORA
from openpyxl import load_workbook
from test_report_xlsx import sample_results

from analogscan.cli import FORMATS, main
from analogscan.report import SUFFIXES, formats
from analogscan.report.json_report import build_report
from analogscan.store import FileInfo, Store


def invoke(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), prog_name="analogscan")
    return r.exit_code, r.output


@pytest.fixture
def report_json(tmp_path: Path) -> Path:
    p = tmp_path / "r.json"
    p.write_text(
        json.dumps(build_report(sample_results(), ruleset_digest="t", rule_count=3), ensure_ascii=False),
        "utf-8",
    )
    return p


def test_one_list_of_formats() -> None:
    assert FORMATS == formats() == ["json", "csv", "text", "xlsx", "html", "md"]
    assert set(SUFFIXES.values()) == set(FORMATS)


def test_report_format_from_suffix(report_json: Path, tmp_path: Path) -> None:
    code, out = invoke("report", str(report_json), "-o", str(tmp_path / "a.xlsx"))
    assert code == 0, out
    assert "レビュー表" in load_workbook(tmp_path / "a.xlsx").sheetnames
    code, out = invoke("report", str(report_json), "-o", str(tmp_path / "a.htm"))
    assert code == 0 and (tmp_path / "a.htm").read_text("utf-8").lstrip().lower().startswith("<!doctype html")
    code, out = invoke("report", str(report_json), "-o", str(tmp_path / "a.md"))
    assert code == 0 and (tmp_path / "a.md").read_text("utf-8").startswith("#")
    # --format wins over the suffix
    code, out = invoke("report", str(report_json), "-o", str(tmp_path / "a.dat"), "--format", "json")
    assert code == 0 and json.loads((tmp_path / "a.dat").read_text("utf-8"))["schema_version"] == 1


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.JSONX"])
def test_unknown_suffix_is_usage_error_listing_formats(report_json: Path, tmp_path: Path, name: str) -> None:
    out_file = tmp_path / name
    code, out = invoke("report", str(report_json), "-o", str(out_file))
    assert code == 2, out
    assert not out_file.exists()
    assert "からは出力形式を決められません" in out
    for fmt, suffix in [
        ("json", ".json"),
        ("csv", ".csv"),
        ("text", ".txt"),
        ("xlsx", ".xlsx"),
        ("html", ".html・.htm"),
        ("md", ".md"),
    ]:
        assert f"{fmt}（{suffix}）" in out
    assert "--format" in out


def test_scan_checks_the_suffix_before_scanning(tmp_path: Path) -> None:
    out_file = tmp_path / "report.pdf"
    code, out = invoke("scan", str(CORPORA / "reiki"), "-o", str(out_file))
    assert code == 2 and not out_file.exists()
    assert "拡張子「.pdf」" in out and "文書を走査" not in out


def test_store_report_review_apply_and_diff_use_the_same_rule(report_json: Path, tmp_path: Path) -> None:
    doc = tmp_path / "a.txt"
    doc.write_text("第1条　テスト", encoding="utf-8")
    store = tmp_path / "s.sqlite"
    with Store(store) as st:
        st.record(FileInfo.of(doc), "rs", {"path": str(doc), "status": "ok", "findings": []})
    code, out = invoke("store", "report", str(store), "-o", str(tmp_path / "s.pdf"))
    assert code == 2 and "使える形式" in out
    code, out = invoke("store", "report", str(store), "-o", str(tmp_path / "s.csv"))
    assert code == 0 and (tmp_path / "s.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    dec = tmp_path / "d.json"
    dec.write_text(json.dumps({"schema_version": 1, "decisions": {}}), "utf-8")
    code, out = invoke(
        "review", "apply", str(report_json), "--decisions", str(dec), "-o", str(tmp_path / "x.doc")
    )
    assert code == 2 and "使える形式" in out
    # diff writes text or json only, and says so
    code, out = invoke("diff", str(report_json), str(report_json), "-o", str(tmp_path / "d.xlsx"))
    assert code == 2 and "使える形式: text（.txt）、json（.json）。" in out
    code, out = invoke("diff", str(report_json), str(report_json), "-o", str(tmp_path / "d.json"))
    assert code == 0, out
    assert json.loads((tmp_path / "d.json").read_text("utf-8"))["kind"] == "analogscan-diff"


def test_text_report_translates_every_message_level() -> None:
    from analogscan.model import DocumentResult
    from analogscan.report.text_report import render_text

    r = DocumentResult(path="/x/a.pdf")
    r.add("info", "ページ2は縦書きとして読み取りました", page=2)
    r.add("warning", "2ページ目の文字を読み取れませんでした")
    text = render_text(build_report([r]))
    assert "[情報] ページ2は縦書きとして読み取りました（ページ2）" in text
    assert "[警告] 2ページ目の文字を読み取れませんでした" in text
    assert "[info]" not in text
