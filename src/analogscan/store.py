"""Result store: one SQLite file (WAL) with one row per document.

The batch runner's parent process is the only writer. Each document's row is written in a
transaction of its own (or a small batch of them), so a run killed at any moment leaves
every document either fully recorded or absent; re-running skips what is recorded for the
same content (sha256) and the same rule set, and scans the rest exactly once (the path is
the primary key: a re-scan replaces the row, it never doubles it).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    path        TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    mtime       REAL NOT NULL,
    ruleset     TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    status      TEXT NOT NULL,
    findings    INTEGER NOT NULL,
    characters  INTEGER NOT NULL,
    result      TEXT NOT NULL,
    scanned_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
STORE_VERSION = "1"


class StoreError(Exception):
    """A store file that cannot be opened or is not an analogscan store (Japanese message)."""


def sha256_file(path: Path, bufsize: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(bufsize):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class FileInfo:
    """What the store compares: where the file is, its size, mtime and (lazily) content hash."""

    path: str
    size: int
    mtime: float
    sha256: str = ""
    regular: bool = True  # False: a pipe or device; never hashed (reading it may block), never stored

    @staticmethod
    def of(path: Path) -> FileInfo:
        st = path.stat()
        return FileInfo(str(path), st.st_size, st.st_mtime, regular=stat.S_ISREG(st.st_mode))

    def with_hash(self) -> FileInfo:
        if self.sha256 or not self.regular:
            return self
        return FileInfo(self.path, self.size, self.mtime, sha256_file(Path(self.path)))


@dataclass
class StoredDoc:
    path: str
    sha256: str
    size: int
    mtime: float
    ruleset: str
    tool_version: str
    status: str
    result: dict[str, Any]
    scanned_at: str


class Store:
    """The SQLite result store. Use as a context manager; writes commit every ``batch`` rows."""

    def __init__(self, path: Path, batch: int = 1, max_delay: float = 1.0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL: committed rows survive a killed process
            self.db.executescript(SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key='store_version'").fetchone()
            if row is None:
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('store_version', ?)", (STORE_VERSION,))
            elif row[0] != STORE_VERSION:
                raise StoreError(f"結果ストアの版が違います（{row[0]}、この版は {STORE_VERSION}）: {self.path}")
        except sqlite3.DatabaseError as e:
            raise StoreError(f"結果ストアを開けません: {self.path}（{e}）") from e
        self.batch = max(1, batch)
        self.max_delay = max_delay
        self._pending = 0
        self._opened_tx_at = 0.0

    # ------------------------------------------------------------------ context

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.db is None:
            return
        self.flush()
        self.db.close()
        self.db = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ reading

    def get(self, path: str) -> StoredDoc | None:
        row = self.db.execute(
            "SELECT path, sha256, size, mtime, ruleset, tool_version, status, result, scanned_at "
            "FROM documents WHERE path=?",
            (path,),
        ).fetchone()
        return None if row is None else _doc(row)

    def up_to_date(self, info: FileInfo, ruleset: str, retry_failed: bool = False) -> tuple[bool, FileInfo]:
        """Is the recorded result for this file still valid? Returns (valid, info with hash if computed).

        Size is the fast pre-check (a different size means changed content); otherwise the
        content hash confirms. A touched file with the same content keeps its result (its
        mtime is updated). A different rule set or tool version always means a re-scan.
        """
        row = self.db.execute(
            "SELECT sha256, size, mtime, ruleset, tool_version, status FROM documents WHERE path=?", (info.path,)
        ).fetchone()
        if row is None:
            return False, info
        sha, size, mtime, rs, ver, status = row
        if rs != ruleset or ver != __version__ or size != info.size:
            return False, info
        if retry_failed and status == "error":
            return False, info
        info = info.with_hash()
        if sha != info.sha256:
            return False, info
        if mtime != info.mtime:
            self._write("UPDATE documents SET mtime=? WHERE path=?", (info.mtime, info.path))
        return True, info

    def results(self, paths: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Stored result JSON (DocumentResult.to_json) for the given paths in that order, or all by path."""
        if paths is None:
            rows = self.db.execute("SELECT result FROM documents ORDER BY path").fetchall()
            return [json.loads(r[0]) for r in rows]
        out: list[dict[str, Any]] = []
        for p in paths:
            row = self.db.execute("SELECT result FROM documents WHERE path=?", (p,)).fetchone()
            if row is not None:
                out.append(json.loads(row[0]))
        return out

    def rulesets(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT ruleset FROM documents ORDER BY ruleset")]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def iter_docs(self) -> Iterator[StoredDoc]:
        cur = self.db.execute(
            "SELECT path, sha256, size, mtime, ruleset, tool_version, status, result, scanned_at "
            "FROM documents ORDER BY path"
        )
        for row in cur:
            yield _doc(row)

    # ------------------------------------------------------------------ writing

    def record(self, info: FileInfo, ruleset: str, result: dict[str, Any]) -> None:
        """Insert or replace one document's row (the whole row in one statement)."""
        info = info.with_hash()
        findings = result.get("findings") or []
        self._write(
            "INSERT OR REPLACE INTO documents "
            "(path, sha256, size, mtime, ruleset, tool_version, status, findings, characters, result, scanned_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                info.path,
                info.sha256,
                info.size,
                info.mtime,
                ruleset,
                __version__,
                str(result.get("status", "ok")),
                len(findings) if isinstance(findings, list) else 0,
                int(result.get("characters") or 0),
                json.dumps(result, ensure_ascii=False),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        if self._pending == 0:
            self.db.execute("BEGIN IMMEDIATE")
            self._opened_tx_at = time.monotonic()
        self.db.execute(sql, args)
        self._pending += 1
        if self._pending >= self.batch or time.monotonic() - self._opened_tx_at >= self.max_delay:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.db.execute("COMMIT")
            self._pending = 0


def _doc(row: tuple[Any, ...]) -> StoredDoc:
    path, sha, size, mtime, rs, ver, status, result, at = row
    return StoredDoc(path, sha, size, mtime, rs, ver, status, json.loads(result), at)


def report_from_results(
    docs: list[dict[str, Any]],
    *,
    ruleset_digest: str = "",
    rule_count: int = 0,
    types: list[str] | None = None,
    elapsed: float | None = None,
) -> dict[str, Any]:
    """The JSON report (report.json_report's schema) from stored per-document result JSON."""
    from collections import Counter

    from .model import TYPE_CODES
    from .report.json_report import build_report

    report = build_report([], ruleset_digest=ruleset_digest, rule_count=rule_count, types=types, elapsed=elapsed)
    by_type: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    for d in docs:
        by_status[str(d.get("status", "ok"))] += 1
        for f in d.get("findings") or []:
            by_type[str(f.get("type"))] += 1
    report["documents"] = docs
    s = report["summary"]
    s["documents"] = len(docs)
    for k in ("ok", "warning", "error"):
        s[k] = by_status.get(k, 0)
    s["findings"] = sum(by_type.values())
    s["by_type"] = {t: by_type.get(t, 0) for t in TYPE_CODES}
    return report
