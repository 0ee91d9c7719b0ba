"""The JSON report: the versioned contract every other output builds on."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .. import __version__
from ..fsutil import atomic_write_bytes, atomic_write_text  # noqa: F401 - for branches still importing them here
from ..jst import now_iso
from ..model import TIER_LABELS, TIERS, TYPE_CODES, TYPE_LABELS, DocumentResult, tier_of

SCHEMA_VERSION = 1


def build_report(
    results: list[DocumentResult],
    *,
    ruleset_digest: str = "",
    rule_count: int = 0,
    types: list[str] | None = None,
    elapsed: float | None = None,
    documents: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The JSON report of scanned results (or of already serialised ``documents``)."""
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


def summarize(docs: list[dict[str, Any]], elapsed: float | None = None) -> dict[str, Any]:
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


def dumps(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
