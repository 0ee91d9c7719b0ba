"""Japanese for click's own words: help framing, usage errors, type names.

click marks its messages with gettext (``from gettext import gettext as _`` in each of its
modules). Process-wide gettext would need compiled .mo files and a Japanese locale in the
environment (a scheduler's ``LANG=C`` would bring the English back), so ``install()`` gives
click's modules a translation object of their own instead: every message click marks is looked
up in ``CATALOG`` / ``PLURALS`` below. tests/test_cli_japanese.py fails when the installed click
marks a message that is not translated here.

What click does not mark is handled here too: the names of parameter types (shown as metavars
such as ``INTEGER`` and inside errors), number ranges (``x>=1``), and the ``[OPTIONS]`` /
``COMMAND [ARGS]...`` usage pieces (``JaCommand`` / ``JaGroup``). ``JaHelpFormatter`` lays out
and wraps help by display width (a kanji takes two columns; click counts characters).
"""

from __future__ import annotations

import gettext
import importlib
import inspect
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import click
import click.types

# English msgid (exactly as click marks it) -> Japanese. Placeholders keep their names.
CATALOG: dict[str, str] = {
    # help framing
    "Usage:": "使い方:",
    "Options": "オプション",
    "Commands": "コマンド",
    "Positional arguments": "引数",
    "Show this message and exit.": "この説明を表示して終了します。",
    "Show the version and exit.": "バージョンを表示して終了します。",
    "%(prog)s, version %(version)s": "%(prog)s バージョン %(version)s",
    "default: {default}": "既定: {default}",
    "env var: {var}": "環境変数: {var}",
    "required": "必須",
    "(dynamic)": "（実行時に決定）",
    "deprecated": "廃止予定",
    # usage errors
    "Error: {message}": "エラー: {message}",
    "Try '{command} {option}' for help.": "説明は '{command} {option}' で表示できます。",
    "Invalid value: {message}": "値が正しくありません: {message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} の値が正しくありません: {message}",
    "Missing argument": "必須の引数が指定されていません:",
    "Missing option": "必須のオプションが指定されていません:",
    "Missing parameter": "必須の値が指定されていません:",
    "Missing {param_type}": "必須の値が指定されていません:",
    "Missing parameter: {param_name}": "必須の値が指定されていません: {param_name}",
    "Missing command.": "コマンドを指定してください。",
    "No such option {name!r}.": "{name!r} というオプションはありません。",
    "No such command {name!r}.": "{name!r} というコマンドはありません。",
    "Option {name!r} does not take a value.": "オプション {name!r} には値を付けられません。",
    "Argument {name!r} takes {nargs} values.": "引数 {name!r} には値が {nargs} 個必要です。",
    "Invalid start character for option ({option})": "オプションの先頭の文字が正しくありません（{option}）",
    "Value must be an iterable.": "値は複数の要素の並びで指定してください。",
    "Aborted!": "中断しました。",
    "unknown error": "原因不明のエラー",
    "Could not open file {filename!r}: {message}": "ファイル {filename!r} を開けません: {message}",
    "Choose from:\n\t{choices}": "次から選んでください:\n\t{choices}",
    # values
    "{value!r} is not a valid {number_type}.": "{value!r} は{number_type}ではありません。",
    "{value} is not in the range {range}.": "{value} は範囲外です（{range}）。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} は真偽値ではありません。使える値: {states}",
    "{value!r} is not a valid UUID.": "{value!r} は UUID ではありません。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} が見つかりません。",
    "{name} {filename!r} is a file.": "{name} {filename!r} はファイルです（フォルダを指定してください）。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} はフォルダです（ファイルを指定してください）。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} を読む権限がありません。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} に書き込む権限がありません。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} を実行する権限がありません。",
    "file": "ファイル",
    "directory": "フォルダ",
    "path": "パス",
    "Choice({choices})": "選択肢({choices})",
    # prompts and terminal
    "d": "日",  # days in a progress bar's time left
    "Do you want to continue?": "続けますか?",
    "Confirm the action without prompting.": "確認せずに実行します。",
    "Repeat for confirmation": "確認のためもう一度入力してください",
    "Error: The two entered values do not match.": "エラー: 入力された 2 つの値が一致しません。",
    "Error: invalid input": "エラー: 入力が正しくありません",
    "Press any key to continue...": "何かキーを押すと続けます…",
    "Unknown color {colour!r}": "未知の色 {colour!r}",
    "Unknown standard stream '{name}'": "未知の標準ストリーム '{name}'",
    "{editor}: Editing failed": "{editor}: 編集に失敗しました",
    "{editor}: Editing failed: {e}": "{editor}: 編集に失敗しました: {e}",
    "Windows error: {error}": "Windows のエラー: {error}",
    "Couldn't detect Bash version, shell completion is not supported.": "Bash のバージョンが分からないため、シェル補完は使えません。",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 より古いバージョンではシェル補完は使えません。",
    # deprecation
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "廃止予定: コマンド {name!r} は廃止予定です。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "廃止予定: {name!r} は廃止予定です。{extra_message}",
    # mistakes in a command definition (seen by developers, translated all the same)
    "Could not determine name for option with declarations {decls!r}": "オプションの宣言 {decls!r} から名前を決められません",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?": "オプション名がなく名前だけが渡されました（{name}）。引数として宣言するか、'--{name}' と書いてください。",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "引数の宣言は 1 つだけです（{length} 個: {decls}）。",
    "Name '{name}' defined twice": "名前 '{name}' が二重に定義されています",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "真偽値オプション {decl!r} の真と偽に同じフラグは使えません。",
}

