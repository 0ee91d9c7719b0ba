"""Excel review sheet: values, rich text, validations, freeze panes, filters, injection; CSV and Markdown."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock

from analogscan.ids import finding_key
from analogscan.model import DocumentResult, Finding, Location
from analogscan.report import render
from analogscan.report.json_report import build_report
from analogscan.report.xlsx_report import REVIEW_COLUMNS
from analogscan.review import apply_decisions

INJECT_HYPERLINK = '=HYPERLINK("http://x","y")'
INJECT_DDE = "+cmd|' /C calc'!A0"


def make_finding(
    text: str,
    matched: str,
    *,
    rule_id: str = "keiji-001",
    type_: str = "keiji",
    article: str = "5",
    paragraph: int | None = 1,
    label: str | None = None,
    confidence: float = 0.9,
    message: str | None = None,
) -> Finding:
    start = text.find(matched)
    assert start >= 0, (text, matched)
    loc = Location(
        part="main", article=article, paragraph=paragraph, label=label or f"第{article}条第{paragraph}項"
    )
    return Finding(
        rule_id=rule_id,
        type=type_,
        location=loc,
        provision_text=text,
        matched=matched,
        span=(start, start + len(matched)),
        message=message or f"「{matched}」：掲示させる規定です。",
        confidence=confidence,
        title="テスト用ルール",
        page=2,
    )


def sample_results() -> list[DocumentResult]:
    """Three documents: one ordinary, one with hostile text, one that failed to read."""
    a = DocumentResult(
        path="reiki/kokoku_jorei.txt",
        format="text",
        title="テスト市屋外広告物条例",
        number="平成18年条例第12号",
        provisions=20,
        characters=3000,
    )
    a.findings = [
        make_finding(
            "許可を受けた者は、許可証を見やすい場所に掲示しなければならない。", "見やすい場所に掲示"
        ),
        make_finding(
            "市長は、その職員に、事務所に立ち入り、帳簿を検査させることができる。",
            "立ち入り、帳簿を検査させる",
            rule_id="jicchi-001",
            type_="jicchi",
            article="12",
            confidence=0.75,
        ),
        make_finding(
            "管理者は、施設を一年に一回以上定期に点検しなければならない。",
            "一年に一回以上定期に点検",
            rule_id="teiki-001",
            type_="teiki",
            article="8",
            paragraph=2,
            confidence=0.55,
        ),
    ]
    b = DocumentResult(
        path="reiki/evil.txt",
        format="text",
        title="テスト市<b>悪意</b>条例",
        number="令和2年条例第1号",
        provisions=3,
        characters=200,
    )
    b.findings = [
        make_finding(
            INJECT_HYPERLINK + "を見やすい場所に掲示しなければならない。", "見やすい場所に掲示", article="1"
        ),
        make_finding(
            INJECT_DDE + " 標識を掲げなければならない。",
            "標識を掲げ",
            rule_id="keiji-002",
            article="2",
            message=INJECT_DDE,
        ),
        make_finding(
            "<script>alert(1)</script><img src=x onerror=alert(2)>を掲示場に掲示する。|パイプ|",
            "掲示場に掲示",
            article="3",
        ),
    ]
    b.add("warning", "2ページ目の文字を読み取れませんでした", page=2)
    c = DocumentResult(path="reiki/broken.pdf", format="pdf")
    c.add("error", "暗号化されたPDFのため読み込めません")
    return [a, b, c]


@pytest.fixture
def report() -> dict[str, Any]:
    return build_report(sample_results(), ruleset_digest="test", rule_count=3)


def headers_of(ws: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def test_review_sheet_columns_values_and_layout(report: dict[str, Any], tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(report, "xlsx"))
    wb = load_workbook(p, rich_text=True)
    assert wb.sheetnames == ["レビュー表", "集計", "文書"]
    ws = wb["レビュー表"]
    h = headers_of(ws)
    assert list(h) == [c.header for c in REVIEW_COLUMNS]
    for name in (
        "番号",
        "所管課",
        "例規名",
        "例規番号",
        "条項",
        "規定内容",
        "該当箇所",
        "規制区分",
        "判定理由",
        "確度",
        "見直しの方向性",
        "該非",
        "根拠法令の有無",
        "見直し方針",
        "見直し時期",
        "備考",
        "finding_id",
        "rule_id",
        "ファイル",
    ):
        assert name in h
    assert ws.max_row == 1 + 6
    assert ws.freeze_panes == "A2"
    # printable: landscape, fit to one page wide, header repeated on every page
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows in ("1:1", "$1:$1")
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A1:")
    assert ws.cell(2, h["例規名"]).value == "テスト市屋外広告物条例"
    assert ws.cell(2, h["条項"]).value == "第5条第1項"
    assert ws.cell(2, h["規制区分"]).value == "書面掲示規制"
    assert "ウェブサイト" in ws.cell(2, h["見直しの方向性"]).value
    assert ws.cell(3, h["確度"]).value == 0.75
    assert ws.cell(2, h["所管課"]).value is None
    # hidden technical columns at the right, holding the stable id
    for name in ("finding_id", "text_hash", "rule_id", "ファイル"):
        letter = ws.cell(1, h[name]).column_letter
        assert ws.column_dimensions[letter].hidden, name
        assert h[name] > h["備考"]
    doc = report["documents"][0]
    assert ws.cell(2, h["finding_id"]).value == finding_key(doc, doc["findings"][0]).id
    # readable widths and wrapping
    assert ws.column_dimensions[ws.cell(1, h["規定内容"]).column_letter].width >= 40
    assert ws.cell(2, h["規定内容"]).alignment.wrap_text


def test_matched_words_bold_red_rich_text(report: dict[str, Any], tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(report, "xlsx"))
    ws = load_workbook(p, rich_text=True)["レビュー表"]
    h = headers_of(ws)
    v = ws.cell(2, h["規定内容"]).value
    assert isinstance(v, CellRichText)
    assert str(v) == "許可を受けた者は、許可証を見やすい場所に掲示しなければならない。"
    blocks = [b for b in v if isinstance(b, TextBlock)]
    assert [b.text for b in blocks] == ["見やすい場所に掲示"]
    assert blocks[0].font.b
    assert blocks[0].font.color is not None and blocks[0].font.color.rgb == "FFFF0000"
    plain = [b for b in v if isinstance(b, str)]
    assert plain == ["許可を受けた者は、許可証を", "しなければならない。"]


def test_dropdown_validations(report: dict[str, Any], tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(report, "xlsx"))
    ws = load_workbook(p)["レビュー表"]
    h = headers_of(ws)
    by_col: dict[str, str] = {}
    for dv in ws.data_validations.dataValidation:
        assert dv.type == "list"
        for rng in dv.sqref.ranges:
            by_col[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
            assert rng.min_row == 2 and rng.max_row == ws.max_row
    letter = {name: ws.cell(1, h[name]).column_letter for name in ("該非", "根拠法令の有無", "見直し方針")}
    assert by_col[letter["該非"]] == '"該当,非該当,要検討"'
    assert by_col[letter["根拠法令の有無"]] == '"有,無,要確認"'
    assert by_col[letter["見直し方針"]] == '"規定の見直し,運用で対応,見直し不要"'


def test_formula_injection_is_text(report: dict[str, Any], tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(report, "xlsx"))
    wb = load_workbook(p, rich_text=True)
    ws = wb["レビュー表"]
    h = headers_of(ws)
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = {str(c.value) for c in cells if c.value is not None}
    assert any(t.startswith(INJECT_HYPERLINK) for t in texts)
    dde = [c for c in cells if c.value == INJECT_DDE]
    assert dde and all(c.data_type == "s" and c.quotePrefix for c in dde)
    # the provision text cell keeps the text as written and is marked as text
    pc = ws.cell(5, h["規定内容"])
    assert str(pc.value).startswith(INJECT_HYPERLINK) and pc.quotePrefix
    # a plain load (no rich text) also sees strings, not formulas
    ws2 = load_workbook(p)["レビュー表"]
    assert all(c.data_type != "f" for row in ws2.iter_rows() for c in row)
    raw = p.read_bytes()
    assert b"<f>" not in raw


def test_summary_and_documents_sheets(report: dict[str, Any], tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(report, "xlsx"))
    wb = load_workbook(p)
    s = wb["集計"]
    h = headers_of(s)
    assert s.cell(2, 1).value == "テスト市屋外広告物条例"
    assert s.cell(2, h["書面掲示規制"]).value == 1
    assert s.cell(2, h["実地監査規制"]).value == 1
    assert s.cell(2, h["合計"]).value == 3
    assert s.cell(3, h["書面掲示規制"]).value == 3
    assert s.cell(5, 1).value == "合計" and s.cell(5, h["合計"]).value == 6
    d = wb["文書"]
    h = headers_of(d)
    rows = {d.cell(r, h["ファイル"]).value: r for r in range(2, d.max_row + 1)}
    assert d.cell(rows["reiki/broken.pdf"], h["状態"]).value == "エラー"
    assert "暗号化" in d.cell(rows["reiki/broken.pdf"], h["メッセージ"]).value
    assert (
        "[警告] 2ページ目の文字を読み取れませんでした（2ページ）"
        == d.cell(rows["reiki/evil.txt"], h["メッセージ"]).value
    )
    assert d.cell(rows["reiki/kokoku_jorei.txt"], h["検出数"]).value == 3


def test_decisions_prefilled_and_recheck_highlighted(report: dict[str, Any], tmp_path: Path) -> None:
    ids = [f["finding_id"] for f in apply_decisions(report, {})["documents"][0]["findings"]]
    th = [f["text_hash"] for f in apply_decisions(report, {})["documents"][0]["findings"]]
    decisions = {
        "decisions": {
            ids[0]: {
                "applicable": "該当",
                "legal_basis": "無",
                "policy": "規定の見直し",
                "timing": "令和8年度",
                "note": "様式も改正",
                "department": "都市計画課",
                "text_hash": th[0],
            },
            ids[1]: {"applicable": "非該当", "note": "内部規定", "text_hash": "000000000000"},
        }
    }
    applied = apply_decisions(report, decisions)
    p = tmp_path / "r.xlsx"
    p.write_bytes(render(applied, "xlsx"))
    ws = load_workbook(p)["レビュー表"]
    h = headers_of(ws)
    assert [
        ws.cell(2, h[n]).value
        for n in ("所管課", "該非", "根拠法令の有無", "見直し方針", "見直し時期", "備考")
    ] == ["都市計画課", "該当", "無", "規定の見直し", "令和8年度", "様式も改正"]
    note = ws.cell(3, h["備考"]).value
    assert note.startswith("【要再確認】") and note.endswith("内部規定")
    assert ws.cell(3, h["備考"]).fill.fgColor.rgb == "FFFFC7CE"
    assert ws.cell(3, h["該非"]).value == "非該当"
    assert ws.cell(4, h["該非"]).value is None


def test_empty_report_still_valid(tmp_path: Path) -> None:
    rep = build_report([])
    p = tmp_path / "e.xlsx"
    p.write_bytes(render(rep, "xlsx"))
    wb = load_workbook(p)
    assert wb["レビュー表"].max_row == 1


# --------------------------------------------------------------------------- CSV and Markdown


def test_csv_bom_and_formula_neutralised(report: dict[str, Any]) -> None:
    data = render(report, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "番号"
    body = rows[1:]
    assert len(body) == 6
    col = header.index("規定内容")
    msg = header.index("判定理由")
    assert body[3][col] == "'" + INJECT_HYPERLINK + "を見やすい場所に掲示しなければならない。"
    assert body[4][msg] == "'" + INJECT_DDE
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_markdown_tables_per_ordinance(report: dict[str, Any]) -> None:
    md = render(report, "md").decode("utf-8")
    assert "## テスト市屋外広告物条例（平成18年条例第12号）" in md
    assert "## テスト市&lt;b&gt;悪意&lt;/b&gt;条例（令和2年条例第1号）" in md
    assert "[エラー] 暗号化されたPDFのため読み込めません" in md
    assert "<script>" not in md and "&lt;script&gt;" in md
    table_rows = [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| 番号")]
    assert len(table_rows) == 6
    for ln in table_rows:
        # every row has exactly the header's number of unescaped pipes
        unescaped = ln.replace("\\|", "")
        assert unescaped.count("|") == 10, ln  # 9 columns
    assert "\\|パイプ\\|" in md
