"""Data model shared by every stage: ingest → structure → nlp → match → report.

Only plain dataclasses live here (no spaCy, no pdfplumber), so every stage and the CLI
can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

PartKind = Literal["main", "suppl", "appendix"]
Status = Literal["ok", "warning", "error"]

TYPE_CODES: tuple[str, ...] = (
    "mokushi",
    "jicchi",
    "teiki",
    "jochu",
    "keiji",
    "koshu",
    "etsuran",
    "media",
)

TYPE_LABELS: dict[str, str] = {
    "mokushi": "目視規制",
    "jicchi": "実地監査規制",
    "teiki": "定期検査・点検規制",
    "jochu": "常駐・専任規制",
    "keiji": "書面掲示規制",
    "koshu": "対面講習規制",
    "etsuran": "往訪閲覧・縦覧規制",
    "media": "FD等記録媒体規制",
}

# Tiers of a finding, in rank order. likely: what the rules assert; possible: the provision carries
# a type's core vocabulary (at least the manual's search words) and no documented exclusion
# clears it, so a reviewer must look (the tool never finds less than the search box).
TIERS: tuple[str, ...] = ("likely", "possible")
TIER_LABELS: dict[str, str] = {"likely": "該当の可能性が高い", "possible": "要確認"}


def tier_of(finding: Mapping[str, Any]) -> str:
    """The tier of a finding in a JSON report (reports written before tiers existed: likely)."""
    t = finding.get("tier")
    return t if isinstance(t, str) and t in TIERS else "likely"


# ---------------------------------------------------------------- ingest output


@dataclass(frozen=True)
class Line:
    """One logical line of source text and where it came from."""

    text: str
    page: int | None = None  # 1-based PDF page
    element_id: str | None = None  # HTML/XML element id, when the source has one


@dataclass
class Message:
    """A per-document message shown in the report (Japanese text)."""

    level: Literal["info", "warning", "error"]
    text: str
    page: int | None = None

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {"level": self.level, "text": self.text}
        if self.page is not None:
            d["page"] = self.page
        return d


@dataclass
class SourceDocument:
    """What a reader produces: logical lines, or an already structured tree."""

    path: str
    format: str  # "text", "pdf", "html", "xml", "docx", ...
    lines: list[Line] = field(default_factory=list)
    ordinance: Ordinance | None = None  # set by readers that know the structure (XML, vendor HTML)
    encoding: str | None = None
    messages: list[Message] = field(default_factory=list)


# ---------------------------------------------------------------- ordinance tree


@dataclass
class Location:
    """Where a provision sits, in canonical (e-Gov style) numbers plus a citation label.

    article "12_2" = 第12条の2; paragraph 3 = 第3項; item "1" or "1_2" = 第1号 / 第1号の2;
    subitems ["イ", "(1)"]. suppl_index counts 附則 blocks (0 = the original 附則).
    """

    part: PartKind = "main"
    article: str | None = None
    paragraph: int | None = None
    item: str | None = None
    subitems: list[str] = field(default_factory=list)
    suppl_index: int | None = None
    suppl_label: str | None = None  # e.g. 附則（平成24年3月30日条例第5号）
    appendix: str | None = None  # e.g. 別表第1
    label: str = ""

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {
            "part": self.part,
            "article": self.article,
            "paragraph": self.paragraph,
            "item": self.item,
            "subitems": list(self.subitems),
            "label": self.label,
        }
        if self.part == "suppl":
            d["suppl_index"] = self.suppl_index
            if self.suppl_label:
                d["suppl_label"] = self.suppl_label
        if self.appendix:
            d["appendix"] = self.appendix
        return d


@dataclass
class Node:
    """A node of the ordinance tree.

    kind: part | chapter | section | article | paragraph | item | subitem | appendix | line
    text: the node's own sentence text (項/号 text, article caption for articles, heading text
    for chapters); children hold the rest in document order.
    """

    kind: str
    num: str | None = None  # canonical number: "12_2", "3", "1_2", "イ", "(1)"
    label: str = ""  # as written: 第十二条の二, ２, 一, イ, 第二章 ...
    caption: str | None = None  # 見出し 「（目的）」 for articles
    text: str = ""
    page: int | None = None
    element_id: str | None = None
    children: list[Node] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Provision:
    """The unit analogscan judges: one 項, one 号 (or deeper), a 柱書, a 別表 line."""

    location: Location
    text: str
    page: int | None = None
    element_id: str | None = None
    caption: str | None = None  # caption of the article it belongs to
    lead_in: str | None = None  # text of the parent unit when this is an item (柱書)
    items: str | None = None  # texts of the items under this unit (号, イ, (1)… at any depth), one per line
    heading: str | None = None  # nearest 章/節 heading


@dataclass
class Ordinance:
    title: str = ""
    number: str = ""  # 例規番号 e.g. 平成18年条例第12号
    date: str = ""
    parts: list[Node] = field(default_factory=list)  # kind == "part" nodes: main, suppl..., appendix...
    provisions: list[Provision] = field(default_factory=list)


# ---------------------------------------------------------------- findings and report


@dataclass
class Finding:
    rule_id: str
    type: str
    location: Location
    provision_text: str
    matched: str
    span: tuple[int, int]
    message: str
    confidence: float
    title: str = ""
    page: int | None = None
    element_id: str | None = None
    evidence: list[str] = field(default_factory=list)
    other_rules: list[str] = field(default_factory=list)  # rules of the same type that also fired here
    tier: str = "likely"  # likely (該当の可能性が高い) | possible (要確認): see TIER_LABELS

    @property
    def tier_label(self) -> str:
        return TIER_LABELS.get(self.tier, self.tier)

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.type, self.type)

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {
            "rule_id": self.rule_id,
            "rule_title": self.title,
            "type": self.type,
            "type_label": self.type_label,
            "location": self.location.to_json(),
            "provision_text": self.provision_text,
            "matched": self.matched,
            "span": [self.span[0], self.span[1]],
            "message": self.message,
            "confidence": self.confidence,
            "tier": self.tier,
            "tier_label": self.tier_label,
            "evidence": list(self.evidence),
        }
        if self.other_rules:
            d["other_rules"] = list(self.other_rules)
        if self.page is not None:
            d["page"] = self.page
        if self.element_id is not None:
            d["element_id"] = self.element_id
        return d


@dataclass
class DocumentResult:
    path: str
    format: str = ""
    title: str = ""
    number: str = ""
    status: Status = "ok"
    messages: list[Message] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    provisions: int = 0
    characters: int = 0

    def add(self, level: Literal["info", "warning", "error"], text: str, page: int | None = None) -> None:
        self.messages.append(Message(level, text, page))
        if level == "error":
            self.status = "error"
        elif level == "warning" and self.status == "ok":
            self.status = "warning"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "format": self.format,
            "title": self.title,
            "number": self.number,
            "status": self.status,
            "messages": [m.to_json() for m in self.messages],
            "provisions": self.provisions,
            "characters": self.characters,
            "findings": [f.to_json() for f in self.findings],
        }
