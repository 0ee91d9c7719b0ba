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
import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import AnalogscanError
from .jst import now_iso
from .report.contract import build_report, read_document

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


class StoreError(AnalogscanError):
    """A store file that cannot be opened, read or written, or is not an analogscan store
    (Japanese message naming the store and what to do)."""


class RowError(StoreError):
    """One stored row cannot be decoded (the rest of the store is readable)."""

    def __init__(self, message: str, path: str, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class StoreBusy(StoreError):
    """Another scan is writing to the same store."""


def _advice(path: Path) -> str:
    return (
        f"`analogscan store check {path}` で状態を確認するか、"
        "--store に新しいファイルを指定して走査し直してください"
    )


def _why(e: BaseException, limit: int = 160) -> str:
    text = f"{type(e).__name__}: {e}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _broken(path: Path, e: BaseException) -> StoreError:
    return StoreError(
        f"結果ストア {path} を読み書きできません（{_why(e)}）。壊れている可能性があります。{_advice(path)}"
    )


def _row_error(store: Path, doc: str, e: BaseException) -> RowError:
    why = _why(e)
    return RowError(
        f"結果ストア {store} の記録（{doc}）が壊れていて読めません（{why}）。{_advice(store)}", doc, why
    )


def _decode(store: Path, doc: str, raw: object) -> dict[str, Any]:
    """A stored result (read as bytes: SQLite's own text decoding fails on damaged rows)."""
    try:
        if isinstance(raw, bytes):
            text = raw.decode("utf-8")
        elif isinstance(raw, str):
            text = raw
        else:
            raise ValueError(f"結果が文字列ではありません（{type(raw).__name__}）")
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("JSON のオブジェクトではありません")
        return value
    except ValueError as e:  # JSONDecodeError is a ValueError
        raise _row_error(store, doc, e) from None


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

    def __init__(self, path: Path, batch: int = 1, max_delay: float = 1.0, exclusive: bool = False) -> None:
        """``exclusive``: this process scans into the store; a second such run refuses (StoreBusy)
        instead of scanning every document again."""
        self.path = Path(path)
        self._lock: Any = None
        self.db: sqlite3.Connection = None  # type: ignore[assignment]
        if exclusive:
            self._lock = _take_lock(self.path)
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
                raise StoreError(
                    f"結果ストアの版が違います（{row[0]}、この版は {STORE_VERSION}）: {self.path}"
                )
        except sqlite3.Error as e:
            self._release()
            raise StoreError(f"結果ストアを開けません: {self.path}（{e}）。{_advice(self.path)}") from e
        except StoreError:
            self._release()
            raise
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
            self._release()
            return
        try:
            self.flush()
        finally:
            try:
                self.db.close()
            except sqlite3.Error:
                pass
            self.db = None  # type: ignore[assignment]
            self._release()

    def _release(self) -> None:
        if self._lock is not None:
            try:
                self._lock.close()  # closing the descriptor releases the lock
            except OSError:
                pass
            self._lock = None

    def _sql(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            return self.db.execute(sql, args)
        except sqlite3.Error as e:
            raise _broken(self.path, e) from e

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        try:
            return self.db.execute(sql, args).fetchall()
        except sqlite3.Error as e:
            raise _broken(self.path, e) from e

    # ------------------------------------------------------------------ reading

    def get(self, path: str) -> StoredDoc | None:
        rows = self._all(
            "SELECT path, sha256, size, mtime, ruleset, tool_version, status, CAST(result AS BLOB), scanned_at "
            "FROM documents WHERE path=?",
            (path,),
        )
        return None if not rows else self._doc(rows[0])

    def up_to_date(self, info: FileInfo, ruleset: str, retry_failed: bool = False) -> tuple[bool, FileInfo]:
        """Is the recorded result for this file still valid? Returns (valid, info with hash if computed).

        Size is the fast pre-check (a different size means changed content); otherwise the
        content hash confirms. A touched file with the same content keeps its result (its
        mtime is updated). A different rule set or tool version always means a re-scan.
        """
        rows = self._all(
            "SELECT sha256, size, mtime, ruleset, tool_version, status FROM documents WHERE path=?",
            (info.path,),
        )
        if not rows:
            return False, info
        sha, size, mtime, rs, ver, status = rows[0]
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
            rows = self._all("SELECT path, CAST(result AS BLOB) FROM documents ORDER BY path")
            return [_decode(self.path, str(r[0]), r[1]) for r in rows]
        out: list[dict[str, Any]] = []
        for p in paths:
            rows = self._all("SELECT CAST(result AS BLOB) FROM documents WHERE path=?", (p,))
            if rows:
                out.append(_decode(self.path, p, rows[0][0]))
        return out

    def rulesets(self) -> list[str]:
        return [str(r[0]) for r in self._all("SELECT DISTINCT ruleset FROM documents ORDER BY ruleset")]

    def count(self) -> int:
        return int(self._all("SELECT COUNT(*) FROM documents")[0][0])

    def iter_docs(self) -> Iterator[StoredDoc]:
        rows = self._all(
            "SELECT path, sha256, size, mtime, ruleset, tool_version, status, CAST(result AS BLOB), scanned_at "
            "FROM documents ORDER BY path"
        )
        for row in rows:
            yield self._doc(row)

    def _doc(self, row: tuple[Any, ...]) -> StoredDoc:
        path, sha, size, mtime, rs, ver, status, result, at = row
        return StoredDoc(path, sha, size, mtime, rs, ver, status, _decode(self.path, str(path), result), at)

    def check(self) -> CheckReport:
        """SQLite's integrity check, then every row decoded: what cannot be read."""
        rep = CheckReport(self.path)
        try:
            rows = self.db.execute("PRAGMA integrity_check").fetchall()
            rep.integrity = [ln for r in rows for ln in str(r[0]).splitlines() if ln.strip()]
        except sqlite3.Error as e:
            rep.integrity = [_why(e)]
        try:
            rowids = [
                int(r[0]) for r in self.db.execute("SELECT rowid FROM documents ORDER BY rowid").fetchall()
            ]
        except sqlite3.Error as e:
            rep.unreadable.append(("（一覧）", f"文書の一覧を読めません（{_why(e)}）"))
            return rep
        for rowid in rowids:
            rep.rows += 1
            try:
                row = self.db.execute(
                    "SELECT CAST(path AS BLOB), CAST(result AS BLOB) FROM documents WHERE rowid=?", (rowid,)
                ).fetchone()
            except sqlite3.Error as e:
                rep.unreadable.append((f"行 {rowid}", _why(e)))
                continue
            if row is None:
                continue
            doc = bytes(row[0] or b"").decode("utf-8", "replace") or f"行 {rowid}"
            try:
                _decode(self.path, doc, row[1])
            except RowError as e:
                rep.unreadable.append((doc, e.reason))
        return rep

    def forget(self, path: str) -> None:
        """Drop one document's row (an unreadable one, before it is scanned again)."""
        self._write("DELETE FROM documents WHERE path=?", (path,))

    # ------------------------------------------------------------------ writing

    def record(self, info: FileInfo, ruleset: str, result: Mapping[str, Any]) -> None:
        """Insert or replace one document's row (the whole row in one statement)."""
        info = info.with_hash()
        doc = read_document(result)
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
                doc.status,
                len(doc.findings),
                doc.characters,
                json.dumps(result, ensure_ascii=False),
                now_iso(),
            ),
        )

    def _write(self, sql: str, args: tuple[Any, ...]) -> None:
        if self._pending == 0:
            self._sql("BEGIN IMMEDIATE")
            self._opened_tx_at = time.monotonic()
        self._sql(sql, args)
        self._pending += 1
        if self._pending >= self.batch or time.monotonic() - self._opened_tx_at >= self.max_delay:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._pending = 0
            self._sql("COMMIT")


