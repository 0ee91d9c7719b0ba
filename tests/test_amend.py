"""From finding to draft amendment: templates, 改め文, drafts in reports, `analogscan draft` outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import CORPORA, RULES
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import load_workbook

from analogscan.amend.apply import HONESTY_LINE, Draft, attach_amendments, draft_finding
from analogscan.amend.draft import DraftDoc, DraftRow, from_report
from analogscan.amend.kaibun import Edit, apply_edits, kaibun
from analogscan.amend.runner import run_template_examples
from analogscan.amend.templates import load_templates
from analogscan.cli import main
from analogscan.model import TYPE_CODES, TYPE_LABELS
from analogscan.report import render
from analogscan.report.docx_draft import render_docx
from analogscan.ruleset.loader import load_ruleset, rule_files
from analogscan.ruleset.model import RuleLoadError


@pytest.fixture(scope="module")
def templates():  # type: ignore[no-untyped-def]
    return load_templates()


def invoke(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), prog_name="analogscan")
    return r.exit_code, r.output


# --------------------------------------------------------------------------- templates


def test_every_type_has_templates_with_three_examples(templates) -> None:  # type: ignore[no-untyped-def]
    for t in TYPE_CODES:
        ts = templates.for_type(t)
        assert ts, t
        assert sum(1 for x in ts for e in x.examples if e.after) >= 3, t
        for x in ts:
            assert len(x.examples) >= 3, x.id


def test_shipped_examples_pass(templates) -> None:  # type: ignore[no-untyped-def]
    rep = run_template_examples(templates)
    assert rep.checked >= 8 * 3
    assert not rep.failures, "\n".join(f.format() for f in rep.failures)


def test_example_runner_can_fail(tmp_path: Path) -> None:
    src = (RULES / "amend" / "koshu.yml").read_text("utf-8")
    (tmp_path / "koshu.yml").write_text(
        src.replace("市長が行う墓地等管理者講習（情報通信技術", "市長が行う墓地等管理者講習（情報技術", 1),
        "utf-8",
    )
    rep = run_template_examples(load_templates(tmp_path))
    assert len(rep.failures) == 1
    f = rep.failures[0]
    assert f.id == "koshu-amend-001" and f.file.endswith("koshu.yml") and f.line > 1
    assert "期待:" in f.format() and "結果:" in f.format()


def test_rule_loader_skips_amend_folder(tmp_path: Path) -> None:
    shipped = rule_files([RULES])
    assert shipped and not any("amend" in p.relative_to(RULES).parts for p in shipped)
    # a rules folder whose amend/ holds templates (not rule files) still loads as rules
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    assert (rules / "amend" / "keiji.yml").exists()
    rs = load_ruleset(rules)
    assert rs.files and not any("amend" in Path(f).relative_to(rules).parts for f in rs.files)


def test_template_errors_are_japanese_with_file_line_key(tmp_path: Path) -> None:
    (tmp_path / "keiji.yml").write_text(
        "schema_version: 1\n"
        "type: keiji\n"
        "templates:\n"
        "  - id: keiji-amend-001\n"
        "    title: 例\n"
        "    edit: replace\n"
        "    find: '掲示(し'\n"
        "    to: 掲示し\n"
        "    examples: [{before: あ, after: い}, {before: う, after: え}, {before: お, after: か}]\n"
        "  - id: jochu-amend-002\n"
        "    title: 例\n"
        "    edit: proviso\n"
        "    find: 兼ね\n"
        "    to: この限りでない。\n"
        "    examples: [{before: あ, after: い}, {before: う}, {before: お, after: か, manual: x}]\n"
        "  - id: keiji-amend-003\n"
        "    titel: 綴り違い\n",
        "utf-8",
    )
    (tmp_path / "koshu.yml").write_text("schema_version: 1\ntype: koshu\ntemplates:\n  - id: [\n", "utf-8")
    with pytest.raises(RuleLoadError) as ei:
        load_templates(tmp_path)
    text = "\n".join(i.format() for i in ei.value.issues)
    assert "koshu.yml:" in text and "YAML の書式が正しくありません" in text
    assert "keiji.yml:7" in text and "正規表現として読めません" in text
    assert "keiji.yml:10" in text and "ファイルの規制区分「keiji」で始めてください" in text
    assert "keiji.yml:14" in text and "ただし書は「ただし、」で始めてください" in text
    assert "どちらか一方" in text
    assert "titel" in text and "未知のキー" in text
    assert "Traceback" not in text


def test_cli_rules_test_counts_template_examples(tmp_path: Path) -> None:
    # one type's rules and templates: the command is what is tested here; tests/test_rule_examples.py
    # runs every shipped example
    rules = tmp_path / "rules"
    (rules / "amend").mkdir(parents=True)
    for name in ("media.yml", "lexicon.yml", "common.yml"):
        shutil.copy(RULES / name, rules / name)
    shutil.copy(RULES / "amend" / "media.yml", rules / "amend" / "media.yml")
    code, out = invoke("rules", "test", str(rules))
    assert code == 0, out
    assert "見直し案の例" in out and "失敗 0 件" in out.splitlines()[-1]
    (rules / "amend" / "media.yml").write_text(
        (RULES / "amend" / "media.yml").read_text(encoding="utf-8").replace("after:", "after: 違う文", 1),
        "utf-8",
    )
    code, out = invoke("rules", "test", str(rules))
    assert code == 1 and "見直し案の例が合いません" in out


def test_cli_scan_stops_on_broken_template(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "amend" / "media.yml").write_text("schema_version: 1\ntype: media\ntemplates: []\n", "utf-8")
    code, out = invoke(
        "scan", str(CORPORA / "reiki" / "chosha_kanri_kisoku.txt"), "--rules", str(rules), "--no-decisions"
    )
    assert code == 2
    assert "見直し案の文例ファイル" in out and "media.yml:3" in out and "Traceback" not in out


# --------------------------------------------------------------------------- kaibun


def test_kaibun_forms() -> None:
    assert kaibun("第5条第2項", [Edit("replace", "掲示し", "掲示するとともに、公表し")]) == (
        "第5条第2項中「掲示し」を「掲示するとともに、公表し」に改める。"
    )
    assert kaibun("第8条", [Edit("replace", "講習", "講習（オンラインを含む。）")]) == (
        "第8条中「講習」の下に「（オンラインを含む。）」を加える。"
    )
    assert kaibun("第3条", [Edit("replace", "磁気ディスク、", "")]) == "第3条中「磁気ディスク、」を削る。"
    both = kaibun(
        "第3条第1項",
        [Edit("replace", "A", "B"), Edit("replace", "C", "D"), Edit("proviso", "", "ただし、X。")],
    )
    assert (
        both == "第3条第1項中「A」を「B」に、「C」を「D」に改め、同項に次のただし書を加える。\n　ただし、X。"
    )
    mixed = kaibun("第3条", [Edit("replace", "A", "B"), Edit("replace", "講習", "講習（Y。）")])
    assert mixed == "第3条中「A」を「B」に改め、「講習」の下に「（Y。）」を加える。"
    assert (
        kaibun("第9条", [Edit("sentence", "", "この場合において、Z。")])
        == "第9条に後段として次のように加える。\n　この場合において、Z。"
    )


def test_apply_edits_marks_and_every_occurrence() -> None:
    a = apply_edits("AをBし、AをCする。", [Edit("replace", "A", "XA")])
    assert a.after == "XAをBし、XAをCする。"
    assert [a.after[i:j] for i, j in a.after_marks] == ["XA", "XA"]
    assert [a.before[i:j] for i, j in a.before_marks] == ["A", "A"]


def finding(text: str, type_: str, matched: str, label: str = "第5条第2項", **loc: Any) -> dict[str, Any]:
    i = text.find(matched)
    return {
        "rule_id": f"{type_}-001",
        "type": type_,
        "type_label": TYPE_LABELS[type_],
        "provision_text": text,
        "matched": matched,
        "span": [i, i + len(matched)],
        "tier": "likely",
        "confidence": 0.9,
        "message": "理由",
        "location": {
            "part": "main",
            "article": "5",
            "paragraph": 2,
            "item": None,
            "subitems": [],
            "label": label,
            **loc,
        },
    }


def test_old_texts_keep_tsu(templates) -> None:  # type: ignore[no-untyped-def]
    text = "市長は、その職員に、事務所に立ち入つて、帳簿書類を検査させることができる。"
    d = draft_finding(finding(text, "jicchi", "立ち入つて"), templates)
    assert isinstance(d, Draft)
    assert (
        d.applied.after.startswith(text)
        and "立ち入つて" in d.applied.after
        and "立ち入って" not in d.applied.after
    )
    t2 = "前項の点検は、目視によつて行う。"
    d2 = draft_finding(finding(t2, "mokushi", "目視"), templates)
    assert isinstance(d2, Draft) and "によつて行う" in d2.applied.after


def test_media_parenthetical_and_later_mentions_stay_consistent(templates) -> None:  # type: ignore[no-untyped-def]
    t = (
        "報告は、磁気ディスク（これに準ずる方法により一定の事項を確実に記録しておくことができる物を含む。以下同じ。）"
        "を提出して行うことができる。この場合において、磁気ディスクには、報告者の氏名を記載した書面を貼り付けなければならない。"
    )
    d = draft_finding(finding(t, "media", "磁気ディスク", label="第5条"), templates)
    assert isinstance(d, Draft) and d.template_ids == ["media-amend-001", "media-amend-002"]
    assert "磁気ディスク" not in d.applied.after
    assert (
        d.applied.after.count("電磁的記録媒体（電磁的記録（") == 1
        and "。この場合において、電磁的記録媒体には、" in d.applied.after
    )
    assert d.kaibun.startswith("第5条中「磁気ディスク（これに準ずる")
    assert d.kaibun.endswith("」に、「磁気ディスクに」を「電磁的記録媒体に」に改める。")


def test_kanji_numbered_texts_get_kanji_citations(templates) -> None:  # type: ignore[no-untyped-def]
    from analogscan.amend.numerals import kanji_label, kanji_number

    assert [kanji_number(n) for n in (1, 10, 12, 20, 105, 1000, 2024)] == [
        "一",
        "十",
        "十二",
        "二十",
        "百五",
        "千",
        "二千二十四",
    ]
    assert kanji_label("第12条の2第3項第1号") == "第十二条の二第三項第一号"
    rep = sample_report()
    f = finding(
        "と畜場の管理者は、第十二条第一項の料金を、見やすい場所に掲示しなければならない。",
        "keiji",
        "掲示し",
        label="第14条第2項",
    )
    rep["documents"][0]["findings"] = [f]
    a = attach_amendments(rep, templates)["documents"][0]["findings"][0]["amendment"]
    assert a["kaibun"].startswith("第十四条第二項中「掲示し」を")
    docs = from_report(rep, templates)
    assert docs[0].rows[0].label == "第十四条第二項"
    # Arabic-numbered texts keep Arabic citations
    a2 = attach_amendments(sample_report(), templates)["documents"][0]["findings"][0]["amendment"]
    assert a2["kaibun"].startswith("第8条第1項中")


def test_manual_reasons(templates) -> None:  # type: ignore[no-untyped-def]
    t = "墓地の管理者は、他の墓地等の管理者を兼ねてはならない。ただし、市長が認めたときは、この限りでない。"
    assert "既にただし書" in str(draft_finding(finding(t, "jochu", "兼ねてはならない"), templates))
    suppl = finding(
        "前項の点検は、目視により行う。", "mokushi", "目視", label="附則第2項", part="suppl", suppl_index=1
    )
    assert "一部改正条例の附則" in str(draft_finding(suppl, templates))
    assert "当てはまる文言がありません" in str(
        draft_finding(finding("市長は、講習会を開催する。", "koshu", "講習"), templates)
    )


# --------------------------------------------------------------------------- reports


EVIL = "<script>alert(1)</script>"


def sample_report() -> dict[str, Any]:
    docs = [
        {
            "path": "reiki/a.txt",
            "format": "text",
            "title": "テスト市墓地条例",
            "number": "平成24年条例第7号",
            "status": "ok",
            "messages": [],
            "provisions": 3,
            "characters": 100,
            "findings": [
                finding(
                    f"経営者は、{EVIL}料金表を見やすい場所に掲示しなければならない。",
                    "keiji",
                    "掲示し",
                    label="第8条第1項",
                ),
                finding(
                    "管理者は、市長が行う講習を受けなければならない。", "koshu", "講習を受け", label="第12条"
                ),
                finding(
                    "管理者は、他の墓地の管理者を兼ねてはならない。ただし、市長が認めたときは、この限りでない。",
                    "jochu",
                    "兼ねてはならない",
                    label="第7条第3項",
                ),
            ],
        }
    ]
    from analogscan.report.json_report import build_report

    return build_report([], documents=docs)


def test_reports_carry_drafts(templates) -> None:  # type: ignore[no-untyped-def]
    rep = attach_amendments(sample_report(), templates)
    fs = rep["documents"][0]["findings"]
    a = fs[0]["amendment"]
    assert a["template_id"] == "keiji-amend-001"
    assert (
        a["kaibun"]
        == "第8条第1項中「掲示し」を「掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し」に改める。"
    )
    assert a["before"] == fs[0]["provision_text"] and a["after"].endswith(
        "公衆の閲覧に供しなければならない。"
    )
    assert "amendment" not in fs[2] and "既にただし書" in fs[2]["amendment_manual"]
    text = render(rep, "text").decode()
    assert (
        HONESTY_LINE in text
        and "［掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し］" in text
    )
    assert "改め文: 第12条中「講習」の下に" in text and "手作業で起案（既にただし書" in text
    md = render(rep, "md").decode()
    assert (
        "**掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し**" in md
        and "<script>" not in md
    )
    import csv as csv_mod
    import io as io_mod

    rows = list(csv_mod.reader(io_mod.StringIO(render(rep, "csv").decode("utf-8-sig"))))
    col = rows[0].index("見直し案（担当者が確認する案）")
    assert rows[1][col].endswith("公衆の閲覧に供しなければならない。") and rows[1][col + 1].startswith(
        "第8条第1項中"
    )
    assert rows[3][col].startswith("手作業で起案（既にただし書")
    html = render(rep, "html").decode()
    assert "<ins>掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し</ins>" in html
    assert "<del>掲示し</del>" in html and EVIL not in html and "&lt;script&gt;" in html
    assert HONESTY_LINE in html
    # the review sheet: a 見直し案 column with the changed words underlined; reopened with openpyxl
    wb = load_workbook(__import__("io").BytesIO(render(rep, "xlsx")), rich_text=True)
    ws = wb["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    cell = ws.cell(row=2, column=cols["見直し案"]).value
    underlined = [b.text for b in cell if hasattr(b, "font") and b.font.u == "single"]
    assert underlined == ["掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し"]
    assert str(ws.cell(row=4, column=cols["見直し案"]).value).startswith("手作業で起案（既にただし書")
    assert any(HONESTY_LINE == c.value for row in wb["集計"].iter_rows() for c in row)


def test_report_without_templates_has_no_draft_columns() -> None:
    md = render(sample_report(), "md").decode()
    assert "見直し案" not in md and HONESTY_LINE not in render(sample_report(), "text").decode()


# --------------------------------------------------------------------------- docx / xlsx / txt


def check_docx(path: Path, title: str) -> None:
    d = Document(str(path))
    sec = d.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert abs(sec.page_width - Mm(297)) < Mm(1) and abs(sec.page_height - Mm(210)) < Mm(1)
    texts = [p.text for p in d.paragraphs]
    assert title in texts
    assert HONESTY_LINE in texts
    assert d.tables
    for t in d.tables:
        assert len(t.columns) == 2
        assert [c.text for c in t.rows[0].cells] == ["改正後", "改正前"]


def test_docx_round_trip(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    docs = from_report(sample_report(), templates)
    p = tmp_path / "t.docx"
    p.write_bytes(render_docx(docs))
    check_docx(p, "テスト市墓地条例の一部を改正する条例　新旧対照表")
    t = Document(str(p)).tables[0]
    rows = {r.cells[0].paragraphs[0].runs[0].text.strip(): r for r in t.rows[1:]}
    assert list(rows) == ["第7条第3項", "第8条第1項", "第12条"]  # article order
    row = rows["第8条第1項"]
    after_u = [r.text for r in row.cells[0].paragraphs[0].runs if r.underline]
    before_u = [r.text for r in row.cells[1].paragraphs[0].runs if r.underline]
    assert after_u == ["掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し"]
    assert before_u == ["掲示し"]
    assert EVIL in row.cells[1].text  # kept as text, never interpreted
    manual = rows["第7条第3項"]
    assert "手作業で起案" in manual.cells[0].text and "既にただし書" in manual.cells[0].text


def test_docx_to_pdf_with_libreoffice(templates, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) がありません")
    p = tmp_path / "t.docx"
    p.write_bytes(render_docx(from_report(sample_report(), templates)))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(p),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    import pdfplumber

    with pdfplumber.open(tmp_path / "t.pdf") as pdf:
        page = pdf.pages[0]
        assert page.width > page.height  # landscape
        text = page.extract_text() or ""
    assert "新旧対照表" in text and "改正後" in text


def test_same_ordinance_from_two_files_is_one_table(templates) -> None:  # type: ignore[no-untyped-def]
    import copy

    rep = sample_report()
    twin = copy.deepcopy(rep["documents"][0])
    twin["path"] = "reiki/a.pdf"
    for f in twin["findings"]:
        f["provision_text"] = f["provision_text"].replace("、", "、 ", 1)  # a PDF's stray space
    rep["documents"].append(twin)
    docs = from_report(rep, templates)
    assert len(docs) == 1 and len(docs[0].rows) == 3


def test_empty_draft_still_a_document(tmp_path: Path) -> None:
    p = tmp_path / "e.docx"
    p.write_bytes(render_docx([]))
    assert "改正の対象となる規定はありません。" in [x.text for x in Document(str(p)).paragraphs]
    doc = DraftDoc("テスト市要綱", "", "", [DraftRow("第1条", "本文", ["keiji"], manual="理由")])
    assert doc.table_title == "テスト市要綱の一部を改正する要綱　新旧対照表"


# --------------------------------------------------------------------------- CLI draft


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scan")
    src = CORPORA / "reiki" / "bochi_keiei_jorei.txt"
    code, msg = invoke("scan", str(src), "-o", str(out / "r.json"), "--no-decisions", "-q")
    assert code == 0, msg
    code, msg = invoke("report", str(out / "r.json"), "-o", str(out / "review.xlsx"))
    assert code == 0, msg
    return {"json": out / "r.json", "xlsx": out / "review.xlsx", "dir": out}


def test_scan_json_carries_amendments(scanned: dict[str, Path]) -> None:
    rep = json.loads(scanned["json"].read_text("utf-8"))
    assert rep["schema_version"] == 1
    fs = [f for d in rep["documents"] for f in d["findings"]]
    assert all(("amendment" in f) != ("amendment_manual" in f) for f in fs)
    drafted = [f["amendment"] for f in fs if "amendment" in f]
    assert drafted
    assert all({"template_id", "before", "after", "kaibun"} <= set(a) for a in drafted)
    assert rep["tool"]["amendment_note"] == HONESTY_LINE


def test_cli_draft_from_report(scanned: dict[str, Path]) -> None:
    out = scanned["dir"]
    code, msg = invoke(
        "draft",
        str(scanned["json"]),
        "-o",
        str(out / "a.docx"),
        "-o",
        str(out / "a.xlsx"),
        "-o",
        str(out / "a.txt"),
    )
    assert code == 0, msg
    assert "手作業で起案" in msg and HONESTY_LINE in msg
    check_docx(out / "a.docx", "みどり野市墓地等の経営の許可等に関する条例の一部を改正する条例　新旧対照表")
    txt = (out / "a.txt").read_text("utf-8")
    assert txt.startswith(HONESTY_LINE)
    assert (
        "みどり野市墓地等の経営の許可等に関する条例（平成24年条例第7号）の一部を次のように改正する。" in txt
    )
    assert (
        "第8条第1項中「掲示し」を「掲示するとともに、インターネットの利用その他の方法により公衆の閲覧に供し」に改める。"
        in txt
    )
    wb = load_workbook(out / "a.xlsx", rich_text=True)
    assert wb.sheetnames == ["新旧対照表", "改め文"]
    ws = wb["新旧対照表"]
    assert [c.value for c in ws[1]][:5] == ["例規名", "例規番号", "条項", "改正後", "改正前"]
    kinds = {ws.cell(row=r, column=7).value for r in range(2, ws.max_row + 1)} - {None}
    assert kinds == {"文例", "手作業で起案"}


def test_cli_draft_from_reviewed_sheet(scanned: dict[str, Path]) -> None:
    sheet = scanned["dir"] / "filled.xlsx"
    shutil.copy(scanned["xlsx"], sheet)
    wb = load_workbook(sheet, rich_text=True)
    ws = wb["レビュー表"]
    cols = {str(c.value): c.column for c in ws[1]}
    labels = {ws.cell(row=r, column=cols["条項"]).value: r for r in range(2, ws.max_row + 1)}
    r_keiji, r_jochu, r_edit = labels["第8条第1項"], labels["第7条第2項"], labels["第12条第1項"]
    for r in (r_keiji, r_jochu, r_edit):
        ws.cell(row=r, column=cols["該非"], value="該当")
        ws.cell(row=r, column=cols["見直し方針"], value="規定の見直し")
    ws.cell(row=r_jochu, column=cols["見直し方針"], value="運用で対応")  # not an amendment: left out
    own = "墓地等の管理者は、就任の日から1年以内に、市長が行う墓地等管理者講習（オンラインによるものを含む。）を受けなければならない。"
    ws.cell(row=r_edit, column=cols["見直し案"], value=own)
    wb.save(sheet)
    out = scanned["dir"]
    code, msg = invoke("draft", str(sheet), "-o", str(out / "s.docx"), "-o", str(out / "s.txt"))
    assert code == 0, msg
    assert "該当・改正の行 2 件" in msg
    d = Document(str(out / "s.docx"))
    rows = d.tables[0].rows[1:]
    assert [r.cells[0].paragraphs[0].runs[0].text.strip() for r in rows] == ["第8条第1項", "第12条第1項"]
    edited = rows[1]
    assert "（オンラインによるものを含む。）" in edited.cells[0].text
    assert (
        "".join(r.text for r in edited.cells[0].paragraphs[0].runs if r.underline)
        == "（オンラインによるものを含む。）"
    )
    txt = (out / "s.txt").read_text("utf-8")
    assert "第8条第1項中「掲示し」を" in txt and "第7条第2項" not in txt
    assert "第12条第1項: 見直し案の欄が書き換えられている" in txt


def test_cli_draft_bad_suffix_and_bad_sheet(scanned: dict[str, Path], tmp_path: Path) -> None:
    code, msg = invoke("draft", str(scanned["json"]), "-o", str(tmp_path / "a.pdf"))
    assert code == 2 and ".docx（新旧対照表）" in msg and not (tmp_path / "a.pdf").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    code, msg = invoke("draft", str(bad), "-o", str(tmp_path / "a.docx"))
    assert code == 2 and "レビュー表を開けません" in msg and "Traceback" not in msg
