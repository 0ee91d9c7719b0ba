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
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .docworker import INIT_TIMEOUT, Budget, Worker, scan_one
from .engine import Engine
from .pipeline import failed_result
from .ruleset.model import RuleSet
from .store import FileInfo, RowError, Store, StoreError

EXECUTORS = ("process", "dask")


# --------------------------------------------------------------------------- rules on workers


@dataclass(frozen=True)
class RuleSpec:
    """Everything a worker needs to build the same Engine: rule file texts, types, mode."""

    files: tuple[tuple[str, bytes], ...]  # (name, content) in load order
    types: tuple[str, ...] | None
    shortcuts: bool
    digest: str

    @staticmethod
    def of(ruleset: RuleSet, types: list[str] | None, shortcuts: bool = True) -> RuleSpec:
        files = tuple((f"{i:04d}_{f.name}", f.read_bytes()) for i, f in enumerate(ruleset.files))
        return RuleSpec(files, tuple(types) if types else None, shortcuts, ruleset.digest)

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
    ruleset = load_ruleset(Path(tmp.name)).select(list(spec.types) if spec.types else None)
    eng = Engine(ruleset, use_prefilter=spec.shortcuts)
    if eng.needs_nlp:
        # rule terms (lemma/norm) are tokenised by the pipeline already loaded, not a second one
        nlp.set_default_exclude(eng.exclude)
        eng.nlp()
    _engines[spec.key] = eng
    return eng


def scan_task(
    spec: RuleSpec, path: str, format_in: str | None = None, data: bytes | None = None, page_jobs: int = 1
) -> dict[str, Any]:
    """Scan one document on a worker; returns DocumentResult.to_json(). Never raises for bad input.

    ``data``: the file's bytes, for workers that cannot see the path (written to a temporary
    file with the same name; the result keeps the original path). ``page_jobs``: processes
    that share the pages of a PDF.
    """
    from .ingest.pdf import page_jobs_set
    from .pipeline import scan_file

    with _engine_lock, page_jobs_set(page_jobs):
        eng = engine_for(spec)
        if data is None:
            return scan_file(Path(path), eng, format_in).to_json()
        with tempfile.TemporaryDirectory(prefix="analogscan-doc-") as d:
            local = Path(d) / Path(path).name
            local.write_bytes(data)
            res = scan_file(local, eng, format_in)
            res.path = path
            return res.to_json()


# --------------------------------------------------------------------------- executors

Done = Callable[[int, dict[str, Any]], None]


def _failed(path: str, message: str) -> dict[str, Any]:
    return failed_result(path, message)


def _run_serial(paths: list[str], spec: RuleSpec, format_in: str | None, on_done: Done) -> None:
    """In the calling process, without budgets (--doc-timeout 0 --doc-memory 0 --jobs 1)."""
    from . import nlp

    saved = nlp.get_default_exclude()
    try:
        for i, p in enumerate(paths):
            on_done(i, scan_task(spec, p, format_in))
    finally:
        nlp.set_default_exclude(saved)  # the calling process keeps its own default


MAX_START_FAILURES = 3  # workers that die while loading: then the rest of the run is an error