# (singular msgid, plural msgid) -> Japanese (no plural forms in Japanese)
PLURALS: dict[tuple[str, str], str] = {
    (
        "Got unexpected extra argument ({args})",
        "Got unexpected extra arguments ({args})",
    ): "余分な引数があります（{args}）。",
    (
        "Takes {nargs} values but 1 was given.",
        "Takes {nargs} values but {len} were given.",
    ): "値が {nargs} 個必要です（指定は {len} 個）。",
    (
        "Did you mean {possibility}?",
        "(Did you mean one of: {possibilities}?)",
    ): "（もしかして: {possibilities}）",
    (
        "Option {name!r} requires an argument.",
        "Option {name!r} requires {nargs} arguments.",
    ): "オプション {name!r} には値が必要です。",
    (
        "{value!r} is not {choice}.",
        "{value!r} is not one of {choices}.",
    ): "{value!r} は指定できません。使える値: {choices}",
    (
        "{value!r} does not match the format {format}.",
        "{value!r} does not match the formats {formats}.",
    ): "{value!r} は書式 {formats} に合いません。",
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): "値が {len_type} 個必要です（指定は {len_value} 個）。",
}

# Names of click's parameter types: shown as metavars (``--jobs 整数``) and inside error messages.
TYPE_NAMES: dict[type[click.ParamType], str] = {
    click.types.StringParamType: "文字列",
    click.types.UnprocessedParamType: "文字列",
    click.types.IntParamType: "整数",
    click.types.IntRange: "整数",
    click.types.FloatParamType: "数値",
    click.types.FloatRange: "数値",
    click.types.BoolParamType: "真偽値",
    click.types.UUIDParameterType: "UUID",
    click.types.DateTime: "日時",
    click.types.File: "ファイル",
}

# click modules that mark messages with gettext
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "click.shell_completion",
    "click._termui_impl",
    "click._winconsole",
)


class ClickJapanese(gettext.NullTranslations):
    """A gettext translation whose catalogue is ``CATALOG`` / ``PLURALS`` (no .mo file, no locale)."""

    def gettext(self, message: str) -> str:
        return CATALOG.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        ja = PLURALS.get((msgid1, msgid2))
        if ja is not None:
            return ja
        return msgid1 if n == 1 else msgid2


def describe_range(lo: Any, hi: Any, lo_open: bool, hi_open: bool) -> str:
    """「1 以上」「0 より大きく 1 以下」: a number range in words (click writes ``1<=x``)."""
    parts = []
    if lo is not None:
        parts.append(f"{lo} {'より大きい' if lo_open else '以上'}")
    if hi is not None:
        parts.append(f"{hi} {'未満' if hi_open else '以下'}")
    if len(parts) == 2:
        parts[0] = parts[0].replace("より大きい", "より大きく")
    return "、".join(parts)


def _describe_range(self: Any) -> str:
    return describe_range(self.min, self.max, self.min_open, self.max_open)


