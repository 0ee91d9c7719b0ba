"""Build 例規集 vendor HTML samples from corpora/reiki/*.txt (みどり野市, fictional).

    .venv/bin/python corpora/html/make_html.py

Writes, for each ordinance in DOCS:
- ``gyosei/<doc>.html`` — ぎょうせい (g-reiki / reiki_taikei) body page, modelled on real
  reiki_honbun pages: one ``div.eline`` per row (``div.head`` p.title-irregular / p.date /
  p.number, ``div.article`` p.title + p.num 「第1条」 span.p, ``div.clause``, ``div.item``,
  ``p.s-head`` 附則, ``div.table_frame`` tables, ``p.revise_record`` amendment notes, ruby,
  ``a.inline.quote`` links, the right-hand 目次/沿革 column), half-width numbers;
- ``d1law/<id>/<id>_j.html`` — 第一法規 (d1-law) body page: every line a ``div.danraku-normal``
  whose id encodes the position (``h:hL20:::2:10.0.0.0-2.0-1.0.0-0.0.0`` = article 10,
  paragraph 2, item 1; ``zA`` title, ``zB`` date and number, ``hL10`` caption, ``sO10`` the
  original 附則, ``kO10:<id>`` an amending 附則, ``bH10`` 別表), full-width numbers, plus the
  frameset ``<id>.html`` beside it.

One ぎょうせい page is written in Shift_JIS (CP932) with a matching meta charset, as older
installs are. The line classification comes from the project's own structure parser, so the
pages hold exactly the .txt text (up to number width and bracket width).
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parent
sys.path.insert(0, str(CORPORA.parent / "src"))

from analogscan.ingest import read_document  # noqa: E402
from analogscan.model import Line  # noqa: E402
from analogscan.structure import parse_lines  # noqa: E402

DOCS = ["okugai_kokokubutsu_jorei", "koshu_yokujo_jorei", "keikan_jorei", "kaihatsu_shido_yoko"]
CP932_DOC = "keikan_jorei"  # written in Shift_JIS by the ぎょうせい generator
D1_IDS = {
    "okugai_kokokubutsu_jorei": "H418901012",
    "koshu_yokujo_jorei": "H425901015",
    "keikan_jorei": "H421901027",
    "kaihatsu_shido_yoko": "H415903007",
}
RUBY = {"毀損": "きそん", "貼": "ちよう", "囲": "かこい", "撤去": "てつきよ"}

_FW = str.maketrans("0123456789()", "０１２３４５６７８９（）")
_HW = str.maketrans("０１２３４５６７８９（）", "0123456789()")
_MARK = re.compile(r"^(\S+?)[\u3000 ](.*)$")
_CAPTION = re.compile(r"^[（(][^()（）]+[）)]$")
_REF = re.compile(r"(第[0-9０-９]+条(?:の[0-9０-９]+)?(?:第[0-9０-９]+項)?(?:第[0-9０-９]+号)?)")
_SUPPL = re.compile(r"^附[\u3000 ]*則(?:[\u3000 ]*[（(]([^()（）]*)[）)])?")


@dataclass
class Unit:
    """One .txt line and what it is."""

    kind: str  # title date number toc chapter caption article paragraph item subitem suppl appendix row text
    text: str
    marker: str = ""
    body: str = ""
    article: str = ""  # position, for 第一法規 ids
    paragraph: int = 0
    item: int = 0
    subitem: int = 0
    suppl_index: int = -1


def classify(doc: str) -> tuple[list[Unit], str]:
    """The .txt lines of ``doc`` classified with the project's structure parser."""
    src = read_document(CORPORA / "reiki" / f"{doc}.txt")
    lines = [Line(ln.text, element_id=str(i)) for i, ln in enumerate(src.lines)]
    o = parse_lines(lines)
    kind_of: dict[int, str] = {}
    prio = {"article": 0, "paragraph": 1, "item": 2, "subitem": 3, "chapter": 4, "section": 4, "line": 5}
    for part in o.parts:
        if part.num in ("suppl", "appendix") and part.element_id is not None:
            kind_of[int(part.element_id)] = "suppl" if part.num == "suppl" else "appendix"
        for node in part.walk():
            if node is part or node.element_id is None:
                continue
            i = int(node.element_id)
            k = "row" if node.kind == "line" else ("chapter" if node.kind == "section" else node.kind)
            if i not in kind_of or prio.get(k, 9) < prio.get(kind_of[i], 9):
                kind_of[i] = k
    units: list[Unit] = []
    first_struct = min(kind_of) if kind_of else len(lines)
    art, para, item, sub, suppl = "", 0, 0, 0, -1
    for i, ln in enumerate(lines):
        t = ln.text
        k = kind_of.get(i)
        if i == 0:
            units.append(Unit("title", t))
            continue
        if k is None:
            nxt = kind_of.get(i + 1)
            if _CAPTION.match(t) and nxt in ("article", "paragraph"):
                k = "caption"
            elif i < first_struct and not t.startswith("目") and i <= 3:
                k = "date" if re.search(r"年.*月.*日", t) else "number"
            elif t.replace("\u3000", "") == "目次" or (units and units[-1].kind == "toc" and k is None):
                k = "toc"
            else:
                k = "text"
        u = Unit(k, t)
        m = _MARK.match(t)
        if k in ("article", "paragraph", "item", "subitem") and m:
            u.marker, u.body = m.group(1), m.group(2)
        elif k in ("article", "paragraph", "item", "subitem"):
            u.body = t
        if k == "article":
            art = re.sub(r"[^0-9０-９の]", "", u.marker).translate(_HW)
            para, item, sub = 1, 0, 0
        elif k == "paragraph":
            para, item, sub = para + 1, 0, 0
        elif k == "item":
            item, sub = item + 1, 0
        elif k == "subitem":
            sub += 1
        elif k == "suppl":
            suppl += 1
            art, para, item, sub = "", 0, 0, 0
        elif k == "text" and suppl >= 0 and not art:
            para += 1
        u.article, u.paragraph, u.item, u.subitem, u.suppl_index = art, para, item, sub, suppl
        units.append(u)
    return units, o.title


