"""Markdown report: text from an ordinance never becomes a live link or image (issue 11)."""

from __future__ import annotations

import re

import pytest

from analogscan.model import DocumentResult, Finding, Location
from analogscan.report import render
from analogscan.report.json_report import build_report
from analogscan.report.md_report import md_cell

HOSTILE = [
    "[link](javascript:alert(1))",
    "![x](http://evil.invalid/x.png)",
    "[ref][1]",
    "[a]: javascript:alert(2)",
    "<javascript:alert(3)>",
    "<https://evil.invalid/>",
    "[nested [b](javascript:alert(4))](x)",
    "\\[escaped\\](javascript:alert(5))",
]


def hostile_report() -> dict[str, object]:
    text = "営業者は、" + " ".join(HOSTILE) + "を見やすい場所に掲示しなければならない。"
    loc = Location(part="main", article="5", paragraph=1, label="第5条第1項")
    f = Finding(
        rule_id="keiji-001",
        type="keiji",
        location=loc,
        provision_text=text,
        matched="[link](javascript:alert(1))",
        span=(5, 32),
        message="「![x](http://evil.invalid/x.png)」：掲示させる規定です。",
        confidence=0.9,
        title="テスト用ルール",
    )
    d = DocumentResult(
        path="reiki/[p](javascript:alert(6)).txt", format="text", title="[題名](javascript:alert(7))"
    )
    d.number = "![n](http://evil.invalid/n.png)"
    d.findings = [f]
    d.add("warning", "[警告文](javascript:alert(8))")
    return build_report([d])


def test_md_cell_escapes_brackets() -> None:
    assert md_cell("[link](javascript:alert(1))") == "\\[link\\](javascript:alert(1))"
    assert md_cell("![x](http://a/b.png)") == "!\\[x\\](http://a/b.png)"


def test_no_link_or_image_syntax_survives_in_markdown() -> None:
    md = render(hostile_report(), "md").decode("utf-8")
    assert "javascript:alert(1)" in md  # the text is kept, as text
    # no "[" or "]" that is not backslash-escaped: no link, image or reference can form
    for ln in md.splitlines():
        body = ln[len("- [警告] ") :] if ln.startswith("- [警告] ") else ln
        unescaped = re.sub(r"\\.", "", body)
        assert "[" not in unescaped and "]" not in unescaped, ln


def test_rendered_markdown_has_no_links_or_images() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = render(hostile_report(), "md").decode("utf-8")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<a " not in html and "<img" not in html, html
    assert "javascript:alert(1)" in html  # shown as text
