"""Match conditions: a small closed set of kinds combined with all / any / not.

Kinds (each a YAML mapping with exactly one key):
  text      substring(s) of the text (full-width letters/digits match half-width ones)
  regex     Python regular expression(s) (re syntax; guarded against runaway backtracking, see safe_regex)
  lemma     word or phrase compared token by token on GiNZA's lemma (掲示する ≈ 掲示し)
  norm      the same on Sudachi's normalized form (立入り/立ち入り → 立ち入り)
  pattern   a spaCy Matcher token pattern (list of token dicts, or a list of such lists)
  dep       {head: TERM, child: TERM, rel: [obj, obl, ...], max_hops: 2}: child depends on head
  bunsetsu  [TERM, TERM, ...]: all terms inside one bunsetsu (文節)
  near      {terms: [TERM, TERM, ...], within: 20, ordered: false}: terms within N characters
  all / any [COND, ...]   not: COND
A TERM is a string (= text) or a mapping with one of text / regex / lemma / norm and an
optional pos (e.g. NOUN, VERB or a list), not_preceded_by and not_followed_by (strings: an
occurrence of the term is ignored when the text right before it ends with / right after it
starts with one of them, e.g. {text: ごとに, not_preceded_by: [期間, 年]}). The two context
keys are also allowed on a plain text / regex / lemma / norm condition.

Every condition evaluates on a Window (one sentence or a whole provision) and returns the
character spans that made it true, or None.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..nlp import ParsedText
from .safe_regex import MAX_PATTERN_CHARS, SafeRegex, check_pattern
from .token_index import TokenIndex, index_of

Span = tuple[int, int]

MAX_TERM_CHARS = MAX_PATTERN_CHARS  # one text / regex / lemma / norm value
CONDITION_KINDS = (
    "text",
    "regex",
    "lemma",
    "norm",
    "pattern",
    "dep",
    "bunsetsu",
    "near",
    "all",
    "any",
    "not",
)
TERM_KINDS = ("text", "regex", "lemma", "norm")
CONTEXT_KEYS = ("not_preceded_by", "not_followed_by")
# keys people are likely to write for the context filters, and what to write instead
_CONTEXT_HINTS = {
    "not_before": "not_preceded_by（直前が…のときは除く）か not_followed_by（直後が…のときは除く）",
    "not_after": "not_preceded_by（直前が…のときは除く）か not_followed_by（直後が…のときは除く）",
    "not_preceded": "not_preceded_by",
    "not_followed": "not_followed_by",
    "preceded_by": "not_preceded_by",
    "followed_by": "not_followed_by",
}

_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F) if chr(c - 0xFEE0).isalnum()}
_WIDTH.update({0xFF0D: ord("-"), 0x2010: ord("-"), 0x2212: ord("-"), 0x2011: ord("-")})


def normalize_width(text: str) -> str:
    """Full-width ASCII letters/digits and hyphen variants → half-width; same length as input."""
    return text.translate(_WIDTH)


# ----------------------------------------------------------------------------- window


class Window:
    """The text a condition looks at: [start, end) of one provision, with its tokens."""

    def __init__(self, text: str, parsed: ParsedText | None, start: int = 0, end: int | None = None) -> None:
        self.raw = text
        self.text = normalize_width(text)
        self.parsed = parsed
        self.start = start
        self.end = len(text) if end is None else end
        self._range: tuple[int, int] | list[int] | None = None

    @property
    def segment(self) -> str:
        return self.text[self.start : self.end]

    def _index(self) -> TokenIndex:
        if self.parsed is None:
            raise RuntimeError("this condition needs GiNZA tokens but the text was not parsed")
        return index_of(self.parsed)

    def _token_range(self) -> tuple[int, int] | list[int]:
        if self._range is None:
            self._range = self._index().window(self.start, self.end)
        return self._range

    def tokens(self) -> list[tuple[int, int, Any]]:
        """(start, end, token) of the tokens inside the window, absolute offsets."""
        return self._index().tokens(self._token_range())

    def token_values(self, attr: str) -> list[Any]:
        """getattr(token, attr) for the tokens of tokens(), in the same order."""
        return self._index().values(self._token_range(), attr)

    def tokens_overlapping(self, a: int, b: int) -> list[tuple[int, int, Any]]:
        """The tokens of the window that overlap [a, b), in order."""
        return self._index().overlapping(self._token_range(), a, b)

    def token_span(self, tok: Any) -> tuple[int, int] | None:
        """(start, end) of a token of this window's text, None if it is not in the window."""
        return self._index().span_of(self._token_range(), tok)

    def docs(self) -> list[tuple[int, Any]]:
        """(offset, Doc) of the parsed Docs that touch the window."""
        return self._index().docs(self.start, self.end)

    def bunsetsu(self) -> list[Span]:
        if self.parsed is None:
            raise RuntimeError("bunsetsu needs GiNZA")
        return self._index().bunsetsu(self.start, self.end)

    def sub(self, start: int, end: int) -> Window:
        w = Window.__new__(Window)
        w.raw, w.text, w.parsed = self.raw, self.text, self.parsed
        w.start, w.end, w._range = start, end, None
        return w


