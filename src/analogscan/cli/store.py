"""``analogscan store``: the result store (SQLite) written by ``scan --store``."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExitCode
from .common import echo_err, render, with_drafts, write_output
from .i18n import JaGroup
from .options import format_option, output_format, output_option, tier_option


@click.group("store", cls=JaGroup)
def store_group() -> None:
    """結果ストア（scan --store で作る SQLite）の操作。"""


@store_group.command("report")
@click.argument("store_file", metavar="ストア", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option()
@output_option()
@tier_option
def store_report(store_file: Path, fmt: str | None, output: Path | None, tier: str) -> None:
    """結果ストアから、走査し直さずにレポートを作ります（記録されている全文書、パス順）。"""
    from ..store import Store, report_from_results

    fmt = output_format(fmt, output, "text")
    with Store(store_file) as st:
        docs = st.results()
        digests = st.rulesets()
    report = report_from_results(docs, ruleset_digest=",".join(digests))
    report = with_drafts(report)
    write_output(render(report, fmt, tier), output)
    if output is not None:
        echo_err(f"{len(docs)} 文書のレポートを書き出しました: {output}")


@store_group.command("check")
@click.argument("store_file", metavar="ストア", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def store_check(store_file: Path) -> ExitCode:
    """結果ストアを検査します（SQLite の整合性検査と、読めない記録の一覧）。

    終了コード: 0 = 問題なし, 1 = 問題あり, 2 = 開けない。
    """
    from ..store import Store

    with Store(store_file) as st:
        rep = st.check()
    if rep.integrity == ["ok"]:
        click.echo("SQLite の整合性検査: 問題ありません")
    else:
        click.echo(f"SQLite の整合性検査: {len(rep.integrity)} 件の問題があります")
        for line in rep.integrity[:20]:
            click.echo(f"  {line}")
        if len(rep.integrity) > 20:
            click.echo(f"  …ほか {len(rep.integrity) - 20} 件")
    click.echo(f"記録 {rep.rows} 件のうち読めないもの {len(rep.unreadable)} 件")
    for doc, why in rep.unreadable:
        click.echo(f"  {doc}: {why}")
    if not rep.ok:
        click.echo(
            "読めない記録の文書は、次の scan --store で走査し直されます。ストア自体が壊れている場合は、"
            "--store に新しいファイルを指定して走査し直してください"
        )
    return ExitCode.OK if rep.ok else ExitCode.FAILURES
