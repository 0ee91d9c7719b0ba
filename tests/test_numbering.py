from __future__ import annotations

import pytest
from conftest import REPO

from analogscan.model import Location
from analogscan.structure.markers import (
    AIUEO,
    IROHA,
    PARENTHESIZED_NUMBERS,
    ROMAN_NUMERALS,
    circled_number,
    int_to_kanji,
    int_to_roman,
    kanji_to_int,
    to_int,
)
from analogscan.structure.numbering import (
    citation_key,
    citation_label,
    parse_article,
    parse_citation,
    parse_item,
    parse_paragraph,
    parse_subitem,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("百", 100), ("二百十三", 213),
        ("千二百三十四", 1234), ("二〇〇", 200), ("拾", 10), ("参拾弐", 32), ("三万五千", 35000),
    ],
)  # fmt: skip
def test_kanji_to_int(text: str, value: int) -> None:
    assert kanji_to_int(text) == value


def test_kanji_round_trip() -> None:
    for n in range(1, 1200):
        assert kanji_to_int(int_to_kanji(n)) == n


def test_to_int_widths() -> None:
    assert to_int("１２") == 12
    assert to_int("12") == 12
    assert to_int("十二") == 12
    assert to_int("abc") is None
    assert to_int("") is None
    assert kanji_to_int("一定") is None


@pytest.mark.parametrize(
    ("text", "num"),
    [
        ("第十二条の二", "12_2"), ("第12条の2", "12_2"), ("第１２条の２", "12_2"),
        ("第十二條ノ二", "12_2"), ("第十二条の二の三", "12_2_3"), ("12条の2", "12_2"),
        ("第百条", "100"), ("第一条", "1"),
    ],
)  # fmt: skip
def test_parse_article(text: str, num: str) -> None:
    assert parse_article(text) == num


def test_parse_article_rejects() -> None:
    assert parse_article("第一章") is None
    assert parse_article("条") is None


def test_paragraph_item_subitem() -> None:
    assert parse_paragraph("２") == 2
    assert parse_paragraph("2") == 2
    assert parse_paragraph("第二項") == 2
    assert parse_item("一") == "1"
    assert parse_item("(1)") == "1"
    assert parse_item("（１）") == "1"
    assert parse_item("1") == "1"
    assert parse_item("一の二") == "1_2"
    assert parse_item("第一号の二") == "1_2"
    assert parse_subitem("イ") == "イ"
    assert parse_subitem("ﾛ") == "ロ"
    assert parse_subitem("（１）") == "(1)"
    assert parse_subitem("(１)") == "(1)"
    assert parse_subitem("(ii)") == "(ii)"
    assert parse_subitem("ａ") == "a"
    assert parse_subitem("一定") is None


@pytest.mark.parametrize(
    ("text", "part", "article", "paragraph", "item", "subitems", "label"),
    [
        ("12条の2第3項", "main", "12_2", 3, None, [], "第12条の2第3項"),
        ("第十二条の二第三項第一号イ", "main", "12_2", 3, "1", ["イ"], "第12条の2第3項第1号イ"),
        ("第十六条の十三第2項第一号", "main", "16_13", 2, "1", [], "第16条の13第2項第1号"),
        ("附則第2項", "suppl", None, 2, None, [], "附則第2項"),
        ("附則附則第1項", "suppl", None, 1, None, [], "附則第1項"),
        ("附則第一条第二号", "suppl", "1", None, "2", [], "附則第1条第2号"),
        ("第3条第1号の2ロ（１）", "main", "3", None, "1_2", ["ロ", "(1)"], "第3条第1号の2ロ(1)"),
        ("第１２条の２第１項", "main", "12_2", 1, None, [], "第12条の2第1項"),
    ],
)  # fmt: skip
def test_parse_citation(
    text: str,
    part: str,
    article: str | None,
    paragraph: int | None,
    item: str | None,
    subitems: list[str],
    label: str,
) -> None:
    loc = parse_citation(text)
    assert (loc.part, loc.article, loc.paragraph, loc.item, loc.subitems) == (
        part,
        article,
        paragraph,
        item,
        subitems,
    )
    assert loc.label == label