def _run_workers(
    paths: list[str],
    spec: RuleSpec,
    jobs: int,
    format_in: str | None,
    budget: Budget,
    on_done: Done,
    page_jobs: int = 1,
) -> None:
    """``jobs`` worker processes, one document each at a time, every document within the budget.
    ``page_jobs``: processes each worker may use for the pages of one PDF.

    A document over its time budget has its worker killed and replaced; a worker that dies
    takes only its own document with it."""
    events: queue.Queue[tuple[Worker, Any]] = queue.Queue()
    todo = deque(enumerate(paths))
    busy: dict[Worker, tuple[int, float]] = {}  # worker → (document, deadline)
    starting: dict[Worker, float] = {}  # worker → deadline for loading
    live: set[Worker] = set()
    start_failures = 0
    fatal: str | None = None

    def spawn() -> None:
        w = Worker(spec, budget, events)
        live.add(w)
        starting[w] = time.monotonic() + INIT_TIMEOUT

    released: list[Worker] = []

    def retire(w: Worker, kill: bool = False) -> None:
        live.discard(w)
        starting.pop(w, None)
        busy.pop(w, None)
        if kill:
            w.kill()
        else:
            w.release()  # it exits on its own; reaped at the end
            released.append(w)

    def give(w: Worker) -> None:
        nonlocal start_failures
        if not todo or fatal is not None:
            retire(w)
            return
        i, p = todo.popleft()
        deadline = time.monotonic() + budget.timeout if budget.timeout > 0 else float("inf")
        busy[w] = (i, deadline)
        if not w.scan(
            p, format_in, page_jobs=page_jobs
        ):  # died right after loading: try another, a few times
            busy.pop(w)
            todo.appendleft((i, p))
            retire(w, kill=True)
            start_failures += 1

    def top_up() -> None:
        nonlocal fatal
        if start_failures >= MAX_START_FAILURES and fatal is None:
            fatal = f"ワーカープロセスを起動できません（{start_failures} 回異常終了しました）"
        while fatal is None and len(live) < min(jobs, len(todo) + len(busy)):
            spawn()

    try:
        top_up()
        while live and (todo or busy or starting):
            now = time.monotonic()
            deadlines = [d for _i, d in busy.values()] + list(starting.values())
            wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            if wait_for is not None and wait_for == float("inf"):
                wait_for = None
            try:
                w, msg = events.get(timeout=wait_for)
            except queue.Empty:
                w, msg = None, None
            if w is not None and w in live:
                if msg is None:  # the process ended
                    code = w.returncode
                    if w in busy:
                        i, _d = busy[w]
                        on_done(i, _failed(paths[i], budget.crash_message(code)))
                    elif w in starting:
                        start_failures += 1
                        if start_failures >= MAX_START_FAILURES:
                            fatal = f"ワーカープロセスを起動できません（読み込み中に {start_failures} 回異常終了しました）"
                    retire(w, kill=True)
                elif msg[0] == "ready":
                    starting.pop(w, None)
                    w.ready = True
                    give(w)
                elif msg[0] == "init_error":
                    fatal = f"ワーカーを起動できません（{msg[1]}）"
                    retire(w, kill=True)
                elif msg[0] == "result":
                    _kind, res, restart = msg
                    i, _d = busy.pop(w)
                    on_done(i, res)
                    if restart:
                        retire(w)
                    else:
                        give(w)
            now = time.monotonic()
            for w2, (i, d) in list(busy.items()):
                if now >= d:
                    retire(w2, kill=True)
                    on_done(i, _failed(paths[i], budget.timeout_message()))
            for w2, d in list(starting.items()):
                if now >= d:
                    retire(w2, kill=True)
                    start_failures += 1
                    if start_failures >= MAX_START_FAILURES:
                        fatal = "ワーカープロセスを起動できません（読み込みが時間内に終わりません）"
            top_up()
        if fatal is not None or todo:
            why = fatal or "ワーカープロセスを起動できません"
            while todo:
                i, _p = todo.popleft()
                res = _failed(paths[i], why)
                res["_transient"] = True
                on_done(i, res)
    finally:
        for w in list(live):
            if w in busy:
                w.kill()
            else:
                w.release()
                released.append(w)
        for w in released:
            w.stop(grace=2.0)


_dask_worker: Worker | None = None
_dask_lock = threading.Lock()


def scan_task_budgeted(
    spec: RuleSpec, path: str, format_in: str | None, data: bytes | None, budget: Budget
) -> dict[str, Any]:
    """A dask task: scan one document in this dask worker's own budgeted worker process."""
    global _dask_worker
    with _dask_lock:
        res, _dask_worker = scan_one(_dask_worker, spec, budget, path, format_in, data)
        return res


