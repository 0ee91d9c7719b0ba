"""The report contract: the JSON report (schema_version 1) as typed objects, and its vocabulary.

``build_report`` writes the JSON report (``summarize`` is the one place its summary is computed);
``read_report`` reads one back into frozen dataclasses, which every renderer, the diff, the review
workflow and the store use instead of digging in dicts. ``schema/report.schema.json`` describes
the same JSON (tests validate real reports against it).

Reading is lenient, as the renderers always were: a missing field gets an empty default, a finding
without ``finding_id`` / ``text_hash`` gets them computed (analogscan.ids), values of the wrong type read
as absent. Decision statuses, the decision fields staff fill in and the 見直しの方向性 per type live
here too, so the renderers and review.py share them without importing each other.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..ids import doc_identity, finding_id, location_from_json
from ..jst import now_iso
from ..model import TIER_LABELS, TIERS, TYPE_CODES, TYPE_LABELS, DocumentResult, Location, tier_of

SCHEMA_VERSION = 1
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / "report.schema.json"

STATUS_LABELS: dict[str, str] = {"ok": "正常", "warning": "警告", "error": "エラー"}  # document status
LEVEL_LABELS: dict[str, str] = {"info": "情報", "warning": "警告", "error": "エラー"}  # message level

# --------------------------------------------------------------------------- review vocabulary

# decision_status of a finding that carries a recorded decision: the provision text is unchanged
# (carried) or changed since the decision (要再確認).
STATUS_CARRIED = "carried"
STATUS_RECHECK = "要再確認"
DECISION_STATUSES: tuple[str, ...] = (STATUS_CARRIED, STATUS_RECHECK)

# Decision fields: (key in the decisions file, column header in the review sheet, allowed values)
DECISION_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("department", "所管課", ()),
    ("applicable", "該非", ("該当", "非該当", "要検討")),
    ("legal_basis", "根拠法令の有無", ("有", "無", "要確認")),
    ("policy", "見直し方針", ("規定の見直し", "運用で対応", "見直し不要")),
    ("timing", "見直し時期", ()),
    ("note", "備考", ()),
)
FIELD_HEADERS: dict[str, str] = {k: h for k, h, _ in DECISION_FIELDS}
FIELD_CHOICES: dict[str, tuple[str, ...]] = {k: c for k, _, c in DECISION_FIELDS}

# What the review sheet writes in 備考 for a decision whose provision text changed. While the
# marker is still there, importing the sheet keeps the old decision (staff have not re-checked).
RECHECK_MARKER = "【要再確認】"
RECHECK_NOTE = RECHECK_MARKER + "前回の判断の後に規定内容が変わりました。確認したらこの印を消してください。"

# 見直しの方向性: replacement technologies per type (デジタル庁 テクノロジーマップ・技術カタログ).
DIRECTIONS: dict[str, str] = {
    "mokushi": "ドローン・カメラ・ロボット・画像解析AI等による遠隔での確認・監視",
    "jicchi": "オンライン会議・ウェアラブルカメラ等による遠隔での検査、帳簿書類の電子提出",
    "teiki": "センサー等による常時監視・自動計測と異常時の自動通知（頻度の見直しを含む）",
    "jochu": "遠隔監視・オンラインでの対応、一人の者による複数の場所の兼務の許容",
    "keiji": "ウェブサイトへの掲載、デジタルサイネージ、QRコードによる案内",
    "koshu": "ライブ配信・オンデマンド配信による講習（本人確認・受講確認を含む）",
    "etsuran": "認証・複製防止の措置を講じたオンラインでの閲覧・縦覧",
    "media": "オンラインでの提出、「電磁的記録媒体」等の媒体を限定しない規定への改正",
}


def direction_for(type_code: str) -> str:
    return DIRECTIONS.get(type_code, "")


def decision_fields(decision: Mapping[str, Any] | None) -> dict[str, str]:
    """The staff-entered fields of a decision (strings, '' when absent)."""
    d = decision or {}
    return {k: str(d.get(k) or "") for k, _, _ in DECISION_FIELDS}


# --------------------------------------------------------------------------- typed report

Span = tuple[int, int]


@dataclass(frozen=True)
class Decision:
    """The staff-entered fields of a recorded decision ('' when absent)."""

    department: str = ""
    applicable: str = ""
    legal_basis: str = ""
    policy: str = ""
    timing: str = ""
    note: str = ""

    @staticmethod
    def of(value: Mapping[str, Any]) -> Decision:
        return Decision(**decision_fields(value))


@dataclass(frozen=True)
class Amendment:
    """A drafted amendment of the provision (JSON ``amendment``; marks are changed character spans)."""

    after: str
    before: str = ""
    template_id: str = ""
    kaibun: str = ""
    before_marks: tuple[Span, ...] = ()
    after_marks: tuple[Span, ...] = ()


@dataclass(frozen=True)
class ReportMessage:
    level: str
    text: str
    page: int | None = None

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class ReportFinding:
    finding_id: str
    text_hash: str
    rule_id: str
    type: str
    type_label: str
    location: Location
    provision_text: str
    matched: str
    message: str
    confidence: float | None  # as written (an int stays an int); None when not a number
    tier: str = "likely"
    rule_title: str = ""
    span: Span | None = None
    page: int | None = None
    element_id: str | None = None
    evidence: tuple[str, ...] = ()
    other_rules: tuple[str, ...] = ()
    has_decision: bool = False  # the JSON finding has a "decision" key
    decision: Decision | None = None  # None when absent or empty
    decision_status: str = ""  # "", "carried", "要再確認" (or what the JSON says)
    has_draft: bool = False  # the JSON finding has an "amendment" or "amendment_manual" key
    amendment: Amendment | None = None
    amendment_manual: str | None = None  # why the draft is left to staff

    @property
    def citation(self) -> str:
        return self.location.label

    @property
    def tier_label(self) -> str:
        return TIER_LABELS[self.tier]

    @property
    def direction(self) -> str:
        return direction_for(self.type)

    @property
    def recheck(self) -> bool:
        return self.decision_status == STATUS_RECHECK


@dataclass(frozen=True)
class ReportDocument:
    path: str
    identity: str  # analogscan.ids.doc_identity
    format: str = ""
    title: str = ""
    number: str = ""
    status: str = "ok"
    messages: tuple[ReportMessage, ...] = ()
    provisions: int = 0
    characters: int = 0
    findings: tuple[ReportFinding, ...] = ()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Tool:
    name: str = "analogscan"
    version: str = ""
    ruleset: str = ""
    rules: int | None = None
    types: tuple[str, ...] = ()
    generated_at: str = ""  # ISO, Japan time
    amendment_note: str = ""


@dataclass(frozen=True)
class Summary:
    documents: int = 0
    ok: int = 0
    warning: int = 0
    error: int = 0
    findings: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    by_tier: dict[str, int] = field(default_factory=dict)
    type_labels: dict[str, str] = field(default_factory=dict)
    tier_labels: dict[str, str] = field(default_factory=dict)
    elapsed_seconds: float | None = None


@dataclass(frozen=True)
class ReviewSummary:
    """What apply_decisions carried into the report (JSON ``review``)."""

    decisions: int = 0
    carried: int = 0
    recheck: int = 0
    unmatched: int = 0


@dataclass(frozen=True)
class Report:
    schema_version: int
    tool: Tool
    documents: tuple[ReportDocument, ...]
    summary: Summary
    review: ReviewSummary | None = None

    def findings(self) -> list[tuple[ReportDocument, ReportFinding]]:
        """Every finding with its document, in report order."""
        return [(d, f) for d in self.documents for f in d.findings]

    @property
    def has_drafts(self) -> bool:
        return any(f.has_draft for d in self.documents for f in d.findings)

    @property
    def has_decisions(self) -> bool:
        """Some finding has a "decision" key (flat outputs then add the decision columns)."""
        return any(f.has_decision for d in self.documents for f in d.findings)


# --------------------------------------------------------------------------- reading


def _map(v: object) -> Mapping[str, Any]:
    return v if isinstance(v, Mapping) else {}


def _seq(v: object) -> Sequence[Any]:
    return v if isinstance(v, list | tuple) else ()


def _text(v: object, default: str = "") -> str:
    return default if v is None else str(v)


def _int(v: object) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _counts(v: object) -> dict[str, int]:
    return {str(k): n for k, n in _map(v).items() if isinstance(n, int)}


def _span(v: object) -> Span | None:
    if isinstance(v, list | tuple) and len(v) == 2:
        try:
            return int(v[0]), int(v[1])
        except (TypeError, ValueError):
            return None
    return None


def _marks(v: object) -> tuple[Span, ...]:
    out: list[Span] = []
    for m in _seq(v):
        if isinstance(m, list | tuple) and len(m) == 2 and all(isinstance(x, int) for x in m):
            out.append((int(m[0]), int(m[1])))
    return tuple(out)


def read_amendment(v: object) -> Amendment | None:
    a = _map(v)
    if not isinstance(a.get("after"), str):
        return None
    marks = _map(a.get("marks"))
    return Amendment(
        after=a["after"],
        before=str(a.get("before") or ""),
        template_id=str(a.get("template_id") or ""),
        kaibun=str(a.get("kaibun") or ""),
        before_marks=_marks(marks.get("before")),
        after_marks=_marks(marks.get("after")),
    )


def read_finding(f: Mapping[str, Any], identity: str) -> ReportFinding:
    """One finding of a JSON report; ``identity`` is its document's (for ids it lacks)."""
    t = _text(f.get("type"))
    loc = location_from_json(_map(f.get("location")))
    text = _text(f.get("provision_text"))
    fid, th = f.get("finding_id"), f.get("text_hash")
    if not fid or not th:
        fid, th = finding_id(identity, loc, _text(f.get("rule_id")), text)
    conf = f.get("confidence")
    dec = f.get("decision")
    manual = f.get("amendment_manual")
    return ReportFinding(
        finding_id=str(fid),
        text_hash=str(th),
        rule_id=_text(f.get("rule_id")),
        type=t,
        type_label=str(f.get("type_label") or TYPE_LABELS.get(t, t)),
        location=loc,
        provision_text=text,
        matched=_text(f.get("matched")),
        message=_text(f.get("message")),
        confidence=conf if isinstance(conf, int | float) else None,
        tier=tier_of(f),
        rule_title=_text(f.get("rule_title")),
        span=_span(f.get("span")),
        page=_int(f.get("page")),
        element_id=f.get("element_id") if isinstance(f.get("element_id"), str) else None,
        evidence=tuple(str(e) for e in _seq(f.get("evidence"))),
        other_rules=tuple(str(r) for r in _seq(f.get("other_rules"))),
        has_decision="decision" in f,
        decision=Decision.of(dec) if isinstance(dec, Mapping) and dec else None,
        decision_status=_text(f.get("decision_status")),
        has_draft="amendment" in f or "amendment_manual" in f,
        amendment=read_amendment(f.get("amendment")),
        amendment_manual=manual if isinstance(manual, str) else None,
    )


