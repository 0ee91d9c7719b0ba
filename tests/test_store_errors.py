"""A damaged or busy result store: Japanese message naming the store and what to do, exit 2, no
traceback; ``store check`` lists what is wrong; an unreadable row is scanned again."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner, Result
from conftest import write_rules

from analogscan.cli import main
from analogscan.store import Store


def _run(*args: str) -> Result:
    res = CliRunner().invoke(main, list(args))
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    return res


def _store(tmp: Path, n: int = 30) -> tuple[Path, Path, Path]:
    rules = write_rules(tmp)
    docs = tmp / "docs"
    docs.mkdir()
    for i in range(n):
        body = (
            f"第一条　営業者は、許可証{i}を営業所の見やすい場所に掲示しなければならない。\n"
            + "あ" * 3000
            + "\n"
        )
        (docs / f"d{i:02d}.txt").write_text(body, encoding="utf-8")
    store = tmp / "s.sqlite"
    res = _run(
        "scan", str(docs), "--rules", str(rules), "--store", str(store), "-q", "-o", str(tmp / "r.json")
    )
    assert res.exit_code == 0, res.output
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return rules, docs, store


def test_store_check_on_a_sound_store(tmp_path: Path) -> None:
    _rules, _docs, store = _store(tmp_path, 3)
    res = _run("store", "check", str(store))
    assert res.exit_code == 0
    assert "整合性検査: 問題ありません" in res.output and "読めないもの 0 件" in res.output


def test_truncated_json_row(tmp_path: Path) -> None:
    rules, docs, store = _store(tmp_path, 3)
    with sqlite3.connect(store) as db:
        db.execute("UPDATE documents SET result=substr(result, 1, 50) WHERE path LIKE '%d01.txt'")
    res = _run("store", "report", str(store))
    assert res.exit_code == 2
    assert str(store) in res.output and "store check" in res.output and "d01.txt" in res.output
    res = _run("store", "check", str(store))
    assert res.exit_code == 1
    assert "読めないもの 1 件" in res.output and "d01.txt: JSONDecodeError" in res.output
    # a scan into the store scans that document again (with a warning) and repairs the row
    res = _run(
        "scan", str(docs), "--rules", str(rules), "--store", str(store), "-q", "-o", str(tmp_path / "r2.json")
    )
    assert res.exit_code == 0, res.output
    import json

    report = json.loads((tmp_path / "r2.json").read_text("utf-8"))
    by_name = {Path(d["path"]).name: d for d in report["documents"]}
    assert by_name["d01.txt"]["status"] == "warning" and len(by_name["d01.txt"]["findings"]) == 1
    assert "壊れていて読めない" in by_name["d01.txt"]["messages"][-1]["text"]
    assert _run("store", "check", str(store)).exit_code == 0


def test_overwritten_data_pages(tmp_path: Path) -> None:
    rules, docs, store = _store(tmp_path)
    data = bytearray(store.read_bytes())
    for off in range(4096 * 3, len(data), 4096 * 2):
        data[off + 100 : off + 2000] = b"\xff" * 1900
    store.write_bytes(bytes(data))
    res = _run("store", "check", str(store))
    assert res.exit_code == 1
    assert "整合性検査: " in res.output and "問題があります" in res.output and "読めないもの" in res.output
    for args in (
        ("store", "report", str(store)),
        (
            "scan",
            str(docs),
            "--rules",
            str(rules),
            "--store",
            str(store),
            "-q",
            "-o",
            str(tmp_path / "x.json"),
        ),
    ):
        res = _run(*args)
        assert res.exit_code == 2, res.output
        assert f"結果ストア {store}" in res.output and "store check" in res.output and "--store" in res.output


def test_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    for args in (("store", "check", str(bogus)), ("store", "report", str(bogus))):
        res = _run(*args)
        assert res.exit_code == 2 and str(bogus) in res.output


def test_second_run_on_a_busy_store_refuses(tmp_path: Path) -> None:
    rules, docs, store = _store(tmp_path, 2)
    shutil.copy(docs / "d00.txt", docs / "d02.txt")
    with Store(store, exclusive=True):  # a scan in progress holds the store
        res = _run(
            "scan",
            str(docs),
            "--rules",
            str(rules),
            "--store",
            str(store),
            "-q",
            "-o",
            str(tmp_path / "y.json"),
        )
        assert res.exit_code == 2
        assert "使用中" in res.output and str(store) in res.output
        assert not (tmp_path / "y.json").exists()
    # once the first run is over the store is free again
    res = _run(
        "scan", str(docs), "--rules", str(rules), "--store", str(store), "-q", "-o", str(tmp_path / "y.json")
    )
    assert res.exit_code == 0, res.output


def test_two_real_runs_on_one_store(tmp_path: Path) -> None:
    """A second `scan --store` while the first is still scanning refuses; the first is unaffected."""
    import json
    import os
    import subprocess
    import sys
    import time

    if not hasattr(os, "mkfifo"):
        import pytest

        pytest.skip("needs a named pipe to keep the first run busy")
    rules, docs, store = _store(tmp_path, 2)
    os.mkfifo(docs / "zz_pipe.txt")  # nobody writes: the first run waits on it until its budget ends
    exe = Path(sys.executable).parent / "analogscan"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    cmd = [
        str(exe),
        "scan",
        str(docs / "d00.txt"),
        str(docs / "zz_pipe.txt"),
        "--rules",
        str(rules),
        "--store",
        str(store),
        "-q",
        "--doc-timeout",
        "5",
    ]
    first = subprocess.Popen(
        [*cmd, "-o", str(tmp_path / "first.json")], env=env, stderr=subprocess.PIPE, text=True
    )
    lock = store.with_name(store.name + ".lock")
    for _ in range(300):
        if lock.exists() and f"PID {first.pid}" in lock.read_text():
            break
        time.sleep(0.05)
    second = subprocess.run(
        [*cmd, "-o", str(tmp_path / "second.json")], env=env, capture_output=True, text=True
    )
    assert second.returncode == 2 and "使用中" in second.stderr and "Traceback" not in second.stderr
    assert not (tmp_path / "second.json").exists()
    _out, err = first.communicate(timeout=300)
    assert first.returncode == 1 and "Traceback" not in err  # the pipe hit its time budget
    report = json.loads((tmp_path / "first.json").read_text("utf-8"))
    assert [d["status"] for d in report["documents"]] == ["ok", "error"]
