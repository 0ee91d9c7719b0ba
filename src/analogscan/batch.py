"""Batch scanning: many documents on worker processes (or a dask cluster), into a result store.

- Documents are the tasks. Each worker process loads GiNZA once (a lazily initialised module
  global, loaded before the first document) with only the components the rules need.
- The rules travel with the work as file texts (``RuleSpec``), so workers on other
  machines need no copy of the rule folder.
- Results come back in completion order; the parent (the only writer) records each one in
  the store as it arrives and the report lists documents in input order.
- Every document runs within a budget (``Budget``: time, and memory where the platform limits
  it): ``executor="process"`` (also ``--jobs 1``) runs ``jobs`` budgeted worker processes
  (:mod:`analogscan.docworker`), each dask worker runs its documents in one of its own. A
  document over budget has its worker killed and replaced and is recorded as an error naming
  the budget; the run and its report go on. Only with no budget at all (``--doc-timeout 0
  --doc-memory 0``) does ``--jobs 1`` scan in the calling process.
- ``executor="dask"`` uses dask.distributed (a LocalCluster, or the scheduler given).
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .config import Budget, ReadSettings
from .docworker import INIT_TIMEOUT, Worker, scan_one
from .pipeline import failed_result
from .ruleset.model import RuleSet
from .store import FileInfo, RowError, Store, StoreError
from .tasks import RuleSpec, remove_rule_copies, scan_task

__all__ = ["BatchConfig", "BatchOutcome", "RuleSpec", "remove_rule_copies", "run_batch", "scan_task"]

EXECUTORS = ("process", "dask")


# --------------------------------------------------------------------------- executors

Done = Callable[[int, dict[str, Any]], None]


def _failed(path: str, message: str) -> dict[str, Any]:
    return failed_result(path, message)


def _run_serial(paths: list[str], spec: RuleSpec, settings: ReadSettings, on_done: Done) -> None:
    """In the calling process, without budgets (--doc-timeout 0 --doc-memory 0 --jobs 1)."""
    from . import nlp

    saved = nlp.get_default_exclude()
    try:
        for i, p in enumerate(paths):
            on_done(i, scan_task(spec, p, settings))
    finally:
        nlp.set_default_exclude(saved)  # the calling process keeps its own default


MAX_START_FAILURES = 3  # workers that die while loading: then the rest of the run is an error


class _Pool:
    """``jobs`` budgeted worker processes, one document each at a time (see ``_run_workers``)."""

    def __init__(
        self,
        paths: list[str],
        spec: RuleSpec,
        jobs: int,
        settings: ReadSettings,
        budget: Budget,
        on_done: Done,
    ) -> None:
        self.paths, self.spec, self.jobs, self.settings = paths, spec, jobs, settings
        self.budget, self.on_done = budget, on_done
        self.events: queue.Queue[tuple[Worker, Any]] = queue.Queue()
        self.todo = deque(enumerate(paths))
        self.busy: dict[Worker, tuple[int, float]] = {}  # worker → (document, deadline)
        self.starting: dict[Worker, float] = {}  # worker → deadline for loading
        self.live: set[Worker] = set()
        self.released: list[Worker] = []
        self.start_failures = 0
        self.fatal: str | None = None

    def spawn(self) -> None:
        w = Worker(self.spec, self.budget, self.events)
        self.live.add(w)
        self.starting[w] = time.monotonic() + INIT_TIMEOUT

    def retire(self, w: Worker, kill: bool = False) -> None:
        self.live.discard(w)
        self.starting.pop(w, None)
        self.busy.pop(w, None)
        if kill:
            w.kill()
        else:
            w.release()  # it exits on its own; reaped at the end
            self.released.append(w)

    def give(self, w: Worker) -> None:
        if not self.todo or self.fatal is not None:
            self.retire(w)
            return
        i, p = self.todo.popleft()
        timeout = self.budget.timeout
        self.busy[w] = (i, time.monotonic() + timeout if timeout > 0 else float("inf"))
        if not w.scan(p, self.settings):  # died right after loading: try another, a few times
            self.busy.pop(w)
            self.todo.appendleft((i, p))
            self.retire(w, kill=True)
            self.start_failures += 1

    def start_failed(self, why: str) -> None:
        self.start_failures += 1
        if self.start_failures >= MAX_START_FAILURES:
            self.fatal = why.format(n=self.start_failures)

    def top_up(self) -> None:
        if self.start_failures >= MAX_START_FAILURES and self.fatal is None:
            self.fatal = f"ワーカープロセスを起動できません（{self.start_failures} 回異常終了しました）"
        while self.fatal is None and len(self.live) < min(self.jobs, len(self.todo) + len(self.busy)):
            self.spawn()

    def wait(self) -> tuple[Worker | None, Any]:
        """The next message, or (None, None) when the nearest deadline passes first."""
        deadlines = [d for _i, d in self.busy.values()] + list(self.starting.values())
        wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        if wait_for is not None and wait_for == float("inf"):
            wait_for = None
        try:
            return self.events.get(timeout=wait_for)
        except queue.Empty:
            return None, None

    def handle(self, w: Worker, msg: Any) -> None:
        if msg is None:  # the process ended
            if w in self.busy:
                i, _d = self.busy[w]
                self.on_done(i, _failed(self.paths[i], self.budget.crash_message(w.returncode)))
            elif w in self.starting:
                self.start_failed("ワーカープロセスを起動できません（読み込み中に {n} 回異常終了しました）")
            self.retire(w, kill=True)
        elif msg[0] == "ready":
            self.starting.pop(w, None)
            w.ready = True
            self.give(w)
        elif msg[0] == "init_error":
            self.fatal = f"ワーカーを起動できません（{msg[1]}）"
            self.retire(w, kill=True)
        elif msg[0] == "result":
            _kind, res, restart = msg
            i, _d = self.busy.pop(w)
            self.on_done(i, res)
            if restart:
                self.retire(w)
            else:
                self.give(w)

    def check_deadlines(self) -> None:
        now = time.monotonic()
        for w, (i, d) in list(self.busy.items()):
            if now >= d:
                self.retire(w, kill=True)
                self.on_done(i, _failed(self.paths[i], self.budget.timeout_message()))
        for w, d in list(self.starting.items()):
            if now >= d:
                self.retire(w, kill=True)
                self.start_failed("ワーカープロセスを起動できません（読み込みが時間内に終わりません）")

    def fail_rest(self) -> None:
        """The documents no worker could take: errors, not recorded in the store (transient)."""
        why = self.fatal or "ワーカープロセスを起動できません"
        while self.todo:
            i, _p = self.todo.popleft()
            res = _failed(self.paths[i], why)
            res["_transient"] = True
            self.on_done(i, res)

    def close(self) -> None:
        for w in list(self.live):
            if w in self.busy:
                w.kill()
            else:
                w.release()
                self.released.append(w)
        for w in self.released:
            w.stop(grace=2.0)


def _run_workers(
    paths: list[str], spec: RuleSpec, jobs: int, settings: ReadSettings, budget: Budget, on_done: Done
) -> None:
    """``jobs`` worker processes, one document each at a time, every document within the budget.
    ``settings.page_jobs``: processes each worker may use for the pages of one PDF.

    A document over its time budget has its worker killed and replaced; a worker that dies
    takes only its own document with it."""
    pool = _Pool(paths, spec, jobs, settings, budget, on_done)
    try:
        pool.top_up()
        while pool.live and (pool.todo or pool.busy or pool.starting):
            w, msg = pool.wait()
            if w is not None and w in pool.live:
                pool.handle(w, msg)
            pool.check_deadlines()
            pool.top_up()
        if pool.fatal is not None or pool.todo:
            pool.fail_rest()
    finally:
        pool.close()


_dask_worker: Worker | None = None
_dask_lock = threading.Lock()


def scan_task_budgeted(
    spec: RuleSpec, path: str, settings: ReadSettings, data: bytes | None, budget: Budget
) -> dict[str, Any]:
    """A dask task: scan one document in this dask worker's own budgeted worker process."""
    global _dask_worker
    with _dask_lock:
        res, _dask_worker = scan_one(_dask_worker, spec, budget, path, settings, data)
        return res


