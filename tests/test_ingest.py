"""Ingest stage: real files written to tmp_path, and the shared PDF samples (skipped when absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import shared_path

from analogscan.ingest import (
    IngestError,
    iter_input_files,
    read_document,
    supported_suffixes,
)
from analogscan.ingest.text import TextReader, decode_text

SNIPPET = """若葉原市特定施設の安全管理に関する条例
令和６年３月２２日
若葉原市条例第１２号
（目的）
第一条　この条例は、市内に設置される特定施設の管理について必要な事項を定めることにより、特定施設に起因する事故を未然に防止することを目的とする。
（点検）
第七条　設置者は、規則で定める基準に従い、特定施設について、毎年一回以上点検を行わなければならない。
２　前項の点検は、安全管理責任者が立ち会い、特定施設の外観を目視で確認する方法により行うものとする。
一　氏名又は名称及び住所
イ　点検の実施体制
附　則
この条例は、令和６年１０月１日から施行する。
"""
SNIPPET_LINES = [s for s in SNIPPET.splitlines() if s]
SHORT = "第一条　目視で確認する。"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ------------------------------------------------------------------ plain text


@pytest.mark.parametrize(
    ("codec", "expected_encoding"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp932", "cp932"),
        ("euc_jp", "euc_jp"),
        ("utf-16", "utf-16-le"),
        ("utf-16-be", None),  # written with an explicit BOM below
    ],
)
@pytest.mark.parametrize("text", [SNIPPET, SHORT, "目視", "第一条"], ids=["long", "short", "two", "three"])
def test_text_encodings(tmp_path: Path, codec: str, expected_encoding: str | None, text: str) -> None:
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
        expected_encoding = "utf-16-be"
    p = _write(tmp_path, "doc.txt", data)
    doc = read_document(p)
    assert doc.format == "text"
    assert doc.encoding == expected_encoding
    assert [ln.text for ln in doc.lines] == [s for s in text.splitlines() if s]
    assert all(ln.page is None for ln in doc.lines)
    assert doc.messages == []


def test_text_encoding_ignores_suffix(tmp_path: Path) -> None:
    p = _write(tmp_path, "sjis.utf8.txt", SNIPPET.encode("euc_jp"))
    assert read_document(p).encoding == "euc_jp"
    p = _write(tmp_path, "noext", SNIPPET.encode("cp932"))
    doc = read_document(p)
    assert doc.encoding == "cp932"
    assert doc.lines[4].text.startswith("第一条　この条例は")


def test_text_cp932_specific_characters(tmp_path: Path) -> None:
    text = "①　髙橋の申請書（﨑）は～で受け付ける。"  # NEC/IBM extensions: cp932 only
    p = _write(tmp_path, "a.txt", text.encode("cp932"))
    doc = read_document(p)
    assert doc.encoding == "cp932"
    assert doc.lines[0].text == text


def test_text_iso2022jp(tmp_path: Path) -> None:
    p = _write(tmp_path, "a.txt", SNIPPET.encode("iso2022_jp"))
    doc = read_document(p)
    assert doc.encoding == "iso2022_jp"
    assert [ln.text for ln in doc.lines] == SNIPPET_LINES


def test_text_newlines_whitespace_and_no_normalisation(tmp_path: Path) -> None:
    raw = "\ufeff（目的）\r\n\u3000第１条　ＡＢＣの１２を定める。\u3000 \r\r\n２　ｶﾀｶﾅ\n\n"
    p = _write(tmp_path, "a.txt", raw.encode("utf-8"))
    doc = read_document(p)
    # BOM stripped, CRLF/CR handled, blank lines dropped, leading/trailing blanks stripped,
    # full-width and half-width characters kept exactly as written (no NFKC)
    assert [ln.text for ln in doc.lines] == ["（目的）", "第１条　ＡＢＣの１２を定める。", "２　ｶﾀｶﾅ"]


def test_text_empty_file(tmp_path: Path) -> None:
    p = _write(tmp_path, "empty.txt", b"")
    with pytest.raises(IngestError, match="空"):
        read_document(p)


def test_text_only_blanks(tmp_path: Path) -> None:
    p = _write(tmp_path, "blank.txt", "\u3000\n \r\n".encode())
    with pytest.raises(IngestError, match="空白のみ"):
        read_document(p)


@pytest.mark.parametrize("name", ["image.txt", "image.bin", "image"])
def test_text_binary(tmp_path: Path, name: str) -> None:
    data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    p = _write(tmp_path, name, data)
    with pytest.raises(IngestError) as ei:
        read_document(p)
    msg = str(ei.value)
    assert "バイナリ" in msg or "テキストではない" in msg or "対応していない" in msg
    # forcing text still refuses binary content
    with pytest.raises(IngestError, match="バイナリ"):
        read_document(p, format_in="text")


def test_text_invalid_in_every_encoding(tmp_path: Path) -> None:
    data = b"\xff\xfd\xa0\x80" * 64
    for codec in ("utf-8", "cp932", "euc_jp"):  # invalid or meaningless in each
        try:
            decoded = data.decode(codec)
        except UnicodeDecodeError:
            continue
        assert not re.search("[ぁ-ん]", decoded)
    p = _write(tmp_path, "bad.txt", data)
    with pytest.raises(IngestError, match="文字コードを判定できません"):
        read_document(p)


def test_text_few_bad_bytes_warn(tmp_path: Path) -> None:
    text = SNIPPET * 5
    data = text[:100].encode("utf-8") + b"\xff" + text[100:].encode("utf-8")
    p = _write(tmp_path, "a.txt", data)
    doc = read_document(p)
    assert doc.encoding == "utf-8"
    assert [m.level for m in doc.messages] == ["warning"]
    assert "置き換えました" in doc.messages[0].text
    assert sum(ln.text.count("\ufffd") for ln in doc.lines) == 1


def test_decode_short_texts() -> None:
    for text in ["目視", "掲示", "常駐", "閲覧に供する", "第三条　縦覧", "ア"]:
        for codec in ("cp932", "euc_jp", "utf-8"):
            got, enc, warnings = decode_text(text.encode(codec))
            assert got == text, (text, codec, enc)
            assert warnings == []


def test_text_too_large(tmp_path: Path) -> None:
    p = _write(tmp_path, "big.txt", ("あ" * 2000).encode("utf-8"))
    with pytest.raises(IngestError, match="ファイルが大きすぎます"):
        TextReader(max_bytes=1000).read(p)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="見つかりません"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="フォルダ"):
        read_document(tmp_path)


def test_unsupported_format(tmp_path: Path) -> None:
    docx = _write(tmp_path, "a.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + b"\x00" * 64)
    with pytest.raises(IngestError, match="対応していない"):
        read_document(docx)
    txt = _write(tmp_path, "a.txt", SHORT.encode())
    with pytest.raises(IngestError, match="対応していない入力形式"):
        read_document(txt, format_in="rtf")


def test_format_in_forces_reader(tmp_path: Path) -> None:
    md = _write(tmp_path, "a.md", SNIPPET.encode("cp932"))
    doc = read_document(md, format_in="text")
    assert doc.format == "text"
    assert [ln.text for ln in doc.lines] == SNIPPET_LINES


def test_supported_suffixes() -> None:
    assert set(supported_suffixes()) >= {".txt", ".pdf"}


def test_iter_input_files(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ["b.txt", "a.PDF", "sub/c.txt", "sub/deep/d.pdf", "sub/e.docx", ".hidden/f.txt", "sub/.g.txt"]:
        (tmp_path / rel).write_text("x", encoding="utf-8")
    explicit = tmp_path / "sub" / "e.docx"
    got = iter_input_files([tmp_path, explicit, tmp_path / "b.txt"])
    rel = [p.relative_to(tmp_path).as_posix() for p in got]
    assert rel == ["a.PDF", "b.txt", "sub/c.txt", "sub/deep/d.pdf", "sub/e.docx"]


# ------------------------------------------------------------------ generated PDFs (reportlab)

ORDINANCE = [
    ("title", "若葉原市文書管理条例"),
    ("caption", "（目的）"),
    (
        "article",
        "第一条　この条例は、市の保有する文書の管理について必要な事項を定めることにより、"
        "文書の適正な管理を図り、もって市政の透明性の向上に資することを目的とする。",
    ),
    ("caption", "（閲覧）"),
    (
        "article",
        "第二条　市長は、文書の目録を作成し、市の事務所において一般の閲覧に供しなければならない。"
        "ただし、規則で定める文書については、この限りでない。",
    ),
    (
        "para",
        "２　前項の目録は、毎年一回以上、安全管理責任者が目視で確認し、その結果を記録した書面を"
        "事務所の見やすい場所に掲示しなければならない。",
    ),
    ("item", "一　文書の名称及び作成の年月日並びに当該文書を保有する課の名称及び所在地その他の事項"),
    ("item", "二　保存期間"),
    ("subitem", "イ　紙の文書にあっては、書庫の番号及び棚の番号並びに箱の番号その他の所在を示す事項"),
    ("suppl", "附　則"),
    ("para", "この条例は、令和７年４月１日から施行する。"),
]


def _make_pdf(path: Path, *, hanging: bool, font_size: float = 10.5, lines_per_page: int = 12) -> list[str]:
    """Write ORDINANCE as a multi-page A4 PDF with running head and footer; returns the
    logical lines expected back."""
    reportlab = pytest.importorskip("reportlab")
    del reportlab
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "HeiseiMin-W3"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    left, right = 72.0, width - 72.0
    em = font_size
    indent = {"title": 4, "caption": 1, "article": 0, "para": 0, "item": 1, "subitem": 2, "suppl": 3}

    physical: list[tuple[float, str]] = []
    for kind, text in ORDINANCE:
        x = left + indent[kind] * em
        if kind == "para" and not re.match("[０-９]", text):
            x = left + em
        cont_x = (x + em) if hanging and kind in ("article", "para", "item", "subitem") else left
        avail = right - x
        line = ""
        cur_x = x
        for ch in text:
            if pdfmetrics.stringWidth(line + ch, font, font_size) > avail:
                physical.append((cur_x, line))
                line = ""
                cur_x = cont_x
                avail = right - cont_x
            line += ch
        physical.append((cur_x, line))

    c = canvas.Canvas(str(path), pagesize=A4)
    pitch = font_size * 1.7
    npages = (len(physical) + lines_per_page - 1) // lines_per_page
    for pno in range(npages):
        c.setFont(font, 8)
        c.drawRightString(right, height - 40, "若葉原市例規集　第１編　総規")
        c.setFont(font, 9)
        c.drawCentredString(width / 2, 40, f"－{pno + 1}－")
        c.setFont(font, font_size)
        y = height - 80
        for x, s in physical[pno * lines_per_page : (pno + 1) * lines_per_page]:
            c.drawString(x, y, s)
            y -= pitch
        c.showPage()
    c.save()
    return [text for _kind, text in ORDINANCE]


@pytest.mark.parametrize("hanging", [True, False], ids=["hanging-indent", "flush"])
def test_reportlab_cid_pdf(tmp_path: Path, hanging: bool) -> None:
    p = tmp_path / "gen.pdf"
    expected = _make_pdf(p, hanging=hanging, lines_per_page=7)
    doc = read_document(p)
    assert doc.format == "pdf"
    assert [ln.text for ln in doc.lines] == expected
    assert doc.messages == []
    pages = {ln.text[:4]: ln.page for ln in doc.lines}
    assert pages["若葉原市"] == 1
    assert pages["附　則"] is not None and pages["附　則"] >= 2


def test_reportlab_pdf_sniffed_by_content(tmp_path: Path) -> None:
    p = tmp_path / "gen.pdf"
    expected = _make_pdf(p, hanging=True)
    renamed = tmp_path / "really_a_pdf.txt"
    renamed.write_bytes(p.read_bytes())
    assert [ln.text for ln in read_document(renamed).lines] == expected


def test_encrypted_pdf(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    p = tmp_path / "enc.pdf"
    c = canvas.Canvas(str(p), encrypt="secret")
    c.drawString(72, 720, "secret text")
    c.save()
    with pytest.raises(IngestError, match="PDFが暗号化されています"):
        read_document(p)


def test_garbage_named_pdf(tmp_path: Path) -> None:
    p = _write(tmp_path, "broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(IngestError, match="PDFを開けません"):
        read_document(p)


def test_truncated_generated_pdf(tmp_path: Path) -> None:
    p = tmp_path / "gen.pdf"
    _make_pdf(p, hanging=True)
    data = p.read_bytes()
    t = _write(tmp_path, "trunc.pdf", data[: len(data) // 2])
    with pytest.raises(IngestError, match="PDFを開けません"):
        read_document(t)


def test_pdf_without_any_text(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    p = tmp_path / "blank.pdf"
    c = canvas.Canvas(str(p))
    c.rect(100, 100, 200, 200)
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match="PDFにテキストがありません"):
        read_document(p)


# ------------------------------------------------------------------ shared PDF samples


def _expected(name: str) -> list[str]:
    txt = shared_path("pdf-samples", f"{name}.txt")
    return [s for s in txt.read_text(encoding="utf-8").splitlines() if s.strip()]


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["a_yoko", "a_yoko_variant"])
def test_yoko_samples_exact(name: str) -> None:
    doc = read_document(shared_path("pdf-samples", f"{name}.pdf"))
    expected = _expected(name)
    got = [ln.text for ln in doc.lines]
    # table cells are joined with a full-width space; the sample text uses an ASCII space
    assert [s.replace("\u3000", " ") for s in got] == [s.replace("\u3000", " ") for s in expected]
    # outside tables, spaces are exactly as written (full-width after 第一条)
    body = [(g, e) for g, e in zip(got, expected, strict=True) if " " not in e]
    assert all(g == e for g, e in body)
    assert doc.messages == []


@pytest.mark.shared
def test_a_yoko_details() -> None:
    doc = read_document(shared_path("pdf-samples", "a_yoko.pdf"))
    texts = [ln.text for ln in doc.lines]
    by_start = {ln.text[:6]: ln for ln in doc.lines}
    assert by_start["第一条　この"].page == 1
    assert by_start["第一条　この"].text.startswith("第一条　この条例は、市内に設置される")
    assert by_start["第六条　設置"].page == 2
    assert by_start["第十二条　市"].page == 3
    # no running head, no page numbers
    assert not any("若葉原市例規集" in t for t in texts)
    assert not any(re.fullmatch(r"[－-]\s*\d+\s*[－-]", t) for t in texts)
    # a sentence crossing from page 3 to page 4, joined, attributed to its first page
    crossing = [ln for ln in doc.lines if ln.text.startswith("２　この条例の施行の際現に")]
    assert len(crossing) == 1
    assert crossing[0].page == 3
    assert crossing[0].text.endswith("までに、第五条第一項に規定する事項を市長に届け出なければならない。")
    # a wrapped table cell merged into its row
    assert "貯水槽　有効容量１０立方メートル　年２回以上" in texts
    assert by_start["貯水槽　有効"].page == 4


@pytest.mark.shared
def test_c_nidan_two_columns() -> None:
    doc = read_document(shared_path("pdf-samples", "c_nidan.pdf"))
    got = "".join(_squash(ln.text) for ln in doc.lines)
    want = "".join(_squash(s) for s in _expected("c_nidan"))
    assert got == want
    # a paragraph that continues from the left column into the right one
    assert any(ln.text.startswith("ハ　その他規則で定める事項") for ln in doc.lines), (
        "column 2 must start its own line"
    )
    assert any(
        ln.text == "２　前項の規定による届出をした者は、当該届出に係る事項に変更があったときは、"
        "その日から起算して３０日以内に、その旨を市長に届け出なければならない。"
        for ln in doc.lines
    )


@pytest.mark.shared
def test_d_mixed_image_page() -> None:
    doc = read_document(shared_path("pdf-samples", "d_mixed.pdf"))
    warnings = [m for m in doc.messages if m.level == "warning"]
    assert [(m.page, m.text) for m in warnings] == [(2, "ページ2にテキストがありません（画像のみ）")]
    assert {ln.page for ln in doc.lines} == {1, 3, 4}


@pytest.mark.shared
def test_d_scan_yoko_error() -> None:
    with pytest.raises(IngestError, match="PDFにテキストがありません（画像のみ）。OCRが必要です"):
        read_document(shared_path("pdf-samples", "d_scan_yoko.pdf"))


@pytest.mark.shared
def test_truncated_real_pdf(tmp_path: Path) -> None:
    data = shared_path("pdf-samples", "a_yoko.pdf").read_bytes()
    p = _write(tmp_path, "half.pdf", data[: len(data) // 2])
    with pytest.raises(IngestError, match="PDFを開けません（破損している可能性があります）"):
        read_document(p)


@pytest.mark.shared
@pytest.mark.parametrize("name", ["b_tate_lo", "b_tate_koho", "b_tate_koho_shuffled", "b_tate_identity_v"])
def test_vertical_samples(name: str) -> None:
    doc = read_document(shared_path("pdf-samples", f"{name}.pdf"))
    infos = [m for m in doc.messages if "縦書き" in m.text]
    assert infos and all(m.level == "info" for m in infos)
    assert not [m for m in doc.messages if m.level != "info"]
    expected = _expected(name)
    assert "".join(_squash(ln.text) for ln in doc.lines) == "".join(_squash(s) for s in expected)
    assert len(doc.lines) == len(expected)


@pytest.mark.shared
def test_d_scan_tate_error() -> None:
    with pytest.raises(IngestError, match="OCRが必要です"):
        read_document(shared_path("pdf-samples", "d_scan_tate.pdf"))


def test_short_page_with_right_aligned_date_keeps_order(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("HeiseiMin-W3"))
    width, height = A4
    p = tmp_path / "short.pdf"
    c = canvas.Canvas(str(p), pagesize=A4)
    c.setFont("HeiseiMin-W3", 11)
    c.drawCentredString(width / 2, height - 80, "若葉原市掲示規則")
    c.drawRightString(width - 72, height - 110, "令和７年１月１０日")
    c.drawRightString(width - 72, height - 128, "若葉原市規則第１号")
    c.drawString(72, height - 160, "（趣旨）")
    c.drawString(72, height - 178, "第一条　この規則は、掲示に関し必要な事項を定める。")
    c.drawString(72, height - 196, "附　則")
    c.drawString(72, height - 214, "この規則は、公布の日から施行する。")
    c.save()
    doc = read_document(p)
    assert [ln.text for ln in doc.lines] == [
        "若葉原市掲示規則",
        "令和７年１月１０日",
        "若葉原市規則第１号",
        "（趣旨）",
        "第一条　この規則は、掲示に関し必要な事項を定める。",
        "附　則",
        "この規則は、公布の日から施行する。",
    ]
    assert all(ln.page == 1 for ln in doc.lines)


def test_folder_scan_reads_d1law_body_once(tmp_path: Path) -> None:
    from analogscan.ingest import iter_input_files

    d = tmp_path / "d1w_reiki" / "H1"
    d.mkdir(parents=True)
    (d / "H1.html").write_text("<html><frameset><frame src='H1_j.html'></frameset></html>", encoding="utf-8")
    (d / "H1_j.html").write_text("<html><body><p>第1条　テスト</p></body></html>", encoding="utf-8")
    (tmp_path / "alone.html").write_text("<html><body><p>第1条　テスト</p></body></html>", encoding="utf-8")
    names = [p.name for p in iter_input_files([tmp_path])]
    assert names == ["alone.html", "H1_j.html"]
    # an explicit frameset path is still read when asked for
    assert [p.name for p in iter_input_files([d / "H1.html"])] == ["H1.html"]
