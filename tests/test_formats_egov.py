"""Old e-Gov exports: the same law as .txt and as Shift_JIS .html gives the same provisions
(citation keys and texts, whitespace-insensitive) and the same findings."""

from __future__ import annotations

import re

import pytest
from conftest import shared_path

from analogscan.engine import Engine
from analogscan.ingest import read_document
from analogscan.pipeline import scan_file
from analogscan.ruleset.loader import load_ruleset
from analogscan.structure import build_ordinance
from analogscan.structure.numbering import citation_key

# laws without tables (the .txt export writes one table cell per line, the HTML one row per line)
LAWS = [
    "公衆浴場法",
    "旅館業法",
    "興行場法",
    "クリーニング業法",
    "墓地_埋葬等に関する法律",
    "古物営業法",
    "騒音規制法",
]


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_ruleset())


@pytest.mark.parametrize("law", LAWS)
def test_same_provisions(law: str) -> None:
    txt = shared_path("corpus", "national_laws_2013", "text", f"{law}.txt")
    html = shared_path("corpus", "national_laws_2013", "html", f"{law}.html")
    doc = read_document(html)
    assert doc.format == "html" and doc.encoding == "cp932"
    a = build_ordinance(read_document(txt))
    b = build_ordinance(doc)
    assert (a.title, a.number) == (b.title, b.number)
    ka = [(citation_key(p.location), p.location.suppl_index, _ws(p.text)) for p in a.provisions]
    kb = [(citation_key(p.location), p.location.suppl_index, _ws(p.text)) for p in b.provisions]
    assert len(ka) > 40
    assert ka == kb


@pytest.mark.parametrize("law", LAWS[:5])
def test_same_findings(law: str, engine: Engine) -> None:
    txt = shared_path("corpus", "national_laws_2013", "text", f"{law}.txt")
    html = shared_path("corpus", "national_laws_2013", "html", f"{law}.html")
    ra = scan_file(txt, engine)
    rb = scan_file(html, engine)
    fa = {(f.location.label, f.location.suppl_index, f.rule_id) for f in ra.findings}
    fb = {(f.location.label, f.location.suppl_index, f.rule_id) for f in rb.findings}
    assert fa == fb
    assert rb.status != "error"