def _run_dask(
    paths: list[str],
    spec: RuleSpec,
    jobs: int,
    scheduler: str | None,
    settings: ReadSettings,
    on_done: Done,
    send_bytes: bool,
    budget: Budget,
) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        nthreads = sum(client.nthreads().values()) or 1
        spec_f = client.scatter(spec, broadcast=True)
        todo = list(enumerate(paths))
        todo.reverse()
        index: dict[Any, int] = {}

        def submit() -> Any:
            i, p = todo.pop()
            data = Path(p).read_bytes() if send_bytes else None
            if budget.active:
                fut = client.submit(scan_task_budgeted, spec_f, p, settings, data, budget, pure=False)
            else:
                fut = client.submit(scan_task, spec_f, p, settings, data, pure=False)
            index[fut.key] = i
            return fut

        first = [submit() for _ in range(min(len(todo), nthreads * 3))]
        ac = as_completed(first)
        for fut in ac:
            i = index.pop(fut.key)
            try:
                res = fut.result()
            except Exception as e:  # noqa: BLE001
                res = _failed(paths[i], f"ワーカーでエラーが発生しました（{type(e).__name__}: {e}）")
                res["_transient"] = True
            on_done(i, res)
            fut.release()
            if todo:
                ac.add(submit())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- the batch run


