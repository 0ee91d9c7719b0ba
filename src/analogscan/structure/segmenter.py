"""Logical lines → ordinance tree (Node) → provisions.

Handles both layouts found in practice:
- old e-Gov export: 「第三条」 alone on a line, text on the next line(s) after an ideographic
  space, 「２」 / 「一」 alone on a line;
- 例規集 / PDF: 「第一条　本文」, 「２　本文」, 「一　本文」, 「(1)　本文」, 「イ　本文」 on one line.

Tree conventions (also what readers that build the tree themselves should produce):
- Ordinance.parts holds Node(kind="part") nodes. num is "main", "suppl" or "appendix";
  for suppl parts label is 「附則」 or 「附則（…号）」 and text the line as written; for appendix
  parts label is the normalised 「別表第1」 (or 「様式第1号」), caption the 「（第三条関係）」 part.
- Under a part: heading nodes (kind "chapter" for 編/章, "section" for 節/款/目) nesting articles;
  articles (num "12_2", caption 「（目的）」, text = caption); paragraphs (num "1", "2" …; the
  first one is created even though it is unnumbered); items (num "1_2"); subitems (num "イ",
  "(1)", "(i)"). A paragraph may sit directly under a part (附則 without articles, 前文).
  Appendix parts hold kind "line" nodes (num = row number when the row starts with 一, 二 …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analogscan.model import Line, Location, Node, Ordinance, PartKind, Provision
from analogscan.structure.layout import strip_markdown_layout
from analogscan.structure.markers import (
    AIUEO,
    ARABIC_DIGITS,
    GLUED_MARKER,
    HALFWIDTH_KANA,
    IROHA,
    KANJI_NUM_CHARS,
    NO,
    NUM,
    ROMAN_CHARS,
    ROMAN_NUMERALS,
    to_int,
)
from analogscan.structure.numbering import (
    article_sort_key,
    branch_to_label,
    citation_label,
    parse_branch,
    to_nfkc,
)

__all__ = ["parse_lines", "provisions_from_tree", "heading_text"]

_SP = "[ \u3000\t]"
_KNUM = f"[{KANJI_NUM_CHARS}]+"
_ANUM = f"[{ARABIC_DIGITS}]+"
_OPEN = "[(（]"
_CLOSE = "[)）]"
# characters that continue a sentence: a line starting with one is never a marker's text
_PARTICLES = "にのでをとがは及又並、。）)もかや若"

_SUPPL_RE = re.compile(
    rf"^[附付]{_SP}*則(?:{_SP}*{_OPEN}(?P<paren>[^()（）]*){_CLOSE})?(?:{_SP}*(?P<sho>抄))?$"
)
_APPX_RE = re.compile(
    rf"^(?P<kind>別表|様式|別記様式|別記)(?:第?(?P<num>{NUM}(?:{NO}{NUM})*)号?)?"
    rf"(?:{_SP}*{_OPEN}(?P<paren>[^()（）]*){_CLOSE})?(?:{_SP}+(?P<rest>.*))?$"
)
_HEADING_RE = re.compile(
    rf"^第(?P<num>{NUM})(?P<unit>[編章節款目])(?P<branch>(?:{NO}{NUM})*)(?P<sep>{_SP}*)(?P<rest>.*)$"
)
_TOC_RANGE_RE = re.compile(rf"{_OPEN}(?:[附付]則|第[^()（）]*[条條])[^()（）]*{_CLOSE}$")
_ARTICLE_RE = re.compile(
    rf"^○?第(?P<num>{NUM})[条條](?P<branch>(?:{NO}{NUM})*)"
    rf"(?P<range>(?:から|及び|・)第{NUM}[条條](?:{NO}{NUM})*(?:まで)?)?(?P<sep>{_SP}*)(?P<rest>.*)$"
)
_PARA_RE = re.compile(rf"^○?(?P<num>{_ANUM})(?:(?P<sep>{_SP}+)(?P<rest>.*))?$")
_CAPTION_RE = re.compile(rf"^{_OPEN}[^()（）]+{_CLOSE}$")
_TOC_RE = re.compile(rf"^目{_SP}*次$")
_DATE_RE = re.compile(
    rf"(?P<era>明治|大正|昭和|平成|令和)(?P<year>元|{NUM})年{_SP}*(?:{NUM}月{_SP}*(?:{NUM}日)?)?"
)
_LAWNUM_RE = re.compile(
    rf"(?P<num>[^\s\u3000()（）、。]*?(?:法律|政令|府令|省令|規則|条例|告示|訓令|要綱|規程|令)第{NUM}号)"
)

# list marker styles: (style, regex); group "m" is the marker, "rest" the text
_LIST_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("kanji", re.compile(rf"^(?P<m>{_KNUM}(?:{NO}{_KNUM})*)(?:{_SP}+(?P<rest>.*))?$")),
    ("paren_num", re.compile(rf"^(?P<m>{_OPEN}{_ANUM}{_CLOSE})(?:{_SP}*(?P<rest>.*))?$")),
    ("paren_kanji", re.compile(rf"^(?P<m>{_OPEN}{_KNUM}{_CLOSE})(?:{_SP}*(?P<rest>.*))?$")),
    ("paren_roman", re.compile(rf"^(?P<m>{_OPEN}[{ROMAN_CHARS}]+{_CLOSE})(?:{_SP}*(?P<rest>.*))?$")),
    ("paren_kana", re.compile(rf"^(?P<m>{_OPEN}[{AIUEO}{IROHA}]{_CLOSE})(?:{_SP}*(?P<rest>.*))?$")),
    ("kana", re.compile(rf"^(?P<m>[{AIUEO}{IROHA}{HALFWIDTH_KANA}])(?:{_SP}+(?P<rest>.*))?$")),
    ("latin", re.compile(rf"^(?P<m>[a-zａ-ｚ])(?:{_SP}+(?P<rest>.*))?$")),
]
_NUMERIC_STYLES = {"kanji", "paren_num"}
_MAX_GAP = 10
# a sub-item marker glued inside a line (old e-Gov export): 「…こと。ロ　…」, 「…次の事項イ　…」;
# always followed by an ideographic / ASCII space
_GLUED_MARK_RE = re.compile(rf"{GLUED_MARKER}[\u3000 ]")
_GLUED_STYLES = {"iroha", "aiu", "paren_num", "paren_roman", "paren_iroha", "paren_aiu"}
_LEAD_IN_RE = re.compile("次の|次に|掲げる")
_LEAD_IN_STOP = "にのでをとがはもかや"  # 「…次のイ　」 is no lead-in end
_KATAKANA_RE = re.compile("[\u30a1-\u30fa\u30fc]")
_NOT_TEXT_START = ("第", "条", "前段", "後段", "本文", "ただし書", "各号", "見出し", "中", "まで", "から")


def _strip(s: str) -> str:
    return s.strip(" \u3000\t\r\n")


def _seq_value(style: str, marker: str) -> tuple[int, ...] | None:
    m = to_nfkc(marker)
    inner = m[1:-1] if m.startswith("(") and m.endswith(")") else m
    if style == "kanji":
        b = parse_branch(marker)
        return tuple(int(x) for x in b.split("_")) if b else None
    if style in ("paren_num", "paren_kanji"):
        n = to_int(inner)
        return (n,) if n is not None else None
    if style == "paren_roman":
        r = ROMAN_NUMERALS.get(inner.lower())
        return (r,) if r else None
    if style in ("iroha", "paren_iroha"):
        return (IROHA.index(inner) + 1,) if len(inner) == 1 and inner in IROHA else None
    if style in ("aiu", "paren_aiu"):
        return (AIUEO.index(inner) + 1,) if len(inner) == 1 and inner in AIUEO else None
    if style == "latin":
        return (ord(inner.lower()) - ord("a") + 1,) if len(inner) == 1 and inner.isalpha() else None
    return None


def _canonical_marker(style: str, marker: str) -> str:
    m = to_nfkc(marker)
    if style == "kanji":
        return parse_branch(marker) or m
    if style in ("paren_num", "paren_kanji"):
        n = to_int(m[1:-1])
        return f"({n})" if n is not None else m
    if style == "latin":
        return m.lower()
    if style == "paren_roman":
        return m.lower()
    return m


def _glued_splits(s: str) -> list[tuple[int, bool]]:
    """(offset, strong) for each sub-item marker glued inside s (marker + space, then text).

    strong: after 「。」 or at the end of a lead-in (「…次の事項イ　…」, 「…掲げる書類イ　…」,
    「…次に掲げる事項　（１）　…」): may open a new level. Otherwise (after 「）」, a kanji …) it
    may only continue an open level with the next number (「…メートル）（２）　…」). Whether it
    really opens a unit is decided by the numbering sequence (_Parser._glued_item)."""
    out: list[tuple[int, bool]] = []
    for m in _GLUED_MARK_RE.finditer(s):
        p = m.start()
        if p == 0 or not s[m.end() :].strip(" \u3000\t"):
            continue
        q = p
        while q > 0 and s[q - 1] in " \u3000\t":
            q -= 1
        if q == 0:
            continue
        prev = s[q - 1]
        if prev == "。":
            out.append((p, True))
            continue
        if prev in "、・" or prev in _LEAD_IN_STOP or _KATAKANA_RE.match(prev):
            continue  # 「…次のイ　」, 「ガスイ　」
        clause = s[s.rfind("。", 0, p) + 1 : p]
        out.append((p, bool(_LEAD_IN_RE.search(clause))))
    return out


def heading_text(node: Node) -> str:
    """「第一章　総則」 for a chapter/section node."""
    return f"{node.label}\u3000{node.text}".strip(" \u3000") if node.text else node.label


@dataclass
class _ListLevel:
    style: str
    value: tuple[int, ...]
    node: Node


@dataclass
class _State:
    parts: list[Node] = field(default_factory=list)
    part: Node | None = None
    headings: list[tuple[int, Node]] = field(default_factory=list)
    article: Node | None = None
    paragraph: Node | None = None
    levels: list[_ListLevel] = field(default_factory=list)
    unit: Node | None = None  # where continuation text goes
    seen_article: bool = False
    pending_caption: str | None = None


TITLE_MAX_CHARS = 200  # a longer first line is not a title


class _Parser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.st = _State()
        self.ordinance = Ordinance()
        self.toc = False
        self.toc_first: str | None = None
        self.in_header = True
        self.seen_structure = False

    # ------------------------------------------------------------ helpers
    def _nonblank_text(self, i: int, step: int) -> str | None:
        """The raw text of the nearest non-blank line after (step 1) or before (step -1) line i."""
        j = i + step
        while 0 <= j < len(self.lines):
            raw = self.lines[j].text
            if _strip(raw):
                return raw
            j += step
        return None

    def _next_text(self, i: int) -> str | None:
        return self._nonblank_text(i, 1)

    def _alone_is_continuation(self, i: int) -> bool:
        """A marker alone on its line whose next line reads as the rest of a sentence."""
        nxt = self._next_text(i)
        if nxt is None:
            return False
        return nxt[0] in _PARTICLES

    def _new_part(
        self, kind: PartKind, label: str, text: str, line: Line, caption: str | None = None
    ) -> Node:
        node = Node(
            kind="part",
            num=kind,
            label=label,
            text=text,
            caption=caption,
            page=line.page,
            element_id=line.element_id,
        )
        self.st.parts.append(node)
        self.st.part = node
        self.st.headings = []
        self.st.article = None
        self.st.paragraph = None
        self.st.levels = []
        self.st.unit = None
        self.st.pending_caption = None
        return node

    def _main(self, line: Line) -> Node:
        if self.st.part is None:
            return self._new_part("main", "本則", "", line)
        return self.st.part

    def _container(self) -> Node:
        part = self.st.part
        assert part is not None
        return self.st.headings[-1][1] if self.st.headings else part

    def _open_paragraph(self, num: int, label: str, text: str, line: Line, parent: Node) -> Node:
        node = Node(
            kind="paragraph", num=str(num), label=label, text=text, page=line.page, element_id=line.element_id
        )
        parent.children.append(node)
        self.st.paragraph = node
        self.st.levels = []
        self.st.unit = node
        return node

    def _append(self, text: str, line: Line) -> None:
        text = _strip(text)
        if not text:
            return
        st = self.st
        part = self._main(line)
        if st.unit is None:
            if part.num == "appendix":
                self._appendix_row(text, line)
                return
            parent = st.article if st.article is not None else self._container()
            para_num = 1
            if st.article is None:
                existing = [c for c in parent.children if c.kind == "paragraph"]
                para_num = len(existing) + 1
                if part.num == "main" and not st.seen_article:
                    node = Node(
                        kind="paragraph", num=None, text=text, page=line.page, element_id=line.element_id
                    )
                    parent.children.append(node)
                    st.paragraph = node
                    st.levels = []
                    st.unit = node
                    return
            self._open_paragraph(para_num, "", text, line, parent)
            return
        if st.unit.page is None and st.unit.text == "":
            st.unit.page = line.page
        st.unit.text += text

    def _appendix_row(self, text: str, line: Line) -> None:
        part = self.st.part
        assert part is not None
        num: str | None = None
        m = _LIST_PATTERNS[0][1].match(text)
        if m and m.group("rest"):
            num = parse_branch(m.group("m"))
        part.children.append(
            Node(kind="line", num=num, text=text, page=line.page, element_id=line.element_id)
        )
        self.st.unit = None  # every row is its own unit

    # ------------------------------------------------------------ header
    def _header_line(self, s: str) -> bool:
        """Date / number lines after the title; True when consumed."""
        date_m = _DATE_RE.search(s)
        rest = s
        if date_m:
            rest = s[: date_m.start()] + " " + s[date_m.end() :]
        num_m = _LAWNUM_RE.search(rest)
        if not date_m and not num_m:
            return False
        if date_m and not self.ordinance.date:
            self.ordinance.date = _strip(date_m.group(0))
        if num_m and not self.ordinance.number:
            self.ordinance.number = num_m.group("num")
        return True

    # ------------------------------------------------------------ main loop
    def run(self) -> Ordinance:
        title_done = False
        for i, line in enumerate(self.lines):
            s = _strip(line.text)
            if not s:
                continue
            if not title_done:
                title_done = True
                # a plausible title: not a provision, and short (a one-line file is body text)
                if not self._is_structural(s) and len(s) <= TITLE_MAX_CHARS:
                    self.ordinance.title = s
                    continue
            if self.in_header and not self.seen_structure:
                # 「（昭和二十三年七月十二日法律第百三十九号）」 alone under the title is the 法令番号,
                # not a caption
                if self._is_structural(s) and not (_CAPTION_RE.match(s) and _LAWNUM_RE.search(s)):
                    self.in_header = False
                elif self._header_line(s):
                    continue
                elif line.text.startswith("最終改正") or s.startswith("最終改正"):
                    continue
            try:
                self._line_with_glued(i, line, s)
            except Exception:  # never raise on odd input: keep the text
                self.st.unit = None
                self._append(s, line)
        o = self.ordinance
        dm = _DATE_RE.match(o.date)
        if o.number and dm and not _DATE_RE.match(o.number):  # 法令番号: 昭和二十三年法律第百三十八号
            o.number = f"{dm.group('era')}{dm.group('year')}年{o.number}"
        if not self.st.parts:
            return self.ordinance
        self.ordinance.parts = self.st.parts
        self.ordinance.provisions = provisions_from_tree(self.ordinance)
        return self.ordinance

    def _line_with_glued(self, i: int, line: Line, s: str) -> None:
        """A line, then each sub-item glued inside it (「…こと。ロ　…」) as a unit of its own."""
        part = self.st.part
        body = not self.toc and (part is None or part.num != "appendix")
        cuts = _glued_splits(s) if body else []
        if cuts and any(rx.match(s) for rx in (_APPX_RE, _SUPPL_RE, _HEADING_RE, _CAPTION_RE)):
            cuts = []  # 別表 rows, headings: their text stays as written
        if not cuts:
            self._line(i, line, s)
            return
        bounds = [c for c, _ in cuts] + [len(s)]
        self._line(i, line, s[: bounds[0]])
        for (a, strong), b in zip(cuts, bounds[1:], strict=True):
            seg = s[a:b]
            if not self._glued_item(seg, line, strong):
                self._append(seg, line)

    def _glued_item(self, seg: str, line: Line, strong: bool) -> bool:
        """Open a glued sub-item when it continues the numbering: the next sibling of an
        open level (ロ after イ) or the first marker (イ, （１）) of a new, deeper level."""
        st = self.st
        if st.paragraph is None or st.unit is None or st.part is None or st.part.num == "appendix":
            return False
        styles = [lv.style for lv in st.levels]
        cands = [
            c
            for c in self._classify_list(seg)
            if c[0] in _GLUED_STYLES and c[2] and seg[len(c[1]) : len(c[1]) + 1] in ("\u3000", " ")
        ]
        for style, marker, rest in cands:
            val = _seq_value(style, marker)
            if val is None:
                continue
            if style in styles:
                d = styles.index(style)
                if val != (st.levels[d].value[0] + 1,):
                    continue
                del st.levels[d:]
                self._push(style, marker, val, rest, line)
                return True
        for style, marker, rest in cands:
            if style in styles or not strong:
                continue
            if _seq_value(style, marker) == (1,):
                self._push(style, marker, (1,), rest, line)
                return True
        return False

    def _is_structural(self, s: str) -> bool:
        if _SUPPL_RE.match(s) or _TOC_RE.match(s) or _CAPTION_RE.match(s):
            return True
        m = _ARTICLE_RE.match(s)
        if m and (not m.group("rest") or m.group("sep")):
            return True
        m2 = _HEADING_RE.match(s)
        return bool(m2 and (not m2.group("rest") or m2.group("sep")))

    def _line(self, i: int, line: Line, s: str) -> None:
        st = self.st
        self._main(line)
        hm = _HEADING_RE.match(s)
        heading_ok = bool(
            hm and (hm.group("sep") or not hm.group("rest") or hm.group("rest")[0] not in _PARTICLES)
        )
        if self._toc_line(s, hm if heading_ok else None):
            return
        if self._part_start(i, line, s):
            return
        part = st.part
        assert part is not None
        if part.num == "appendix":
            self._appendix_row(s, line)
            return
        # ---- 章・節 headings
        if hm and heading_ok:
            if part.num == "suppl" and not part.children and not st.seen_article and len(st.parts) > 1:
                # an unmarked table of contents ending in 「附則」 (e.g. 食品衛生法施行規則): the 附則 line
                # was a TOC entry, the body starts here
                st.parts.remove(part)
                st.part = st.parts[-1]
            self._heading(hm, s, line)
            return
        # ---- caption 「（目的）」 before an article (or a 附則 paragraph)
        if _CAPTION_RE.match(s):
            nxt = self._next_text(i)
            if nxt is not None and self._opens_unit(_strip(nxt)):
                st.pending_caption = s
                self.seen_structure = True
                return
        # ---- article
        m = _ARTICLE_RE.match(s)
        if m and self._article(m, i, line):
            return
        # ---- paragraph
        pm = _PARA_RE.match(s)
        if pm and self._paragraph(pm, i, line):
            return
        # ---- items / subitems
        if st.paragraph is not None and self._list_item(s, i, line):
            return
        self._append(s, line)

    def _toc_line(self, s: str, hm: re.Match[str] | None) -> bool:
        """True when s belongs to the table of contents (目次, or headings with article ranges
        「第一章　総則（第一条―第五条）」 before the first article) and is consumed. ``hm`` is the
        heading match of s when it reads as a heading. The contents end at the first heading
        seen again, an article or a caption."""
        st = self.st
        if _TOC_RE.match(s):
            self.toc = True
            self.toc_first = None
            self.seen_structure = True
            return True
        if (
            hm
            and not st.seen_article
            and _TOC_RANGE_RE.search(s)
            and st.part is not None
            and st.part.num == "main"
        ):
            if not self.toc:
                self.toc = True
                self.toc_first = None
            if self.toc_first is None:
                self.toc_first = f"{hm.group('num')}{hm.group('unit')}{hm.group('branch')}"
            self.seen_structure = True
            return True
        if not self.toc:
            return False
        label = f"{hm.group('num')}{hm.group('unit')}{hm.group('branch')}" if hm else None
        am = _ARTICLE_RE.match(s)
        ends = (
            (label is not None and self.toc_first is not None and label == self.toc_first)
            or (am is not None and (not am.group("rest") or bool(am.group("sep"))))
            or bool(_CAPTION_RE.match(s))
        )
        if not ends:
            if self.toc_first is None and label is not None:
                self.toc_first = label
            return True
        self.toc = False
        return False

    def _part_start(self, i: int, line: Line, s: str) -> bool:
        """Open a 附則 or 別表 / 様式 part when s is its head line; True when it did."""
        sm = _SUPPL_RE.match(s)
        if sm:
            paren = sm.group("paren")
            label = f"附則（{_strip(paren)}）" if paren else "附則"
            self._new_part("suppl", label, s, line)
            self.seen_structure = True
            return True
        am_ = _APPX_RE.match(s)
        if not am_:
            return False
        continues = self._alone_is_continuation(i)
        if am_.group("paren") is None and am_.group("rest") is None and self.st.unit is not None:
            # inside an article, a bare 「様式第三号」 on its own line is a reference broken out of a sentence
            # (「…有機則\n様式第三号\n、鉛中毒予防規則…」) or a cell of a 読み替え table (「…の認定（以下…という。）\n
            # 様式第十四\n様式第二十」): the next line continues the sentence or, in the main provisions, the
            # previous line does not end one (a 附則 may end in an item without 。 right before its 別表)
            prev = self._nonblank_text(i, -1)
            in_main = self.st.part is None or self.st.part.num == "main"
            if continues or (in_main and prev is not None and _strip(prev)[-1] != "。"):
                return False
        bare_ok = line.text[:1] not in " \u3000\t" and not continues
        if not (self.st.unit is None or am_.group("num") or am_.group("paren") is not None or bare_ok):
            return False
        kind = am_.group("kind")
        num = am_.group("num")
        b = parse_branch(num) if num else None
        if kind == "様式":
            label = (
                f"様式第{b.split('_')[0]}号" + "".join(f"の{x}" for x in b.split("_")[1:]) if b else "様式"
            )
        else:
            label = f"{kind}第{branch_to_label(b)}" if b else kind
        paren = am_.group("paren")
        self._new_part(
            "appendix",
            label,
            _strip(am_.group("rest") or ""),
            line,
            caption=f"（{paren}）" if paren else None,
        )
        self.seen_structure = True
        return True

    def _opens_unit(self, s: str) -> bool:
        m = _ARTICLE_RE.match(s)
        if m:
            rest = m.group("rest")
            if (
                not rest
                or m.group("sep")
                or (rest[0] not in _PARTICLES and not rest.startswith(_NOT_TEXT_START))
            ):
                return True
        pm = _PARA_RE.match(s)
        if pm and self.st.article is None and self.st.part is not None and self.st.part.num == "suppl":
            return True
        return False

    def _heading(self, hm: re.Match[str], s: str, line: Line) -> None:
        st = self.st
        level = "編章節款目".index(hm.group("unit"))
        kind = "chapter" if level <= 1 else "section"
        while st.headings and st.headings[-1][0] >= level:
            st.headings.pop()
        node = Node(
            kind=kind,
            num=parse_branch(hm.group("num") + hm.group("branch")),
            label=f"第{hm.group('num')}{hm.group('unit')}{hm.group('branch')}",
            text=_strip(hm.group("rest")),
            page=line.page,
            element_id=line.element_id,
        )
        self._container().children.append(node)
        st.headings.append((level, node))
        st.article = None
        st.paragraph = None
        st.levels = []
        st.unit = None
        self.seen_structure = True

    def _article(self, m: re.Match[str], i: int, line: Line) -> bool:
        st = self.st
        rest = m.group("rest")
        glued = bool(rest) and not m.group("sep")
        if glued:
            # 「第一条この条例は」 (no space) vs a sentence 「第三十七条前段の規定による…」
            if line.text[:1] in " \u3000\t" or rest[0] in _PARTICLES or rest.startswith(_NOT_TEXT_START):
                return False
        num = parse_branch(m.group("num") + m.group("branch"))
        if num is None:
            return False
        new_key = article_sort_key(num)
        cur_key = article_sort_key(st.article.num) if st.article is not None else ()
        if not rest and self._alone_is_continuation(i):
            # 「第六条」 alone, next line 「と畜場の…」: still an article when it is the next number
            is_next = (not cur_key and new_key[0] == 1) or (
                bool(cur_key)
                and (new_key[0] == cur_key[0] + 1 or (new_key[0] == cur_key[0] and len(new_key) > 1))
            )
            if not is_next:
                return False
        if cur_key and new_key <= cur_key:
            return False
        if glued and new_key[0] > (cur_key[0] if cur_key else 0) + 2:
            return False
        label = s_label = f"第{m.group('num')}条{m.group('branch')}"
        if m.group("range"):
            s_label = label + m.group("range")
        caption = st.pending_caption
        st.pending_caption = None
        node = Node(
            kind="article",
            num=num,
            label=s_label,
            caption=caption,
            text=caption or "",
            page=line.page,
            element_id=line.element_id,
        )
        self._container().children.append(node)
        st.article = node
        st.seen_article = True
        self.seen_structure = True
        self._open_paragraph(1, "", _strip(rest), line, node)
        return True

    def _paragraph(self, pm: re.Match[str], i: int, line: Line) -> bool:
        st = self.st
        part = st.part
        assert part is not None
        n = to_int(pm.group("num"))
        if n is None:
            return False
        rest = pm.group("rest") or ""
        alone_tail = not pm.group("sep") and self._alone_is_continuation(i)
        if st.article is not None:
            parent: Node = st.article
        elif part.num == "suppl" or (part.num == "main" and not st.seen_article):
            parent = part
        else:
            return False
        paras = [c for c in parent.children if c.kind == "paragraph" and c.num is not None]
        cur = int(paras[-1].num or 0) if paras and st.paragraph is not None and st.paragraph in paras else 0
        if parent is part and st.paragraph is not None and st.paragraph.num is None:
            cur = 0
        if not (cur < n <= cur + _MAX_GAP):
            return False
        if alone_tail and not (n == cur + 1 and cur >= 1):
            # 「４」 alone followed by 「と畜場の…」 is the next paragraph; otherwise a sentence tail
            return False
        if parent is part and cur == 0 and n > 2:
            return False
        node = self._open_paragraph(n, pm.group("num"), _strip(rest), line, parent)
        if st.pending_caption and st.article is None:
            node.caption = st.pending_caption
        st.pending_caption = None
        self.seen_structure = True
        return True

    def _classify_list(self, s: str) -> list[tuple[str, str, str]]:
        """Candidate (style, marker, rest) readings of a line start."""
        out: list[tuple[str, str, str]] = []
        for style, rx in _LIST_PATTERNS:
            m = rx.match(s)
            if not m:
                continue
            marker = m.group("m")
            rest = m.group("rest") or ""
            if style.startswith("paren") and rest and rest[0] in _PARTICLES and s[len(marker)] == rest[0]:
                continue  # 「（イ）に掲げる…」 / 「（１）の規定により…」: a reference
            if style == "kana":
                ch = to_nfkc(marker)
                if ch in IROHA:
                    out.append(("iroha", ch, rest))
                if ch in AIUEO:
                    out.append(("aiu", ch, rest))
            elif style == "paren_kana":
                ch = to_nfkc(marker)[1:-1]
                if ch in IROHA:
                    out.append(("paren_iroha", marker, rest))
                if ch in AIUEO:
                    out.append(("paren_aiu", marker, rest))
            else:
                out.append((style, marker, rest))
        return out

    def _list_item(self, s: str, i: int, line: Line) -> bool:
        st = self.st
        para = st.paragraph
        assert para is not None
        cands = self._classify_list(s)
        if not cands:
            return False
        # a marker alone on its line followed by a sentence tail is not a marker
        if all(not rest for _, _, rest in cands) and self._alone_is_continuation(i):
            return False
        styles = [lv.style for lv in st.levels]
        # 1) a sibling of an open level
        for style, marker, rest in cands:
            if style in styles:
                d = styles.index(style)
                val = _seq_value(style, marker)
                prev = st.levels[d].value
                if val is None or not (val > prev and val[0] <= prev[0] + _MAX_GAP):
                    continue
                if not rest and self._bare_is_cell(i, d, val):
                    continue  # 「五」 alone in a table cell
                del st.levels[d:]
                self._push(style, marker, val, rest, line)
                return True
        # 2) the first marker of a new, deeper level
        for style, marker, rest in cands:
            if style in styles:
                continue
            val = _seq_value(style, marker)
            if val is None:
                continue
            # sources sometimes drop item 一 (e-Gov export of 抄 附則): allow a late start for 号
            late_ok = (
                not st.levels
                and style == "kanji"
                and len(val) == 1
                and (val[0] <= 3 or st.paragraph is not None and st.paragraph.text.endswith("略"))
            )
            if val == (1,) or late_ok:
                self._push(style, marker, val, rest, line)
                return True
        # 3) repair: 「…次に掲げる者イ　…」 then 「ロ　…」 (old e-Gov export glues イ to the lead-in)
        for style, marker, rest in cands:
            if style in styles or style not in ("iroha", "aiu", "paren_num"):
                continue
            val = _seq_value(style, marker)
            if val != (2,) or not rest:
                continue
            first = {"iroha": "イ", "aiu": "ア", "paren_num": "（１）"}[style]
            # the glued イ may sit in an outer unit: 「二　…場合イ　施設に係る基準」, 「（１）…」
            # lines, then 「ロ」; its deeper units then belong under the new イ
            for k in range(len(st.levels) - 1, -2, -1):
                holder = st.levels[k].node if k >= 0 else para
                pos = self._find_glued(holder.text, style, first)
                if pos is None:
                    continue
                glued = holder.text[pos:]
                holder.text = holder.text[:pos]
                moved = holder.children
                holder.children = []
                del st.levels[k + 1 :]
                gm = _LIST_PATTERNS[1 if style == "paren_num" else 5][1].match(glued)
                g_marker = gm.group("m") if gm else first
                g_rest = (gm.group("rest") or "") if gm else glued[len(first) :]
                self._push(style, g_marker, (1,), g_rest, line)
                new_first = st.levels[-1].node
                new_first.children = moved
                new_first.page = holder.page
                new_first.element_id = holder.element_id
                del st.levels[len(st.levels) - 1 :]
                self._push(style, marker, val, rest, line)
                return True
        return False

    def _bare_is_cell(self, i: int, d: int, val: tuple[int, ...]) -> bool:
        """A marker alone on its line that is a table cell, not a unit at level d: the next
        line continues a deeper open level (「五」 then 「ロ　…」 of the open イ), or the number
        skips ahead and the next line is not the indented text of the old e-Gov export."""
        nxt = self._next_text(i)
        if nxt is None:
            return False
        prev = self.st.levels[d].value
        if len(val) == 1 and val[0] > prev[0] + 1 and nxt[:1] not in " \u3000\t":
            return True
        styles = [lv.style for lv in self.st.levels]
        for style, marker, rest in self._classify_list(_strip(nxt)):
            if style in styles[d + 1 :] and rest:
                dd = styles.index(style)
                if _seq_value(style, marker) == (self.st.levels[dd].value[0] + 1,):
                    return True
        return False

    @staticmethod
    def _find_glued(text: str, style: str, first: str) -> int | None:
        if style == "paren_num":
            starts = [m.start() for m in re.finditer(r"[(（][1１][)）]", text)]
            return starts[-1] if starts and starts[-1] > 0 else None
        idx = -1
        for sp in ("\u3000", " "):
            idx = max(idx, text.rfind(first + sp))
        if idx <= 0 or _KATAKANA_RE.match(text[idx - 1]) or not text[idx + 2 :].strip(" \u3000"):
            return None  # 「…ガスイ　」 is a word; a marker needs its text
        return idx

    def _push(self, style: str, marker: str, val: tuple[int, ...], rest: str, line: Line) -> None:
        st = self.st
        parent = st.levels[-1].node if st.levels else st.paragraph
        assert parent is not None
        is_item = not st.levels and style in _NUMERIC_STYLES
        node = Node(
            kind="item" if is_item else "subitem",
            num=_canonical_marker(style, marker),
            label=marker,
            text=_strip(rest),
            page=line.page,
            element_id=line.element_id,
        )
        if is_item and style == "paren_num":
            node.num = str(val[0])
        parent.children.append(node)
        st.levels.append(_ListLevel(style, val, node))
        st.unit = node


def parse_lines(lines: list[Line]) -> Ordinance:
    """Build the ordinance tree and its provisions from logical lines; never raises."""
    lines = strip_markdown_layout(lines)
    try:
        return _Parser(lines).run()
    except Exception:  # last resort: everything becomes unstructured units
        ordinance = Ordinance()
        part = Node(kind="part", num="main", label="本則")
        for line in lines:
            s = _strip(line.text)
            if s:
                part.children.append(
                    Node(kind="paragraph", num=None, text=s, page=line.page, element_id=line.element_id)
                )
        if part.children:
            ordinance.title = part.children[0].text
            ordinance.parts = [part]
            ordinance.provisions = provisions_from_tree(ordinance)
        return ordinance


# ---------------------------------------------------------------- tree → provisions


def _part_kind(node: Node) -> PartKind:
    if node.num == "suppl":
        return "suppl"
    if node.num == "appendix":
        return "appendix"
    return "main"


def provisions_from_tree(ordinance: Ordinance) -> list[Provision]:
    """Walk Ordinance.parts and emit one Provision per unit (see module docstring)."""
    out: list[Provision] = []
    suppl_index = -1
    for part in ordinance.parts:
        kind = _part_kind(part)
        suppl_label: str | None = None
        appendix: str | None = None
        if kind == "suppl":
            suppl_index += 1
            suppl_label = part.label or "附則"
        elif kind == "appendix":
            appendix = part.label or "別表"
        base = Location(
            part=kind,
            suppl_index=suppl_index if kind == "suppl" else None,
            suppl_label=suppl_label,
            appendix=appendix,
        )
        _provisions_under(part, base, None, None, out, part_node=part)
    return out


def _loc(base: Location, **kw: object) -> Location:
    loc = Location(
        part=base.part,
        article=base.article,
        paragraph=base.paragraph,
        item=base.item,
        subitems=list(base.subitems),
        suppl_index=base.suppl_index,
        suppl_label=base.suppl_label,
        appendix=base.appendix,
    )
    for k, v in kw.items():
        setattr(loc, k, v)
    return loc


def _emit(
    out: list[Provision],
    node: Node,
    loc: Location,
    single: bool,
    caption: str | None,
    lead_in: str | None,
    heading: str | None,
) -> None:
    text = node.text.strip(" \u3000")
    if not text:
        return
    loc.label = citation_label(loc, single_paragraph=single)
    out.append(
        Provision(
            location=loc,
            text=text,
            page=node.page,
            element_id=node.element_id,
            caption=caption,
            lead_in=lead_in,
            items=_items_text(node),
            heading=heading,
        )
    )


def _items_text(node: Node) -> str | None:
    """The texts of the items and sub-items under ``node`` at any depth, in order, one per line (None without
    items): a rule's ``items`` condition reads them, e.g. a 柱書 「水質検査を次により行うこと」 whose items fix
    the frequency (「一月に一回以上測定すること」)."""
    texts: list[str] = []

    def walk(n: Node) -> None:
        for c in n.children:
            if c.kind in ("item", "subitem"):
                t = c.text.strip(" \u3000")
                if t:
                    texts.append(t)
                walk(c)

    walk(node)
    return "\n".join(texts) or None


def _provisions_under(
    node: Node,
    base: Location,
    heading: str | None,
    caption: str | None,
    out: list[Provision],
    part_node: Node,
) -> None:
    """Emit the provisions of the headings, articles, paragraphs and 別表 rows under ``node``."""
    paragraphs = [c for c in node.children if c.kind == "paragraph"]
    single = len(paragraphs) <= 1
    numbered_seen = 0
    for child in node.children:
        k = child.kind
        if k in ("chapter", "section", "part"):
            _provisions_under(child, base, heading_text(child), caption, out, part_node)
        elif k == "article":
            loc = _loc(base, article=child.num)
            _provisions_under(child, loc, heading, child.caption, out, part_node)
        elif k == "paragraph":
            if child.num is None and base.article is None:
                para: int | None = None  # 前文 / unstructured text
            else:
                numbered_seen += 1
                para = to_int(child.num) if child.num else numbered_seen
                if para is None:
                    para = numbered_seen
            loc = _loc(base, paragraph=para)
            cap = caption if caption is not None else child.caption
            _emit(out, child, loc, single, cap, None, heading)
            _item_provisions(child, loc, single, cap, heading, out)
        elif k in ("item", "subitem"):  # items straight under an article (tree from a reader)
            loc = _loc(base, paragraph=1 if base.article else base.paragraph)
            _item_provisions(Node(kind="paragraph", children=[child]), loc, True, caption, heading, out)
        elif k == "line":
            loc = _loc(base, item=child.num)
            _emit(out, child, loc, True, part_node.caption, None, heading)
        else:
            _provisions_under(child, base, heading, caption, out, part_node)


def _item_provisions(
    parent: Node,
    base: Location,
    single: bool,
    caption: str | None,
    heading: str | None,
    out: list[Provision],
) -> None:
    """Emit the items and sub-items under ``parent``, each with its parent's text as lead-in."""
    lead = parent.text.strip(" \u3000") or None
    for child in parent.children:
        if child.kind == "item":
            loc = _loc(base, item=child.num)
        elif child.kind == "subitem":
            loc = _loc(base, subitems=[*base.subitems, child.num or child.label])
        else:
            continue
        _emit(out, child, loc, single, caption, lead, heading)
        _item_provisions(child, loc, single, caption, heading, out)
