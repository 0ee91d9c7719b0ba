from __future__ import annotations

from analogscan import nlp


def test_short_text_is_one_chunk() -> None:
    assert nlp.split_for_sudachi("第一条　この条例は、公布の日から施行する。") == ["第一条　この条例は、公布の日から施行する。"]


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


def test_200k_character_provision_parses_without_crash() -> None:
    """Sudachi refuses > 49,149 bytes; a 200,000-character provision must still parse."""
    unit = "当該職員は、営業所に立ち入り、帳簿書類その他の物件を検査することができる。"
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    parsed = nlp.parse(text)
    assert parsed.text == text
    toks = list(parsed.tokens())
    # offsets are absolute and tokens reproduce the text
    assert toks[0][0] == 0
    start, tok = toks[-1]
    assert start + len(tok.text) == len(text)
    assert sum(len(t.text) + len(t.whitespace_) for _, t in toks) == len(text)
    # lemma/norm are present across chunk boundaries
    assert any(t.norm_ == "立ち入る" for _, t in toks[-200:])


def test_long_text_without_sentence_end_parses() -> None:
    text = "営業所" * 20_000  # 60,000 chars, 180 KB, no 。
    parsed = nlp.parse(text)
    assert "".join(t.text + t.whitespace_ for _, t in parsed.tokens()) == text


def test_pipeline_loaded_once() -> None:
    a = nlp.get_nlp()
    b = nlp.get_nlp()
    assert a is b
    assert "ner" not in a.pipe_names
