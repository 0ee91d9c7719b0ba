"""e-Gov 法令標準XML reader: the ordinance tree is built straight from the elements.

Law (Era, Year, PromulgateMonth/Day) → LawNum, LawBody → LawTitle, MainProvision,
SupplProvision* (AmendLawNum → 「附則（…）」), AppdxTable* (別表: one ``line`` node per table row).
Part/Chapter/Section/Subsection/Division become heading nodes; Article@Num ("12_2") with
ArticleCaption; Paragraph@Num with its sentences (a ``Function="proviso"`` ただし書 stays in the
same unit); Item@Num with ItemSentence (Column children joined by an ideographic space);
Subitem1…10 (num from the title: 「イ」, 「（１）」 → "(1)"). Ruby keeps the base text only; the
TOC is skipped. Tables and lists inside a unit are appended to its text.

Every unit carries a path-like ``element_id`` into the XML, so findings point at the element:
``Article[12_2]/Paragraph[3]/Item[1]/Subitem1[2]`` in the main provision,
``SupplProvision[2]/Article[1]/Paragraph[1]`` in the second 附則 (1-based, document order),
``AppdxTable[1]/Row[3]`` for a 別表 row. Placeholder units whose whole text is 「略」 (amendment
extracts: ``Num="1:25"`` 「一から二十五まで」 略) are not provisions and are skipped.

The tree follows the conventions in :mod:`analogscan.structure.segmenter`, so
``provisions_from_tree`` produces the provisions and citations.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from analogscan.ingest._markup import CELL_SEP, MAX_MARKUP_BYTES, check_size, decode_markup
from analogscan.ingest.base import IngestError
from analogscan.model import Message, Node, Ordinance, SourceDocument
from analogscan.structure.markers import ARABIC_DIGITS, KANSUJI, NO, int_to_kanji, to_int
from analogscan.structure.numbering import parse_branch, to_nfkc

if TYPE_CHECKING:
    from lxml.etree import _Element

_ERAS = {"Meiji": "明治", "Taisho": "大正", "Showa": "昭和", "Heisei": "平成", "Reiwa": "令和"}
_HEADINGS = {
    "Part": ("chapter", "PartTitle"),
    "Chapter": ("chapter", "ChapterTitle"),
    "Section": ("section", "SectionTitle"),
    "Subsection": ("section", "SubsectionTitle"),
    "Division": ("section", "DivisionTitle"),
}
_SUBITEMS = {f"Subitem{i}" for i in range(1, 11)}
_SENTENCE_HOLDERS = {"ParagraphSentence", "ItemSentence"} | {f"Subitem{i}Sentence" for i in range(1, 11)}
_PRETTY_WS = re.compile(r"[ \t]*[\r\n][ \t\r\n]*")  # indentation of pretty-printed XML
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_OMITTED = {"略", "（略）"}
_ROW_NUM = re.compile(rf"^([{KANSUJI}]+(?:{NO}[{KANSUJI}]+)*)[\u3000 ]+\S")


def _local(el: _Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def text_of(el: _Element) -> str:
    """All text below ``el`` except ruby readings (Rt); Column / TableColumn cells are joined
    with an ideographic space."""
    parts: list[str] = []

    def add_text(e: _Element) -> None:
        name = _local(e)
        if name == "Rt":
            return
        if e.text and name:
            parts.append(e.text)
        prev_col = False
        for child in e:
            cname = _local(child)
            is_col = cname in ("Column", "TableColumn")
            if is_col and prev_col:
                while parts and parts[-1].strip(" \t\r\n\u3000") == "":
                    parts.pop()
                parts.append(CELL_SEP)
            if cname:
                add_text(child)
            prev_col = is_col
            if child.tail:
                parts.append(child.tail)

    add_text(el)
    return _PRETTY_WS.sub("", "".join(parts)).strip(" \u3000\t\r")


def _child(el: _Element, name: str) -> _Element | None:
    for c in el:
        if _local(c) == name:
            return c
    return None


def _path(parent: str, name: str, num: str) -> str:
    step = f"{name}[{num}]" if num else name
    return f"{parent}/{step}" if parent else step


def _subitem_num(title: str) -> str:
    t = to_nfkc(title).strip()
    if t.startswith("(") and t.endswith(")"):
        inner = t[1:-1]
        n = to_int(inner)
        return f"({n})" if n is not None else f"({inner.lower()})"
    return t


class _Builder:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    # ---------------------------------------------------------------- units
    def _unit_text(self, el: _Element) -> str:
        """Sentence text of a Paragraph / Item / Subitem (its *Sentence child plus inline
        tables, lists and amendment text; sub-units excluded)."""
        out: list[str] = []
        for c in el:
            name = _local(c)
            if name in _SENTENCE_HOLDERS:
                out.append(text_of(c))
            elif name in ("TableStruct", "List", "AmendProvision", "Class", "StyleStruct", "NoteStruct"):
                rows = self._rows(c)
                if rows:
                    out.append(CELL_SEP.join(rows))
        return "".join(s for s in out if s)

    def _rows(self, el: _Element) -> list[str]:
        rows: list[str] = []
        for e in el.iter():
            name = _local(e)
            if name == "TableRow":
                s = CELL_SEP.join(t for t in (text_of(c) for c in e if _local(c) == "TableColumn") if t)
                if s:
                    rows.append(s)
            elif name in ("ListSentence", "Sublist1Sentence", "Sublist2Sentence", "Sublist3Sentence"):
                s = text_of(e)
                if s:
                    rows.append(s)
            elif name in ("Sentence",) and not any(
                _local(a)
                in ("TableRow", "ListSentence", "Sublist1Sentence", "Sublist2Sentence", "Sublist3Sentence")
                for a in e.iterancestors()
            ):
                s = text_of(e)
                if s:
                    rows.append(s)
        return rows

    def item(self, el: _Element, kind: str, parent_path: str = "") -> Node | None:
        """An Item / Subitem node; None for a 「略」 placeholder without sub-units."""
        name = _local(el)
        title_el = _child(el, f"{name}Title")
        title = text_of(title_el) if title_el is not None else ""
        raw_num = el.get("Num") or ""
        if kind == "item":
            # a ranged placeholder (Num="1:25") keeps its first number; its label is the title
            num = raw_num.split(":", 1)[0] or parse_branch(title) or title
        else:
            num = _subitem_num(title) if title else raw_num.split(":", 1)[0]
        path = _path(parent_path, name, raw_num or num)
        node = Node(kind=kind, num=num, label=title, text=self._unit_text(el), element_id=path)
        for c in el:
            if _local(c) in _SUBITEMS:
                sub = self.item(c, "subitem", path)
                if sub is not None:
                    node.children.append(sub)
        if node.text.strip(" \u3000") in _OMITTED and not node.children:
            return None
        return node

    def paragraph(self, el: _Element, parent_path: str = "") -> Node:
        num_el = _child(el, "ParagraphNum")
        cap_el = _child(el, "ParagraphCaption")
        num = el.get("Num") or "1"
        path = _path(parent_path, "Paragraph", num)
        node = Node(
            kind="paragraph",
            num=num,
            label=text_of(num_el) if num_el is not None else "",
            caption=text_of(cap_el) if cap_el is not None else None,
            text=self._unit_text(el),
            element_id=path,
        )
        for c in el:
            if _local(c) == "Item":
                it = self.item(c, "item", path)
                if it is not None:
                    node.children.append(it)
        return node

    def article(self, el: _Element, parent_path: str = "") -> Node:
        cap_el = _child(el, "ArticleCaption")
        title_el = _child(el, "ArticleTitle")
        caption = text_of(cap_el) if cap_el is not None else None
        num = el.get("Num") or parse_branch(text_of(title_el) if title_el is not None else "") or None
        path = _path(parent_path, "Article", num or "")
        node = Node(
            kind="article",
            num=num,
            label=text_of(title_el) if title_el is not None else "",
            caption=caption or None,
            text=caption or "",
            element_id=path,
        )
        for c in el:
            if _local(c) == "Paragraph":
                node.children.append(self.paragraph(c, path))
        return node

    def container(self, el: _Element, node: Node, path: str = "") -> None:
        """Children of MainProvision / SupplProvision / headings, in document order.
        Headings do not enter the path (article numbers are unique within a provision)."""
        for c in el:
            name = _local(c)
            if name == "Article":
                node.children.append(self.article(c, path))
            elif name == "Paragraph":
                node.children.append(self.paragraph(c, path))
            elif name in _HEADINGS:
                kind, title_tag = _HEADINGS[name]
                t_el = _child(c, title_tag)
                title = text_of(t_el) if t_el is not None else ""
                label, _, rest = title.partition("\u3000")
                h = Node(kind=kind, num=c.get("Num"), label=label.strip(), text=rest.strip(" \u3000"))
                node.children.append(h)
                self.container(c, h, path)

    # ---------------------------------------------------------------- parts
    def suppl(self, el: _Element, index: int = 1) -> Node:
        label_el = _child(el, "SupplProvisionLabel")
        written = text_of(label_el) if label_el is not None else "附則"
        amend = (el.get("AmendLawNum") or "").strip()
        label = f"附則（{amend}）" if amend else "附則"
        if el.get("Extract") == "true" and "抄" not in written:
            written += "\u3000抄"
        path = f"SupplProvision[{index}]"
        node = Node(kind="part", num="suppl", label=label, text=written, element_id=path)
        self.container(el, node, path)
        return node

    def appendix(self, el: _Element, index: int = 1) -> Node | None:
        name = _local(el)
        title_el = _child(el, f"{name}Title")
        title = text_of(title_el) if title_el is not None else ""
        rel_el = _child(el, "RelatedArticleNum")
        caption = text_of(rel_el) if rel_el is not None else None
        m = re.match(
            rf"^(別表|別記|様式)(?:第([{KANSUJI}{ARABIC_DIGITS}]+(?:{NO}[{KANSUJI}{ARABIC_DIGITS}]+)*))?",
            title,
        )
        if m:
            b = parse_branch(m.group(2)) if m.group(2) else None
            label = f"{m.group(1)}第{b.replace('_', 'の')}" if b else m.group(1)
        else:
            label = title or "別表"
        path = f"{name}[{index}]"
        node = Node(
            kind="part", num="appendix", label=label, caption=caption or None, text=title, element_id=path
        )
        row_no = 0
        for c in el:
            cname = _local(c)
            if cname in (f"{name}Title", "RelatedArticleNum"):
                continue
            if cname == "Item":
                it = self.item(c, "item", path)
                if it is not None:
                    node.children.append(
                        Node(
                            kind="line",
                            num=it.num,
                            text=f"{it.label}\u3000{it.text}".strip("\u3000"),
                            element_id=it.element_id,
                        )
                    )
                continue
            for row in self._rows(c):
                rm = _ROW_NUM.match(row)
                row_no += 1
                node.children.append(
                    Node(
                        kind="line",
                        num=parse_branch(rm.group(1)) if rm else None,
                        text=row,
                        element_id=f"{path}/Row[{row_no}]",
                    )
                )
        return node

    def build(self, law: _Element) -> Ordinance:
        o = Ordinance()
        num_el = _child(law, "LawNum")
        o.number = text_of(num_el) if num_el is not None else ""
        era = _ERAS.get(law.get("Era") or "")
        year = to_int(law.get("Year") or "")
        month = to_int(law.get("PromulgateMonth") or "")
        day = to_int(law.get("PromulgateDay") or "")
        if era and year:
            o.date = f"{era}{'元' if year == 1 else int_to_kanji(year)}年"
            if month:
                o.date += f"{int_to_kanji(month)}月" + (f"{int_to_kanji(day)}日" if day else "")
        body = _child(law, "LawBody")
        if body is None:
            raise IngestError("e-Gov法令XMLに本文（LawBody）がありません")
        title_el = _child(body, "LawTitle")
        o.title = text_of(title_el) if title_el is not None else ""
        n_suppl = 0
        n_appdx: dict[str, int] = {}
        for c in body:
            name = _local(c)
            if name == "MainProvision":
                part = Node(kind="part", num="main", label="本則")
                self.container(c, part)
                o.parts.append(part)
            elif name == "SupplProvision":
                n_suppl += 1
                o.parts.append(self.suppl(c, n_suppl))
            elif name in ("AppdxTable", "AppdxNote"):
                n_appdx[name] = n_appdx.get(name, 0) + 1
                node = self.appendix(c, n_appdx[name])
                if node is not None:
                    o.parts.append(node)
        return o


def _find_law(root: _Element) -> _Element | None:
    if _local(root) == "Law":
        return root
    for e in root.iter():
        if _local(e) == "Law":
            return e
    return None


class EgovXmlReader:
    name = "xml"
    suffixes: tuple[str, ...] = (".xml",)
    fallback = False

    def __init__(self, max_bytes: int = MAX_MARKUP_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, head: bytes) -> bool:
        h = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if h.startswith(b"<Law") or h.startswith(b"<DataRoot"):
            return b"<Law" in head
        return h.startswith(b"<?xml") and b"<Law" in head

    def read(self, path: Path) -> SourceDocument:
        from lxml import etree

        check_size(path, self.max_bytes)
        data = path.read_bytes()
        text, encoding, warnings = decode_markup(data)
        payload = _XML_DECL.sub("", text, count=1).lstrip("\ufeff").encode("utf-8")
        messages = [Message("warning", w) for w in warnings]
        strict = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, encoding="utf-8")
        try:
            root = etree.fromstring(payload, strict)
        except etree.XMLSyntaxError as e:
            lenient = etree.XMLParser(
                recover=True, resolve_entities=False, no_network=True, huge_tree=False, encoding="utf-8"
            )
            try:
                root = etree.fromstring(payload, lenient)
            except etree.XMLSyntaxError:
                root = None
            why = (
                "要素の入れ子が深すぎます（256 段まで）"
                if "Excessive depth" in str(e.msg)
                else f"{e.msg}、{e.lineno}行目"
            )
            if root is None:
                raise IngestError(f"XMLとして解析できません（{why}）") from e
            messages.append(
                Message("warning", f"XMLの構文に誤りがあります（{why}）。読めた部分だけを解析しました")
            )
        entities = [e for e in root.iter(etree.Entity)]
        if entities:
            names = sorted({str(e.text) for e in entities})
            shown = "、".join(names[:5]) + (" ほか" if len(names) > 5 else "")
            messages.append(
                Message(
                    "warning",
                    f"XMLの実体参照（{shown}、{len(entities)} 箇所）は安全のため展開せずに読み飛ばしました",
                )
            )
        law = _find_law(root)
        if law is None:
            raise IngestError("e-Gov法令標準XMLではありません（Law要素がありません）")
        builder = _Builder()
        ordinance = builder.build(law)
        if not any(p.children for p in ordinance.parts):
            raise IngestError("e-Gov法令XMLに条文がありません")
        doc = SourceDocument(path=str(path), format=self.name, encoding=encoding, ordinance=ordinance)
        doc.messages = messages + [Message("warning", w) for w in builder.warnings]
        return doc
