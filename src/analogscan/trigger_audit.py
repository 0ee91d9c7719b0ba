"""`analogscan rules triggers`: rules that match provisions where none of their trigger words occur.

A rule is evaluated only on provisions (or lead-ins) that contain one of its `triggers` (engine.py).
When its `match` can succeed without them, the rule silently misses those provisions — or, the
other way round, its `match` is wider than its author meant and only the triggers keep it from
firing there. Either way the reviewer has to decide: add the trigger word, or narrow the match.
This audit scans the documents twice, with and without the trigger check (same rules, same
language components), and lists what only the second scan found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .engine import Engine
from .model import DocumentResult
from .ruleset.model import RuleSet
from .structure.numbering import citation_key


@dataclass(frozen=True)
class TriggerGap:
    rule_id: str
    document: str
    citation: str
    matched: str  # "" when the rule was one of the other rules of another rule's finding
    text: str


@dataclass
class TriggerAudit:
    gaps: list[TriggerGap]
    documents: int
    errors: list[str]  # documents that could not be read (the audit went on without them)

    def by_rule(self) -> dict[str, list[TriggerGap]]:
        out: dict[str, list[TriggerGap]] = {}
        for g in self.gaps:
            out.setdefault(g.rule_id, []).append(g)
        return dict(sorted(out.items()))


def _fired(result: DocumentResult) -> set[tuple[str, tuple[object, ...]]]:
    return {(rid, citation_key(f.location)) for f in result.findings for rid in (f.rule_id, *f.other_rules)}


def audit_triggers(ruleset: RuleSet, files: Iterable[Path]) -> TriggerAudit:
    from .pipeline import scan_file

    with_triggers = Engine(ruleset)
    without = Engine(ruleset, check_triggers=False)
    gaps: list[TriggerGap] = []
    errors: list[str] = []
    n = 0
    for path in files:
        n += 1
        a = scan_file(path, with_triggers)
        if a.status == "error":
            errors.append(f"{path}: " + " / ".join(m.text for m in a.messages if m.level == "error"))
            continue
        b = scan_file(path, without)
        seen = _fired(a)
        for f in b.findings:
            key = citation_key(f.location)
            for rid in (f.rule_id, *f.other_rules):
                if (rid, key) not in seen:
                    gaps.append(
                        TriggerGap(
                            rid,
                            Path(path).stem,
                            f.location.label,
                            f.matched if rid == f.rule_id else "",
                            f.provision_text,
                        )
                    )
    return TriggerAudit(gaps, n, errors)


def render_trigger_audit(audit: TriggerAudit, ruleset: RuleSet, max_examples: int = 5) -> str:
    where = {r.id: f"{r.file}:{r.line}" for r in ruleset.rules}
    triggers = {r.id: r.triggers for r in ruleset.rules}
    out: list[str] = []
    groups = audit.by_rule()
    if not groups:
        out.append(
            f"{audit.documents} 文書で、トリガー語のない規定に一致したルールはありません（トリガー語の漏れは見つかりませんでした）。"
        )
    else:
        out.append(
            f"{audit.documents} 文書で、トリガー語のない規定に一致したルールが {len(groups)} 件あります"
            f"（計 {len(audit.gaps)} か所）。ルールは今、これらの規定を見ていません。"
            "その規定を挙げるべきならトリガー語を足し、挙げるべきでないなら一致条件を狭めてください。"
        )
        for rid, gs in groups.items():
            words = "、".join(triggers.get(rid, [])[:8])
            more = "…" if len(triggers.get(rid, [])) > 8 else ""
            out.append("")
            out.append(f"{rid}（{where.get(rid, '?')}）: {len(gs)} か所　トリガー語: {words}{more}")
            for g in gs[:max_examples]:
                hit = f"「{g.matched}」" if g.matched else "（同じ類型の別のルールの検出に含まれる）"
                out.append(f"  {g.document} {g.citation} {hit} {g.text[:50]}")
            if len(gs) > max_examples:
                out.append(f"  ほか {len(gs) - max_examples} か所")
    for e in audit.errors:
        out.append(f"読めなかった文書: {e}")
    return "\n".join(out) + "\n"
