"""No English where a user reads: --help of every command and the usual mistakes, in Japanese.

The command tree is walked (new commands are covered without editing this file). An "English word"
is a run of 3+ ASCII letters that is not an option name, a file name, a command name, a value the
user types (choices, 規制区分 codes) or one of a few product and format names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import CORPORA

from analogscan.cli import main
from analogscan.cli.i18n import CATALOG, PLURALS, describe_range, display_width, wrap
from analogscan.model import TYPE_CODES

# names of products, formats and protocols that stay as they are in Japanese writing
PROPER_NOUNS = {
    "analogscan",
    "Excel",
    "JSON",
    "JSONL",
    "CSV",
    "PDF",
    "HTML",
    "OCR",
    "SQLite",
    "GiNZA",
    "UTF",
    "LocalCluster",
    "dask",
    "distributed",
    "tesseract",
    "cron",
    "tcp",
    "Linux",
}
FILE_NAME = re.compile(r"[\w.-]*\.(?:json|jsonl|xlsx|csv|txt|html|htm|md|pdf|xml|docx|sqlite|yml)\b")
ENV_NAME = re.compile(r"\bANALOGSCAN_[A-Z_]+\b")  # environment variable names are identifiers
OPTION = re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*")
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")


def walk(cmd: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from walk(sub, [*path, name])


COMMANDS = list(walk(main, []))


def allowed_words() -> set[str]:
    words = set(PROPER_NOUNS) | set(TYPE_CODES)
    for path, cmd in COMMANDS:
        words.update(path)
        words.update(part for name in path for part in name.split("-"))  # train-ranker: an identifier
        for p in cmd.params:
            if isinstance(p.type, click.Choice):
                words.update(str(c) for c in p.type.choices)
    return words


ALLOWED = allowed_words()


def english_words(text: str) -> set[str]:
    text = FILE_NAME.sub(" ", text)
    text = ENV_NAME.sub(" ", text)
    text = OPTION.sub(" ", text)
    return {w for w in WORD.findall(text) if w not in ALLOWED}


def invoke(*args: str, **extra: object) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args), prog_name="analogscan", **extra)
    return r.exit_code, r.output


def test_detector_catches_clicks_english() -> None:
    """The check can fail: click's own English framing is caught."""
    sample = (
        "Usage: analogscan scan [OPTIONS] PATHS...\nTry 'analogscan scan --help' for help.\n\n"
        "Error: No such option '--foo'. (Did you mean one of: '--format', '--ocr'?)\n"
        "  -j, --jobs INTEGER RANGE  並列数  [default: 1; x>=1]\n  -h, --help  Show this message and exit.\n"
    )
    found = english_words(sample)
    assert {
        "Usage",
        "OPTIONS",
        "PATHS",
        "Try",
        "help",
        "Error",
        "such",
        "option",
        "INTEGER",
        "RANGE",
        "default",
        "Show",
        "message",
        "exit",
    } <= found


def test_the_tree_is_walked() -> None:
    paths = {" ".join(p) for p, _ in COMMANDS}
    assert {"", "scan", "explain", "rules", "rules validate", "review import", "store report"} <= paths


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "analogscan")
def test_help_is_japanese(path: list[str]) -> None:
    code, out = invoke(*path, "--help")
    assert code == 0, out
    assert out.startswith("使い方: analogscan")
    assert "オプション:" in out and "この説明を表示して終了します。" in out
    assert not english_words(out), out


