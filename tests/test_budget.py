"""Per-document budgets: a document over its time or memory budget is stopped and recorded as an
error naming the budget; the other documents keep their findings and the report is written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import POSTING_DOC, write_rules

EXE = Path(sys.executable).parent / "analogscan"


def _setup(tmp: Path) -> tuple[Path, Path]:
    rules = write_rules(tmp)
    docs = tmp / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(POSTING_DOC, encoding="utf-8")
    (docs / "c.txt").write_text(POSTING_DOC.replace("許可証", "標識"), encoding="utf-8")
    return rules, docs


def _scan(tmp: Path, args: list[str]) -> tuple[subprocess.CompletedProcess[str], dict]:  # type: ignore[type-arg]
    out = tmp / "report.json"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    proc = subprocess.run(
        [str(EXE), "scan", *args, "-o", str(out), "-q"], capture_output=True, text=True, env=env, timeout=600
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc, json.loads(out.read_text("utf-8"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize(
    "executor",
    [
        ["--jobs", "1"],
        ["--jobs", "2"],
        pytest.param(["--executor", "dask", "--jobs", "1"], marks=pytest.mark.slow),
    ],
)
def test_document_over_time_budget_is_stopped(tmp_path: Path, executor: list[str]) -> None:
    """A named pipe nobody writes to blocks its reader forever: a real hang, stopped by the budget."""
    rules, docs = _setup(tmp_path)
    fifo = docs / "b.txt"
    os.mkfifo(fifo)
    proc, report = _scan(
        tmp_path,
        [
            str(docs / "a.txt"),
            str(fifo),
            str(docs / "c.txt"),
            "--rules",
            str(rules),
            "--doc-timeout",
            "2",
            "--store",
            str(tmp_path / "s.sqlite"),
            *executor,
        ],
    )
    assert proc.returncode == 1  # one document failed
    by_path = {Path(d["path"]).name: d for d in report["documents"]}
    assert by_path["b.txt"]["status"] == "error"
    assert "--doc-timeout 2 秒" in by_path["b.txt"]["messages"][0]["text"]
    assert len(by_path["a.txt"]["findings"]) == 1 and len(by_path["c.txt"]["findings"]) == 1
    assert "b.txt" in proc.stderr and "時間上限" in proc.stderr


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="RLIMIT_AS budget is measured from /proc")
@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=pytest.mark.slow)])  # 13 s each
def test_document_over_memory_budget_is_stopped(tmp_path: Path, jobs: str) -> None:
    rules, docs = _setup(tmp_path)
    big = docs / "big.txt"
    big.write_text(
        "第一条　" + "営業者は、許可証を営業所の見やすい場所に掲示しなければならない。" * 300_000,
        encoding="utf-8",
    )
    proc, report = _scan(tmp_path, [str(docs), "--rules", str(rules), "--doc-memory", "30", "--jobs", jobs])
    by_path = {Path(d["path"]).name: d for d in report["documents"]}
    assert by_path["big.txt"]["status"] == "error"
    assert "--doc-memory 30 MB" in by_path["big.txt"]["messages"][0]["text"]
    assert len(by_path["a.txt"]["findings"]) == 1 and len(by_path["c.txt"]["findings"]) == 1
    # without the budget the same document scans
    proc, report = _scan(
        tmp_path, [str(big), "--rules", str(rules), "--doc-memory", "0", "--doc-timeout", "0"]
    )
    assert proc.returncode == 0 and report["documents"][0]["status"] == "ok"


@pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not Path("/proc").is_dir(), reason="needs named pipes and /proc"
)
def test_worker_stuck_in_a_document_exits_when_the_run_is_killed(tmp_path: Path) -> None:
    import signal
    import time

    rules, docs = _setup(tmp_path)
    os.mkfifo(docs / "b.txt")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    parent = subprocess.Popen(
        [str(EXE), "scan", str(docs / "b.txt"), "--rules", str(rules), "-q", "-o", str(tmp_path / "r.json")],
        env=env,
        stderr=subprocess.DEVNULL,
    )

    def workers() -> list[int]:
        out = []
        for d in Path("/proc").iterdir():
            try:
                if d.name.isdigit() and b"analogscan.docworker" in (d / "cmdline").read_bytes():
                    if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent.pid:
                        out.append(int(d.name))
            except OSError:
                continue
        return out

    for _ in range(200):  # the worker starts, then blocks opening the pipe
        if found := workers():
            break
        time.sleep(0.1)
    assert found
    time.sleep(1.0)
    parent.send_signal(signal.SIGKILL)
    parent.wait()

    def alive(pid: int) -> bool:  # a zombie (not reaped by a container's init) has exited
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
        except OSError:
            return False

    for _ in range(100):
        if not any(alive(pid) for pid in found):
            break
        time.sleep(0.1)
    assert not any(alive(pid) for pid in found)