@dataclass
class CheckReport:
    """What ``store check`` found: SQLite's integrity check lines and the unreadable rows."""

    path: Path
    integrity: list[str] = field(default_factory=list)  # ["ok"] when SQLite finds nothing wrong
    rows: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (document path or row, why)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"] and not self.unreadable


def _take_lock(path: Path) -> Any:
    """An exclusive lock on <store>.lock for the length of a scan (released when the process ends,
    also when it is killed). Where the platform has no fcntl, no lock is taken."""
    try:
        import fcntl
    except ImportError:
        return None
    lock_path = path.with_name(path.name + ".lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")
    except OSError as e:
        raise StoreError(f"結果ストアのロックファイルを作れません: {lock_path}（{e.strerror or e}）") from e
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.seek(0)
        who = fh.read().strip()
        fh.close()
        raise StoreBusy(
            f"結果ストア {path} は別の走査{f'（{who}）' if who else ''}が使用中です。"
            "同じ文書を二度走査しないよう、この走査は始めません。終わるのを待つか、--store に別のファイルを指定してください"
        ) from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"PID {os.getpid()}")
    fh.flush()
    return fh


def report_from_results(
    docs: list[dict[str, Any]],
    *,
    ruleset_digest: str = "",
    rule_count: int = 0,
    types: list[str] | None = None,
    elapsed: float | None = None,
) -> dict[str, Any]:
    """The JSON report (report.contract's schema) from stored per-document result JSON."""
    return build_report(
        [], ruleset_digest=ruleset_digest, rule_count=rule_count, types=types, elapsed=elapsed, documents=docs
    )
