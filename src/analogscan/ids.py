"""Stable finding ids: what identifies a finding across re-scans, not where it sits in a report.

* the document identity — title + 例規番号 when both are known (survives file renames and
  PDF/text exports of the same ordinance), else the file name stem;
* the citation key of the provision (条・項・号…, plus which 附則 block);
* the rule id.

The provision text is hashed separately (``text_hash``): when a later scan finds the same
finding but the text changed, a carried decision is flagged 「要再確認」.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from .model import Location
from .structure.numbering import citation_key


class FindingKey(NamedTuple):
    id: str
    text_hash: str


def norm(s: str) -> str:
    """NFKC without whitespace: what ids and headers compare."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def doc_identity(doc: Mapping[str, Any]) -> str:
    """Identity of a document within a report: title + number, else the file name stem."""
    title = norm(str(doc.get("title") or ""))
    number = norm(str(doc.get("number") or ""))
    if title and number:
        return f"{title}|{number}"
    path = str(doc.get("path") or "")
    stem = Path(path.replace("\\", "/")).stem
    return "file:" + (norm(stem) or title or path)


def location_from_json(d: Mapping[str, Any] | Location) -> Location:
    if isinstance(d, Location):
        return d
    return Location(
        part=d.get("part") or "main",
        article=d.get("article"),
        paragraph=d.get("paragraph"),
        item=d.get("item"),
        subitems=list(d.get("subitems") or []),
        suppl_index=d.get("suppl_index"),
        suppl_label=d.get("suppl_label"),
        appendix=d.get("appendix"),
        label=d.get("label") or "",
    )


def text_hash(provision_text: str) -> str:
    """sha256 (12 hex) of the provision text; width and whitespace differences do not count."""
    return hashlib.sha256(norm(provision_text).encode("utf-8")).hexdigest()[:12]


def finding_id(
    doc_identity: str, location: Location | Mapping[str, Any], rule_id: str, provision_text: str
) -> FindingKey:
    """Stable id (12 hex) of a finding plus the hash of its provision text."""
    loc = location_from_json(location)
    key = citation_key(loc)
    suppl = str(loc.suppl_index) if loc.part == "suppl" and loc.suppl_index is not None else ""
    # Provisions without numbers (別表 lines, 前文) share a key; the label tells them apart.
    extra = loc.label if not (loc.article or loc.paragraph or loc.item) else ""
    raw = json.dumps([1, doc_identity, list(key), suppl, extra, rule_id], ensure_ascii=False)
    fid = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]
    return FindingKey(fid, text_hash(provision_text))


def finding_key(doc: Mapping[str, Any], f: Mapping[str, Any]) -> FindingKey:
    return finding_id(doc_identity(doc), f["location"], str(f["rule_id"]), str(f.get("provision_text", "")))


def ensure_ids(report: dict[str, Any]) -> dict[str, Any]:
    """Add finding_id / text_hash to every finding that lacks them (in place); returns report."""
    for doc in report.get("documents", []):
        for f in doc.get("findings", []):
            if not f.get("finding_id") or not f.get("text_hash"):
                k = finding_key(doc, f)
                f["finding_id"] = k.id
                f["text_hash"] = k.text_hash
    return report