def read_document(doc: Mapping[str, Any]) -> ReportDocument:
    """One document of a JSON report (DocumentResult.to_json, as the store keeps it)."""
    identity = doc_identity(doc)
    return ReportDocument(
        path=_text(doc.get("path")),
        identity=identity,
        format=_text(doc.get("format")),
        title=_text(doc.get("title")),
        number=_text(doc.get("number")),
        status=str(doc.get("status") or "ok"),
        messages=tuple(
            ReportMessage(_text(m.get("level")), _text(m.get("text")), _int(m.get("page")))
            for m in map(_map, _seq(doc.get("messages")))
        ),
        provisions=_int(doc.get("provisions")) or 0,
        characters=_int(doc.get("characters")) or 0,
        findings=tuple(read_finding(_map(f), identity) for f in _seq(doc.get("findings"))),
    )


def _read_tool(t: Mapping[str, Any]) -> Tool:
    return Tool(
        name=_text(t.get("name"), "analogscan"),
        version=_text(t.get("version")),
        ruleset=_text(t.get("ruleset")),
        rules=_int(t.get("rules")),
        types=tuple(str(x) for x in _seq(t.get("types"))),
        generated_at=_text(t.get("generated_at")),
        amendment_note=_text(t.get("amendment_note")),
    )


def _read_summary(s: Mapping[str, Any]) -> Summary:
    elapsed = s.get("elapsed_seconds")
    return Summary(
        documents=_int(s.get("documents")) or 0,
        ok=_int(s.get("ok")) or 0,
        warning=_int(s.get("warning")) or 0,
        error=_int(s.get("error")) or 0,
        findings=_int(s.get("findings")) or 0,
        by_type=_counts(s.get("by_type")),
        by_tier=_counts(s.get("by_tier")),
        type_labels={str(k): str(v) for k, v in _map(s.get("type_labels")).items()},
        tier_labels={str(k): str(v) for k, v in _map(s.get("tier_labels")).items()},
        elapsed_seconds=float(elapsed) if isinstance(elapsed, int | float) else None,
    )


