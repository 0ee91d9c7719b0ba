"""The real 官報 PDFs (政府調達 issues, July 2025) in ../shared/corpus/kanpo_pdf.

Landscape pages, a masthead set sideways up the left or right edge, four columns of horizontal
text (in 政府調達: ⑴ ① items, ruled boxes), CID fonts with glyphs mapped into the Private Use
Area or not mapped at all. Each file is read once (all three take ~20 s). Skipped without
../shared.
"""

from __future__ import annotations

import re

import pytest
from conftest import SHARED

from analogscan.ingest import read_document
from analogscan.model import SourceDocument

KANPO = SHARED / "corpus" / "kanpo_pdf"
FIRST = "20250703c00122full00010040.pdf"
FILES = ["20250703c00122full00010040.pdf", "20250711c00128full00010080.pdf", "20250714c00129full00010040.pdf"]
_WS = re.compile(r"\s+")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not KANPO.exists(), reason=f"../shared not available: {KANPO}"),
]  # slow: 60 s to read the PDF


@pytest.fixture(scope="module")
def docs() -> dict[str, SourceDocument]:
    return {name: read_document(KANPO / name) for name in FILES if (KANPO / name).exists()}


def _lines(doc: SourceDocument, page: int | None = None) -> list[str]:
    return [_WS.sub("", ln.text) for ln in doc.lines if page is None or ln.page == page]


@pytest.mark.parametrize("name", FILES)
def test_reads_with_pages_and_no_raw_glyph_codes(docs: dict[str, SourceDocument], name: str) -> None:
    doc = docs.get(name)
    if doc is None:
        pytest.skip(f"{name} missing")
    assert len(doc.lines) > 500
    assert all(ln.page is not None and ln.page >= 1 for ln in doc.lines)
    assert len({ln.page for ln in doc.lines}) >= 36  # the last pages of an issue may be blank
    for ln in doc.lines:
        assert "(cid:" not in ln.text, ln.text
        assert not re.search("[\ue000-\uf8ff]", ln.text), ln.text
    # unmapped glyphs exist in all three files: one warning per document, with pages and count
    warnings = [m for m in doc.messages if m.level == "warning" and "文字コードの対応がない文字" in m.text]
    assert len(warnings) == 1
    assert re.search(
        r"ページ[0-9〜、]+に文字コードの対応がない文字が [0-9,]+ 字あります（〓で表示）", warnings[0].text
    )
    assert any("〓" in ln.text for ln in doc.lines)
    # the sideways masthead (date, 官報, issue number, page number) is page furniture
    assert not any(re.search(r"官報[（(]号外政府調達第[0-9０-９]+号", t) for t in _lines(doc))


# phrases read off the rendered page 2 of the 3 July issue: one from each of the four columns,
# each followed by the phrase that sits beside it in the neighbouring column
PAGE2 = [
    ("予算決算及び会計令第71条の規定に該当しない者であること。", "入札説明書の交付場所"),
    ("⑷入札の無効本広告に示した競争参加資格のない者の提出した入札書", "Nature and quantity"),
    ("〒100―6090東京都千代田区霞が関３―２―５霞が関ビルディング21階", "⑷令和07"),
    (
        "⑹落札者の決定方法予算決算及び会計令第79条の規定に基づいて作成された予定価格の制限の範囲内であり",
        "⑼この入札",
    ),
    ("⑵Classification of the services to be pro", "⑵予算決算"),
    ("③Have Grade A,B or C“Offer of ser", "⑹入札方法"),
]


@pytest.mark.parametrize(("phrase", "neighbour"), PAGE2)
def test_columns_read_one_by_one(docs: dict[str, SourceDocument], phrase: str, neighbour: str) -> None:
    doc = docs.get(FIRST)
    if doc is None:
        pytest.skip(f"{FIRST} missing")
    want = _WS.sub("", phrase)
    hits = [t for t in _lines(doc, 2) if want in t]
    assert hits, f"{phrase!r} not contiguous on page 2"
    for t in hits:
        assert _WS.sub("", neighbour) not in t, f"two columns mixed: {t[:120]}"


def test_front_page_box_and_contents(docs: dict[str, SourceDocument]) -> None:
    doc = docs.get(FIRST)
    if doc is None:
        pytest.skip(f"{FIRST} missing")
    p1 = _lines(doc, 1)
    # text in the ruled box at the top of column 2 is one logical line, not glued to the contents
    box = "この政府調達公告版に掲載される入札公告、入札公示及び落札者等の公示は、ＷＴＯに基づく政府調達に関する協定の適用を受ける調達を含みます。"
    assert box in p1
    # contents entries (title … page number) stay one per line
    assert "入札公告の訂正31" in p1
    assert "随意契約に関する公示35" in p1
    # ⑴ items start their own logical lines
    assert any(t.startswith("⑴品目分類番号15、29") for t in p1)