def _links(body: str, cls: str, href: str) -> str:
    return _REF.sub(lambda m: f'<a href="{href}" class="{cls}">{m.group(1)}</a>', body)


def _ruby(body: str) -> str:
    for base, reading in RUBY.items():
        if base in body:
            return body.replace(base, f"<ruby>{base}<rp>(</rp><rt>{reading}</rt><rp>)</rp></ruby>", 1)
    return body


def _inline(text: str, link_cls: str, href: str) -> str:
    """Escaped text with ruby on a few words and links on article references."""
    return _ruby(_links(html.escape(text, quote=False), link_cls, href))


# ---------------------------------------------------------------- ぎょうせい


def gyosei_page(doc: str, encoding: str = "utf-8") -> str:
    units, title = classify(doc)
    hw = [Unit(u.kind, u.text.translate(_HW), u.marker.translate(_HW), u.body.translate(_HW)) for u in units]
    rows: list[str] = []
    eid = [0]

    def e() -> str:
        eid[0] += 1
        return f"e{eid[0]:09d}"

    def eline(inner: str) -> None:
        rows.append(f'<div>\n<div id="l{len(rows):09d}" class="eline">{inner}</div>\n</div>')

    def sentence_spans(body: str) -> str:
        # a ただし書 is its own span.p
        parts = re.split(r"(?<=。)(?=ただし、)", body)
        return "".join(
            f'<span id="{e()}" class="p cm">{_inline(p, "inline quote", "#l000000000")}</span>' for p in parts
        )

    pending_caption = ""
    table: list[str] = []
    art_count = 0

    def flush_table() -> None:
        if not table:
            return
        trs = []
        for n, r in enumerate(table):
            cells = r.split("\u3000")
            tds = "".join(
                f'<td id="{e()}" class="bb-on br-on"><p class="p"><span id="{e()}" class="cm">{html.escape(c)}</span></p></td>'
                for c in cells
            )
            trs.append(f'<tr class="{"start t-edge" if n == 0 else ""}">{tds}</tr>')
        eline(
            f'<div class="table_frame"><div class="table-wrapper"><table id="{e()}" class="b-on">{"".join(trs)}</table></div></div>'
        )
        table.clear()

    for u in hw:
        if u.kind != "row":
            flush_table()
        if u.kind == "title":
            eline(
                f'<div class="head"><p class="title-irregular"><span id="{e()}" class="cm">○{html.escape(u.text)}</span></p></div>'
            )
        elif u.kind in ("date", "number"):
            eline(
                f'<div class="head"><p class="{u.kind}"><span id="{e()}" class="cm">{html.escape(u.text)}</span></p></div>'
            )
        elif u.kind == "toc":
            eline(
                f'<div class="toc"><p class="p"><span id="{e()}" class="cm">{html.escape(u.text)}</span></p></div>'
            )
        elif u.kind == "chapter":
            eline(
                f'<div class="chapter"><p class="title"><span id="{e()}" class="cm">{html.escape(u.text)}</span></p></div>'
            )
        elif u.kind == "caption":
            pending_caption = u.text
        elif u.kind == "article":
            art_count += 1
            cap = (
                f'<p class="title"><span id="{e()}" class="cm">{html.escape(pending_caption)}</span></p>'
                if pending_caption
                else ""
            )
            pending_caption = ""
            rev = '<p class="revise_record">(平成28条例41・一部改正)</p>' if art_count % 4 == 0 else ""
            eline(
                f'<div class="article">{cap}<p id="{e()}" class="num"><span id="{e()}" class="num cm">{html.escape(u.marker)}</span>'
                f'\u3000<span class="clause">{sentence_spans(u.body)}</span></p>{rev}</div>'
            )
        elif u.kind in ("paragraph", "item", "subitem"):
            cls = {"paragraph": "clause", "item": "item", "subitem": "item"}[u.kind]
            cap = ""
            if pending_caption:
                cap = (
                    f'<p class="title"><span id="{e()}" class="cm">{html.escape(pending_caption)}</span></p>'
                )
                pending_caption = ""
            if u.marker:
                eline(
                    f'<div class="{cls}">{cap}<p id="{e()}" class="num"><span id="{e()}" class="num cm">{html.escape(u.marker)}</span>'
                    f"\u3000{sentence_spans(u.body)}</p></div>"
                )
            else:
                eline(
                    f'<div class="{cls}">{cap}<p style="text-indent:1em;" id="{e()}" class="p">{sentence_spans(u.body)}</p></div>'
                )
        elif u.kind == "suppl":
            m = _SUPPL.match(u.text)
            paren = m.group(1) if m and m.group(1) else ""
            extra = ""
            if paren:
                d, _, n = paren.partition("日")
                extra = f'<span id="{e()}" class="date cm">({html.escape(d)}日</span><span id="{e()}" class="number cm">{html.escape(n)})</span>'
            eline(
                f'<p id="{e()}" class="s-head"><span id="{e()}" class="title cm"><span class="word-space">附</span>則</span>{extra}</p>'
            )
        elif u.kind == "appendix":
            m2 = re.match(r"^(\S+?)([（(].*[）)])?$", u.text)
            num, rel = (m2.group(1), m2.group(2) or "") if m2 else (u.text, "")
            eline(
                f'<div class="table-title"><p id="{e()}" class="num"><span id="{e()}" class="num cm">{html.escape(num)}</span>'
                f'<span id="{e()}" class="form-title cm">{html.escape(rel)}</span></p></div>'
            )
        elif u.kind == "row":
            table.append(u.text)
        else:  # plain text (附則 without number, 前文)
            cap = ""
            if pending_caption:
                cap = (
                    f'<p class="title"><span id="{e()}" class="cm">{html.escape(pending_caption)}</span></p>'
                )
                pending_caption = ""
            eline(
                f'<div class="clause">{cap}<p style="text-indent:1em;" id="{e()}" class="p">{sentence_spans(u.text)}</p></div>'
            )
    flush_table()
    body = "\n".join(rows)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html lang="ja">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge"><meta http-equiv="content-type" content="text/html; charset={"shift_jis" if encoding == "cp932" else "utf-8"}"><meta name="viewport" content="width=device-width,initial-scale=1.0">
