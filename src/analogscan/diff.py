"""Compare two JSON reports: new, resolved and changed findings, grouped by ordinance.

Findings are matched by their stable finding id (analogscan.ids.finding_id). A finding present in
both is "changed" when its provision text (text hash), type or message differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .jst import display
from .report.contract import Report, ReportDocument, ReportFinding, read_report


@dataclass
class Entry:
    finding_id: str
    citation: str
    type: str
    type_label: str
    rule_id: str
    matched: str
    message: str
    confidence: float | None
    changes: list[str] = field(default_factory=list)  # for changed findings: Japanese descriptions
    old: dict[str, str] | None = None  # provision_text, type, message, text_hash of the old finding

    def to_json(self) -> dict[str, object]:
        d: dict[str, object] = {
            "finding_id": self.finding_id,
            "citation": self.citation,
            "type": self.type,
            "type_label": self.type_label,
            "rule_id": self.rule_id,
            "matched": self.matched,
            "message": self.message,
            "confidence": self.confidence,
        }
        if self.changes:
            d["changes"] = list(self.changes)
        if self.old is not None:
            d["old"] = self.old
        return d


@dataclass
class OrdinanceDiff:
    identity: str
    title: str
    number: str
    path: str
    new: list[Entry] = field(default_factory=list)
    resolved: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.new or self.resolved or self.changed)

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "number": self.number,
            "path": self.path,
            "new": [e.to_json() for e in self.new],
            "resolved": [e.to_json() for e in self.resolved],
            "changed": [e.to_json() for e in self.changed],
        }


@dataclass
class ReportDiff:
    ordinances: list[OrdinanceDiff]
    unchanged: int
    old_generated_at: str = ""
    new_generated_at: str = ""
    only_old_documents: list[str] = field(default_factory=list)
    only_new_documents: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "new": sum(len(o.new) for o in self.ordinances),
            "resolved": sum(len(o.resolved) for o in self.ordinances),
            "changed": sum(len(o.changed) for o in self.ordinances),
            "unchanged": self.unchanged,
        }

    def to_json(self) -> dict[str, object]:
        return {
            "kind": "analogscan-diff",
            "old_generated_at": self.old_generated_at,
            "new_generated_at": self.new_generated_at,
            "summary": self.counts(),
            "only_old_documents": self.only_old_documents,
            "only_new_documents": self.only_new_documents,
            "ordinances": [o.to_json() for o in self.ordinances if not o.empty()],
        }


def _entry(f: ReportFinding) -> Entry:
    return Entry(
        finding_id=f.finding_id,
        citation=f.citation,
        type=f.type,
        type_label=f.type_label,
        rule_id=f.rule_id,
        matched=f.matched,
        message=f.message,
        confidence=float(f.confidence) if f.confidence is not None else None,
    )


def _index(report: Report) -> tuple[dict[str, ReportDocument], dict[str, dict[str, ReportFinding]]]:
    """identity → document, identity → finding id → finding."""
    docs: dict[str, ReportDocument] = {}
    findings: dict[str, dict[str, ReportFinding]] = {}
    for doc in report.documents:
        docs.setdefault(doc.identity, doc)
        bucket = findings.setdefault(doc.identity, {})
        for f in doc.findings:
            bucket.setdefault(f.finding_id, f)
    return docs, findings


def _changes(f: ReportFinding, g: ReportFinding) -> list[str]:
    """What changed from the old finding g to the new finding f (Japanese)."""
    changes: list[str] = []
    if f.text_hash != g.text_hash:
        changes.append("規定内容が変わりました")
    if f.type != g.type:
        changes.append(f"規制区分: {g.type_label} → {f.type_label}")
    if f.message != g.message:
        changes.append("判定理由が変わりました")
    return changes


def _compare(
    od: OrdinanceDiff, a: dict[str, ReportFinding], b: dict[str, ReportFinding], new_doc_ok: bool
) -> int:
    """Fill od with the new, changed and resolved findings; returns how many stayed unchanged."""
    unchanged = 0
    for fid, f in b.items():
        if fid not in a:
            od.new.append(_entry(f))
            continue
        g = a[fid]
        changes = _changes(f, g)
        if changes:
            e = _entry(f)
            e.changes = changes
            e.old = {
                "provision_text": g.provision_text,
                "type": g.type,
                "message": g.message,
                "text_hash": g.text_hash,
            }
            od.changed.append(e)
        else:
            unchanged += 1
    for fid, g in a.items():
        if fid not in b:
            e = _entry(g)
            if not new_doc_ok:
                e.changes = ["新しい結果では文書がないか読み取れませんでした"]
            od.resolved.append(e)
    for lst in (od.new, od.resolved, od.changed):
        lst.sort(key=lambda e: (e.citation, e.rule_id))
    return unchanged


def diff_reports(
    old_report: Report | Mapping[str, Any], new_report: Report | Mapping[str, Any]
) -> ReportDiff:
    old, new = read_report(old_report), read_report(new_report)
    old_docs, old_f = _index(old)
    new_docs, new_f = _index(new)
    out: list[OrdinanceDiff] = []
    unchanged = 0
    for ident in list(dict.fromkeys([*new_docs, *old_docs])):
        doc = new_docs.get(ident) or old_docs[ident]
        od = OrdinanceDiff(ident, doc.title, doc.number, doc.path)
        new_doc_ok = ident in new_docs and new_docs[ident].status != "error"
        unchanged += _compare(od, old_f.get(ident, {}), new_f.get(ident, {}), new_doc_ok)
        out.append(od)
    return ReportDiff(
        ordinances=out,
        unchanged=unchanged,
        old_generated_at=old.tool.generated_at,
        new_generated_at=new.tool.generated_at,
        only_old_documents=[old_docs[i].path for i in old_docs if i not in new_docs],
        only_new_documents=[new_docs[i].path for i in new_docs if i not in old_docs],
    )


def render_diff_text(d: ReportDiff) -> str:
    c = d.counts()
    lines = ["analogscan 検出結果の比較", "=" * 40]
    if d.old_generated_at or d.new_generated_at:
        lines.append(
            f"旧: {display(d.old_generated_at) or '不明'}　新: {display(d.new_generated_at) or '不明'}"
        )
    lines.append(
        f"新規 {c['new']} 件・解消 {c['resolved']} 件・変更 {c['changed']} 件（変わらず {c['unchanged']} 件）"
    )
    for p in d.only_new_documents:
        lines.append(f"  新しく加わった文書: {p}")
    for p in d.only_old_documents:
        lines.append(f"  なくなった文書: {p}")
    for o in d.ordinances:
        if o.empty():
            continue
        lines.append("")
        head = f"■ {o.title or o.path or '（題名不明）'}"
        if o.number:
            head += f"（{o.number}）"
        lines.append(head)
        for label, items in (("新規", o.new), ("解消", o.resolved), ("変更", o.changed)):
            for e in items:
                lines.append(
                    f"  [{label}] {e.citation or '（位置不明）'}【{e.type_label}】{e.rule_id}  「{e.matched}」"
                )
                for ch in e.changes:
                    lines.append(f"         {ch}")
    if not any(c[k] for k in ("new", "resolved", "changed")):
        lines.append("")
        lines.append("差異はありません。")
    return "\n".join(lines) + "\n"
