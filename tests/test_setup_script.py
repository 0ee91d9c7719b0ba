"""scripts/setup.sh recovers: it waits (bounded) for a held apt/dpkg lock, records what it could not install,
and in --quick mode (demo.sh / test.sh) re-installs the Python packages only when pyproject.toml changed.

apt-get itself cannot be run here (it would change the machine and the lock belongs to other installs), so
the script runs against a stand-in apt-get on a PATH that holds only the basic tools: it answers with apt's own
lock message (libapt-pkg: "Could not get lock %s. It is held by process %d (%s)") for the first N calls.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

TOOLS = [
    "bash",
    "date",
    "grep",
    "sleep",
    "sed",
    "tail",
    "head",
    "id",
    "touch",
    "cat",
    "dirname",
    "env",
    "printf",
]

FAKE_APT = """#!/bin/bash
n=$(cat "$FAKE_DIR/count" 2>/dev/null || echo 0); echo $((n+1)) > "$FAKE_DIR/count"
echo "$*" >> "$FAKE_DIR/apt.log"
if [ "$n" -lt "${LOCKED_CALLS:-0}" ]; then
  echo "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (apt-get)"; exit 100
fi
case " $* " in *" install "*)
  for p in "$@"; do
    case "$p" in chromium|tesseract-ocr) printf '#!/bin/sh\\n' > "$FAKE_DIR/bin/${p%-ocr}"; chmod +x "$FAKE_DIR/bin/${p%-ocr}";; esac
  done;;
esac
exit 0
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the scripts with a .venv whose python only logs its calls, and a PATH without the tools."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "setup.sh", tmp_path / "scripts" / "setup.sh")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text('#!/bin/sh\necho "$*" >> "$FAKE_DIR/pip.log"\n', encoding="utf-8")
    (venv_bin / "analogscan").write_text("#!/bin/sh\n", encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (bin_dir / tool).symlink_to(found)
    (bin_dir / "apt-get").write_text(FAKE_APT, encoding="utf-8")
    for f in [venv_bin / "python", venv_bin / "analogscan", bin_dir / "apt-get"]:
        f.chmod(0o755)
    stamp = tmp_path / ".venv" / "analogscan-pip.stamp"
    stamp.touch()
    later = time.time() + 5
    os.utime(stamp, (later, later))  # installed after the last change of pyproject.toml
    return tmp_path


def run(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": str(checkout / "bin"),
        "FAKE_DIR": str(checkout),
        "ANALOGSCAN_APT_RETRY": "0.1",
        "PYTHON": sys.executable,
    }
    return subprocess.run(
        ["bash", "scripts/setup.sh", *args],
        cwd=checkout,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines() if path.exists() else []


@pytest.mark.skipif(os.geteuid() != 0, reason="the apt path of setup.sh runs only as root")
def test_waits_for_the_lock_then_installs_chromium_with_a_japanese_font(checkout: Path) -> None:
    r = run(checkout, "--quick", LOCKED_CALLS="3", ANALOGSCAN_SKIP_OCR="1")
    assert r.returncode == 0, r.stderr
    assert (
        r.stderr.count("apt/dpkg は別のインストールが使用中です。終わるまで待ちます（最大 300 秒）") == 1
    ), r.stderr
    apt = lines(checkout / "apt.log")
    assert apt[-1].endswith("install -y -qq chromium fonts-noto-cjk"), apt
    assert len(apt) == 5  # three refused updates, the update, the install
    assert (checkout / "bin" / "chromium").exists()
    assert lines(checkout / ".venv" / "analogscan-setup.txt") == []
    assert lines(checkout / "pip.log") == []  # --quick: packages up to date, no pip run


@pytest.mark.skipif(os.geteuid() != 0, reason="the apt path of setup.sh runs only as root")
def test_lock_never_released_is_a_bounded_wait_and_is_recorded(checkout: Path) -> None:
    r = run(
        checkout, "--quick", LOCKED_CALLS="100000", ANALOGSCAN_APT_WAIT="2"
    )  # ends: subprocess timeout 120 s
    assert r.returncode == 0, r.stderr  # optional tools: set-up goes on
    assert "ロックが 2 秒たっても解放されませんでした" in r.stderr
    record = lines(checkout / ".venv" / "analogscan-setup.txt")
    assert len(record) == 2, record
    assert record[0].startswith("chromium fonts-noto-cjk — ") and "使用中" in record[0]
    assert record[1].startswith("tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert — ")
    assert "入れ直すには: scripts/setup.sh" in r.stderr and record[0] in r.stderr
    # the lock is given up once for the whole set-up, not once per package group
    assert len(lines(checkout / "apt.log")) < 50


def test_not_root_records_the_command_to_run(checkout: Path) -> None:
    (checkout / "bin" / "id").unlink()
    (checkout / "bin" / "id").write_text("#!/bin/sh\necho 1000\n", encoding="utf-8")
    (checkout / "bin" / "id").chmod(0o755)
    r = run(checkout, "--quick")
    assert r.returncode == 0, r.stderr
    record = lines(checkout / ".venv" / "analogscan-setup.txt")
    assert any("root で apt-get install chromium fonts-noto-cjk" in x for x in record), record
    assert any("apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert" in x for x in record)
    assert lines(checkout / "apt.log") == []


def test_quick_mode_reinstalls_packages_only_when_pyproject_changed(checkout: Path) -> None:
    skip = {"ANALOGSCAN_SKIP_OCR": "1", "ANALOGSCAN_SKIP_CHROMIUM": "1"}
    r = run(checkout, "--quick", **skip)
    assert r.returncode == 0 and lines(checkout / "pip.log") == [], r.stderr
    later = time.time() + 10
    os.utime(checkout / "pyproject.toml", (later, later))  # a new dependency was added
    r = run(checkout, "--quick", **skip)
    assert r.returncode == 0, r.stderr
    assert lines(checkout / "pip.log")[-1] == "-m pip install -q -e .[dev]"
    assert "パッケージを入れ直します" in r.stderr
    # the same run again: nothing to do (the stamp is newer now)
    os.utime(checkout / ".venv" / "analogscan-pip.stamp", (later + 1, later + 1))
    (checkout / "pip.log").unlink()
    r = run(checkout, "--quick", **skip)
    assert r.returncode == 0 and lines(checkout / "pip.log") == []
    # the full set-up always installs
    r = run(checkout, **skip)
    assert r.returncode == 0 and lines(checkout / "pip.log")[-1] == "-m pip install -q -e .[dev]"