<title>{html.escape(title)}</title>
<link rel="stylesheet" type="text/css" href="reiki.css">
<script type="text/javascript" src="reiki.js" charset="utf-8"> </script>
</head>
<body>
<div id="wrapper">
<div id="container">
<!-- 本文 -->
<div id="primary" class="joubun showhistory">
<div id="primaryInner">
<div id="primaryInner2">
{body}
</div>
</div>
</div>
<!-- /本文 -->
<!-- secondary -->
<div id="secondary">
<div class="heading-area"><h2 class="heading-lv2A">{html.escape(title)}</h2></div>
<ul class="tab-nav mt06"><li><a href="#joubun-toc-span"><span id="joubun-toc-span">条項目次</span></a></li><li><a href="#shoshi-inf-span"><span id="shoshi-inf-span">沿革</span></a></li></ul>
<div class="tab-area"><div id="shoshi-inf" class="tab-body"><div class="shoshi"><span class="enkaku-title">沿革情報</span></div></div></div>
</div>
<!-- secondary --></div>
</div>
</body>
</html>
"""


# ---------------------------------------------------------------- 第一法規


def _pos(u: Unit) -> str:
    art = u.article.translate(_HW) or "0"
    a_main, _, a_branch = art.partition("の")
    return f"{a_main or 0}.{a_branch or 0}.0.0-{u.paragraph}.0-{u.item}.0.0-{u.subitem}.0.0"


def d1law_pages(doc: str) -> tuple[str, str, str]:
    """(id, frameset page, _j body page)."""
    units, title = classify(doc)
    pid = D1_IDS[doc]
    divs: list[str] = []
    suppl_ids: list[str] = []
    header: list[str] = []
    for u in units:
        if u.kind == "suppl":
            m = _SUPPL.match(u.text)
            suppl_ids.append(re.sub(r"\D", "", m.group(1).translate(_HW))[:12] if m and m.group(1) else "")

    def div(id_: str, inner: str) -> None:
        divs.append(f'<div class="danraku-normal" id="{html.escape(id_)}">{inner}</div>')

    table: list[str] = []

    def flush_table(id_: str) -> None:
        if not table:
            return
        trs = "".join(
            "<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in r.split("\u3000")) + "</tr>"
            for r in table
        )
        div(id_, f'<table class="reiki-table" border="1">{trs}</table>')
        table.clear()

    appendix_n = 0
    for u in units:
        fw = u.text.translate(_FW)
        marker = u.marker.translate(_FW)
        body = u.body.translate(_FW)
        if u.suppl_index < 0:
            prefix = "h"
        elif u.suppl_index == 0 or not suppl_ids[u.suppl_index]:
            prefix = "sO10" if u.suppl_index == 0 else f"sO{10 + u.suppl_index}"
        else:
            prefix = f"kO10:{suppl_ids[u.suppl_index]}"
        if u.kind != "row":
            flush_table(f"b:bH20:::{appendix_n}:0")
        if u.kind in ("date", "number"):
            header.append(fw)
            continue
        if header:
            div("h:zB:::0:0.0.0.0-0.0-0.0.0-0.0.0", html.escape("".join(header)))
            header = []
        link = ("reiki-link", "javascript:void(0)")
        if u.kind == "title":
            div("h:zA:::0:0.0.0.0-0.0-0.0.0-0.0.0", f'<span class="title">○{html.escape(fw)}</span>')
        elif u.kind == "toc":
            div(f"h:mK10:::0:{len(divs)}", html.escape(fw))
        elif u.kind == "chapter":
            div(f"h:hS10:::0:{len(divs)}", html.escape(fw))
        elif u.kind == "caption":
            div(f"{prefix}:hL10:::0:{_pos(u)}", html.escape(fw))
        elif u.kind in ("article", "paragraph", "item", "subitem"):
            level = {"article": 1, "paragraph": 1, "item": 2, "subitem": 3}[u.kind]
            inner = (f'<span class="num">{html.escape(marker)}</span>\u3000' if marker else "") + _inline(
                body, *link
            )
            div(f"{prefix}:hL20:::{level}:{_pos(u)}", inner)
        elif u.kind == "suppl":
            div(f"{prefix}:fS10:::0:0", html.escape(fw))
        elif u.kind == "appendix":
            appendix_n += 1
            div(f"b:bH10:::{appendix_n}:0", html.escape(fw))
        elif u.kind == "row":
            table.append(fw)
        else:
            div(f"{prefix}:hL20:::1:{_pos(u)}", _inline(fw, *link))
    flush_table(f"b:bH20:::{appendix_n}:0")
    t = html.escape(title)
    frameset = f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" "http://www.w3.org/TR/html4/frameset.dtd">
<html lang="ja">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{t}</title>
</head>
<frameset cols="28%,*" border="1">
<frame src="{pid}_m.html" name="mokuji" title="目次">
<frame src="{pid}_j.html" name="honbun" title="本文">
<noframes><body><p>このページはフレームを使用しています。<a href="{pid}_j.html">本文</a></p></body></noframes>
</frameset>
</html>
"""
    body_page = f"""<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="UTF-8">
<title>{t}</title>
<link rel="stylesheet" href="../css/d1w_reiki.css">
</head>
<body class="d1w-honbun">
<div id="honbun-area">
{chr(10).join(divs)}
</div>
</body>
</html>
"""
    return pid, frameset, body_page


def main() -> None:
    gdir = HERE / "gyosei"
    ddir = HERE / "d1law"
    gdir.mkdir(exist_ok=True)
    ddir.mkdir(exist_ok=True)
    for doc in DOCS:
        enc = "cp932" if doc == CP932_DOC else "utf-8"
        (gdir / f"{doc}.html").write_bytes(gyosei_page(doc, enc).encode(enc))
        pid, frameset, body = d1law_pages(doc)
        (ddir / pid).mkdir(exist_ok=True)
        (ddir / pid / f"{pid}.html").write_text(frameset, encoding="utf-8")
        (ddir / pid / f"{pid}_j.html").write_text(body, encoding="utf-8")
        print(f"{doc}: gyosei/{doc}.html ({enc}), d1law/{pid}/{pid}.html + {pid}_j.html")


if __name__ == "__main__":
    main()