# ----------------------------------------------------------------------------- terms


@dataclass
class Term:
    kind: str  # text | regex | lemma | norm
    values: list[str]
    pos: list[str] | None = None
    not_preceded_by: list[str] = field(default_factory=list)
    not_followed_by: list[str] = field(default_factory=list)
    _regexes: list[SafeRegex] = field(default_factory=list, repr=False)
    _seqs: list[list[str]] | None = field(default=None, repr=False)

    def needs_nlp(self) -> bool:
        return self.kind in ("lemma", "norm") or self.pos is not None

    def without_pos(self) -> Term:
        """The same term without its pos filter (context filters kept; compiled state shared)."""
        t = Term(self.kind, self.values, None, self.not_preceded_by, self.not_followed_by)
        t._regexes = self._regexes
        t._seqs = self._seqs
        return t

    def _context_ok(self, w: Window, sp: Span) -> bool:
        """False when the occurrence is right after a not_preceded_by string or right before a
        not_followed_by string. The context is the whole text the window belongs to (so a term
        at the start of a bunsetsu or sentence still sees what precedes it)."""
        for v in self.not_preceded_by:
            nv = normalize_width(v)
            if sp[0] >= len(nv) and w.text[sp[0] - len(nv) : sp[0]] == nv:
                return False
        for v in self.not_followed_by:
            nv = normalize_width(v)
            if w.text[sp[1] : sp[1] + len(nv)] == nv:
                return False
        return True

    def describe(self) -> str:
        out = f"{self.kind}: {'/'.join(self.values)}"
        if self.not_preceded_by:
            out += f"（直前が {'/'.join(self.not_preceded_by)} のものを除く）"
        if self.not_followed_by:
            out += f"（直後が {'/'.join(self.not_followed_by)} のものを除く）"
        return out

    def _token_seqs(self) -> list[list[str]]:
        if self._seqs is None:
            from ..nlp import get_nlp

            tok = get_nlp().tokenizer
            seqs = []
            for v in self.values:
                d = tok(v)
                seqs.append([t.lemma_ if self.kind == "lemma" else t.norm_ for t in d])
            self._seqs = seqs
        return self._seqs

    def spans(self, w: Window) -> list[Span]:
        out: list[Span] = []
        if self.kind == "text":
            seg = w.segment
            for v in self.values:
                nv = normalize_width(v)
                i = seg.find(nv)
                while i >= 0:
                    out.append((w.start + i, w.start + i + len(nv)))
                    i = seg.find(nv, i + 1)
        elif self.kind == "regex":
            seg = w.segment
            context = bool(self.not_preceded_by or self.not_followed_by)
            for rx in self._regexes:
                if not context:
                    for m in rx.finditer(seg):
                        if m.end() > m.start():
                            out.append((w.start + m.start(), w.start + m.end()))
                    continue
                # like finditer, but a match dropped by the context filters is retried one
                # character later (so it cannot hide a later occurrence, as a lookbehind would not)
                pos = 0
                while pos <= len(seg):
                    found = rx.search(seg, pos)
                    if found is None:
                        break
                    sp = (w.start + found.start(), w.start + found.end())
                    if found.end() > found.start() and self._context_ok(w, sp):
                        out.append(sp)
                        pos = found.end()
                    else:
                        pos = found.start() + 1
        else:
            toks = w.tokens()
            vals = w.token_values("lemma_" if self.kind == "lemma" else "norm_")
            for seq in self._token_seqs():
                n = len(seq)
                if n == 0:
                    continue
                for i in range(len(toks) - n + 1):
                    if vals[i : i + n] == seq:
                        out.append((toks[i][0], toks[i + n - 1][1]))
        if (self.not_preceded_by or self.not_followed_by) and out:
            out = [sp for sp in out if self._context_ok(w, sp)]
        if self.pos is not None and out:
            out = [sp for sp in out if self._pos_ok(w, sp)]
        return sorted(set(out))

    def _pos_ok(self, w: Window, sp: Span) -> bool:
        inside = w.tokens_overlapping(sp[0], sp[1])
        return bool(inside) and inside[-1][2].pos_ in (self.pos or [])

    def tokens(self, w: Window) -> list[Any]:
        """Tokens covered by a match of this term (the head, i.e. last, token of each match)."""
        spans = self.spans(w)
        if not spans:
            return []
        out: list[Any] = []
        for sp in spans:
            out.extend(t for _, _, t in w.tokens_overlapping(sp[0], sp[1]))
        return out


