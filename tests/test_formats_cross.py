"""The same ordinance as .txt, ぎょうせい HTML, 第一法規 HTML (body and frameset), docx, e-Gov
XML and PDF yields the same citations and the same findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPORA, shared_path

from analogscan.engine import Engine
from analogscan.model import DocumentResult
from analogscan.pipeline import load_ordinance, scan_file
from analogscan.ruleset.loader import load_ruleset

D1 = {
    "okugai_kokokubutsu_jorei": "H418901012",
    "koshu_yokujo_jorei": "H425901015",
    "keikan_jorei": "H421901027",
    "kaihatsu_shido_yoko": "H415903007",
}


def _variants(doc: str) -> list[Path]:
    pid = D1[doc]
    out = [
        CORPORA / "html" / "gyosei" / f"{doc}.html",
        CORPORA / "html" / "d1law" / pid / f"{pid}_j.html",
        CORPORA / "html" / "d1law" / pid / f"{pid}.html",
        CORPORA / "docx" / f"{doc}.docx",
        CORPORA / "xml" / f"{doc}.xml",
        CORPORA / "reiki" / f"{doc}.pdf",
    ]
    return [p for p in out if p.exists()]


def _citations(path: Path) -> list[tuple[str, int | None]]:
    r = DocumentResult(path=str(path))
    o = load_ordinance(path, r)
    assert o is not None, r.messages
    return [(p.location.label, p.location.suppl_index) for p in o.provisions]


def _findings(r: DocumentResult) -> set[tuple[str, int | None, str]]:
    return {(f.location.label, f.location.suppl_index, f.rule_id) for f in r.findings}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_ruleset())


@pytest.mark.parametrize("doc", sorted(D1))
def test_same_citations(doc: str) -> None:
    base = _citations(CORPORA / "reiki" / f"{doc}.txt")
    variants = _variants(doc)
    assert len(variants) >= 4
    for v in variants:
        assert _citations(v) == base, v


@pytest.mark.parametrize("doc", sorted(D1))
def test_same_findings(doc: str, engine: Engine) -> None:
    base = scan_file(CORPORA / "reiki" / f"{doc}.txt", engine)
    expected = _findings(base)
    assert expected
    for v in _variants(doc):
        r = scan_file(v, engine)
        assert r.status != "error", (v, r.messages)
        assert _findings(r) == expected, v


def test_vertical_pdf_matches_its_text(engine: Engine) -> None:
    pdf = shared_path("pdf-samples", "b_tate_koho.pdf")
    txt = shared_path("pdf-samples", "b_tate_koho.txt")
    a = scan_file(txt, engine)
    b = scan_file(pdf, engine)
    assert a.provisions == b.provisions
    assert _findings(a) == _findings(b) and _findings(a)


def test_element_ids_reach_findings(engine: Engine) -> None:
    r = scan_file(CORPORA / "html" / "gyosei" / "okugai_kokokubutsu_jorei.html", engine)
    assert r.findings and all(f.element_id and f.element_id.startswith("l") for f in r.findings)
    pid = D1["okugai_kokokubutsu_jorei"]
    r2 = scan_file(CORPORA / "html" / "d1law" / pid / f"{pid}_j.html", engine)
    assert all(f.element_id and ":hL20:::" in f.element_id for f in r2.findings if f.location.part == "main")
