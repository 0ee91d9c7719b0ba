"""Fingerprint of everything the shipped rules find, for checking that a refactor changes nothing.

    python tools/findings_snapshot.py write   # record tests/data/findings_snapshot.json
    python tools/findings_snapshot.py check   # scan again and list the differences (exit 1 if any)

The snapshot holds, per document, its status, message codes, provision count and every finding
(citation, rule, tier, confidence, span, other rules) with a short hash of the matched text, the
message and the drafted amendment — no text of ../shared is copied into the project.
Sets under ../shared are skipped (and left out of the comparison) when ../shared is absent.
tests/test_findings_snapshot.py runs `check`.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
SNAPSHOT = REPO / "tests" / "data" / "findings_snapshot.json"

# (name, root, glob of files to scan under root); the national set is a fixed slice of 40 laws.
SETS: list[tuple[str, Path, str]] = [
    ("corpora", REPO / "corpora", ""),
    ("municipal_23ku", SHARED / "municipal_23ku", ""),
    ("reiki_html_katsuragi", SHARED / "reiki_html_katsuragi", ""),
    ("egov_xml", SHARED / "egov_xml", ""),
    ("kanpo_pdf", SHARED / "kanpo_pdf", ""),
    ("national_more_40", SHARED / "national_laws_2013" / "more" / "text", "*.txt"),
]
NATIONAL_SLICE = 40


def _h(text: object) -> str:
    raw = json.dumps(text, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def _paths(root: Path, glob: str) -> list[Path]:
    if not glob:
        return [root]
    return sorted(root.glob(glob))[:NATIONAL_SLICE]


def fingerprint(report: dict[str, Any], root: Path) -> dict[str, Any]:
    docs: dict[str, Any] = {}
    for doc in report["documents"]:
        path = Path(doc["path"])
        try:
            rel = str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            rel = path.name
        findings = []
        for f in doc.get("findings", []):
            findings.append(
                [
                    f["location"]["label"],
                    f["location"].get("part"),
                    f["rule_id"],
                    f.get("tier"),
                    f.get("confidence"),
                    f.get("span"),
                    sorted(f.get("other_rules", [])),
                    _h([f.get("matched"), f.get("message"), f.get("evidence")]),
                    _h([f.get("amendment"), f.get("amendment_manual")]),
                ]
            )
        findings.sort(key=lambda r: json.dumps(r, ensure_ascii=False))
        docs[rel] = {
            "status": doc.get("status"),
            "messages": sorted(_h(m) for m in doc.get("messages", [])),
            "provisions": doc.get("provisions"),
            "title": _h(doc.get("title")),
            "findings": findings,
        }
    return docs


def scan_set(root: Path, glob: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "r.json"
        cmd = [
            str(Path(sys.executable).parent / "analogscan"),
            "scan",
            "-q",
            "--no-decisions",
            "-j",
            "2",
            "-o",
            str(out),
        ]
        cmd += [str(p) for p in _paths(root, glob)]
        subprocess.run(cmd, check=False, cwd=tmp)
        report = json.loads(out.read_text(encoding="utf-8"))
    return fingerprint(report, root)


def take() -> dict[str, Any]:
    snap: dict[str, Any] = {}
    for name, root, glob in SETS:
        if root.exists():
            snap[name] = scan_set(root, glob)
    return snap


def differences(old: dict[str, Any], new: dict[str, Any], limit: int = 40) -> list[str]:
    out: list[str] = []
    for name, docs in new.items():
        if name not in old:
            continue
        before = old[name]
        for rel in sorted(set(before) | set(docs)):
            a, b = before.get(rel), docs.get(rel)
            if a == b:
                continue
            if a is None or b is None:
                out.append(f"{name}/{rel}: {'new' if a is None else 'missing'} document")
                continue
            for key in ("status", "messages", "provisions", "title"):
                if a[key] != b[key]:
                    out.append(f"{name}/{rel}: {key} {a[key]!r} -> {b[key]!r}")
            fa = {json.dumps(x, ensure_ascii=False) for x in a["findings"]}
            fb = {json.dumps(x, ensure_ascii=False) for x in b["findings"]}
            out += [f"{name}/{rel}: lost {x}" for x in sorted(fa - fb)]
            out += [f"{name}/{rel}: gained {x}" for x in sorted(fb - fa)]
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])


def main(argv: list[str]) -> int:
    mode = argv[1] if len(argv) > 1 else "check"
    snap = take()
    if mode == "write":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(
            json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
        )
        n = sum(len(d["findings"]) for docs in snap.values() for d in docs.values())
        print(f"wrote {SNAPSHOT} ({len(snap)} sets, {n} findings)")
        return 0
    old = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    diff = differences(old, snap)
    print("\n".join(diff) if diff else "identical")
    return 1 if diff else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
