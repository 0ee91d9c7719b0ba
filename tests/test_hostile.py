"""Hostile input: every case ends in a per-file status (ok / warning / error with a Japanese
message), never a traceback, a hang or a silent loss; memory stays bounded on zip bombs.

The property tests run with a fixed seed (derandomize) and a bounded number of examples, so CI
runs the same cases every time in bounded time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import CORPORA, REPO
from hostile_corpus import (
    GOOD_LINE,
    LAW,
    build,
    deep_html,
    deep_xml,
    document_xml,
    docx,
    forge_size,
    links,
    mixed_encodings,
    one_line,
    stray_nul,
    utf16_no_bom,
    xlsx_bomb,
    xxe_xml,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analogscan.ingest import IngestError, read_document, walk_inputs
from analogscan.ingest.text import decode_text
from analogscan.model import DocumentResult, Line
from analogscan.pipeline import TITLE_MAX, load_ordinance
from analogscan.structure import markers, numbering
from analogscan.structure.segmenter import parse_lines

FIXED = settings(
    derandomize=True,
    database=None,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
EXE = Path(sys.executable).parent / "analogscan"


def _load(path: Path) -> DocumentResult:
    """The pipeline's per-file outcome; it must never raise."""
    r = DocumentResult(path=str(path))
    load_ordinance(path, r)
    assert r.status in ("ok", "warning", "error")
    if r.status == "error":
        assert r.messages and all(m.text for m in r.messages)
    return r


def _texts(r: DocumentResult) -> str:
    return "\n".join(m.text for m in r.messages)


# --------------------------------------------------------------------------- zip bombs

_PEAK_RSS = """
# ru_maxrss survives fork+exec (Linux keeps the parent's high-water mark), so a probe started
# from a big pytest process would report the parent's memory; VmHWM is this process's own peak.
try:
    hwm = [ln for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith("VmHWM:")]
    print("RSS_MB", int(hwm[0].split()[1]) // 1024)
except (OSError, IndexError):
    print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""

_RSS_PROBE = (
    """
import resource, sys
from pathlib import Path
from analogscan.ingest import IngestError, read_document
try:
    read_document(Path(sys.argv[1]))
    print("READ")
except IngestError as e:
    print("ERROR", e)
"""
    + _PEAK_RSS
)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    styles = docx(d / "styles.docx", huge_member="word/styles.xml", huge_bytes=1 << 30)
    forged = forge_size(
        docx(d / "forged.docx", huge_member="word/document.xml", huge_bytes=256 << 20),
        "word/document.xml",
        4096,
    )
    body = docx(d / "body.docx", huge_member="word/document.xml", huge_bytes=1 << 30)
    return {"styles": styles, "forged": forged, "body": body}


@pytest.mark.parametrize("which", ["styles", "forged", "body"])
def test_docx_zip_bomb_is_refused_in_bounded_memory(bombs: dict[str, Path], which: str) -> None:
    path = bombs[which]
    assert path.stat().st_size < 2 * 1024 * 1024  # small on disk, 256 MB – 1 GB inside
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    out = subprocess.run(
        [sys.executable, "-c", _RSS_PROBE, str(path)], capture_output=True, text=True, env=env, timeout=600
    )
    assert "Traceback" not in out.stderr, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert "READ" not in out.stdout
    assert "Word文書" in lines["ERROR"]
    if which != "forged":
        assert "圧縮爆弾" in lines["ERROR"]
    assert int(lines["RSS_MB"]) < 500


_XLSX_PROBE = (
    """
import resource, sys
from pathlib import Path
from analogscan.review import DecisionsError, empty_decisions, import_sheet
try:
    import_sheet(Path(sys.argv[1]), empty_decisions())
    print("READ")
except DecisionsError as e:
    print("ERROR", e)
