"""The CLI end to end on the bundled corpus and on bad input (real files, real GiNZA, real pdfplumber)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPORA, RULES

from analogscan.model import TYPE_CODES

CLI = [sys.executable, "-m", "analogscan.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=900)


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("scan") / "report.json"
    r = run("scan", str(CORPORA), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "文書を走査し" in r.stderr
    return json.loads(out.read_text("utf-8"))


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("analogscan ")


def test_report_contract(corpus_report: dict) -> None:
    rep = corpus_report
    assert rep["schema_version"] == 1
    assert rep["tool"]["name"] == "analogscan" and rep["tool"]["ruleset"]
    docs = rep["documents"]
    assert len(docs) >= 10
    assert {Path(d["path"]).suffix for d in docs} >= {".txt", ".pdf"}
    for d in docs:
        assert d["status"] in ("ok", "warning", "error")
        assert d["title"], d["path"]
        for f in d["findings"]:
            assert f["type"] in TYPE_CODES
            assert f["type_label"]
            loc = f["location"]
            assert loc["part"] in ("main", "suppl", "appendix")
            assert loc["label"]
            s, e = f["span"]
            assert f["provision_text"][s:e] == f["matched"]
            assert 0 <= f["confidence"] <= 1
            assert f["message"]
            if d["path"].endswith(".pdf"):
                assert isinstance(f.get("page"), int)
    assert rep["summary"]["documents"] == len(docs)
    assert rep["summary"]["findings"] == sum(len(d["findings"]) for d in docs)


def test_every_type_found_in_corpus(corpus_report: dict) -> None:
    found = {f["type"] for d in corpus_report["documents"] for f in d["findings"]}
    assert found == set(TYPE_CODES)


def test_citations_are_staff_style(corpus_report: dict) -> None:
    labels = [f["location"]["label"] for d in corpus_report["documents"] for f in d["findings"]]
    assert all(lbl.startswith(("第", "附則", "別表")) for lbl in labels), labels
    assert any("号" in lbl for lbl in labels)
    assert not any(ch in "".join(labels) for ch in "一二三四五六七八九十")  # arabic numerals, not kanji


def test_text_output_is_japanese_summary(tmp_path: Path) -> None:
    src = CORPORA / "reiki"
    one = sorted(src.glob("*.txt"))[0]
    r = run("scan", str(one))
    assert r.returncode == 0, r.stderr
    assert "analogscan 検出結果" in r.stdout and "文書 1 件" in r.stdout


def test_types_filter_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    r = run("scan", str(CORPORA), "--types", "keiji", "-o", str(out))
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and {row["規制区分コード"] for row in rows} == {"keiji"}


def test_unknown_type_is_usage_error() -> None:
    r = run("scan", str(CORPORA), "--types", "keji")
    assert r.returncode == 2 and "未知の規制区分" in r.stderr and "Traceback" not in r.stderr


def test_bad_inputs_do_not_stop_the_run(tmp_path: Path) -> None:
    d = tmp_path / "mixed"
    d.mkdir()
    good = sorted((CORPORA / "reiki").glob("*.txt"))[0]
    shutil.copy(good, d / "good.txt")
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "undecodable.txt").write_bytes(b"\x81\xff\xfe\x80\x85\xfd" * 500)
    pdf = sorted((CORPORA / "reiki").glob("*.pdf"))[0].read_bytes()
    (d / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (d / "notpdf.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    out = tmp_path / "r.json"
    r = run("scan", str(d), "-o", str(out))
    assert r.returncode == 1, r.stderr  # some documents failed
    assert "Traceback" not in r.stderr
    rep = json.loads(out.read_text("utf-8"))
    by = {Path(x["path"]).name: x for x in rep["documents"]}
    assert by["good.txt"]["status"] == "ok" and by["good.txt"]["provisions"] > 0
    for name in ("empty.txt", "binary.txt", "undecodable.txt", "truncated.pdf", "notpdf.pdf"):
        doc = by[name]
        assert doc["status"] == "error", (name, doc)
        msg = doc["messages"][0]["text"]
        assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in msg), msg  # Japanese
    assert rep["summary"]["error"] == 5


def test_missing_path_reported(tmp_path: Path) -> None:
    good = sorted((CORPORA / "reiki").glob("*.txt"))[0]
    out = tmp_path / "r.json"
    r = run("scan", str(good), str(tmp_path / "nothere.txt"), "-o", str(out))
    assert r.returncode == 1
    rep = json.loads(out.read_text("utf-8"))
    assert [x["status"] for x in rep["documents"]] == ["ok", "error"]


def test_report_command_regenerates_from_json(tmp_path: Path, corpus_report: dict) -> None:
    src = tmp_path / "r.json"
    src.write_text(json.dumps(corpus_report, ensure_ascii=False), encoding="utf-8")
    r = run("report", str(src), "--format", "text")
    assert r.returncode == 0 and "検出" in r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    r = run("report", str(bad))
    assert r.returncode == 2 and "レポートを読めません" in r.stderr


def test_rules_test_command_on_one_shipped_file() -> None:
    # the command itself; every shipped example runs in tests/test_rule_examples.py
    r = run("rules", "test", str(RULES / "keiji.yml"), str(RULES / "lexicon.yml"), str(RULES / "common.yml"))
    assert r.returncode == 0, r.stdout[-3000:]
    assert "、失敗 0 件" in r.stdout
