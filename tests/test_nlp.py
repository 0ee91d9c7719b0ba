from __future__ import annotations

import pytest

from analogscan import nlp


def test_short_text_is_one_chunk() -> None:
    assert nlp.split_for_sudachi("第一条　この条例は、公布の日から施行する。") == [
        "第一条　この条例は、公布の日から施行する。"
    ]


def test_split_respects_byte_limit_and_sentence_ends() -> None:
    sent = "営業者は、許可証を営業所の見やすい場所に掲示しなければならない。"
    text = sent * 3000  # ~ 96,000 chars, ~290 KB
    chunks = nlp.split_for_sudachi(text)
    assert "".join(chunks) == text
    assert len(chunks) > 1
    for c in chunks:
        assert len(c.encode("utf-8")) <= nlp.MAX_CHUNK_BYTES
        assert c.endswith("。")


def test_split_without_punctuation_hard_splits() -> None:
    text = "あ" * 50_000
    chunks = nlp.split_for_sudachi(text)
    assert "".join(chunks) == text
    assert all(len(c.encode("utf-8")) <= nlp.MAX_CHUNK_BYTES for c in chunks)


SUDACHI_MAX_BYTES = 49_149  # SudachiPy: "Input is too long, it can't be more than 49149 bytes"


def test_text_over_sudachis_byte_limit_is_split_and_parsed() -> None:
    """A provision longer than Sudachi accepts (49,149 bytes) must still parse: split, then parsed chunk by chunk.

    The text is just over the limit (the 200,000-character text used before made the same point with 12 times as much text).
    """
    unit = "当該職員は、営業所に立ち入り、帳簿書類その他の物件を検査することができる。"
    text = unit * (SUDACHI_MAX_BYTES // len(unit.encode("utf-8")) + 1)
    assert SUDACHI_MAX_BYTES < len(text.encode("utf-8")) <= SUDACHI_MAX_BYTES + len(unit.encode("utf-8"))
    # the limit is real: Sudachi refuses the text in one piece
    with pytest.raises(Exception, match="Input is too long"):
        nlp.get_nlp().make_doc(text)
    parsed = nlp.parse(text)
    assert parsed.text == text
    assert len(parsed.docs) > 1
    toks = list(parsed.tokens())
    # offsets are absolute and tokens reproduce the text
    assert toks[0][0] == 0
    start, tok = toks[-1]
    assert start + len(tok.text) == len(text)
    assert sum(len(t.text) + len(t.whitespace_) for _, t in toks) == len(text)
    assert [text[s : s + len(t.text)] for s, t in toks] == [t.text for _, t in toks]
    # lemma/norm are present in every chunk, up to the end
    assert any(t.norm_ == "立ち入る" for _, t in toks[:200])
    assert any(t.norm_ == "立ち入る" for _, t in toks[-200:])


def test_long_text_without_sentence_end_parses() -> None:
    text = "営業所" * 5_500  # 16,500 chars, 49,500 bytes: over Sudachi's limit, no 。 to split at
    assert len(text.encode("utf-8")) > SUDACHI_MAX_BYTES
    parsed = nlp.parse(text)
    assert len(parsed.docs) > 1
    assert "".join(t.text + t.whitespace_ for _, t in parsed.tokens()) == text


def test_pipeline_loaded_once() -> None:
    a = nlp.get_nlp()
    b = nlp.get_nlp()
    assert a is b
    assert "ner" not in a.pipe_names