"""
    + _PEAK_RSS
)


def test_xlsx_review_sheet_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "review.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    out = subprocess.run(
        [sys.executable, "-c", _XLSX_PROBE, str(path)], capture_output=True, text=True, env=env, timeout=600
    )
    assert "Traceback" not in out.stderr, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines())
    assert "レビュー表（.xlsx）の部品 xl/styles.xml" in lines["ERROR"] and "圧縮爆弾" in lines["ERROR"]
    assert int(lines["RSS_MB"]) < 500


def test_docx_members_below_the_caps_read_normally(tmp_path: Path) -> None:
    p = docx(tmp_path / "ok.docx", huge_member="word/styles.xml", huge_bytes=8 << 20)  # 8 MB of comments
    doc = read_document(p)
    assert GOOD_LINE in [ln.text for ln in doc.lines]


# --------------------------------------------------------------------------- deep markup


def test_deep_html_is_read_without_recursion_error(tmp_path: Path) -> None:
    r = _load(deep_html(tmp_path / "deep.html", depth=5000))
    assert r.status == "ok" and r.provisions == 1 and r.title == "テスト条例"


def test_deep_xml_names_the_depth(tmp_path: Path) -> None:
    r = _load(deep_xml(tmp_path / "deep.xml", depth=5000))
    assert "入れ子が深すぎます" in _texts(r)
    assert "RecursionError" not in _texts(r)


def test_deep_docx_names_the_depth(tmp_path: Path) -> None:
    r = _load(docx(tmp_path / "deep.docx", wrap=2000))
    assert r.status == "error" and "入れ子が深すぎる" in _texts(r)


def test_moderately_nested_docx_reads(tmp_path: Path) -> None:
    r = _load(docx(tmp_path / "nested.docx", wrap=100))
    assert r.status == "ok" and r.provisions == 2


# --------------------------------------------------------------------------- nothing skipped silently


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_links_that_cannot_be_followed_are_reported(tmp_path: Path) -> None:
    made = links(tmp_path)
    if not made:
        pytest.skip("symbolic links not permitted")
    files, skipped = walk_inputs([tmp_path])
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["sub/inner.txt"]
    reasons = {p.relative_to(tmp_path).as_posix(): why for p, why in skipped}
    assert "循環" in reasons["sub/loop"]
    assert "循環" in reasons["self.txt"]
    assert "リンク先が存在しない" in reasons["dangling.txt"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads folders without permission")
def test_unreadable_folder_is_reported(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text(LAW, encoding="utf-8")
    (tmp_path / "b.txt").write_text(LAW, encoding="utf-8")
    locked.chmod(0)
    try:
        files, skipped = walk_inputs([tmp_path])
    finally:
        locked.chmod(0o755)
    assert [f.name for f in files] == ["b.txt"]
    assert skipped and "アクセス権" in skipped[0][1]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_pipe_in_a_folder_is_reported_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "b.txt").write_text(LAW, encoding="utf-8")
    files, skipped = walk_inputs([tmp_path])
    assert [f.name for f in files] == ["b.txt"]
    assert skipped[0][0].name == "pipe.txt" and "通常のファイルではない" in skipped[0][1]


@pytest.mark.parametrize("big_endian", [False, True])
def test_utf16_without_bom(tmp_path: Path, big_endian: bool) -> None:
    p = utf16_no_bom(tmp_path / "u.txt", big_endian)
    doc = read_document(p)
    assert [ln.text for ln in doc.lines] == LAW.splitlines()
    assert "BOM のない UTF-16" in doc.messages[0].text


def test_cp932_is_not_mistaken_for_utf16() -> None:
    text = "第一条営業者は掲示しなければならない"  # no ASCII at all, even length
    assert decode_text(text.encode("cp932"))[:2] == (text, "cp932")


def test_mixed_encodings_decoded_per_line_with_the_lines_named(tmp_path: Path) -> None:
    doc = read_document(mixed_encodings(tmp_path / "m.txt"))
    assert [ln.text for ln in doc.lines][1] == GOOD_LINE
    assert doc.lines[3].text == "第三条　規則で定める。"
    msg = doc.messages[0].text
    assert "混在" in msg and "2、4 行目を utf-8" in msg and "cp932" in msg


def test_stray_nul_is_dropped_with_a_warning(tmp_path: Path) -> None:
    doc = read_document(stray_nul(tmp_path / "n.txt"))
    assert [ln.text for ln in doc.lines] == LAW.splitlines()
    assert "NUL 文字（1 個）を取り除きました" in doc.messages[0].text


def test_binary_stays_binary(tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    p.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(IngestError, match="バイナリ"):
        read_document(p)


def test_one_line_file_has_no_giant_title(tmp_path: Path) -> None:
    r = _load(one_line(tmp_path / "o.txt", chars=50_000))
    assert r.title == "" and r.characters >= 49_000


def test_titles_are_capped(tmp_path: Path) -> None:
    p = deep_xml(tmp_path / "t.xml", depth=1)
    p.write_text(p.read_text("utf-8").replace("深い条例", "長" * 5000), encoding="utf-8")
    r = _load(p)
    assert len(r.title) == TITLE_MAX and r.title.endswith("…")


def test_dropped_xml_entity_is_a_warning(tmp_path: Path) -> None:
    r = _load(xxe_xml(tmp_path / "x.xml"))
    assert r.status == "warning" and "&xxe;" in _texts(r) and "展開せず" in _texts(r)
    assert "root:" not in json.dumps(r.to_json(), ensure_ascii=False)


# --------------------------------------------------------------------------- property tests

_NUMERALS = (
    "0123456789０１２３４５６７８９〇一二三四五六七八九十百千万のノ之第条項号附則別表様式（）()「」・　 "
)
_LINE_ALPHABET = (
    _NUMERALS + "あいうえおイロハニホヘト営業者は許可証を掲示しなければならない。、章節款目前各次に定める"
)


@FIXED
@given(st.text(alphabet=_NUMERALS, max_size=40) | st.text(max_size=40))
def test_numbering_never_raises(s: str) -> None:
    numbering.to_nfkc(s)
    markers.kanji_to_int(s)
    markers.to_int(s)
    numbering.parse_branch(s)
    numbering.parse_article(s)
    numbering.parse_paragraph(s)
    numbering.parse_item(s)
    numbering.parse_subitem(s)
    numbering.parse_citation(s)


@FIXED
@given(st.integers(min_value=1, max_value=99_999))
def test_kanji_numbers_round_trip(n: int) -> None:
    assert markers.kanji_to_int(markers.int_to_kanji(n)) == n


@FIXED
@given(st.lists(st.text(alphabet=_LINE_ALPHABET, min_size=1, max_size=60), max_size=30))
def test_segmenter_never_raises(lines: list[str]) -> None:
    o = parse_lines([Line(s) for s in lines])
    assert len(o.title) <= 200
    for p in o.provisions:
        assert isinstance(p.text, str)


@FIXED
@given(st.binary(max_size=3000), st.sampled_from([".txt", ".html", ".xml", ".docx", ".htm", ""]))
def test_readers_on_arbitrary_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    p = tmp_path_factory.mktemp("bytes") / f"doc{suffix}"
    p.write_bytes(data)
    _load(p)


_TAGS = ["div", "p", "span", "table", "tr", "td", "br", "ruby", "rt", "b", "script", "li"]


@st.composite
def _html(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(_TAGS))
        if kind == 0:
            parts.append(f"<{tag}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(alphabet=_LINE_ALPHABET + "<>&;\"'", max_size=30)))
    return "<html><body>" + "".join(parts)


@FIXED
@given(_html(), st.sampled_from(["utf-8", "cp932", "utf-16"]))
def test_html_reader_on_generated_markup(
    tmp_path_factory: pytest.TempPathFactory, html: str, enc: str
) -> None:
    p = tmp_path_factory.mktemp("html") / "doc.html"
    p.write_bytes(html.encode(enc, errors="replace"))
    _load(p)


@FIXED
@given(st.lists(st.text(alphabet=_LINE_ALPHABET + "<>&", max_size=50), max_size=12), st.integers(0, 400))
def test_xml_reader_on_generated_and_cut_laws(
    tmp_path_factory: pytest.TempPathFactory, sentences: list[str], cut: int
) -> None:
    from xml.sax.saxutils import escape

    body = "".join(
        f'<Article Num="{i + 1}"><ArticleTitle>第{i + 1}条</ArticleTitle><Paragraph Num="1"><ParagraphNum/>'
        f"<ParagraphSentence><Sentence>{escape(s)}</Sentence></ParagraphSentence></Paragraph></Article>"
        for i, s in enumerate(sentences)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?><Law Era="Reiwa" Year="1"><LawNum>第1号</LawNum><LawBody>'
        f"<LawTitle>生成条例</LawTitle><MainProvision>{body}</MainProvision></LawBody></Law>"
    ).encode()
    p = tmp_path_factory.mktemp("xml") / "doc.xml"
    p.write_bytes(xml[: len(xml) - cut] if cut else xml)
    _load(p)


@FIXED
@given(st.lists(st.text(alphabet=_LINE_ALPHABET, max_size=50), max_size=12), st.integers(0, 3000))
def test_docx_reader_on_generated_and_cut_files(
    tmp_path_factory: pytest.TempPathFactory, paras: list[str], cut: int
) -> None:
    p = tmp_path_factory.mktemp("docx") / "doc.docx"
    docx(p, paras or [""])
    if cut:
        data = p.read_bytes()
        p.write_bytes(data[: max(1, len(data) - cut)])
    _load(p)


@FIXED
@given(st.lists(st.sampled_from(["utf-8", "cp932", "euc_jp"]), min_size=1, max_size=8), st.data())
def test_text_reader_on_mixed_encodings(
    tmp_path_factory: pytest.TempPathFactory, encs: list[str], data: st.DataObject
) -> None:
    lines = [data.draw(st.text(alphabet=_LINE_ALPHABET, min_size=1, max_size=40)) for _ in encs]
    raw = b"\n".join(s.encode(e) for s, e in zip(lines, encs, strict=True))
    p = tmp_path_factory.mktemp("txt") / "doc.txt"
    p.write_bytes(raw)
    r = _load(p)
    if set(encs) == {"utf-8"}:
        assert "文字コード" not in _texts(r)


def test_docx_writer_helper_is_a_real_docx(tmp_path: Path) -> None:
    """The generator's minimal docx opens in python-docx (so the cases above test the reader)."""
    import docx as python_docx

    p = docx(tmp_path / "d.docx")
    assert [para.text for para in python_docx.Document(str(p)).paragraphs] == LAW.splitlines()
    with zipfile.ZipFile(p) as zf:
        assert zf.read("word/document.xml").decode() == document_xml(LAW.splitlines())