@dataclass(frozen=True)
class BatchConfig:
    jobs: int = 1
    executor: str = "process"
    scheduler: str | None = None
    format_in: str | None = None
    ocr: bool | None = None  # image-only PDF pages by OCR; None: as this process is set (ANALOGSCAN_OCR)
    store: Path | None = None
    retry_failed: bool = False
    shortcuts: bool = True
    send_bytes: bool = False
    quiet: bool = False
    progress_stream: TextIO | None = None
    progress_tty: bool | None = None
    budget: Budget = field(default_factory=Budget)

    def read_settings(self, page_jobs: int = 1) -> ReadSettings:
        """How workers read each document: passed to them explicitly, never through the environment."""
        if self.ocr is None:
            from .ingest.pdf import ocr_enabled

            return ReadSettings(self.format_in, ocr_enabled(), page_jobs)
        return ReadSettings(self.format_in, self.ocr, page_jobs)


@dataclass
class BatchOutcome:
    results: list[dict[str, Any]]  # input order
    scanned: int = 0
    skipped: int = 0
    elapsed: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    characters: int = 0  # characters of the documents scanned in this run (not the skipped ones)
    interrupted: bool = False  # stopped by Ctrl-C: results hold what was done
    store_error: str | None = None  # the store failed mid-run (results are complete; not all recorded)


REPAIRED = "結果ストアの記録が壊れていて読めないため、走査し直しました"