def test_parse_citation_appendix() -> None:
    loc = parse_citation("別表第一")
    assert loc.part == "appendix"
    assert loc.appendix == "別表第1"
    assert loc.label == "別表第1"


def test_citation_key_equivalences() -> None:
    assert citation_key(parse_citation("12条の2第3項")) == citation_key(parse_citation("第十二条の二第三項"))
    assert citation_key(parse_citation("第三条")) == citation_key(parse_citation("第3条第1項"))
    assert citation_key(parse_citation("附則附則第1項")) == citation_key(parse_citation("附則第１項"))
    assert citation_key(parse_citation("第三条")) != citation_key(parse_citation("附則第三条"))
    a = Location(part="suppl", article="1", paragraph=1, suppl_index=3)
    assert citation_key(a) == citation_key(parse_citation("附則第一条"))


def test_citation_label_rules() -> None:
    loc = Location(article="3", paragraph=1, item="1")
    assert citation_label(loc, single_paragraph=True) == "第3条第1号"
    assert citation_label(loc, single_paragraph=False) == "第3条第1項第1号"
    loc = Location(article="12_2", paragraph=3, item="1", subitems=["イ", "(1)"])
    assert citation_label(loc, single_paragraph=False) == "第12条の2第3項第1号イ(1)"
    assert citation_label(Location(part="suppl", paragraph=2), single_paragraph=False) == "附則第2項"
    loc = Location(part="suppl", article="3", paragraph=2)
    assert citation_label(loc, single_paragraph=False) == "附則第3条第2項"
    assert citation_label(Location(part="suppl", paragraph=1), single_paragraph=True) == "附則"
    assert citation_label(Location(part="appendix", appendix="別表第1"), single_paragraph=True) == "別表第1"
    loc = Location(article="5", paragraph=1, item="1_2")
    assert citation_label(loc, single_paragraph=True) == "第5条第1号の2"


def test_label_round_trip() -> None:
    for text in [
        "第12条の2第3項第1号イ",
        "第3条第1号",
        "附則第2項",
        "附則第3条第2項",
        "別表第1",
        "第5条第1号の2(1)",
    ]:
        assert parse_citation(text).label == text


def test_branch_joiner_is_no_or_katakana_no_not_zhi() -> None:
    # の (modern) and ノ (katakana laws before 1946) join branch numbers; 之 does not (Chinese usage)
    assert parse_article("第十二条の二") == parse_article("第十二條ノ二") == "12_2"
    assert parse_article("第十二条之二") is None
    assert parse_item("第一号ノ二") == "1_2"


def test_roman_and_circled_markers() -> None:
    assert [int_to_roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]
    assert ROMAN_NUMERALS["xiv"] == 14 and len(ROMAN_NUMERALS) == 20
    assert parse_subitem("(xiv)") == "(xiv)" and parse_subitem("（ｉｖ）") == "(iv)"
    assert circled_number(1) == "①" and circled_number(20) == "⑳" and circled_number(21) is None
    assert PARENTHESIZED_NUMBERS[0] == "⑴" and PARENTHESIZED_NUMBERS[-1] == "⒇"


def test_kana_series() -> None:
    assert len(IROHA) == 47 and len(set(IROHA)) == 47 and "ン" not in IROHA
    assert len(AIUEO) == 46 and AIUEO.endswith("ン") and set(IROHA) | {"ン"} == set(AIUEO) | {"ヰ", "ヱ"}


def test_markers_are_defined_only_in_markers_module() -> None:
    """The series and the joiner are spelled out once, in structure/markers.py."""
    spelled = (
        "イロハニホヘト",
        "アイウエオカキ",
        "〇一二三四五六七八九",
        "一二三四五六七八九十百",
        "[のノ",
        "(900, ",
    )
    src = REPO / "src" / "analogscan"
    found = [
        f"{path.relative_to(src)}: {s}"
        for path in sorted(src.rglob("*.py"))
        if path.name != "markers.py"
        for s in spelled
        if s in path.read_text(encoding="utf-8")
    ]
    assert not found, found