# ----------------------------------------------------------------------------- conditions


class Condition:
    kind = ""

    def eval(self, w: Window) -> list[Span] | None:
        raise NotImplementedError

    def needs_nlp(self) -> bool:
        return False

    def describe(self) -> str:
        return self.kind


@dataclass
class TermCond(Condition):
    term: Term

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.term.kind

    def eval(self, w: Window) -> list[Span] | None:
        sp = self.term.spans(w)
        return sp or None

    def needs_nlp(self) -> bool:
        return self.term.needs_nlp()

    def describe(self) -> str:
        return self.term.describe()


@dataclass
class PatternCond(Condition):
    patterns: list[list[dict[str, Any]]]
    kind = "pattern"
    _matcher: Any = field(default=None, repr=False)

    def needs_nlp(self) -> bool:
        return True

    def eval(self, w: Window) -> list[Span] | None:
        if w.parsed is None:
            raise RuntimeError("pattern needs GiNZA")
        if self._matcher is None:
            from spacy.matcher import Matcher

            from ..nlp import get_nlp

            m = Matcher(get_nlp().vocab)
            m.add("P", self.patterns)
            self._matcher = m
        out: list[Span] = []
        for off, doc in w.docs():  # only the Docs a match inside the window can come from
            for _, s, e in self._matcher(doc):
                span = doc[s:e]
                a, b = off + span.start_char, off + span.end_char
                if a >= w.start and b <= w.end:
                    out.append((a, b))
        return sorted(set(out)) or None


@dataclass
class DepCond(Condition):
    head: Term
    child: Term
    rel: list[str] | None = None
    max_hops: int = 2
    kind = "dep"

    def needs_nlp(self) -> bool:
        return True

    def eval(self, w: Window) -> list[Span] | None:
        heads = self.head.tokens(w)
        if not heads:
            return None
        head_ids = {(id(t.doc), t.i) for t in heads}
        out: list[Span] = []
        for c in self.child.tokens(w):
            cur = c
            for _ in range(self.max_hops):
                parent = cur.head
                if parent.i == cur.i:
                    break
                if (id(parent.doc), parent.i) in head_ids and (self.rel is None or cur.dep_ in self.rel):
                    out.append(_tok_span(w, c))
                    out.append(_tok_span(w, parent))
                    break
                cur = parent
        return sorted(set(out)) or None

    def describe(self) -> str:
        return f"dep: {'/'.join(self.child.values)} → {'/'.join(self.head.values)}"


def _tok_span(w: Window, tok: Any) -> Span:
    return w.token_span(tok) or (0, 0)


