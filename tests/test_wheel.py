"""A wheel of the project, installed into a fresh venv, works outside the checkout.

The wheel is built from a copy of the checkout and installed with --no-deps into a new venv (no
system site-packages). The dependencies (spaCy, GiNZA, …) are not downloaded again: a .pth file in the new
venv points at the site-packages of the interpreter running the tests. A .pth line only adds that folder to
sys.path (its own .pth files, e.g. an editable install of this project, are not run), and the new venv's own
site-packages comes first, so `import analogscan` resolves to the installed wheel (asserted). The commands
run from a temporary folder outside the checkout with PYTHONPATH and ANALOGSCAN_RULES removed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import CORPORA, REPO, RULES

from analogscan.ruleset.loader import load_ruleset

pytestmark = pytest.mark.slow

# Not part of the package: left out of the copy the wheel is built from (top level of the checkout).
TOP_LEVEL_IGNORED = {
    ".git",
    ".venv",
    "out",
    "build",
    "dist",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    "corpora",
    "gold",
    "docs",
    "tests",
    "bench",
    "tools",
}


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = {n for n in names if n == "__pycache__" or n.endswith(".egg-info")}
    if Path(folder) == REPO:
        ignored |= TOP_LEVEL_IGNORED & set(names)
    return ignored


EXTRA_RULE = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 追加ルール
    message: 「{matched}」を掲示させる規定です。
    confidence: 0.5
    triggers: [掲示]
    match:
      text: [掲示]
    examples:
      match: [許可証を営業所に掲示しなければならない。, 標識を掲示すること。]
      no_match: [申請書を提出しなければならない。, 届出をしなければならない。]
"""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANALOGSCAN_RULES", "PYTHONHOME")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env or _env(), capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(REPO, src, ignore=_ignore)
    wheels = base / "wheels"
    r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)], cwd=base)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = wheels.glob("analogscan-*.whl")

    venv = base / "venv"
    r = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=base)
    assert r.returncode == 0, r.stderr
    py = venv / "bin" / "python"
    site = Path(
        _run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base
        ).stdout.strip()
    )
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "analogscan-test-deps.pth").write_text("\n".join(sorted(deps)) + "\n", encoding="utf-8")
    r = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        cwd=base,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return {"venv": venv, "python": py, "exe": venv / "bin" / "analogscan", "site": site, "cwd": elsewhere}


def test_import_resolves_to_the_wheel(installed: dict[str, Path]) -> None:
    code = (
        "import analogscan, json; from analogscan.ruleset.loader import shipped_rules_dir; "
        "print(json.dumps([analogscan.__file__, str(shipped_rules_dir())]))"
    )
    r = _run([str(installed["python"]), "-c", code], cwd=installed["cwd"])
    assert r.returncode == 0, r.stderr
    init, rules_dir = map(Path, json.loads(r.stdout))
    package = installed["site"] / "analogscan"
    assert init == package / "__init__.py"
    assert rules_dir == package / "_rules"
    assert sorted(p.name for p in rules_dir.iterdir() if p.suffix in (".yml", ".yaml")) == sorted(
        p.name for p in RULES.iterdir() if p.suffix in (".yml", ".yaml")
    )


def test_every_module_and_data_file_is_in_the_wheel(installed: dict[str, Path]) -> None:
    source = REPO / "src" / "analogscan"
    package = installed["site"] / "analogscan"
    wanted = {
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    present = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()}
    missing = sorted(wanted - present)
    assert missing == [], f"missing from the wheel (add the sub-package to pyproject.toml): {missing}"


def test_rules_validate_uses_the_shipped_rules(installed: dict[str, Path]) -> None:
    shipped = load_ruleset(RULES)
    r = _run([str(installed["exe"]), "rules", "validate"], cwd=installed["cwd"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert (
        f"ルール {len(shipped.rules)} 件、共通除外 {len(shipped.exclusions)} 件: 問題ありません" in r.stdout
    )


def test_env_adds_rules_and_a_clash_names_file_and_line(installed: dict[str, Path]) -> None:
    extra = installed["cwd"] / "extra"
    extra.mkdir(exist_ok=True)
    (extra / "mine.yml").write_text(EXTRA_RULE, encoding="utf-8")
    shipped = load_ruleset(RULES)
    env = _env() | {"ANALOGSCAN_RULES": "+extra"}
    r = _run([str(installed["exe"]), "rules", "validate"], cwd=installed["cwd"], env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"ルール {len(shipped.rules) + 1} 件" in r.stdout
    clash = shipped.rules[0].id
    (extra / "clash.yml").write_text(
        EXTRA_RULE.replace("keiji-901", clash).replace("type: keiji", f"type: {shipped.rules[0].type}"),
        encoding="utf-8",
    )
    r = _run([str(installed["exe"]), "rules", "validate"], cwd=installed["cwd"], env=env)
    assert r.returncode == 2
    assert f"extra/clash.yml:4: ルールID「{clash}」が重複しています" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_scan_from_elsewhere_finds_regulations(installed: dict[str, Path]) -> None:
    doc = installed["cwd"] / "条例.txt"
    shutil.copy(CORPORA / "reiki" / "okugai_kokokubutsu_jorei.txt", doc)
    r = _run([str(installed["exe"]), "scan", doc.name, "-q", "-o", "report.json"], cwd=installed["cwd"])
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads((installed["cwd"] / "report.json").read_text("utf-8"))
    (document,) = report["documents"]
    assert document["status"] == "ok"
    found = sorted((f["location"]["label"], f["rule_id"]) for f in document["findings"])
    assert found
    # the same findings as the checkout's code with the checkout's rules
    from analogscan.engine import Engine
    from analogscan.pipeline import scan_file

    here = scan_file(doc, Engine(load_ruleset(RULES)))
    assert found == sorted((f.location.label, f.rule_id) for f in here.findings)


def test_rules_test_runs_from_the_wheel(installed: dict[str, Path]) -> None:
    # One shipped file, read from the installed package: the full example run is already done by
    # scripts/test.sh and tests/test_rules_shipped.py.
    # (media.yml refers to the shared word lists in lexicon.yml, so both are given)
    shipped = installed["site"] / "analogscan" / "_rules"
    r = _run(
        [str(installed["exe"]), "rules", "test", str(shipped / "media.yml"), str(shipped / "lexicon.yml")],
        cwd=installed["cwd"],
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "失敗 0 件" in r.stdout and "成功" in r.stdout


def test_amendment_templates_ship_with_the_rules(installed: dict[str, Path]) -> None:
    """rules/amend/*.yml travel with the rules (analogscan/_rules/amend), and `draft` finds them."""
    shipped = installed["site"] / "analogscan" / "_rules" / "amend"
    assert sorted(p.name for p in shipped.glob("*.yml")) == sorted(
        p.name for p in (RULES / "amend").glob("*.yml")
    )
    r = _run([str(installed["exe"]), "rules", "validate"], cwd=installed["cwd"])
    n = len(list((RULES / "amend").glob("*.yml")))
    assert r.returncode == 0 and f"見直し案の文例ファイル {n} 件" in r.stdout, r.stdout + r.stderr
