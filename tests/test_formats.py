"""HTML (ぎょうせい, 第一法規, generic), e-Gov XML and docx readers: structure, encodings,
malformed input, size limits, sniffing and --format-in."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import CORPORA, shared_path

from analogscan.ingest import (
    IngestError,
    _choose_reader,
    iter_input_files,
    read_document,
    supported_suffixes,
)
from analogscan.model import Ordinance, Provision
from analogscan.structure import build_ordinance

HTML = CORPORA / "html"
D1 = {
    "okugai_kokokubutsu_jorei": "H418901012",
    "koshu_yokujo_jorei": "H425901015",
    "keikan_jorei": "H421901027",
    "kaihatsu_shido_yoko": "H415903007",
}


def _ord(path: Path, format_in: str | None = None) -> Ordinance:
    return build_ordinance(read_document(path, format_in))


def _find(o: Ordinance, label: str, suppl_index: int | None = None) -> Provision:
    for p in o.provisions:
        if p.location.label == label and (suppl_index is None or p.location.suppl_index == suppl_index):
            return p
    raise AssertionError(f"{label} not found in {[p.location.label for p in o.provisions]}")


def _ws(s: str) -> str:
    return re.sub(r"[\s\u3000]+", "", s)


# ---------------------------------------------------------------- ぎょうせい (real pages)


def test_gyosei_real_hyosho() -> None:
    o = _ord(shared_path("corpus", "reiki_html_katsuragi", "reiki_honbun", "k518RG00000012.html"))
    assert o.title == "かつらぎ町表彰規程"
    assert o.date == "昭和43年9月10日"
    assert "規程第9号" in o.number
    p = _find(o, "第2条第13号")
    assert p.text == "前各号に定めるもののほか、特に表彰に値すると認められる者"
    assert p.lead_in == "表彰は、次の各号に該当する者について町長がこれを行う。"
    assert p.element_id == "l000000017"
    # ただし書 (its own span.p) stays in the same unit
    p5 = _find(o, "第5条")
    assert p5.text.startswith("表彰は、隔年7月1日に行う。ただし、特別の理由")
    assert _find(o, "附則第2項").text.endswith("読み替えるものとする。")  # 別記様式 is not glued on
    assert len(o.provisions) == 24


def test_gyosei_real_chushajo() -> None:
    o = _ord(shared_path("corpus", "reiki_html_katsuragi", "reiki_honbun", "k518RG00000080.html"))
    assert o.title == "かつらぎ町駐車場等設置条例"
    p = _find(o, "第4条第2項第4号")
    assert p.caption == "(駐車対象)"
    assert p.element_id == "l000000015"
    # a table inside an article stays in that article, rows separated
    p3 = _find(o, "第3条")
    assert "名称\u3000位置\u3000船岡山駐車場\u3000かつらぎ町大字西渋田372番地の5" in p3.text
    suppl = [p for p in o.provisions if p.location.part == "suppl"]
    assert len(suppl) == 9 and {p.location.suppl_index for p in suppl} == set(range(9))
    # every provision carries its eline id
    assert all(p.element_id and p.element_id.startswith("l") for p in o.provisions)


def test_gyosei_sample_markup() -> None:
    path = HTML / "gyosei" / "okugai_kokokubutsu_jorei.html"
    raw = path.read_text(encoding="utf-8")
    assert "revise_record" in raw and "<rt>" in raw and "inline quote" in raw
    o = _ord(path)
    assert o.title == "みどり野市屋外広告物条例"
    assert all("一部改正" not in p.text for p in o.provisions)  # revise_record is not provision text
    assert all("(" not in p.text or "きそん" not in p.text for p in o.provisions)  # ruby readings dropped
    p = _find(o, "第12条の2第2項")
    assert "閲覧" in p.text and p.element_id is not None
    rows = [p for p in o.provisions if p.location.appendix == "別表第1"]
    assert [r.text.split("\u3000")[0] for r in rows] == [
        "区分",
        "広告塔",
        "壁面広告物",
        "突出広告物",
        "立看板等",
    ]
    assert {p.location.suppl_index for p in o.provisions if p.location.part == "suppl"} == {0, 1, 2, 3}


def test_gyosei_cp932_page() -> None:
    doc = read_document(HTML / "gyosei" / "keikan_jorei.html")
    assert doc.format == "html" and doc.encoding == "cp932" and not doc.messages
    o = build_ordinance(doc)
    assert _find(o, "第5条第1項第1号イ").text == "高さが10メートルを超えるもの"


# ---------------------------------------------------------------- 第一法規


def test_d1law_body_and_ids() -> None:
    pid = D1["okugai_kokokubutsu_jorei"]
    o = _ord(HTML / "d1law" / pid / f"{pid}_j.html")
    assert o.title == "みどり野市屋外広告物条例"
    assert o.number.endswith("条例第１２号")
    p = _find(o, "第9条第3項")
    assert p.element_id == "h:hL20:::1:9.0.0.0-3.0-0.0.0-0.0.0"
    assert "３年ごとに" in p.text
    item = _find(o, "第14条第1項第2号")
    assert item.element_id == "h:hL20:::2:14.0.0.0-1.0-2.0.0-0.0.0"
    branch = _find(o, "第12条の2第1項")
    assert branch.element_id is not None and branch.element_id.startswith("h:hL20:::1:12.2.0.0-1.0")
    amend = [p for p in o.provisions if p.location.part == "suppl" and p.location.suppl_index == 2]
    assert amend and all(p.element_id and p.element_id.startswith("kO10:") for p in amend)
    orig = [p for p in o.provisions if p.location.part == "suppl" and p.location.suppl_index == 0]
    assert orig and all(p.element_id and p.element_id.startswith("sO10:") for p in orig)


def test_d1law_frameset(tmp_path: Path) -> None:
    pid = D1["keikan_jorei"]
    frameset = HTML / "d1law" / pid / f"{pid}.html"
    doc = read_document(frameset)
    assert doc.format == "html" and doc.path == str(frameset)
    assert any(m.level == "info" and f"{pid}_j.html" in m.text for m in doc.messages)
    assert len(build_ordinance(doc).provisions) == len(
        _ord(HTML / "d1law" / pid / f"{pid}_j.html").provisions
    )
    # a frameset alone: a clear error
    lone = tmp_path / f"{pid}.html"
    lone.write_bytes(frameset.read_bytes())
    with pytest.raises(IngestError, match="フレーム構成.*_j.html"):
        read_document(lone)


# ---------------------------------------------------------------- generic HTML / old e-Gov


def test_generic_html_blocks(tmp_path: Path) -> None:
    page = (
        "<html><head><title>無視</title><style>p{}</style></head><body>"
        "<h1>○○町手数料条例</h1><p>令和2年3月1日<br>条例第3号</p>"
        "<p>（目的）</p><p>第1条　この条例は、<ruby>手数料<rt>てすうりょう</rt></ruby>を定める。</p>"
        "<div>2　前項の手数料は、<a href='#x'>別表</a>のとおりとする。</div>"
        "<p>附　則</p><p>この条例は、公布の日から施行する。</p>"
        "<p>別表（第1条関係）</p><table><tr><td>区分</td><td>金額</td></tr><tr><td>閲覧</td><td>300円</td></tr></table>"
        "</body></html>"
    )
    f = tmp_path / "page.html"
    f.write_text(page, encoding="utf-8")
    o = _ord(f)
    assert o.title == "○○町手数料条例" and o.number == "令和2年条例第3号"
    assert _find(o, "第1条第1項").text == "この条例は、手数料を定める。"
    assert _find(o, "第1条第2項").text == "前項の手数料は、別表のとおりとする。"
    assert [p.text for p in o.provisions if p.location.part == "appendix"] == [
        "区分\u3000金額",
        "閲覧\u3000300円",
    ]


def test_old_egov_html_title_and_number() -> None:
    o = _ord(shared_path("corpus", "national_laws_2013", "html", "公衆浴場法.html"))
    assert o.title == "公衆浴場法"
    assert o.number == "昭和二十三年法律第百三十九号"
    assert _find(o, "第2条の2第2項").text.startswith("前項の規定により営業者の地位を承継した者は")


# ---------------------------------------------------------------- e-Gov XML


def test_egov_xml_gyosei_tetsuzuki() -> None:
    path = shared_path("corpus", "egov_xml", "405AC0000000088_20240401_504AC0100000052.xml")
    doc = read_document(path)
    assert doc.format == "xml" and doc.ordinance is not None
    o = build_ordinance(doc)
    assert (
        o.title == "行政手続法" and o.number == "平成五年法律第八十八号" and o.date == "平成五年十一月十二日"
    )
    p = _find(o, "第2条第4号イ")
    assert p.text.startswith("事実上の行為及び事実上の行為をするに当たり")
    assert p.caption == "（定義）" and p.heading == "第一章　総則"
    # Column children joined
    assert _find(o, "第2条第1号").text.startswith("法令\u3000法律、法律に基づく命令")
    # ただし書 (Function="proviso") kept in the same unit
    p14 = _find(o, "第14条第1項")
    assert "ただし、" in p14.text and p14.text.startswith("行政庁は、不利益処分をする場合には")
    assert _find(o, "第5条第3項").heading == "第二章　申請に対する処分"
    assert _find(o, "第12条第1項").heading == "第一節　通則"
    # 附則: original one first, then amending ones labelled with AmendLawNum
    suppl = [p for p in o.provisions if p.location.part == "suppl"]
    assert suppl[0].location.suppl_index == 0 and suppl[0].location.suppl_label == "附則"
    assert any(p.location.suppl_label and p.location.suppl_label.startswith("附則（平成") for p in suppl)
    assert _find(o, "第36条の3第1項").text.startswith("何人も、法令に違反する事実がある場合において")


def test_egov_xml_two_revisions() -> None:
    old = _ord(shared_path("corpus", "egov_xml", "405AC0000000088_20180401_429AC0000000004.xml"))
    new = _ord(shared_path("corpus", "egov_xml", "405AC0000000088_20240401_504AC0100000052.xml"))
    labels_old = {p.location.label for p in old.provisions if p.location.part == "main"}
    labels_new = {p.location.label for p in new.provisions if p.location.part == "main"}
    assert "第2条第8号ニ" in labels_old and "第2条第8号ニ" in labels_new
    assert len(labels_old & labels_new) > 150


def test_egov_xml_kaisha_ruby_and_parts() -> None:
    o = _ord(shared_path("corpus", "egov_xml", "417AC0000000086_20170401_428AC0000000062.xml"))
    assert o.title == "会社法"
    assert len(o.provisions) > 5000
    p = _find(o, "第33条第5項")
    assert "内容を明瞭にし" in p.text and "りよう" not in p.text  # Ruby → base text only
    assert _find(o, "第2条第3号の2").text.startswith("子会社等\u3000")
    assert _find(o, "第1条").heading == "第一章　通則"
    assert not any(p.text.startswith(("目次", "第一編　総則")) for p in o.provisions)  # TOC skipped


def test_egov_xml_element_ids() -> None:
    """Every provision points into the XML with a path-like element_id."""
    o = _ord(shared_path("corpus", "egov_xml", "405AC0000000088_20240401_504AC0100000052.xml"))
    assert all(p.element_id for p in o.provisions)
    assert _find(o, "第2条第4号イ").element_id == "Article[2]/Paragraph[1]/Item[4]/Subitem1[1]"
    assert _find(o, "第36条の3第1項").element_id == "Article[36_3]/Paragraph[1]"
    suppl = [p for p in o.provisions if p.location.part == "suppl"]
    assert suppl[0].element_id == "SupplProvision[1]/Paragraph[1]"
    assert any(
        p.element_id and p.element_id.startswith("SupplProvision[") and "/Article[" in p.element_id
        for p in suppl
    )
    ids = [p.element_id for p in o.provisions]
    assert len(ids) == len(set(ids))
    rows = [
        p for p in _ord(CORPORA / "xml" / "okugai_kokokubutsu_jorei.xml").provisions if p.location.appendix
    ]
    assert rows and all(p.element_id and p.element_id.startswith("AppdxTable[") for p in rows)


def test_egov_xml_omitted_units_skipped() -> None:
    """「略」 placeholders of amendment extracts (Num="1:25" 「一から二十五まで」) are no provisions:
    no 「第1:25号」 label, no 「略」 text; real items beside them stay."""
    for name in (
        "405AC0000000088_20240401_504AC0100000052.xml",
        "417AC0000000086_20170401_428AC0000000062.xml",
    ):
        o = _ord(shared_path("corpus", "egov_xml", name))
        assert not [p.location.label for p in o.provisions if ":" in p.location.label or p.text == "略"]
        assert not any(p.element_id and ":" in p.element_id for p in o.provisions)
    # 平成二九年法律第四号 附則第1条: items 一から四まで 略 skipped, item 五 kept with subitem ニ
    o = _ord(shared_path("corpus", "egov_xml", "405AC0000000088_20240401_504AC0100000052.xml"))
    sub = [p for p in o.provisions if p.text.startswith("第八条の規定（同条中国税通則法")]
    assert len(sub) == 1 and sub[0].location.item == "5" and sub[0].location.subitems == ["ニ"]


def test_egov_xml_sample_and_sniff() -> None:
    path = CORPORA / "xml" / "okugai_kokokubutsu_jorei.xml"
    head = path.read_bytes()[:8192]
    assert _choose_reader(Path("x.bin"), head).name == "xml"
    o = _ord(path)
    rows = [p for p in o.provisions if p.location.appendix == "別表第2"]
    assert rows[1].text == "屋外広告業の登録の申請\u30001件につき10,000円"
    assert _find(o, "第7条第2項").text.endswith("これを貼り付けておかなければならない。")


def test_xml_malformed(tmp_path: Path) -> None:
    full = (CORPORA / "xml" / "keikan_jorei.xml").read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(full[: len(full) // 2], encoding="utf-8")
    doc = read_document(cut)  # best effort with a warning
    assert any(m.level == "warning" and "XML" in m.text for m in doc.messages)
    o = build_ordinance(doc)
    assert _find(o, "第1条").text.startswith("この条例は、景観法")
    other = tmp_path / "other.xml"
    other.write_text('<?xml version="1.0"?><root><a>x</a></root>', encoding="utf-8")
    with pytest.raises(IngestError, match="Law要素"):
        read_document(other)
    garbage = tmp_path / "garbage.xml"
    garbage.write_text("<?xml version='1.0'?><Law><<<", encoding="utf-8")
    with pytest.raises(IngestError):
        read_document(garbage)


# ---------------------------------------------------------------- docx


def test_docx_auto_numbering() -> None:
    path = CORPORA / "docx" / "okugai_kokokubutsu_jorei.docx"
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert (
        "<w:numPr>" in xml and "第1条\u3000" not in xml and "第１条" not in xml
    )  # numbers from numbering.xml
    assert "<w:ruby>" in xml and "<w:hyperlink" in xml and "<w:tbl>" in xml
    o = _ord(path)
    assert _find(o, "第12条の2第1項").text.startswith("市長は、法第7条第4項")
    assert _find(o, "第14条第1項第3号").text.startswith("前2号に掲げる者と同等以上")
    assert [p.text for p in o.provisions if p.location.appendix == "別表第1"][0] == "区分\u3000基準"
    assert not any("ちよう" in p.text or "きそん" in p.text for p in o.provisions)


def test_docx_typed_numbers() -> None:
    o = _ord(CORPORA / "docx" / "keikan_jorei.docx")
    assert _find(o, "第5条第1項第1号ロ").text == "建築面積が1,000平方メートルを超えるもの"


def test_docx_broken(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(IngestError, match="Word"):
        read_document(bad)
    notword = tmp_path / "x.docx"
    with zipfile.ZipFile(notword, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match="word/document.xml"):
        read_document(notword)


# ---------------------------------------------------------------- encodings


SNIPPET_HTML = (
    "<html><head><meta charset='{decl}'></head><body><p>みどり野市掲示場条例</p>"
    "<p>第1条　市長は、公告を掲示場に掲示しなければならない。</p></body></html>"
)


def test_html_declared_charset_wrong(tmp_path: Path) -> None:
    f = tmp_path / "cp932.html"
    f.write_bytes(SNIPPET_HTML.format(decl="utf-8").encode("cp932"))
    doc = read_document(f)
    assert doc.encoding == "cp932"
    assert any("宣言された文字コード" in m.text for m in doc.messages)
    assert _find(build_ordinance(doc), "第1条").text == "市長は、公告を掲示場に掲示しなければならない。"


def test_html_euc_jp(tmp_path: Path) -> None:
    for decl in ("euc-jp", "shift_jis"):  # declared right, and declared wrong
        f = tmp_path / f"euc-{decl}.html"
        f.write_bytes(SNIPPET_HTML.format(decl=decl).encode("euc_jp"))
        doc = read_document(f)
        assert doc.encoding == "euc_jp", decl
        assert _find(build_ordinance(doc), "第1条").text == "市長は、公告を掲示場に掲示しなければならない。"


def test_html_malformed(tmp_path: Path) -> None:
    f = tmp_path / "broken.html"
    f.write_text(
        "<html><body><div><p>○○町条例<p>第1条　<b>市長は、<i>公告を掲示する。<div><p>第2条　報告させる",
        encoding="utf-8",
    )
    doc = read_document(f)
    assert any(m.level == "warning" for m in doc.messages)
    o = build_ordinance(doc)
    assert _find(o, "第2条").text == "報告させる"
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="本文"):
        read_document(empty)


@pytest.mark.parametrize("name", ["big.html", "big.xml", "big.docx"])
def test_size_limit_sparse(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    with f.open("wb") as fh:
        fh.write(
            {
                "big.html": b"<html><body>",
                "big.xml": b"<?xml version='1.0'?><Law>",
                "big.docx": b"PK\x03\x04word/",
            }[name]
        )
        fh.truncate(100 * 1024 * 1024)
    with pytest.raises(IngestError, match="大きすぎます"):
        read_document(f)


# ---------------------------------------------------------------- sniffing, suffixes, --format-in


def test_sniffing_content_first(tmp_path: Path) -> None:
    pdf = next((CORPORA / "reiki").glob("*.pdf"))
    cases = {
        "a.txt": (CORPORA / "html" / "gyosei" / "koshu_yokujo_jorei.html").read_bytes(),  # HTML named .txt
        "b.html": (CORPORA / "xml" / "keikan_jorei.xml").read_bytes(),  # XML named .html
        "c.xml": (CORPORA / "docx" / "keikan_jorei.docx").read_bytes(),  # docx named .xml
        "d.docx": pdf.read_bytes(),  # PDF named .docx
    }
    expect = {"a.txt": "html", "b.html": "xml", "c.xml": "docx", "d.docx": "pdf"}
    for name, data in cases.items():
        f = tmp_path / name
        f.write_bytes(data)
        assert read_document(f).format == expect[name], name


def test_format_in_forces(tmp_path: Path) -> None:
    src = CORPORA / "html" / "gyosei" / "koshu_yokujo_jorei.html"
    doc = read_document(src, format_in="text")
    assert doc.format == "text" and doc.lines[0].text.startswith("<!DOCTYPE")
    f = tmp_path / "page.dat"
    f.write_bytes(src.read_bytes())
    assert read_document(f, format_in="html").format == "html"
    with pytest.raises(IngestError):
        read_document(CORPORA / "reiki" / "koshu_yokujo_jorei.txt", format_in="xml")


def test_suffixes_and_walker() -> None:
    assert {".txt", ".pdf", ".html", ".htm", ".xml", ".docx"} <= set(supported_suffixes())
    files = iter_input_files([CORPORA])
    names = {f.name for f in files}
    assert {
        "okugai_kokokubutsu_jorei.docx",
        "keikan_jorei.xml",
        "keikan_jorei.html",
        "H418901012_j.html",
    } <= names
    assert not any(f.suffix == ".py" for f in files)


def test_html_utf16(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes(SNIPPET_HTML.format(decl="utf-16").encode("utf-16"))
    doc = read_document(f)
    assert doc.format == "html" and doc.encoding is not None and doc.encoding.startswith("utf-16")
    assert _find(build_ordinance(doc), "第1条").text == "市長は、公告を掲示場に掲示しなければならない。"