@dataclass
class BunsetsuCond(Condition):
    terms: list[Term]
    kind = "bunsetsu"

    def needs_nlp(self) -> bool:
        return True

    def eval(self, w: Window) -> list[Span] | None:
        for bs, be in w.bunsetsu():
            sub = w.sub(bs, be)
            hits: list[Span] = []
            for t in self.terms:
                sp = t.spans(sub)
                if not sp:
                    break
                hits.extend(sp)
            else:
                return sorted(set(hits))
        return None


@dataclass
class NearCond(Condition):
    terms: list[Term]
    within: int = 20
    ordered: bool = False
    kind = "near"

    def needs_nlp(self) -> bool:
        return any(t.needs_nlp() for t in self.terms)

    def eval(self, w: Window) -> list[Span] | None:
        all_spans = [t.spans(w) for t in self.terms]
        if any(not s for s in all_spans):
            return None
        longest = [max(e - s for s, e in spans) for spans in all_spans]
        for a in all_spans[0]:
            chosen = [a]
            prev = a
            for spans, most in zip(all_spans[1:], longest[1:], strict=True):
                best = self._first_near(spans, most, a, prev)
                if best is None:
                    break
                chosen.append(best)
                prev = best
            else:
                return sorted(set(chosen))
        return None

    def _first_near(self, spans: list[Span], longest: int, a: Span, prev: Span) -> Span | None:
        """The first span (in sorted order) near enough: after ``prev`` by at most ``within``
        characters (ordered), or at most ``within`` characters from ``a`` either side. Found
        by bisection: spans start in sorted order and are at most ``longest`` long."""
        if self.ordered:
            i = bisect_left(spans, (prev[1],))
            if i < len(spans) and spans[i][0] - prev[1] <= self.within:
                return spans[i]
            return None
        i = bisect_left(spans, (a[0] - self.within - longest,))
        while i < len(spans) and spans[i][0] <= a[1] + self.within:
            b = spans[i]
            if max(b[0] - a[1], a[0] - b[1], 0) <= self.within:
                return b
            i += 1
        return None


@dataclass
class AllCond(Condition):
    children: list[Condition]
    kind = "all"

    def needs_nlp(self) -> bool:
        return any(c.needs_nlp() for c in self.children)

    def eval(self, w: Window) -> list[Span] | None:
        out: list[Span] = []
        for c in self.children:
            r = c.eval(w)
            if r is None:
                return None
            out.extend(r)
        return out


@dataclass
class AnyCond(Condition):
    children: list[Condition]
    kind = "any"

    def needs_nlp(self) -> bool:
        return any(c.needs_nlp() for c in self.children)

    def eval(self, w: Window) -> list[Span] | None:
        out: list[Span] | None = None
        for c in self.children:
            r = c.eval(w)
            if r is not None:
                out = (out or []) + r
        return out


@dataclass
class NotCond(Condition):
    child: Condition
    kind = "not"

    def needs_nlp(self) -> bool:
        return self.child.needs_nlp()

    def eval(self, w: Window) -> list[Span] | None:
        return [] if self.child.eval(w) is None else None


# ----------------------------------------------------------------------------- parsing

ErrorSink = Callable[[list[str | int], str], None]


def _as_list(v: Any) -> list[Any]:
    return list(v) if isinstance(v, list) else [v]


