"""Documents under a budget: a worker process that scans one document at a time.

The worker is a child process (``python -m analogscan.docworker``) that loads the rules and
GiNZA once, then scans the documents it is sent one by one. Its parent (the batch runner, or a
dask worker) waits for each result no longer than the time budget; a document over budget has
its worker killed and replaced, and is recorded as an error naming the budget. The worker
limits its own address space (``RLIMIT_AS``, where the platform has it) to what it uses after
loading plus the memory budget, so a document that needs more fails with MemoryError (or the
worker dies) instead of taking the machine; either way the document is an error naming the
budget and the worker is replaced.

Messages are length-prefixed pickles over the child's stdin/stdout (parent and child are the
same program; nothing else is unpickled). The child moves its stdout to stderr before loading
anything, so library output cannot corrupt the channel.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .config import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Budget, ReadSettings

if TYPE_CHECKING:
    from .tasks import RuleSpec

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "INIT_TIMEOUT", "Budget", "Worker", "scan_one"]

INIT_TIMEOUT = 900.0  # loading GiNZA on a busy machine can take minutes, never this long

_HEADER = struct.Struct("!Q")


_scratch_dir: tempfile.TemporaryDirectory[str] | None = None


def _scratch() -> str:
    """A temporary folder for this process's workers (their rule copies, documents sent as bytes),
    removed when this process exits, also what a worker killed over budget could not remove."""
    global _scratch_dir
    if _scratch_dir is None:
        _scratch_dir = tempfile.TemporaryDirectory(prefix="analogscan-workers-")
    return _scratch_dir.name


# --------------------------------------------------------------------------- framing


def write_frame(out: IO[bytes], obj: object) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_HEADER.pack(len(data)) + data)
    out.flush()


def read_frame(inp: IO[bytes]) -> Any:
    """The next message, or None at end of stream (the other side is gone)."""
    head = _read_exact(inp, _HEADER.size)
    if head is None:
        return None
    (n,) = _HEADER.unpack(head)
    body = _read_exact(inp, n)
    return None if body is None else pickle.loads(body)


def _read_exact(inp: IO[bytes], n: int) -> bytes | None:
    buf = bytearray()
    while len(buf) < n:
        chunk = inp.read(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


# --------------------------------------------------------------------------- parent side


class Worker:
    """One worker process. Its messages arrive on ``events`` as (worker, message); message None
    means the process ended (killed, crashed or stopped)."""

    def __init__(
        self, spec: RuleSpec, budget: Budget, events: queue.Queue[tuple[Worker, Any]] | None = None
    ) -> None:
        import analogscan

        self.budget = budget
        self.events: queue.Queue[tuple[Worker, Any]] = events if events is not None else queue.Queue()
        env = dict(os.environ)
        env["TMPDIR"] = _scratch()  # what a killed worker leaves there goes when this process ends
        root = str(Path(analogscan.__file__).resolve().parent.parent)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "analogscan.docworker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.started = time.monotonic()
        self.ready = False
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self._in = self.proc.stdin
        self._reader = threading.Thread(target=self._read, args=(self.proc.stdout,), daemon=True)
        self._reader.start()
        self.send(("init", spec, budget))

    def _read(self, out: IO[bytes]) -> None:
        while True:
            try:
                msg = read_frame(out)
            except Exception:  # noqa: BLE001 - a garbled channel is a dead worker
                msg = None
            if msg is None:
                self.proc.wait()
                self.events.put((self, None))
                return
            self.events.put((self, msg))

    def send(self, msg: object) -> bool:
        try:
            write_frame(self._in, msg)
            return True
        except (BrokenPipeError, OSError, ValueError):
            return False

    def scan(self, path: str, settings: ReadSettings, data: bytes | None = None) -> bool:
        return self.send(("scan", path, settings, data))

    @property
    def returncode(self) -> int | None:
        return self.proc.poll()

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        self._close_in()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def release(self) -> None:
        """Ask the worker to exit (it does on its own); do not wait for it."""
        self.send(("stop",))
        self._close_in()

    def stop(self, grace: float = 5.0) -> None:
        """Ask the worker to exit; kill it when it does not within ``grace`` seconds."""
        self.release()
        try:
            self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def _close_in(self) -> None:
        try:
            self._in.close()
        except OSError:
            pass


def scan_one(
    worker: Worker | None,
    spec: RuleSpec,
    budget: Budget,
    path: str,
    settings: ReadSettings,
    data: bytes | None = None,
) -> tuple[dict[str, Any], Worker | None]:
    """Scan one document on ``worker`` (started when None) within the budget, synchronously.

    Returns (result JSON, the worker to reuse or None when it had to go). Used on dask workers,
    where each task is one document."""
    from .pipeline import failed_result

    for _attempt in range(3):
        if worker is None or worker.returncode is not None:
            worker = Worker(spec, budget)
        if not worker.ready:
            w, msg = _next(worker, INIT_TIMEOUT)
            if msg is None or msg[0] != "ready":
                worker.kill()
                text = msg[1] if msg is not None and msg[0] == "init_error" else "起動できません"
                worker = None
                if msg is not None and msg[0] == "init_error":
                    return failed_result(path, f"ワーカーを起動できません（{text}）"), None
                continue
            worker.ready = True
        if not worker.scan(path, settings, data):
            worker.kill()
            worker = None
            continue
        _w, msg = _next(worker, budget.timeout if budget.timeout > 0 else None)
        if msg is _TIMEOUT:
            worker.kill()
            return failed_result(path, budget.timeout_message()), None
        if msg is None:
            code = worker.returncode
            worker.kill()
            return failed_result(path, budget.crash_message(code)), None
        _kind, res, restart = msg
        if restart:
            worker.stop()
            worker = None
        return res, worker
    return failed_result(path, "ワーカープロセスを起動できません（繰り返し異常終了しました）"), None


_TIMEOUT = ("timeout",)


def _next(worker: Worker, timeout: float | None) -> tuple[Worker, Any]:
    try:
        return worker.events.get(timeout=timeout)
    except queue.Empty:
        return worker, _TIMEOUT


# --------------------------------------------------------------------------- child side


def _limit_memory(memory_mb: int) -> None:
    """Address space = what the loaded worker uses now + the budget (Linux; elsewhere a no-op)."""
    if memory_mb <= 0:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, AttributeError):
        pass


def _watch_parent() -> None:
    """Exit when the parent is gone (killed with -9): a worker stuck in a document would not
    notice its closed input and would run on as an orphan."""
    parent = os.getppid()
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(3)


def _exit_now(out: IO[bytes]) -> None:
    """Leave without tearing down the loaded model (seconds with GiNZA): remove the rule copies
    and go."""
    from .tasks import remove_rule_copies

    remove_rule_copies()
    out.flush()
    sys.stderr.flush()
    os._exit(0)


def main() -> None:
    threading.Thread(target=_watch_parent, daemon=True, name="analogscan-parent-watch").start()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints from libraries go to stderr, not into the channel
    inp = sys.stdin.buffer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    msg = read_frame(inp)
    if msg is None or msg[0] != "init":
        return
    _kind, spec, budget = msg
    from . import pipeline
    from .tasks import engine_for, scan_task

    try:
        engine_for(spec)
    except Exception as e:  # noqa: BLE001 - reported to the parent, which records it per document
        write_frame(out, ("init_error", f"{type(e).__name__}: {e}"))
        return
    pipeline.MEMORY_NOTE = budget.memory_note()
    _limit_memory(budget.memory_mb)
    write_frame(out, ("ready",))
    while True:
        msg = read_frame(inp)
        if msg is None or msg[0] != "scan":
            _exit_now(out)
        _kind, path, settings, data = msg
        before = pipeline.memory_errors
        restart = False
        try:
            res = scan_task(spec, path, settings, data)
        except MemoryError:
            res = pipeline.failed_result(
                path, "メモリ不足のため走査できませんでした（" + budget.memory_note() + "）"
            )
            restart = True
        except Exception as e:  # noqa: BLE001 - scan_task never raises for bad input; anything else
            res = pipeline.failed_result(path, f"ワーカーでエラーが発生しました（{type(e).__name__}: {e}）")
            restart = True
        if pipeline.memory_errors != before:
            restart = True  # a fresh process after an allocation failure
        write_frame(out, ("result", res, restart))
        if restart:
            _exit_now(out)


if __name__ == "__main__":
    main()
