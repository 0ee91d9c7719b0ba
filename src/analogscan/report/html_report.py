"""Self-contained HTML report: one file, inline CSS/JS/SVG, no network, works from file://.

Rendered with jinja2 (autoescape on) from the JSON report dict. Every piece of input text goes
through autoescaping; a Content-Security-Policy with a per-file nonce additionally keeps
anything that slipped through from running or loading.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..jst import display, to_jst
from ..model import TIER_LABELS, TIERS, TYPE_CODES, TYPE_LABELS
from .amend_view import HONESTY_LINE, AmendView, amend_view
from .contract import (
    DECISION_STATUSES,
    LEVEL_LABELS,
    STATUS_LABELS,
    STATUS_RECHECK,
    Decision,
    Report,
    ReportDocument,
    ReportFinding,
    ReportMessage,
    ReviewSummary,
    Summary,
    Tool,
    read_report,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

TYPE_COLORS: dict[str, str] = {
    "mokushi": "#1f77b4",
    "jicchi": "#d62728",
    "teiki": "#2ca02c",
    "jochu": "#9467bd",
    "keiji": "#ff7f0e",
    "koshu": "#8c564b",
    "etsuran": "#e377c2",
    "media": "#17becf",
}
STATUS_JA = STATUS_LABELS
LEVEL_JA = LEVEL_LABELS


@dataclass
class Bar:
    label: str
    full_label: str
    value: int
    width: float
    color: str
    y: int


@dataclass
class Chart:
    title: str
    bars: list[Bar]
    height: int
    label_width: int = 250
    bar_width: int = 380


@dataclass
class CardView:
    id: str
    text_hash: str
    type: str
    type_label: str
    color: str
    confidence: float
    citation: str
    page: object
    message: str
    direction: str
    rule_id: str
    rule_title: str
    pre: str
    mark: str
    post: str
    decision: Decision | None
    decision_status: str  # "", "carried", "要再確認"
    tier: str = "likely"
    tier_label: str = ""
    order: int = 0  # position in the document (the 条項 order)
    amend: AmendView | None = None  # draft amendment (or why it is left to draft by hand)


@dataclass
class DocView:
    key: str
    title: str
    number: str
    path: str
    status: str
    status_label: str
    messages: list[ReportMessage]
    cards: list[CardView] = field(default_factory=list)


class TypeItem(TypedDict):
    code: str
    label: str
    color: str
    count: int


class TierItem(TypedDict):
    code: str
    label: str
    count: int


class View(TypedDict):
    """What the template gets."""

    tool: Tool
    generated: dict[str, str] | None
    summary: Summary
    review: ReviewSummary | None
    docs: list[DocView]
    flagged_docs: list[DocView]
    problem_docs: list[DocView]
    types: list[TypeItem]
    charts: list[Chart]
    total: int
    tiers: list[TierItem]
    honesty: str
    decided: int
    recheck: int


def split_span(text: str, span: object, matched: str) -> tuple[str, str, str]:
    """(before, matched, after) by span offsets; falls back to searching the matched text."""
    lo = hi = -1
    if isinstance(span, list | tuple) and len(span) == 2:
        try:
            a, b = int(span[0]), int(span[1])
        except (TypeError, ValueError):
            a, b = -1, -1
        if 0 <= a < b <= len(text) and (not matched or text[a:b] == matched):
            lo, hi = a, b
    if lo < 0 and matched:
        lo = text.find(matched)
        hi = lo + len(matched) if lo >= 0 else -1
    if lo < 0:
        return text, "", ""
    return text[:lo], text[lo:hi], text[hi:]


def _chart(title: str, items: list[tuple[str, int, str]], max_label: int = 19) -> Chart:
    top = max((v for _, v, _ in items), default=0) or 1
    bars = []
    for i, (label, value, color) in enumerate(items):
        short = label if len(label) <= max_label else label[: max_label - 1] + "…"
        bars.append(Bar(short, label, value, round(380 * value / top, 1), color, 8 + i * 26))
    return Chart(title, bars, 16 + 26 * max(len(items), 1))


def _card(f: ReportFinding, order: int) -> CardView:
    t = f.type
    pre, mark, post = split_span(f.provision_text, f.span, f.matched)
    status = f.decision_status
    return CardView(
        id=f.finding_id,
        text_hash=f.text_hash,
        type=t,
        type_label=f.type_label,
        color=TYPE_COLORS.get(t, "#555555"),
        confidence=float(f.confidence) if f.confidence is not None else 0.0,
        citation=f.citation or "（位置不明）",
        page=f.page,
        message=f.message,
        direction=f.direction,
        rule_id=f.rule_id,
        rule_title=f.rule_title,
        pre=pre,
        mark=mark,
        post=post,
        decision=f.decision,
        decision_status=status if status in DECISION_STATUSES else "",
        tier=f.tier,
        tier_label=f.tier_label,
        order=order,
        amend=amend_view(f),
    )


def _doc_view(i: int, doc: ReportDocument) -> DocView:
    dv = DocView(
        key=f"d{i}",
        title=doc.title or Path(doc.path).name or "（題名不明）",
        number=doc.number,
        path=doc.path,
        status=doc.status,
        status_label=doc.status_label,
        messages=list(doc.messages),
    )
    dv.cards = [_card(f, order) for order, f in enumerate(doc.findings)]
    return dv


def _charts(docs: list[DocView], by_type: Counter[str]) -> list[Chart]:
    type_items = [(TYPE_LABELS[t], by_type.get(t, 0), TYPE_COLORS[t]) for t in TYPE_CODES]
    titles = Counter(d.title for d in docs if d.cards)

    def chart_label(d: DocView) -> str:
        # the same ordinance scanned from two files (PDF and text): tell the bars apart
        if titles[d.title] > 1:
            return f"〔{Path(d.path).suffix.lstrip('.').upper() or Path(d.path).name}〕{d.title}"
        return d.title

    doc_counts = sorted(((chart_label(d), len(d.cards)) for d in docs if d.cards), key=lambda x: -x[1])
    doc_items = [(title, n, "#4a6fa5") for title, n in doc_counts[:20]]
    return [
        _chart("規制区分別の検出件数", type_items),
        _chart("例規別の検出件数" + ("（上位20件）" if len(doc_counts) > 20 else ""), doc_items),
    ]


def build_view(report: Report | Mapping[str, Any]) -> View:
    rep = read_report(report)
    docs = [_doc_view(i, doc) for i, doc in enumerate(rep.documents, 1)]
    by_type = Counter(c.type for d in docs for c in d.cards)
    present_types = [t for t in TYPE_CODES if by_type.get(t)] + sorted(
        t for t in by_type if t not in TYPE_CODES
    )
    cards = [c for d in docs for c in d.cards]
    return {
        "tool": rep.tool,
        "generated": _generated(rep.tool.generated_at),
        "summary": rep.summary,
        "review": rep.review,
        "docs": docs,
        "flagged_docs": [d for d in docs if d.cards],
        "problem_docs": [d for d in docs if d.status != "ok" or d.messages],
        "types": [
            {
                "code": t,
                "label": TYPE_LABELS.get(t, t),
                "color": TYPE_COLORS.get(t, "#555555"),
                "count": by_type[t],
            }
            for t in present_types
        ],
        "charts": _charts(docs, by_type),
        "total": len(cards),
        "tiers": [
            {"code": t, "label": TIER_LABELS[t], "count": sum(1 for c in cards if c.tier == t)} for t in TIERS
        ],
        "honesty": HONESTY_LINE if rep.has_drafts else "",
        "decided": sum(1 for c in cards if c.decision_status),
        "recheck": sum(1 for c in cards if c.decision_status == STATUS_RECHECK),
    }


def _generated(value: object) -> dict[str, str] | None:
    """The report time for the page: 和暦 in Japan time, with the ISO form for <time datetime>."""
    t = to_jst(value) if isinstance(value, str) else None
    if t is None:
        return None
    return {"text": display(t), "iso": t.isoformat(timespec="seconds")}


def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report | Mapping[str, Any]) -> str:
    view = build_view(report)
    return _env().get_template("report.html.j2").render(nonce=secrets.token_urlsafe(16), **view)
