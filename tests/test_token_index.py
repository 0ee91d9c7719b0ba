"""The O(log n) lookups of ruleset/token_index.py and near() give exactly what the linear scans
they replace gave (issue 11: scan time linear in the length of a provision)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from analogscan.engine import sentence_bounds
from analogscan.match import NearCond, RegexTerm, Term, TextTerm, Window
from analogscan.match.token_index import index_of

TEXT = (
    "営業者は、許可証を営業所の見やすい場所に掲示しなければならない。"
    "市長は、必要があると認めるときは、当該職員に、営業所に立ち入り、帳簿を検査させることができる。"
    "前項の規定により立入検査をする職員は、その身分を示す証明書を携帯し、関係者に提示しなければならない。"
    "管理者は、毎年1回以上点検し（次に掲げる事項を含む。）、その結果を記録しなければならない。"
)


def windows(n: int, rng: random.Random) -> list[tuple[int, int]]:
    out = [(0, n), *sentence_bounds(TEXT)]
    for _ in range(200):
        a = rng.randrange(0, n + 1)
        b = rng.randrange(a, n + 1)
        out.append((a, b))
    return out


@pytest.fixture(scope="module")
def parsed_variants() -> list[Any]:
    from analogscan import nlp

    bounds = sentence_bounds(TEXT)
    whole = nlp.parse(TEXT)  # one Doc
    per_sentence = nlp.parse_windows([(TEXT, bounds)])[0]  # one Doc per sentence
    some = nlp.parse_windows([(TEXT, [bounds[1], bounds[3]])])[0]  # gaps without tokens
    return [whole, per_sentence, some]


def test_token_windows_match_linear_filter(parsed_variants: list[Any]) -> None:
    rng = random.Random(11)
    for parsed in parsed_variants:
        all_toks = [(s, s + len(t.text), t) for s, t in parsed.tokens()]
        idx = index_of(parsed)
        for a, b in windows(len(TEXT), rng):
            w = Window(TEXT, parsed, a, b)
            want = [x for x in all_toks if x[0] >= a and x[1] <= b]
            assert [(s, e, t.i, id(t.doc)) for s, e, t in w.tokens()] == [
                (s, e, t.i, id(t.doc)) for s, e, t in want
            ]
            assert w.token_values("lemma_") == [t.lemma_ for _, _, t in want]
            # tokens overlapping a span inside the window
            for _ in range(5):
                x = rng.randrange(a, b + 1)
                y = rng.randrange(x, b + 1)
                lin = [(s, e) for s, e, _ in want if s < y and e > x]
                assert [(s, e) for s, e, _ in w.tokens_overlapping(x, y)] == lin
            for s, e, t in want:
                assert w.token_span(t) == (s, e)
            outside = [t for s, e, t in all_toks if not (s >= a and e <= b)]
            for t in outside[:5]:
                assert w.token_span(t) is None
            docs = [(off, d) for off, d in parsed.docs if off <= b and off + len(d.text) >= a]
            assert [off for off, _ in w.docs()] == [off for off, _ in docs]
        assert idx is index_of(parsed)  # built once per parsed text


def test_bunsetsu_windows_match_linear_filter(parsed_variants: list[Any]) -> None:
    import ginza

    rng = random.Random(12)
    for parsed in parsed_variants:
        spans = [
            (off + sp.start_char, off + sp.end_char)
            for off, doc in parsed.docs
            for sp in ginza.bunsetu_spans(doc)
        ]
        for a, b in windows(len(TEXT), rng):
            w = Window(TEXT, parsed, a, b)
            assert w.bunsetsu() == [(s, e) for s, e in spans if s >= a and e <= b]


def _inside_parens(text: str) -> list[bool]:
    """For each character: is it inside a parenthetical （…） (the parentheses included; 。 closes all)?"""
    out, depth = [], 0
    for ch in text:
        if ch == "（":
            depth += 1
        out.append(depth > 0)
        if ch == "）" and depth:
            depth -= 1
        elif ch == "。":
            depth = 0
    return out


def _near_reference(c: NearCond, w: Window) -> list[tuple[int, int]] | None:
    """near() as it was before bisection: every pair tried in order; the distance between two
    words leaves out the characters of parentheticals （…） between them."""
    inside = _inside_parens(w.text)

    def dist(x: int, y: int) -> int:
        return sum(1 for k in range(x, y) if not inside[k])

    all_spans = [t.spans(w) for t in c.terms]
    if any(not s for s in all_spans):
        return None
    for a in all_spans[0]:
        chosen = [a]
        prev = a
        for spans in all_spans[1:]:
            best = None
            for b in spans:
                if c.ordered and b[0] < prev[1]:
                    continue
                if c.ordered:
                    gap = dist(prev[1], b[0])
                elif b[0] >= a[1]:
                    gap = dist(a[1], b[0])
                elif a[0] >= b[1]:
                    gap = dist(b[1], a[0])
                else:
                    gap = 0
                if gap <= c.within:
                    best = b
                    break
            if best is None:
                break
            chosen.append(best)
            prev = best
        else:
            return sorted(set(chosen))
    return None


def _rx(p: str) -> Term:
    t = RegexTerm([p])
    return t


def test_near_by_bisection_equals_pairwise_search() -> None:
    """The fast near() equals the pairwise reference, parentheticals in the text included."""
    rng = random.Random(13)
    term_sets = [
        [TextTerm(["ab"]), TextTerm(["c"])],
        [_rx("c[ab]{0,6}c"), TextTerm(["ab", "b"]), _rx("a+")],
        [TextTerm(["a"]), _rx("b[^c]*"), TextTerm(["ca", "c"])],
    ]
    checked = 0
    for _ in range(400):
        text = "".join(rng.choice("abcx（）。") for _ in range(rng.randrange(1, 80)))
        w = Window(text, None)
        for terms in term_sets:
            for ordered in (False, True):
                c = NearCond(terms, within=rng.randrange(0, 12), ordered=ordered)
                assert c.eval(w) == _near_reference(c, w), (text, ordered, c.within)
                checked += 1
    assert checked == 400 * 6


def test_near_does_not_count_a_parenthetical_between_the_words() -> None:
    """「一年に一回以上（…その都度）水質検査を行い」: the 36 characters of the parenthetical do not
    push 検査 out of a 10-character window; the same words 36 plain characters apart stay apart."""
    c = NearCond([TextTerm(["一回以上"]), TextTerm(["検査"])], within=10, ordered=True)
    inserted = "一年に一回以上（災害等により水源等が汚染され、水質が変化したおそれがある場合は、その都度）水質検査を行う。"
    assert c.eval(Window(inserted, None)) is not None
    plain = "一年に一回以上災害等により水源等が汚染され、水質が変化したおそれがある場合は、その都度水質検査を行う。"
    assert c.eval(Window(plain, None)) is None
    # a parenthesis left open does not hide the next sentence
    opened = "一回以上（注。" + "あ" * 20 + "検査"
    assert c.eval(Window(opened, None)) is None