# --------------------------------------------------------------------------- the whole corpus, end to end


@pytest.mark.slow
def test_scan_of_hostile_folder_finishes_and_keeps_the_good_law(tmp_path: Path) -> None:
    """The hostile corpus plus one good law, with the shipped rules: the scan finishes, writes its
    report, keeps the good law's findings and names every bad document; no traceback."""
    folder = tmp_path / "corpus"
    cases = build(folder)
    law = CORPORA / "reiki" / "haikibutsu_jorei.txt"
    (folder / law.name).write_bytes(law.read_bytes())
    out = tmp_path / "report.json"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.run(
        [str(EXE), "scan", str(folder), "-o", str(out), "-q", "--doc-timeout", "60", "--jobs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert proc.returncode == 1  # some documents failed
    report = json.loads(out.read_text("utf-8"))
    by_name = {Path(d["path"]).relative_to(folder).as_posix(): d for d in report["documents"]}
    assert set(cases) <= set(by_name)  # every hostile case has its own entry
    good = by_name[law.name]
    assert good["status"] == "ok" and len(good["findings"]) > 0
    # the same findings as a scan of the good law alone (in process, no budget)
    solo_out = tmp_path / "solo.json"
    solo = subprocess.run(
        [str(EXE), "scan", str(law), "-o", str(solo_out), "-q", "--doc-timeout", "0", "--doc-memory", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert solo.returncode == 0, solo.stderr
    alone = json.loads(solo_out.read_text("utf-8"))["documents"][0]["findings"]
    assert [{k: v for k, v in f.items() if k != "id"} for f in alone] == [
        {k: v for k, v in f.items() if k != "id"} for f in good["findings"]
    ]
    for name in (
        "bomb_styles.docx",
        "bomb_forged.docx",
        "deep.docx",
        "truncated.docx",
        "random.docx",
        "empty.html",
        "binary.txt",
    ):
        assert by_name[name]["status"] == "error", name
        assert name in proc.stderr  # named in the list of failed documents
    for name in (
        "utf16le.txt",
        "utf16be.txt",
        "mixed.txt",
        "nul.txt",
        "xxe.xml",
        "deep.xml",
        "sub/loop",
        "self.txt",
        "dangling.txt",
    ):
        assert by_name[name]["status"] == "warning", name
    assert by_name["deep.html"]["status"] == "ok" and by_name["deep.html"]["findings"]
    one = by_name["oneline.txt"]  # 1,000,000 characters in one provision: done, or stopped by the budget
    assert one["title"] == ""
    assert one["status"] != "error" or "--doc-timeout 60" in one["messages"][0]["text"]


def test_text_without_suffix_is_recognised_despite_nuls(tmp_path: Path) -> None:
    """Sniffing (no suffix to go by) accepts UTF-16 without BOM and text with a stray NUL."""
    for make in (utf16_no_bom, stray_nul):
        doc = read_document(make(tmp_path / f"no_suffix_{make.__name__}"))
        assert doc.format == "text" and [ln.text for ln in doc.lines] == LAW.splitlines()