def parse_term(data: Any, path: list[str | int], err: ErrorSink) -> Term | None:
    if isinstance(data, str):
        if not data:
            err(path, "空の語は使えません")
            return None
        return Term("text", [data])
    if not isinstance(data, dict):
        err(path, "語の指定は文字列か、text / regex / lemma / norm のいずれか1つを持つ対応付けにしてください")
        return None
    kinds = [k for k in data if k in TERM_KINDS]
    unknown = [k for k in data if k not in TERM_KINDS and k != "pos" and k not in CONTEXT_KEYS]
    for k in unknown:
        err(
            path + [k],
            _unknown_term_key(
                k, "語に使えるのは text, regex, lemma, norm, pos, not_preceded_by, not_followed_by です"
            ),
        )
    if len(kinds) != 1:
        err(path, "語には text / regex / lemma / norm のうちちょうど1つを指定してください")
        return None
    kind = kinds[0]
    vals = _as_list(data[kind])
    if not vals or not all(isinstance(v, str) and v for v in vals):
        err(path + [kind], "値は空でない文字列か、その一覧にしてください")
        return None
    for i, v in enumerate(vals):
        if len(v) > MAX_TERM_CHARS:
            err(
                path + [kind] + ([i] if isinstance(data[kind], list) else []),
                f"値が長すぎます（{len(v):,} 字。上限は {MAX_TERM_CHARS:,} 字）",
            )
            return None
    pos = None
    if "pos" in data:
        pos = _as_list(data["pos"])
        if not all(isinstance(p, str) for p in pos):
            err(path + ["pos"], "品詞は NOUN, VERB などの文字列か、その一覧にしてください")
            return None
    context: dict[str, list[str]] = {}
    for ck in CONTEXT_KEYS:
        if ck in data:
            cv = _as_list(data[ck])
            if not cv or not all(isinstance(v, str) and v for v in cv):
                err(path + [ck], f"{ck} は空でない文字列か、その一覧にしてください（例: {ck}: [期間, 年]）")
                return None
            context[ck] = [str(v) for v in cv]
    term = Term(
        kind,
        [str(v) for v in vals],
        pos,
        context.get("not_preceded_by", []),
        context.get("not_followed_by", []),
    )
    if kind == "regex":
        for i, v in enumerate(vals):
            problem = check_pattern(v)
            if problem:
                err(path + [kind] + ([i] if isinstance(data[kind], list) else []), problem)
                return None
            term._regexes.append(SafeRegex(v))
    return term


def _pattern_regexes(data: Any) -> list[str]:
    """Every REGEX value inside a spaCy token pattern."""
    out: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k == "REGEX" and isinstance(v, str):
                out.append(v)
            else:
                out.extend(_pattern_regexes(v))
    elif isinstance(data, list):
        for v in data:
            out.extend(_pattern_regexes(v))
    return out


def _unknown_term_key(key: str, allowed: str) -> str:
    hint = _CONTEXT_HINTS.get(key)
    if hint:
        return f"未知のキー「{key}」です。{hint} と書いてください"
    return f"未知のキー「{key}」です。{allowed}"


