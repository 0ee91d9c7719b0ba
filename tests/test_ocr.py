"""Optional OCR of image-only PDF pages (ingest/ocr.py with a local Tesseract).

The OCR tests need ``tesseract`` with the ``jpn`` / ``jpn_vert`` data (Debian: tesseract-ocr
tesseract-ocr-jpn tesseract-ocr-jpn-vert; scripts/setup.sh installs them when run as root) and
../shared/pdf-samples; they are skipped with a reason otherwise. Two pages are OCR'd (≈25 s).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from conftest import REPO, shared_path

from analogscan.ingest import IngestError, ocr, pdf, read_document
from analogscan.model import SourceDocument
from analogscan.structure import build_ordinance

OCR_MSG = re.compile(r"^ページ(\d+)はOCRで読み取りました（誤認識の可能性があります）$")


def _load_bench() -> ModuleType:
    """The CER measure of bench/pdf_accuracy.py, so the tests and the recorded figures agree."""
    spec = importlib.util.spec_from_file_location("pdf_accuracy", REPO / "bench" / "pdf_accuracy.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


cer = _load_bench().cer


def _engine() -> ocr.OcrEngine:
    eng = ocr.find_engine()
    if eng is None:
        pytest.skip(
            "tesseract（日本語データ jpn）がありません: apt-get install tesseract-ocr tesseract-ocr-jpn"
        )
    if "jpn_vert" not in eng.langs:
        pytest.skip("tesseract の縦書きデータ jpn_vert がありません: apt-get install tesseract-ocr-jpn-vert")
    return eng


def _read_with_ocr(path: Path, enabled: bool | None = True) -> SourceDocument:
    old = pdf.OCR_ENABLED
    pdf.OCR_ENABLED = enabled
    try:
        return read_document(path)
    finally:
        pdf.OCR_ENABLED = old


@pytest.fixture(scope="module")
def tate() -> SourceDocument:
    path = shared_path("pdf-samples", "d_scan_tate.pdf")
    _engine()
    return _read_with_ocr(path)


@pytest.fixture(scope="module")
def mixed() -> SourceDocument:
    path = shared_path("pdf-samples", "d_mixed.pdf")
    _engine()
    return _read_with_ocr(path)


# ---------------------------------------------------------------- with Tesseract


@pytest.mark.slow  # OCR of a vertical page: ~25 s
def test_vertical_scan_cer_messages_and_structure(tate: SourceDocument) -> None:
    expected = shared_path("pdf-samples", "d_scan_tate.txt").read_text(encoding="utf-8")
    got = "\n".join(ln.text for ln in tate.lines)
    rate = cer(got, expected)
    assert rate < 0.03, f"CER {rate:.4f}"  # measured 0.010–0.012 (jpn_vert, tier by tier)
    texts = [m.text for m in tate.messages]
    assert "ページ1はOCRで読み取りました（誤認識の可能性があります）" in texts
    assert "ページ1は縦書きとして読み取りました" in texts
    assert all(ln.element_id == "ocr:p1" for ln in tate.lines)
    o = build_ordinance(tate)
    articles = {p.location.article for p in o.provisions if p.location.part == "main"}
    assert {"1", "2", "3", "4", "5"} <= articles
    # item markers repaired (一 → ー/|, 二 → ニ or 一|) and found as items of 第2条 / 第5条
    items2 = [p.location.item for p in o.provisions if p.location.article == "2" and p.location.item]
    assert items2 == ["1", "2", "3", "4"]
    items5 = [p.location.item for p in o.provisions if p.location.article == "5" and p.location.item]
    assert ["1", "2", "3", "4"] == sorted(set(items5))
    # findings point at the OCR page
    p1 = next(p for p in o.provisions if p.location.article == "1")
    assert p1.element_id == "ocr:p1" and p1.page == 1


@pytest.mark.slow  # OCR of one page: ~17 s
def test_mixed_pdf_ocr_page(mixed: SourceDocument) -> None:
    ref = read_document(shared_path("pdf-samples", "a_yoko.pdf"))  # same text with a text layer
    got = "".join(ln.text for ln in mixed.lines if ln.page == 2)
    want = "".join(ln.text for ln in ref.lines if ln.page == 2)
    rate = cer(got, want)
    assert rate < 0.05, f"CER {rate:.4f}"  # measured 0.020 on the scanned page
    whole = shared_path("pdf-samples", "d_mixed.txt").read_text(encoding="utf-8")
    assert cer("\n".join(ln.text for ln in mixed.lines), whole) < 0.02  # measured 0.007
    assert [m.text for m in mixed.messages if OCR_MSG.match(m.text)] == [
        "ページ2はOCRで読み取りました（誤認識の可能性があります）"
    ]
    assert not any("テキストがありません" in m.text for m in mixed.messages)
    # only lines from page 2 are marked; the running head of the scan is gone
    assert {ln.element_id for ln in mixed.lines if ln.page != 2} <= {None, "ocr:p2"}
    assert all(ln.element_id == "ocr:p2" for ln in mixed.lines if ln.page == 2)
    assert not any("例規集" in ln.text for ln in mixed.lines)
    o = build_ordinance(mixed)
    arts = [p.location.article for p in o.provisions if p.location.part == "main" and p.location.article]
    assert {str(n) for n in range(1, 19)} <= set(arts)
    assert any(p.element_id == "ocr:p2" and "目視" in p.text for p in o.provisions)


# ---------------------------------------------------------------- without Tesseract


def test_repair_line() -> None:
    r = ocr.repair_line
    assert r("ー　特定施設") == "一\u3000特定施設"
    assert r("| 設置者") == "一\u3000設置者"
    assert r("一　|特定施設の設置の場所.") == "二\u3000特定施設の設置の場所"
    assert r("ニ　安全管理責任者の氏名", prev_marker="一") == "二\u3000安全管理責任者の氏名"
    assert r("ニ　その他", prev_marker="ハ") == "ニ\u3000その他"  # イロハニ
    assert r("第ニ条　この条例") == "第二条\u3000この条例"
    assert r("第十ー条") == "第十一条"
    assert r("（第一条|第四条）") == "（第一条―第四条）"
    assert r("2　市は、30日以内に") == "２\u3000市は、３０日以内に"
    assert r("(目的 )") == "（目的）"
    assert r("日視で確認する") == "目視で確認する"


def test_ocr_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("pdf-samples", "d_mixed.pdf")
    monkeypatch.delenv(pdf.OCR_ENV, raising=False)
    monkeypatch.setattr(pdf, "OCR_ENABLED", None)
    assert not pdf.ocr_enabled()
    monkeypatch.setenv(pdf.OCR_ENV, "1")
    assert pdf.ocr_enabled()
    monkeypatch.setattr(pdf, "OCR_ENABLED", False)
    assert not pdf.ocr_enabled()
    doc = read_document(path)
    assert "ページ2にテキストがありません（画像のみ）" in [m.text for m in doc.messages]
    assert not any(ln.element_id for ln in doc.lines)


def test_engine_missing_warns_and_keeps_old_behaviour(monkeypatch: pytest.MonkeyPatch) -> None:
    mixed_path = shared_path("pdf-samples", "d_mixed.pdf")
    monkeypatch.setattr(ocr, "find_engine", lambda: None)
    monkeypatch.setattr(pdf, "OCR_ENABLED", True)
    doc = read_document(mixed_path)
    texts = [m.text for m in doc.messages]
    assert any(m.text.startswith("OCRエンジン（tesseract") and m.level == "warning" for m in doc.messages)
    assert "ページ2にテキストがありません（画像のみ）" in texts
    with pytest.raises(IngestError, match=r"OCRが必要です（OCRエンジン（tesseract"):
        read_document(shared_path("pdf-samples", "d_scan_tate.pdf"))


def test_orientation_and_tiers_from_ink() -> None:
    import pdfplumber

    with pdfplumber.open(shared_path("pdf-samples", "d_scan_tate.pdf")) as f:
        img = ocr.render_page(f.pages[0], ocr.PROBE_DPI)
    assert ocr.looks_vertical_image(img)
    tiers = ocr.body_bands(ocr.find_bands(img))
    assert len(tiers) == 2 and tiers[0][1] < 0.5 < tiers[1][0]  # running head dropped
    with pdfplumber.open(shared_path("pdf-samples", "d_mixed.pdf")) as f:
        assert not ocr.looks_vertical_image(ocr.render_page(f.pages[1], ocr.PROBE_DPI))
    with pdfplumber.open(shared_path("pdf-samples", "c_nidan.pdf")) as f:
        cols = ocr.find_bands(ocr.render_page(f.pages[0], ocr.PROBE_DPI), axis="cols")
    assert len(cols) == 2


@pytest.mark.slow  # scan with OCR through the CLI: ~30 s
def test_cli_scan_ocr_flag(tmp_path: Path) -> None:
    """scan --ocr reads an image-only PDF (with a warning) that is an error without the flag."""
    import json
    import os
    import subprocess
    import sys

    _engine()
    src = shared_path("pdf-samples", "d_scan_tate.pdf")
    env = {k: v for k, v in os.environ.items() if k != "ANALOGSCAN_OCR"}
    cli = [sys.executable, "-m", "analogscan.cli", "scan", str(src)]
    off = tmp_path / "off.json"
    r = subprocess.run([*cli, "-o", str(off), "-q"], env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 1
    assert json.loads(off.read_text("utf-8"))["documents"][0]["status"] == "error"
    on = tmp_path / "on.json"
    r = subprocess.run(
        [*cli, "--ocr", "-o", str(on), "-q"], env=env, capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads(on.read_text("utf-8"))["documents"][0]
    assert doc["status"] == "warning"
    assert any("OCR" in m["text"] for m in doc["messages"])
    assert doc["provisions"] > 5
    assert all(f.get("element_id", "").startswith("ocr:") for f in doc["findings"])