class _Run:
    """The state of one batch run: results in input order, what the store already holds, what to scan.

    The parent is the only writer of the store: each result is recorded as it arrives (``done``)."""

    def __init__(self, files: list[Path], digest: str, cfg: BatchConfig) -> None:
        self.files, self.digest, self.cfg = files, digest, cfg
        self.results: list[dict[str, Any] | None] = [None] * len(files)
        self.infos: list[FileInfo | None] = [None] * len(files)
        self.todo: list[int] = []
        self.repaired: set[int] = set()  # documents whose stored row could not be read: scanned again
        self.store = Store(cfg.store, exclusive=True) if cfg.store else None
        self.store_error: str | None = None
        self.skipped = 0
        self.prog: Any = None

    def lookup(self) -> None:
        """Take from the store what it holds for the same content and rules; the rest is to do."""
        for i, f in enumerate(self.files):
            try:
                info = FileInfo.of(f)
            except OSError as e:
                self.results[i] = _failed(str(f), f"ファイルを読めません（{e.strerror or e}）")
                continue
            self.infos[i] = info
            if self.store is not None and info.regular:
                try:
                    ok, info = self.store.up_to_date(info, self.digest, self.cfg.retry_failed)
                except OSError:
                    ok = False
                self.infos[i] = info
                if ok:
                    try:
                        stored = self.store.results([info.path])
                    except RowError:
                        self.store.forget(info.path)
                        self.repaired.add(i)
                        stored = []
                    if stored:
                        self.results[i] = stored[0]
                        continue
            self.todo.append(i)
        self.skipped = sum(1 for r in self.results if r is not None)

    def start_progress(self) -> None:
        from .progress import Progress

        total_bytes = sum(inf.size for inf in (self.infos[i] for i in self.todo) if inf is not None)
        cfg = self.cfg
        self.prog = Progress(
            len(self.todo),
            total_bytes,
            stream=cfg.progress_stream,
            quiet=cfg.quiet,
            tty=cfg.progress_tty,
            skipped=self.skipped,
        )
        self.prog.start()

    def done(self, k: int, res: dict[str, Any]) -> None:
        """The result of the k-th document to do: kept, recorded in the store, shown in the progress."""
        i = self.todo[k]
        transient = bool(res.pop("_transient", False))
        if i in self.repaired:
            res.setdefault("messages", []).append({"level": "warning", "text": REPAIRED})
            if res.get("status") == "ok":
                res["status"] = "warning"
        info = self.infos[i]
        if self.store is not None and self.store_error is None and info is not None and info.regular:
            if not transient:
                self.record(info, res)
        # kept only after it is in the store: a Ctrl-C between the two leaves the document out of the report (listed as
        # not scanned) rather than in the report but not in the store, so every document the report holds is one
        # --resume will not scan again
        self.results[i] = res
        self.prog.update(
            int(res.get("characters") or 0),
            info.size if info is not None else 0,
            failed=res.get("status") == "error",
        )

    def record(self, info: FileInfo, res: dict[str, Any]) -> None:
        assert self.store is not None
        try:
            self.store.record(info, self.digest, res)
        except OSError as e:  # the file vanished before it could be hashed
            res.setdefault("messages", []).append(
                {"level": "warning", "text": f"結果を記録できません（{e}）"}
            )
        except StoreError as e:  # the store broke mid-run: keep scanning, report it at the end
            self.store_error = str(e)

    def close(self) -> None:
        if self.store is not None:
            try:
                self.store.close()
            except StoreError as e:
                self.store_error = self.store_error or str(e)

    def outcome(self, started: float, interrupted: bool) -> BatchOutcome:
        not_done = "中断したため走査していません" if interrupted else "走査されませんでした"
        final = [
            r if r is not None else _failed(str(self.files[i]), not_done) for i, r in enumerate(self.results)
        ]
        failures = [
            (
                str(r.get("path")),
                "; ".join(str(m.get("text")) for m in r.get("messages") or [] if m.get("level") == "error"),
            )
            for r in final
            if r.get("status") == "error"
        ]
        return BatchOutcome(
            results=final,
            scanned=sum(1 for i in self.todo if self.results[i] is not None),
            skipped=self.skipped,
            elapsed=time.monotonic() - started,
            failures=failures,
            characters=sum(int(final[i].get("characters") or 0) for i in self.todo),
            interrupted=interrupted,
            store_error=self.store_error,
        )


def _execute(paths: list[str], spec: RuleSpec, cfg: BatchConfig, on_done: Done) -> None:
    """Scan ``paths`` with the executor ``cfg`` names; ``on_done(k, result)`` for each."""
    jobs = max(1, cfg.jobs)
    if not paths:
        return
    if cfg.executor == "dask":
        settings = cfg.read_settings()
        _run_dask(paths, spec, jobs, cfg.scheduler, settings, on_done, cfg.send_bytes, cfg.budget)
    elif jobs == 1 and not cfg.budget.active:
        _run_serial(paths, spec, cfg.read_settings(), on_done)
    else:
        # fewer documents than jobs: the spare processes share the pages of each PDF
        settings = cfg.read_settings(page_jobs=max(1, jobs // len(paths)))
        _run_workers(paths, spec, min(jobs, len(paths)), settings, cfg.budget, on_done)


def run_batch(files: list[Path], ruleset: RuleSet, types: list[str] | None, cfg: BatchConfig) -> BatchOutcome:
    """Scan files (skipping those the store holds for the same content and rules)."""
    started = time.monotonic()
    spec = RuleSpec.of(ruleset, types, cfg.shortcuts)
    # --no-shortcuts gives the same results: same key in the store
    run = _Run(files, ruleset.digest, cfg)
    interrupted = False
    try:
        run.lookup()
        run.start_progress()
        try:
            _execute([str(files[i]) for i in run.todo], spec, cfg, run.done)
        except KeyboardInterrupt:
            interrupted = True
        run.prog.finish()
    finally:
        run.close()
    return run.outcome(started, interrupted)


def default_jobs() -> int:
    return max(1, (os.cpu_count() or 1))