_installed = False


def install() -> None:
    """Make click speak Japanese in this process. Call before commands are defined (types and the
    version option take their names and help text when they are created). Idempotent."""
    global _installed
    if _installed:
        return
    t = ClickJapanese()
    for name in CLICK_MODULES:
        try:
            mod = importlib.import_module(name)
        except (ImportError, AssertionError):  # not in this click version / Windows only
            continue
        if hasattr(mod, "_"):
            mod._ = t.gettext  # type: ignore[attr-defined]
        if hasattr(mod, "ngettext"):
            mod.ngettext = t.ngettext  # type: ignore[attr-defined]
    for cls, ja in TYPE_NAMES.items():
        cls.name = ja
    base = getattr(click.types, "_NumberRangeBase", None)
    if base is not None and hasattr(base, "_describe_range"):
        base._describe_range = _describe_range
    _installed = True


# --------------------------------------------------------------------------- layout

# characters a line should not start with (the character before them moves down with them)
_NO_LINE_START = frozenset("、。，．）」』】〕・：；？！ー…,.):;?!")
_NO_LINE_END = frozenset("（「『【〔(")  # ... and these not end one
_UNITS = re.compile(r"[!-~]+|\s|.")  # an ASCII word, one space, or one other character
_LAST_UNIT = re.compile(r"(?:[!-~]+|.)\s*$")


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one paragraph: a space only between two ASCII characters."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if out and out[-1].isascii() and line[0].isascii():
            out += " "
        out += line
    return out


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping by display width. ASCII words are not split; 。、） do not start a line and （「
    do not end one (the character before the punctuation moves down with it)."""
    lines: list[str] = []
    cur, w = "", 0
    for u in _UNITS.findall(text):
        if u.isspace():
            if cur:
                cur, w = cur + " ", w + 1
            continue
        uw = display_width(u)
        if w + uw > width and cur.strip():
            head, carry = cur, ""
            if u[0] in _NO_LINE_START:
                while head and (not carry or carry[0] in _NO_LINE_START):
                    last = _LAST_UNIT.search(head)
                    assert last is not None
                    head, carry = head[: last.start()], last.group(0) + carry
            while head and head[-1] in _NO_LINE_END:
                head, carry = head[:-1], head[-1] + carry
            if head.strip():
                lines.append(head.rstrip())
                cur = carry.lstrip()
                w = display_width(cur)
        cur, w = cur + u, w + uw
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


class JaHelpFormatter(click.HelpFormatter):
    """click's help layout, measured in display columns."""

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        paras: list[str] = []
        for para in re.split(r"\n[ \t]*\n", text.strip("\n")):
            lines = para.splitlines()
            if lines and lines[0].strip() == "\b":  # click's "do not rewrap" marker
                paras.append("\n".join(indent + ln for ln in lines[1:]))
            else:
                width = max(self.width - self.current_indent, 11)
                paras.append("\n".join(indent + ln for ln in wrap(join_lines(lines), width)))
        self.write("\n\n".join(paras) + "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        text_width = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            fw = display_width(first)
            if fw <= first_col - col_spacing:
                self.write(" " * (first_col - fw))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap(join_lines(second.splitlines()), text_width) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(" " * (first_col + self.current_indent) + line + "\n")


class JaContext(click.Context):
    formatter_class = JaHelpFormatter


OPTIONS_METAVAR = "[オプション]"
SUBCOMMAND_METAVAR = "コマンド [引数]..."


def short_help(cmd: click.Command) -> str:
    """The first sentence of the help (click looks for an ASCII full stop, Japanese has 。)."""
    if cmd.short_help:
        return inspect.cleandoc(cmd.short_help)
    first = join_lines(inspect.cleandoc(cmd.help or "").split("\n\n")[0].splitlines())
    end = first.find("。")
    return first[: end + 1] if end >= 0 else first


class JaCommand(click.Command):
    """A command in Japanese: ``[オプション]`` in its usage, layout by display width."""

    context_class = JaContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)


class JaGroup(click.Group):
    """A group in Japanese; its subcommands are JaCommand / JaGroup."""

    context_class = JaContext
    command_class = JaCommand
    group_class = type  # subgroups are of this same class

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(self)
