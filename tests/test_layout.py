"""The Markdown-like 例規 layout (「# 題名」「### 第一条」「#### 2　…」「##### 一　…」) parses into the
same tree as the printed layout."""

from __future__ import annotations

from conftest import shared_path

from analogscan.model import Line
from analogscan.structure import parse_lines
from analogscan.structure.layout import is_markdown_layout, strip_markdown_layout

MARKDOWN = """
# みどり野市緑化推進条例施行規則

令和二年三月三十一日
規則第八号

（目的）
### 第一条
この規則は、みどり野市緑化推進条例の施行について必要な事項を定める。

（標識）
### 第二条
保護樹木の所有者は、次に掲げる事項を記載した標識を見やすい場所に掲げなければならない。

##### 一　保護樹木の指定番号
#####二 指定年月日
    イ 指定の日
    ロ 更新の日

#### 2　前項の標識の様式は、市長が別に定める。

## 附　則
この規則は、令和二年四月一日から施行する。
"""

PRINTED = """
みどり野市緑化推進条例施行規則
令和二年三月三十一日
規則第八号
（目的）
第一条　この規則は、みどり野市緑化推進条例の施行について必要な事項を定める。
（標識）
第二条　保護樹木の所有者は、次に掲げる事項を記載した標識を見やすい場所に掲げなければならない。
一　保護樹木の指定番号
二　指定年月日
イ　指定の日
ロ　更新の日
２　前項の標識の様式は、市長が別に定める。
附　則
この規則は、令和二年四月一日から施行する。
"""


def _lines(text: str) -> list[Line]:
    return [Line(s.strip()) for s in text.splitlines() if s.strip()]


def test_markdown_layout_parses_like_printed_layout() -> None:
    md = parse_lines(_lines(MARKDOWN))
    printed = parse_lines(_lines(PRINTED))
    assert md.title == "みどり野市緑化推進条例施行規則"
    got = [(p.location.label, p.text) for p in md.provisions]
    assert got == [(p.location.label, p.text) for p in printed.provisions]
    labels = [label for label, _ in got]
    assert "第2条第1項第1号" in labels and "第2条第2項" in labels and "附則" in labels
    assert all("#" not in text for _, text in got)


def test_plain_text_with_a_hash_is_not_markdown() -> None:
    lines = _lines("第一条　番号は #1 とする。\n# 注記\n２　前項の番号は、変更しない。")
    assert not is_markdown_layout(lines)
    assert strip_markdown_layout(lines) == lines


def test_municipal_23ku_documents_are_structured() -> None:
    folder = shared_path("corpus", "municipal_23ku")
    from analogscan.ingest import read_document
    from analogscan.structure import build_ordinance

    files = sorted(folder.glob("*/*.txt"))
    assert len(files) >= 150
    few = []
    total = 0
    for f in files:
        o = build_ordinance(read_document(f))
        total += len(o.provisions)
        if len(o.provisions) < 2 or o.title.startswith("#"):
            few.append(f.name)
        assert not any(p.text.startswith("#") for p in o.provisions), f.name
    assert not few, few
    assert total > 20_000


def test_list_marks_and_old_style_fusoku() -> None:
    md = "# 規則\n### 第一条\nこの規則は、必要な事項を定める。\n### 第二条\n手続は、別に定める。\n## 付則\n- 1 この規則は、公布の日から施行する。\n- 2 経過措置は、別に定める。\n"
    o = parse_lines(_lines(md))
    got = [(p.location.label, p.text) for p in o.provisions]
    assert got[-2:] == [
        ("附則第1項", "この規則は、公布の日から施行する。"),
        ("附則第2項", "経過措置は、別に定める。"),
    ]
