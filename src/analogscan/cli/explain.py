"""``analogscan explain``: why a provision was (or was not) flagged."""

from __future__ import annotations

from pathlib import Path

import click

from .common import load_rules
from .i18n import JaCommand
from .options import format_in_option, parse_types, rules_option, types_option


@click.command("explain", cls=JaCommand)
@click.argument("file", metavar="ファイル", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--at", "at", required=True, metavar="条項", help="条項（例: 第5条第2項、5条2項1号、附則第2項、別表第1）"
)
@types_option
@rules_option(
    "ルールフォルダかファイル。同梱のルールの代わりに使う。「+フォルダ」と書くと同梱のルールに追加（既定: 同梱のルール）"
)
@format_in_option
@click.option("--no-tokens", is_flag=True, help="形態素・係り受けの表を省く")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="トリガー語が本文にないルールと、該当しない共通除外も含め、すべての判定を表示する",
)
def explain_cmd(
    file: Path,
    at: str,
    types_opt: str | None,
    rules_dirs: tuple[Path, ...],
    format_in: str | None,
    no_tokens: bool,
    verbose: bool,
) -> None:
    """ファイルの指定した条項について、形態素・文節と、検出したルール・惜しくも検出しなかったルール
    （トリガー語はあるもの）の理由を表示します。すべてのルールの判定は --verbose で表示します。"""
    from ..explain import explain

    types = parse_types(types_opt)
    ruleset = load_rules(rules_dirs).select(types)
    text = explain(file, at, ruleset, format_in=format_in, tokens=not no_tokens, verbose=verbose)
    click.echo(text, nl=False)
