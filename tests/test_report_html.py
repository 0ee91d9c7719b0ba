"""HTML report: escaping and self-containment, then the real thing in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_report_xlsx import sample_results

from analogscan.report import render
from analogscan.report.json_report import build_report
from analogscan.review import apply_decisions

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_report() -> dict[str, Any]:
    rep = build_report(sample_results(), ruleset_digest="test", rule_count=3)
    plain = apply_decisions(rep, {})
    f0 = plain["documents"][0]["findings"][0]
    f1 = plain["documents"][0]["findings"][1]
    decisions = {
        f0["finding_id"]: {"applicable": "該当", "policy": "規定の見直し", "text_hash": f0["text_hash"]},
        f1["finding_id"]: {"applicable": "非該当", "note": "内部規定", "text_hash": "ffffffffffff"},
    }
    return apply_decisions(rep, decisions)


@pytest.fixture(scope="module")
def html_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = tmp_path_factory.mktemp("html") / "report.html"
    p.write_bytes(render(make_report(), "html"))
    return p


def test_escaped_and_self_contained(html_file: Path) -> None:
    html = html_file.read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in html
    assert "テスト市&lt;b&gt;悪意&lt;/b&gt;条例" in html
    assert "<b>悪意</b>" not in html
    # no external resources: no src/href attributes, no @import/url() in CSS, only our one script
    assert not re.search(r"<[^>]*\s(src|href)\s*=", html)
    assert "@import" not in html and "url(" not in html
    assert html.count("<script") == 1
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # matched span highlighted
    assert "許可を受けた者は、許可証を<mark>見やすい場所に掲示</mark>しなければならない。" in html


def test_render_does_not_modify_report() -> None:
    rep = build_report(sample_results())
    render(rep, "html")
    assert "finding_id" not in rep["documents"][0]["findings"][0]


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(
            "/usr/bin/chromium がありません（apt-get install -y chromium で入ります）: ブラウザでの確認を省略"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


class Page:
    """A loaded report page that records every request, dialog and page error."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context()

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith("file://"):
                r.continue_()
            else:
                self.blocked.append(url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def visible_cards(self) -> int:
        return int(self.page.locator("article.card:visible").count())

    def counter(self) -> str:
        return str(self.page.locator("#counter").text_content())

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser: Any, html_file: Path) -> Iterator[Page]:
    p = Page(browser, html_file)
    yield p
    p.close()


def test_cards_and_counter(page: Page) -> None:
    assert page.visible_cards() == 6
    assert page.counter() == "表示中 6 件 / 全 6 件"
    assert page.errors == []


def test_type_checkbox_hides_its_cards(page: Page) -> None:
    pg = page.page
    assert pg.locator("article.card[data-type=keiji]:visible").count() == 4
    pg.locator("#f-types input[value=keiji]").uncheck()
    assert pg.locator("article.card[data-type=keiji]:visible").count() == 0
    assert page.visible_cards() == 2
    assert page.counter() == "表示中 2 件 / 全 6 件"
    # the section of an ordinance left without visible cards is hidden too
    assert pg.locator("section.doc:visible").count() == 1
    pg.locator("#f-types input[value=keiji]").check()
    assert page.visible_cards() == 6


def test_confidence_search_ordinance_and_decision_filters(page: Page) -> None:
    pg = page.page
    pg.select_option("#f-conf", "0.8")
    assert page.counter() == "表示中 4 件 / 全 6 件"
    pg.select_option("#f-conf", "0.7")
    assert page.counter() == "表示中 5 件 / 全 6 件"
    pg.select_option("#f-conf", "0")
    pg.fill("#f-q", "帳簿")
    assert page.counter() == "表示中 1 件 / 全 6 件"
    assert pg.locator("article.card:visible .cite").text_content() == "第12条第1項"
    pg.fill("#f-q", "ｓｃｒｉｐｔ")  # full-width input finds half-width text (NFKC)
    assert page.counter() == "表示中 1 件 / 全 6 件"
    pg.fill("#f-q", "該当しない語句ＸＹＺ")
    assert page.counter() == "表示中 0 件 / 全 6 件"
    assert pg.locator("#none-visible").is_visible()
    pg.fill("#f-q", "")
    assert page.counter() == "表示中 6 件 / 全 6 件"
    pg.select_option("#f-doc", "d2")
    assert page.counter() == "表示中 3 件 / 全 6 件"
    pg.select_option("#f-doc", "")
    pg.select_option("#f-dec", "recheck")
    assert page.counter() == "表示中 1 件 / 全 6 件"
    assert "要再確認" in str(pg.locator("article.card:visible").text_content())
    pg.select_option("#f-dec", "none")
    assert page.counter() == "表示中 4 件 / 全 6 件"
    pg.click("#f-reset")
    pg.wait_for_function("document.getElementById('counter').textContent.startsWith('表示中 6 件')")


def test_no_request_leaves_file_url(page: Page) -> None:
    pg = page.page
    pg.fill("#f-q", "掲示")
    pg.locator("#f-types input[value=jicchi]").uncheck()
    pg.wait_for_timeout(200)
    assert page.requests and all(u.startswith("file://") for u in page.requests), page.requests
    assert page.blocked == []


def test_injected_markup_shows_as_text(page: Page) -> None:
    pg = page.page
    pg.wait_for_timeout(300)
    assert page.dialogs == []
    assert pg.locator("article.card script").count() == 0
    assert pg.locator("article.card img").count() == 0
    assert pg.locator("img").count() == 0
    assert pg.locator("script").count() == 1
    assert pg.locator("b", has_text=re.compile("^悪意$")).count() == 0
    assert pg.locator("b", has_text="テスト市<b>悪意</b>条例").count() == 1
    card = pg.locator("article.card", has_text="<script>alert(1)</script>")
    assert card.count() == 1
    assert "<img src=x onerror=alert(2)>" in str(card.locator(".prov").text_content())
    assert card.locator("mark").text_content() == "掲示場に掲示"
    text = str(pg.locator("body").inner_text())
    assert '=HYPERLINK("http://x","y")' in text


def test_problem_documents_and_decisions_shown(page: Page) -> None:
    pg = page.page
    problems = pg.locator("#problems")
    assert "暗号化されたPDFのため読み込めません" in str(problems.text_content())
    assert "2ページ目の文字を読み取れませんでした" in str(problems.text_content())
    assert pg.locator("#problems li.problem[data-status=error]").count() == 1
    carried = pg.locator("article.card[data-decision=carried]")
    assert carried.count() == 1 and "前回の判断" in str(carried.text_content())
    assert pg.locator("article.card.recheck").count() == 1
    assert pg.locator("svg rect").count() >= 8
