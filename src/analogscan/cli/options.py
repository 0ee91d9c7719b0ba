"""Options shared by several commands, and the parsing of their values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..ingest import input_formats
from ..model import TYPE_CODES
from ..report import formats as output_formats
from .i18n import install

install()  # click's own words in Japanese; before any option is defined

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = output_formats()  # output formats: the reporters registered in report.RENDERERS
INPUT_FORMATS = input_formats()  # input formats: the readers registered in ingest.READERS
TIER_CHOICES = ("all", "likely")

RULES_HELP = "ルールフォルダかファイル。同梱のルールの代わりに使う。「+フォルダ」と書くと同梱のルールに追加（既定: 同梱のルール。環境変数 ANALOGSCAN_RULES も同じ書き方）"
FORMAT_HELP = "出力形式（省略時は出力先の拡張子から。画面なら text）"
TYPES_HELP = "対象の規制区分（例: mokushi,keiji）"


def tier_option(f: F) -> F:
    return click.option(
        "--tier",
        type=click.Choice(TIER_CHOICES),
        default="all",
        show_default=True,
        help="出力する段階（all = 要確認まで含む、likely = 該当の可能性が高いものだけ）",
    )(f)


def format_option(choices: list[str] | None = None) -> Callable[[F], F]:
    """``--format``: one of the output formats (default: from the suffix of ``-o``)."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices or FORMATS), default=None, help=FORMAT_HELP
    )


def output_option(help: str = "出力先（省略時は画面）", *, dir_okay: bool = True) -> Callable[[F], F]:
    return click.option("-o", "--output", type=click.Path(dir_okay=dir_okay, path_type=Path), help=help)


def rules_option(help: str = RULES_HELP) -> Callable[[F], F]:
    return click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=help)


def types_option(f: F) -> F:
    return click.option("--types", "types_opt", metavar="区分", help=TYPES_HELP)(f)


def format_in_option(f: F) -> F:
    return click.option(
        "--format-in",
        type=click.Choice(INPUT_FORMATS),
        default=None,
        help="入力形式を強制する（省略時は中身と拡張子から判定）",
    )(f)


def gold_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--gold",
        "gold_files",
        multiple=True,
        required=True,
        type=click.Path(exists=True, path_type=Path),
        help=help,
    )


def paths_argument(f: F) -> F:
    """Files or folders to scan, which must exist."""
    return click.argument(
        "paths", nargs=-1, required=True, metavar="パス...", type=click.Path(exists=True, path_type=Path)
    )(f)


def parse_types(value: str | None) -> list[str] | None:
    """``--types mokushi,keiji`` → the type codes (None: every type)."""
    if not value:
        return None
    types = [t.strip() for t in value.split(",") if t.strip()]
    bad = [t for t in types if t not in TYPE_CODES]
    if bad:
        raise click.BadParameter(
            "未知の規制区分: " + ", ".join(bad) + "（使える値: " + ", ".join(TYPE_CODES) + "）",
            param_hint="--types",
        )
    return types


def output_format(fmt: str | None, output: Path | None, screen: str, allowed: list[str] | None = None) -> str:
    """The output format: ``--format`` if given, else from the suffix of ``-o``, else ``screen``.

    A suffix that names no format (``-o report.pdf``) is a usage error (exit 2) listing the formats,
    so a report is never written in a format its file name does not promise.
    """
    if fmt is not None:
        return fmt
    if output is None:
        return screen
    from ..report import SUFFIXES

    allowed = allowed or FORMATS
    found = SUFFIXES.get(output.suffix.lower())
    if found in allowed:
        return str(found)
    by_fmt = {f: "・".join(s for s, g in SUFFIXES.items() if g == f) for f in allowed}
    listing = "、".join(f"{f}（{suf}）" if suf else f for f, suf in by_fmt.items())
    what = f"の拡張子「{output.suffix}」" if output.suffix else "に拡張子がないため、そこ"
    raise click.BadParameter(
        f"出力先 {output} {what}からは出力形式を決められません。使える形式: {listing}。"
        "拡張子を変えるか、--format で形式を指定してください。",
        param_hint="'-o' / '--output'",
    )
