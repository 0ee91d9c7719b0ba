"""The task of a worker: scan one document with the rules it was sent.

Shared by the batch runner (in-process and dask tasks) and the budgeted worker processes
(:mod:`analogscan.docworker`), so that neither imports the other's module.
- The rules travel with the work as file texts (``RuleSpec``), so workers on other
  machines need no copy of the rule folder.
- How documents are read (input format, OCR, PDF page processes) travels as a
  :class:`~analogscan.config.ReadSettings` with each document.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import ReadSettings
from .engine import Engine
from .rank import RANKER_FILE
from .ruleset.model import RuleSet


@dataclass(frozen=True)
class RuleSpec:
    """Everything a worker needs to build the same Engine: rule file texts, the ranker model, types, mode."""

    files: tuple[tuple[str, bytes], ...]  # (name, content) in load order
    types: tuple[str, ...] | None
    shortcuts: bool
    digest: str
    ranker: bytes | None = None  # the ranker.json the rule set was loaded with (None: the rules' own tiers)

    @staticmethod
    def of(ruleset: RuleSet, types: list[str] | None, shortcuts: bool = True) -> RuleSpec:
        files = tuple((f"{i:04d}_{f.name}", f.read_bytes()) for i, f in enumerate(ruleset.files))
        r = ruleset.ranker
        ranker = r.path.read_bytes() if r is not None and r.path is not None else None
        return RuleSpec(files, tuple(types) if types else None, shortcuts, ruleset.digest, ranker)

    @property
    def key(self) -> str:
        return f"{self.digest}:{self.types}:{self.shortcuts}"


_engines: dict[str, Engine] = {}
_engine_lock = threading.Lock()  # dask workers may run several threads; GiNZA is not thread-safe
_rule_dirs: list[tempfile.TemporaryDirectory[str]] = []


def remove_rule_copies() -> None:
    """Remove the rule files written for this process's engines (before a fast exit)."""
    while _rule_dirs:
        _rule_dirs.pop().cleanup()


def engine_for(spec: RuleSpec) -> Engine:
    """The worker's Engine for this rule spec, built (and GiNZA loaded) on first use."""
    eng = _engines.get(spec.key)
    if eng is not None:
        return eng
    from . import nlp
    from .ruleset.loader import load_ruleset

    tmp = tempfile.TemporaryDirectory(prefix="analogscan-rules-")
    _rule_dirs.append(tmp)
    for name, data in spec.files:
        (Path(tmp.name) / name).write_bytes(data)
    if spec.ranker is not None:
        (Path(tmp.name) / RANKER_FILE).write_bytes(spec.ranker)
    ruleset = load_ruleset(Path(tmp.name)).select(list(spec.types) if spec.types else None)
    eng = Engine(ruleset, use_prefilter=spec.shortcuts)
    if eng.needs_nlp:
        # rule terms (lemma/norm) are tokenised by the pipeline already loaded, not a second one
        nlp.set_default_exclude(eng.exclude)
        eng.nlp()
    _engines[spec.key] = eng
    return eng


def scan_task(
    spec: RuleSpec, path: str, settings: ReadSettings | None = None, data: bytes | None = None
) -> dict[str, Any]:
    """Scan one document on a worker; returns DocumentResult.to_json(). Never raises for bad input.

    ``data``: the file's bytes, for workers that cannot see the path (written to a temporary
    file with the same name; the result keeps the original path). ``settings``: how to read it
    (None: as this process is set)."""
    from .pipeline import scan_file

    with _engine_lock:
        eng = engine_for(spec)
        if data is None:
            return scan_file(Path(path), eng, settings=settings).to_json()
        with tempfile.TemporaryDirectory(prefix="analogscan-doc-") as d:
            local = Path(d) / Path(path).name
            local.write_bytes(data)
            res = scan_file(local, eng, settings=settings)
            res.path = path
            return res.to_json()
