"""Batch scanning: many documents on worker processes (or a dask cluster), into a result store.

- Documents are the tasks. Each worker process loads GiNZA once (a lazily initialised module
  global, warmed by the pool initializer) with only the components the rules need.
- The rules travel with the work as file texts (``RuleSpec``), so workers on other
  machines need no copy of the rule folder.
- Results come back in completion order; the parent (the only writer) records each one in
  the store as it arrives and the report lists documents in input order.
- ``--jobs 1`` runs in the calling process; ``executor="process"`` uses a
  ProcessPoolExecutor (forkserver/spawn: no fork after spaCy is loaded);
  ``executor="dask"`` uses dask.distributed (a LocalCluster, or the scheduler given).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from .engine import Engine
from .model import DocumentResult
from .rules.model import RuleSet
from .store import FileInfo, Store

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


def engine_for(spec: RuleSpec) -> Engine:
    """The worker's Engine for this rule spec, built (and GiNZA loaded) on first use."""
    eng = _engines.get(spec.key)
    if eng is not None:
        return eng
    from . import nlp
    from .rules.loader import load_ruleset

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


def init_worker(spec: RuleSpec) -> None:
    """ProcessPoolExecutor initializer: load the rules and GiNZA once per worker process.

    Ctrl-C is handled by the parent (it records what is done and stops the pool), so workers
    ignore SIGINT instead of dying with a traceback each."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine_for(spec)


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
    r = DocumentResult(path=path)
    r.add("error", message)
    return r.to_json()


def _run_serial(paths: list[str], spec: RuleSpec, format_in: str | None, on_done: Done) -> None:
    from . import nlp

    saved = nlp.get_default_exclude()
    try:
        for i, p in enumerate(paths):
            on_done(i, scan_task(spec, p, format_in))
    finally:
        nlp.set_default_exclude(saved)  # the calling process keeps its own default


def _mp_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _run_processes(
    paths: list[str], spec: RuleSpec, jobs: int, format_in: str | None, on_done: Done, page_jobs: int = 1
) -> None:
    todo = list(enumerate(paths))
    todo.reverse()  # pop() from the end = input order
    restarts = 0
    while todo:
        ex = ProcessPoolExecutor(max_workers=jobs, mp_context=_mp_context(), initializer=init_worker, initargs=(spec,))
        inflight: dict[Future[dict[str, Any]], int] = {}
        broken = False
        try:
            while todo or inflight:
                while todo and len(inflight) < jobs * 3 and not broken:
                    i, p = todo.pop()
                    inflight[ex.submit(scan_task, spec, p, format_in, None, page_jobs)] = i
                if not inflight:
                    break
                finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                for fut in finished:
                    i = inflight.pop(fut)
                    try:
                        res = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        res = _failed(paths[i], "ワーカープロセスが異常終了しました（メモリ不足の可能性があります）")
                        res["_transient"] = True
                    except Exception as e:  # noqa: BLE001 - report and go on
                        res = _failed(paths[i], f"ワーカーでエラーが発生しました（{type(e).__name__}: {e}）")
                        res["_transient"] = True
                    on_done(i, res)
                if broken and not inflight:
                    break
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
        if broken:
            restarts += 1
            if restarts > 3:
                for i, p in reversed(todo):
                    res = _failed(p, "ワーカープロセスが繰り返し異常終了したため走査を打ち切りました")
                    res["_transient"] = True
                    on_done(i, res)
                return


def _run_dask(
    paths: list[str],
    spec: RuleSpec,
    jobs: int,
    scheduler: str | None,
    format_in: str | None,
    on_done: Done,
    send_bytes: bool,
) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        )
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


@dataclass
class BatchOutcome:
    results: list[dict[str, Any]]  # input order
    scanned: int = 0
    skipped: int = 0
    elapsed: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (path, message)
    characters: int = 0  # characters of the documents scanned in this run (not the skipped ones)
    interrupted: bool = False  # stopped by Ctrl-C: results hold what was done


def run_batch(files: list[Path], ruleset: RuleSet, types: list[str] | None, cfg: BatchConfig) -> BatchOutcome:
    """Scan files (skipping those the store holds for the same content and rules)."""
    from .progress import Progress

    started = time.monotonic()
    spec = RuleSpec.of(ruleset, types, cfg.shortcuts)
    digest = ruleset.digest  # --no-shortcuts gives the same results: same key in the store
    results: list[dict[str, Any] | None] = [None] * len(files)
    infos: list[FileInfo | None] = [None] * len(files)
    todo: list[int] = []
    store = Store(cfg.store) if cfg.store else None
    interrupted = False
    try:
        for i, f in enumerate(files):
            try:
                info = FileInfo.of(f)
            except OSError as e:
                results[i] = _failed(str(f), f"ファイルを読めません（{e.strerror or e}）")
                continue
            infos[i] = info
            if store is not None:
                try:
                    ok, info = store.up_to_date(info, digest, cfg.retry_failed)
                except OSError:
                    ok = False
                infos[i] = info
                if ok:
                    stored = store.results([info.path])
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
            i = todo[k]
            transient = bool(res.pop("_transient", False))
            results[i] = res
            info = infos[i]
            if store is not None and info is not None and not transient:
                try:
                    store.record(info, digest, res)
                except OSError as e:  # the file vanished before it could be hashed
                    res.setdefault("messages", []).append({"level": "warning", "text": f"結果を記録できません（{e}）"})
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
                _run_dask(paths, spec, jobs, cfg.scheduler, cfg.format_in, on_done, cfg.send_bytes)
            elif jobs == 1:
                _run_serial(paths, spec, cfg.format_in, on_done)
            else:
                # fewer documents than jobs: the spare processes share the pages of each PDF
                _run_processes(
                    paths, spec, min(jobs, len(paths)), cfg.format_in, on_done, page_jobs=max(1, jobs // len(paths))
                )
        except KeyboardInterrupt:
            interrupted = True
        prog.finish()
    finally:
        if store is not None:
            store.close()
    not_done = "中断したため走査していません" if interrupted else "走査されませんでした"
    final = [r if r is not None else _failed(str(files[i]), not_done) for i, r in enumerate(results)]
    failures = [
        (str(r.get("path")), "; ".join(str(m.get("text")) for m in r.get("messages") or [] if m.get("level") == "error"))
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
    )


def default_jobs() -> int:
    return max(1, (os.cpu_count() or 1))