@pytest.mark.parametrize("path", [["scan"], ["explain"], ["review", "import"], []], ids=" ".join)
def test_help_layout_by_display_width(path: list[str]) -> None:
    """Descriptions start in one column although the metavars are Japanese (2 columns a character),
    and lines are wrapped to the terminal width counted in columns."""
    code, out = invoke(*path, "--help", terminal_width=70)
    assert code == 0
    width = 70  # the formatter width: the terminal width given to the context
    assert all(display_width(ln) <= width for ln in out.splitlines()), out
    section = out.split("オプション:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    starts = set()
    for ln in section:
        m = re.match(r"^(  \S.*?\S)  +(\S.*)$", ln)
        if m and display_width(m.group(1)) <= 30:
            starts.add(display_width(ln) - display_width(m.group(2)))
    assert len(starts) == 1, section


@pytest.fixture(scope="module")
def some_file() -> str:
    return str(CORPORA / "reiki" / "bochi_keiei_jorei.txt")


MISTAKES: list[tuple[str, list[str], str]] = [
    (
        "unknown option",
        ["scan", "{file}", "--formt", "json"],
        "'--formt' というオプションはありません。 （もしかして: '--format'",
    ),
    ("missing argument", ["explain"], "必須の引数が指定されていません: 'ファイル'"),
    ("missing required option", ["explain", "{file}"], "必須のオプションが指定されていません: '--at'"),
    ("bad choice", ["scan", "{file}", "--format", "pdf"], "'pdf' は指定できません。使える値: 'json'"),
    (
        "nonexistent path",
        ["explain", "存在しない.txt", "--at", "第1条"],
        "ファイル '存在しない.txt' が見つかりません",
    ),
    ("bad int", ["scan", "{file}", "-j", "二"], "'二' は整数ではありません"),
    ("out of range", ["scan", "{file}", "-j", "0"], "0 は範囲外です（1 以上）"),
    ("unknown command", ["走査"], "'走査' というコマンドはありません"),
    ("option without value", ["scan", "{file}", "-o"], "オプション '-o' には値が必要です"),
    ("extra argument", ["rules", "validate", "--", "-x"], ""),
    ("unknown output suffix", ["scan", "{file}", "-o", "結果.pdf"], "使える形式: json（.json）"),
    ("unknown type code", ["scan", "{file}", "--types", "もくし"], "未知の規制区分"),
    ("no subcommand", ["rules"], ""),
]


@pytest.mark.parametrize(("name", "args", "expect"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistakes_are_japanese(some_file: str, name: str, args: list[str], expect: str) -> None:
    code, out = invoke(*[a.format(file=some_file) for a in args])
    assert code == 2, out
    assert not english_words(out), out
    assert "Traceback" not in out
    if expect:
        assert "エラー: " in out and expect in out, out


def test_usage_error_points_to_help() -> None:
    code, out = invoke("scan", "--formt", "json")
    assert code == 2
    assert out.startswith(
        "使い方: analogscan scan [オプション] パス...\n説明は 'analogscan scan --help' で表示できます。"
    )


def test_version_is_japanese() -> None:
    code, out = invoke("--version")
    assert code == 0 and out.startswith("analogscan ") and not english_words(out)


def click_msgids() -> tuple[set[str], set[tuple[str, str]]]:
    """Every message the installed click marks for translation (read from its source)."""
    singles: set[str] = {"required"}  # core.py: _(extra["required"]) with extra["required"] = "required"
    plurals: set[tuple[str, str]] = set()
    for f in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            consts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id == "_" and len(consts) == 1:
                singles.add(consts[0])
            elif node.func.id == "ngettext" and len(consts) == 2:
                plurals.add((consts[0], consts[1]))
    return singles, plurals


def test_every_click_message_is_translated() -> None:
    """A click upgrade that adds a message fails here instead of printing English."""
    singles, plurals = click_msgids()
    assert len(singles) > 50
    assert singles - set(CATALOG) == set()
    assert plurals - set(PLURALS) == set()
    for en, ja in [*CATALOG.items(), *((k[0], v) for k, v in PLURALS.items())]:
        placeholders = set(re.findall(r"\{(\w+)", ja)) | set(re.findall(r"%\((\w+)\)", ja))
        known = set(re.findall(r"\{(\w+)", en)) | set(re.findall(r"%\((\w+)\)", en))
        if (en, ja) not in CATALOG.items():
            known |= {k for pair in PLURALS for k in re.findall(r"\{(\w+)", pair[1]) if pair[0] == en}
        assert placeholders <= known, (en, ja)


def test_range_and_wrap_helpers() -> None:
    assert describe_range(1, None, False, False) == "1 以上"
    assert describe_range(0, 1, True, False) == "0 より大きく、1 以下"
    assert describe_range(None, 10, False, True) == "10 未満"
    lines = wrap("画像だけの PDF ページを OCR で読む（tesseract と日本語データが必要。）", 20)
    assert all(display_width(ln) <= 20 for ln in lines)
    assert not any(ln.startswith(("。", "、", "）")) for ln in lines)
    assert not any(ln.endswith("（") for ln in lines)
    assert (
        "".join(lines).replace(" ", "") == "画像だけのPDFページをOCRで読む（tesseractと日本語データが必要。）"
    )


def test_japanese_whatever_the_locale(tmp_path: Path) -> None:
    """A scheduler's LANG=C (or an English desktop) does not bring click's English back."""
    import os
    import subprocess
    import sys

    src = Path(__file__).resolve().parent.parent / "src"
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "LANGUAGE": "en", "PYTHONPATH": str(src)}
    r = subprocess.run(
        [sys.executable, "-m", "analogscan.cli", "scan", str(tmp_path), "--formt", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
    )
    assert r.returncode == 2
    assert "エラー: '--formt' というオプションはありません。" in r.stderr
    assert not english_words(r.stderr), r.stderr