def read_report(report: Mapping[str, Any] | Report) -> Report:
    """The typed form of a JSON report dict (a Report is returned as it is)."""
    if isinstance(report, Report):
        return report
    review = report.get("review")
    return Report(
        schema_version=_int(report.get("schema_version")) or 0,
        tool=_read_tool(_map(report.get("tool"))),
        documents=tuple(read_document(_map(d)) for d in _seq(report.get("documents"))),
        summary=_read_summary(_map(report.get("summary"))),
        review=None
        if not isinstance(review, Mapping)
        else ReviewSummary(
            *(_int(review.get(k)) or 0 for k in ("decisions", "carried", "recheck", "unmatched"))
        ),
    )


def load_report(path: Path) -> Report:
    """Read a JSON report file (UTF-8) into typed objects."""
    return read_report(json.loads(Path(path).read_text("utf-8")))


# --------------------------------------------------------------------------- writing


def build_report(
    results: list[DocumentResult],
    *,
    ruleset_digest: str = "",
    rule_count: int = 0,
    types: list[str] | None = None,
    elapsed: float | None = None,
    documents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON report of scanned results (or of already serialised ``documents``, as the store keeps them)."""
    docs = documents if documents is not None else [r.to_json() for r in results]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {
            "name": "analogscan",
            "version": __version__,
            "ruleset": ruleset_digest,
            "rules": rule_count,
            "types": types or list(TYPE_CODES),
            "generated_at": now_iso(),  # Japan time, +09:00
        },
        "documents": docs,
        "summary": summarize(docs, elapsed),
    }


def summarize(docs: Sequence[Mapping[str, Any]], elapsed: float | None = None) -> dict[str, Any]:
    """The report's summary from its documents (the one place it is computed)."""
    by_type: Counter[str] = Counter()
    by_tier: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for d in docs:
        by_status[str(d.get("status", "ok"))] += 1
        for f in d.get("findings") or []:
            by_type[str(f.get("type"))] += 1
            by_tier[tier_of(f)] += 1
    return {
        "documents": len(docs),
        "ok": by_status.get("ok", 0),
        "warning": by_status.get("warning", 0),
        "error": by_status.get("error", 0),
        "findings": sum(by_type.values()),
        "by_type": {t: by_type.get(t, 0) for t in TYPE_CODES},
        "by_tier": {t: by_tier.get(t, 0) for t in TIERS},
        "type_labels": dict(TYPE_LABELS),
        "tier_labels": dict(TIER_LABELS),
        "elapsed_seconds": None if elapsed is None else round(elapsed, 2),
    }


def only_tiers(report: dict[str, Any], tiers: tuple[str, ...]) -> dict[str, Any]:
    """The report with the findings of the given tiers only (summary recomputed, rest kept)."""
    docs = [
        {**d, "findings": [f for f in d.get("findings") or [] if tier_of(f) in tiers]}
        for d in report.get("documents", [])
    ]
    summary = summarize(docs, report.get("summary", {}).get("elapsed_seconds"))
    return {**report, "documents": docs, "summary": summary}
