"""Batch scanning: store, incremental re-runs, resume after SIGKILL, identical results."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPORA, POSTING_RULES, REPO, SHARED, write_rules

from analogscan.batch import BatchConfig, run_batch
from analogscan.ruleset.loader import load_ruleset
from analogscan.store import Store

LAWS = SHARED / "corpus" / "national_laws_2013" / "text"
EXE = Path(sys.executable).parent / "analogscan"

DOC = "第一条　営業者は、許可証を営業所の見やすい場所に掲示しなければならない。\n第二条　この条例は、公布の日から施行する。\n"


def _docs(tmp: Path, n: int) -> Path:
    d = tmp / "docs"
    d.mkdir()
    for i in range(n):
        (d / f"d{i:02d}.txt").write_text(DOC.replace("許可証", f"許可証{i}"), encoding="utf-8")
    return d


def _cfg(store: Path, **kw: object) -> BatchConfig:
    return BatchConfig(store=store, quiet=True, **kw)  # type: ignore[arg-type]


def test_store_records_skips_and_rescans_on_change(tmp_path: Path) -> None:
    docs = _docs(tmp_path, 5)
    rules = write_rules(tmp_path)
    files = sorted(docs.glob("*.txt"))
    store = tmp_path / "s.sqlite"
    rs = load_ruleset(rules)

    first = run_batch(files, rs, None, _cfg(store))
    assert (first.scanned, first.skipped) == (5, 0)
    assert [r["path"] for r in first.results] == [str(f) for f in files]  # input order
    assert all(len(r["findings"]) == 1 for r in first.results)

    again = run_batch(files, rs, None, _cfg(store))
    assert (again.scanned, again.skipped) == (0, 5)
    assert again.results == first.results

    # touched but same content: still skipped (hash confirms); changed content: re-scanned
    os.utime(files[0], (time.time() + 10, time.time() + 10))
    files[1].write_text(DOC.replace("掲示しなければ", "備え付けなければ"), encoding="utf-8")
    third = run_batch(files, rs, None, _cfg(store))
    assert (third.scanned, third.skipped) == (1, 4)
    assert third.results[1]["findings"] == []

    # a rule change re-scans everything
    rules2 = write_rules(tmp_path, POSTING_RULES.replace("confidence: 0.9", "confidence: 0.8"))
    rs2 = load_ruleset(rules2)
    assert rs2.digest != rs.digest
    fourth = run_batch(files, rs2, None, _cfg(store))
    assert (fourth.scanned, fourth.skipped) == (5, 0)
    with Store(store) as st:
        assert st.count() == 5
        assert st.rulesets() == [rs2.digest]


def test_store_report_command(tmp_path: Path) -> None:
    docs = _docs(tmp_path, 3)
    rules = write_rules(tmp_path)
    store = tmp_path / "s.sqlite"
    r = subprocess.run(
        [
            str(EXE),
            "scan",
            str(docs),
            "--rules",
            str(rules),
            "--store",
            str(store),
            "-q",
            "-o",
            str(tmp_path / "a.json"),
        ],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    for fmt in ("json", "csv", "text"):
        out = tmp_path / f"b.{fmt}"
        r = subprocess.run(
            [str(EXE), "store", "report", str(store), "--format", fmt, "-o", str(out)],
            capture_output=True,
            text=True,
        )
        assert r.returncode == 0, r.stderr
        assert out.stat().st_size > 0
    a = json.loads((tmp_path / "a.json").read_text("utf-8"))
    b = json.loads((tmp_path / "b.json").read_text("utf-8"))
    assert a["documents"] == b["documents"]
    assert b["summary"]["findings"] == 3


def test_failures_listed_and_exit_status(tmp_path: Path) -> None:
    docs = _docs(tmp_path, 2)
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    rules = write_rules(tmp_path)
    r = subprocess.run(
        [str(EXE), "scan", str(docs), "--rules", str(rules), "-o", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert "走査に失敗した文書（1 件）" in r.stderr and "broken.pdf" in r.stderr
    r = subprocess.run([str(EXE), "scan", str(docs), "--resume"], capture_output=True, text=True)
    assert r.returncode == 2


def _sample_laws() -> list[Path]:
    names = [
        "公衆浴場法施行規則",
        "墓地_埋葬等に関する法律施行規則",
        "学校保健安全法",
        "化製場等に関する法律",
        "公衆浴場法",
    ]
    out = [LAWS / f"{n}.txt" for n in names if (LAWS / f"{n}.txt").exists()]
    out += sorted((CORPORA / "reiki").glob("*.txt")) if (CORPORA / "reiki").exists() else []
    return out


def _scan_json(args: list[str], out: Path) -> list[dict[str, object]]:
    r = subprocess.run([str(EXE), "scan", *args, "-q", "-o", str(out)], capture_output=True, text=True)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(out.read_text("utf-8"))["documents"]  # type: ignore[no-any-return]


@pytest.mark.slow
def test_shortcuts_give_identical_findings(tmp_path: Path) -> None:
    """Prefilter + sentence planning + reduced pipeline == naive full pipeline on every provision."""
    files = _sample_laws()
    if not files:
        pytest.skip("no real laws (../shared) nor corpora/ available")
    rules = ["--rules", str(REPO / "rules")]
    naive = _scan_json([*map(str, files), *rules, "--no-shortcuts"], tmp_path / "naive.json")
    fast = _scan_json([*map(str, files), *rules, "--jobs", "2"], tmp_path / "fast.json")
    assert [d["path"] for d in fast] == [str(f) for f in files]
    assert sum(len(d["findings"]) for d in naive) > 0  # type: ignore[arg-type]
    assert fast == naive


def _law_folder(tmp: Path, n: int) -> Path:
    src = [p for p in _sample_laws() if p.suffix == ".txt"]
    if not src:
        pytest.skip("no real laws (../shared) nor corpora/ available")
    d = tmp / "laws"
    d.mkdir()
    for i in range(n):
        shutil.copyfile(src[i % len(src)], d / f"{i:02d}_{src[i % len(src)].name}")
    return d


def _rows(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(str(store), timeout=5) as db:
            return int(db.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_resume_after_sigkill(tmp_path: Path) -> None:
    folder = _law_folder(tmp_path, 40)
    rules = ["--rules", str(REPO / "rules")]
    store = tmp_path / "s.sqlite"
    cmd = [str(EXE), "scan", str(folder), *rules, "--store", str(store), "--jobs", "2", "-q"]
    proc = subprocess.Popen(
        [*cmd, "-o", str(tmp_path / "killed.json")],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while _rows(store) == 0 and proc.poll() is None:
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the parent and its workers, mid-way
        proc.wait()
    recorded = _rows(store)
    assert 1 <= recorded < 40  # killed mid-way
    assert not (tmp_path / "killed.json").exists()  # the report is written only at the end, atomically

    r = subprocess.run(
        [*cmd[:-1], "--resume", "-o", str(tmp_path / "resumed.json")], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    m = re.search(r"走査 (\d+)・記録済みで省略 (\d+)", r.stderr)
    assert m, r.stderr
    assert (int(m.group(1)), int(m.group(2))) == (40 - recorded, recorded)  # each document once in all
    with sqlite3.connect(str(store)) as db:
        paths = [row[0] for row in db.execute("SELECT path FROM documents")]
    assert sorted(paths) == sorted(str(p) for p in folder.glob("*.txt"))

    clean = _scan_json([str(folder), *rules, "--jobs", "2"], tmp_path / "clean.json")
    resumed = json.loads((tmp_path / "resumed.json").read_text("utf-8"))["documents"]
    assert resumed == clean


@pytest.mark.slow
def test_dask_local_cluster_matches_processes(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    folder = _law_folder(tmp_path, 6)
    files = sorted(folder.glob("*.txt"))
    rs = load_ruleset(REPO / "rules")
    procs = run_batch(files, rs, None, BatchConfig(jobs=2, quiet=True))
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        store = tmp_path / "d.sqlite"
        dk = run_batch(
            files,
            rs,
            None,
            BatchConfig(executor="dask", scheduler=cluster.scheduler_address, store=store, quiet=True),
        )
        assert dk.results == procs.results
        with Store(store) as st:
            assert st.count() == len(files)
        # the same with the file bytes sent to the workers
        dk2 = run_batch(
            files,
            rs,
            None,
            BatchConfig(executor="dask", scheduler=cluster.scheduler_address, send_bytes=True, quiet=True),
        )
        assert dk2.results == procs.results


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_writes_what_was_done(tmp_path: Path, jobs: str) -> None:
    """Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it): the report
    holds every document already scanned, the rest are listed as not scanned, no traceback."""
    n = 40
    folder = _law_folder(tmp_path, n)
    store = tmp_path / "s.sqlite"
    out = tmp_path / "partial.json"
    cmd = [
        str(EXE),
        "scan",
        str(folder),
        "--rules",
        str(REPO / "rules"),
        "--store",
        str(store),
        "--jobs",
        jobs,
        "-q",
        "-o",
        str(out),
    ]
    # a terminal's foreground job gets SIGINT; a job started in the background of a non-interactive shell (`… &`, as a
    # CI script may run the suite) inherits SIGINT ignored, and then Ctrl-C never reaches the scan (it ended with rc 0):
    # the child starts with the default disposition, as under a terminal
    proc = subprocess.Popen(
        cmd,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while _rows(store) < 2 and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the scan ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "中断しました" in err
    docs = json.loads(out.read_text("utf-8"))["documents"]
    assert len(docs) == n
    done = [d for d in docs if not any("中断" in m["text"] for m in d["messages"])]
    assert 2 <= len(done) < n
    assert {d["path"] for d in done} <= {str(p) for p in folder.glob("*.txt")}
    assert _rows(store) >= len(
        done
    )  # what the report holds is also in the store: --resume goes on from there