def _run_dask(
    paths: list[str],
    spec: RuleSpec,
    jobs: int,
    scheduler: str | None,
    format_in: str | None,
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
                fut = client.submit(scan_task_budgeted, spec_f, p, format_in, data, budget, pure=False)
            else:
                fut = client.submit(scan_task, spec_f, p, format_in, data, pure=False)
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


@dataclass
class BatchConfig:
    jobs: int = 1
    executor: str = "process"
    scheduler: str | None = None
    format_in: str | None = None
    store: Path | None = None
    retry_failed: bool = False
    shortcuts: bool = True
    send_bytes: bool = False
    quiet: bool = False
    progress_stream: TextIO | None = None
    progress_tty: bool | None = None
    budget: Budget = field(default_factory=Budget)


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


def run_batch(files: list[Path], ruleset: RuleSet, types: list[str] | None, cfg: BatchConfig) -> BatchOutcome:
    """Scan files (skipping those the store holds for the same content and rules)."""
    from .progress import Progress

    started = time.monotonic()
    spec = RuleSpec.of(ruleset, types, cfg.shortcuts)
    digest = ruleset.digest  # --no-shortcuts gives the same results: same key in the store
    results: list[dict[str, Any] | None] = [None] * len(files)
    infos: list[FileInfo | None] = [None] * len(files)
    todo: list[int] = []
    store = Store(cfg.store, exclusive=True) if cfg.store else None
    store_error: str | None = None
    repaired: set[int] = set()  # documents whose stored row could not be read: scanned again
    interrupted = False
    try:
        for i, f in enumerate(files):
            try:
                info = FileInfo.of(f)
            except OSError as e:
                results[i] = _failed(str(f), f"ファイルを読めません（{e.strerror or e}）")
                continue
            infos[i] = info
            if store is not None and info.regular:
                try:
                    ok, info = store.up_to_date(info, digest, cfg.retry_failed)
                except OSError:
                    ok = False
                infos[i] = info
                if ok:
                    try:
                        stored = store.results([info.path])
                    except RowError:
                        store.forget(info.path)
                        repaired.add(i)
                        stored = []
                    if stored:
                        results[i] = stored[0]
                        continue
            todo.append(i)
        skipped = sum(1 for r in results if r is not None)
        total_bytes = 0
        for i in todo:
            inf = infos[i]
            total_bytes += inf.size if inf is not None else 0
        prog = Progress(
            len(todo),
            total_bytes,
            stream=cfg.progress_stream,
            quiet=cfg.quiet,
            tty=cfg.progress_tty,
            skipped=skipped,
        )
        prog.start()
        paths = [str(files[i]) for i in todo]

        def on_done(k: int, res: dict[str, Any]) -> None:
            nonlocal store_error
            i = todo[k]
            transient = bool(res.pop("_transient", False))
            if i in repaired:
                res.setdefault("messages", []).append(
                    {"level": "warning", "text": "結果ストアの記録が壊れていて読めないため、走査し直しました"}
                )
                if res.get("status") == "ok":
                    res["status"] = "warning"
            results[i] = res
            info = infos[i]
            if (
                store is not None
                and store_error is None
                and info is not None
                and info.regular
                and not transient
            ):
                try:
                    store.record(info, digest, res)
                except OSError as e:  # the file vanished before it could be hashed
                    res.setdefault("messages", []).append(
                        {"level": "warning", "text": f"結果を記録できません（{e}）"}
                    )
                except StoreError as e:  # the store broke mid-run: keep scanning, report it at the end
                    store_error = str(e)
            prog.update(
                int(res.get("characters") or 0),
                info.size if info is not None else 0,
                failed=res.get("status") == "error",
            )

        jobs = max(1, cfg.jobs)
        try:
            if not paths:
                pass
            elif cfg.executor == "dask":
                _run_dask(
                    paths, spec, jobs, cfg.scheduler, cfg.format_in, on_done, cfg.send_bytes, cfg.budget
                )
            elif jobs == 1 and not cfg.budget.active:
                _run_serial(paths, spec, cfg.format_in, on_done)
            else:
                # fewer documents than jobs: the spare processes share the pages of each PDF
                _run_workers(
                    paths,
                    spec,
                    min(jobs, len(paths)),
                    cfg.format_in,
                    cfg.budget,
                    on_done,
                    page_jobs=max(1, jobs // len(paths)),
                )
        except KeyboardInterrupt:
            interrupted = True
        prog.finish()
    finally:
        if store is not None:
            try:
                store.close()
            except StoreError as e:
                store_error = store_error or str(e)
    not_done = "中断したため走査していません" if interrupted else "走査されませんでした"
    final = [r if r is not None else _failed(str(files[i]), not_done) for i, r in enumerate(results)]
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
        scanned=sum(1 for i in todo if results[i] is not None),
        skipped=skipped,
        elapsed=time.monotonic() - started,
        failures=failures,
        characters=sum(int(final[i].get("characters") or 0) for i in todo),
        interrupted=interrupted,
        store_error=store_error,
    )


def default_jobs() -> int:
    return max(1, (os.cpu_count() or 1))