def parse_condition(data: Any, path: list[str | int], err: ErrorSink) -> Condition | None:
    if isinstance(data, dict) and any(k in CONTEXT_KEYS or k in _CONTEXT_HINTS for k in data):
        # a text / regex / lemma / norm condition with context filters: {text: ごとに, not_preceded_by: [期間]}
        kinds = [k for k in data if k in TERM_KINDS]
        others = [k for k in data if k not in TERM_KINDS and k not in CONTEXT_KEYS]
        if not kinds:
            err(
                path,
                "not_preceded_by / not_followed_by は text / regex / lemma / norm の条件にだけ付けられます",
            )
            return None
        for k in others:
            if k in _CONTEXT_HINTS:
                err(path + [k], _unknown_term_key(k, ""))
            else:
                err(
                    path + [k],
                    f"未知のキー「{k}」です。条件「{kinds[0]}」に並べて書けるのは not_preceded_by, not_followed_by だけです",
                )
        if others:
            return None
        t = parse_term(data, path, err)
        return TermCond(t) if t else None
    if not isinstance(data, dict) or len(data) != 1:
        err(
            path,
            "条件は「種類: 値」をちょうど1つ持つ対応付けにしてください（種類: "
            + ", ".join(CONDITION_KINDS)
            + "）",
        )
        return None
    ((kind, value),) = data.items()
    p = path + [kind]
    if kind in TERM_KINDS:
        t = parse_term({kind: value}, path, err)
        return TermCond(t) if t else None
    if kind in ("all", "any"):
        if not isinstance(value, list) or not value:
            err(p, f"{kind} には条件の一覧（1つ以上）を指定してください")
            return None
        kids = [parse_condition(v, p + [i], err) for i, v in enumerate(value)]
        if any(k is None for k in kids):
            return None
        return AllCond(kids) if kind == "all" else AnyCond(kids)  # type: ignore[arg-type]
    if kind == "not":
        c = parse_condition(value, p, err)
        return NotCond(c) if c else None
    if kind == "pattern":
        pats = (
            value
            if isinstance(value, list) and value and all(isinstance(x, list) for x in value)
            else [value]
        )
        ok = True
        for i, pat in enumerate(pats):
            if not isinstance(pat, list) or not pat or not all(isinstance(tok, dict) for tok in pat):
                err(p + [i], "pattern はトークン条件（対応付け）の一覧にしてください")
                ok = False
                continue
            from spacy.schemas import validate_token_pattern

            problems = validate_token_pattern(pat)
            for prob in problems:
                err(p + [i], f"spaCy のトークンパターンとして不正です: {prob}")
                ok = False
            for rx in _pattern_regexes(pat):  # {"TEXT": {"REGEX": ...}}: the same guard as regex
                problem = check_pattern(rx)
                if problem:
                    err(p + [i], problem)
                    ok = False
        return PatternCond([list(x) for x in pats]) if ok else None
    if kind == "dep":
        if not isinstance(value, dict):
            err(p, "dep には head, child（と任意で rel, max_hops）を指定してください")
            return None
        for k in value:
            if k not in ("head", "child", "rel", "max_hops"):
                err(p + [k], f"未知のキー「{k}」です。dep に使えるのは head, child, rel, max_hops です")
        for k in ("head", "child"):
            if k not in value:
                err(p, f"dep に必須のキー「{k}」がありません")
        if "head" not in value or "child" not in value:
            return None
        head = parse_term(value["head"], p + ["head"], err)
        child = parse_term(value["child"], p + ["child"], err)
        rel = None
        if "rel" in value:
            rel = _as_list(value["rel"])
            if not all(isinstance(r, str) for r in rel):
                err(p + ["rel"], "rel は係り受けラベル（obj, obl, nsubj など）の文字列か一覧にしてください")
                return None
        hops = value.get("max_hops", 2)
        if not isinstance(hops, int) or isinstance(hops, bool) or not 1 <= hops <= 5:
            err(p + ["max_hops"], "max_hops は1〜5の整数にしてください")
            return None
        if head is None or child is None:
            return None
        return DepCond(head, child, rel, hops)
    if kind == "bunsetsu":
        if not isinstance(value, list) or len(value) < 1:
            err(p, "bunsetsu には語の一覧を指定してください")
            return None
        terms = [parse_term(v, p + [i], err) for i, v in enumerate(value)]
        if any(t is None for t in terms):
            return None
        return BunsetsuCond(terms)  # type: ignore[arg-type]
    if kind == "near":
        if not isinstance(value, dict) or "terms" not in value:
            err(p, "near には terms（語の一覧）と within（文字数）を指定してください")
            return None
        for k in value:
            if k not in ("terms", "within", "ordered"):
                err(p + [k], f"未知のキー「{k}」です。near に使えるのは terms, within, ordered です")
        raw_terms = value["terms"]
        if not isinstance(raw_terms, list) or len(raw_terms) < 2:
            err(p + ["terms"], "near の terms には2つ以上の語を指定してください")
            return None
        terms = [parse_term(v, p + ["terms", i], err) for i, v in enumerate(raw_terms)]
        within = value.get("within", 20)
        if not isinstance(within, int) or isinstance(within, bool) or within < 0:
            err(p + ["within"], "within は0以上の整数（文字数）にしてください")
            return None
        ordered = value.get("ordered", False)
        if not isinstance(ordered, bool):
            err(p + ["ordered"], "ordered は true か false にしてください")
            return None
        if any(t is None for t in terms):
            return None
        return NearCond(terms, within, ordered)  # type: ignore[arg-type]
    err(path + [kind], f"未知の条件の種類「{kind}」です。使えるのは " + ", ".join(CONDITION_KINDS) + " です")
    return None
