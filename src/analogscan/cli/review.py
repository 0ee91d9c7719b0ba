"""``analogscan review``: import the decisions written into review sheets, carry them into a report."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..review import DEFAULT_DECISIONS_FILE
from .common import echo_err, read_report, render, write_output
from .i18n import JaGroup
from .options import output_format


@click.group("review", cls=JaGroup)
def review_group() -> None:
    """レビュー表（Excel）に記入された判断の取り込みと、次回の結果への引き継ぎ。"""


@review_group.command("import")
@click.argument(
    "sheets",
    nargs=-1,
    required=True,
    metavar="レビュー表.xlsx...",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(DEFAULT_DECISIONS_FILE),
    show_default=True,
    help="判断記録ファイル（JSON。なければ作成）",
)
def review_import(sheets: tuple[Path, ...], decisions_file: Path) -> None:
    """記入済みのレビュー表（.xlsx）から 該非・根拠法令の有無・見直し方針・見直し時期・備考 を読み取り、判断記録ファイルに保存します。"""
    from ..review import import_sheet, load_decisions, save_decisions

    decisions = load_decisions(decisions_file)
    total_imported = 0
    files: list[str] = []
    for sheet in sheets:
        res = import_sheet(sheet, decisions)
        files += [f for f in res.files if f not in files]
        for w in res.warnings:
            echo_err(f"{sheet.name}: {w}")
        click.echo(
            f"{sheet.name}: 行 {res.rows} 件のうち、記録 {res.imported} 件・変更なし {res.unchanged} 件・"
            f"未記入 {res.empty} 件・要再確認のまま {res.kept_recheck} 件"
        )
        total_imported += res.imported
    save_decisions(decisions_file, decisions)
    click.echo(
        f"判断記録: {decisions_file}（全 {len(decisions['decisions'])} 件、今回 {total_imported} 件を記録）"
    )
    click.echo("判断を引き継いで走査し直すには:")
    click.echo("  " + rescan_command(files, decisions_file, sheets[0]))
    if _is_default_decisions(decisions_file):
        click.echo(f"  （このフォルダで実行すると、scan は {DEFAULT_DECISIONS_FILE} を自動で読み込みます）")


def _is_default_decisions(decisions_file: Path) -> bool:
    return decisions_file.resolve() == (Path.cwd() / DEFAULT_DECISIONS_FILE).resolve()


def rescan_command(files: list[str], decisions_file: Path, sheet: Path) -> str:
    """The scan command that re-scans the documents a review sheet lists, carrying the decisions."""
    import os
    import shlex

    target = "例規フォルダ/"
    if len(files) == 1:
        target = files[0]
    elif files:
        try:
            target = os.path.commonpath(files) or "."
        except ValueError:  # absolute and relative paths mixed
            pass
    parts = ["analogscan", "scan", target]
    if not _is_default_decisions(decisions_file):
        parts += ["--decisions", str(decisions_file)]
    parts += ["-o", str(sheet.with_name(sheet.stem + "_再走査.xlsx"))]
    return shlex.join(parts)


@review_group.command("apply")
@click.argument(
    "report_json", metavar="レポート.json", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(DEFAULT_DECISIONS_FILE),
    show_default=True,
    help="判断記録ファイル",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="出力先（省略時は画面）"
)
@click.option(
    "--format",
    "fmt",
    default=None,
    help="出力形式（json, xlsx, html, md, csv, text。省略時は出力先の拡張子から、画面なら json）",
)
def review_apply(report_json: Path, decisions_file: Path, output: Path | None, fmt: str | None) -> None:
    """JSON レポートの各検出に、判断記録ファイルの判断を引き継ぎます（規定内容が変わったものは「要再確認」）。"""
    from ..report import RENDERERS
    from ..review import apply_decisions, load_decisions

    fmt = output_format(fmt, output, "json")
    report = read_report(report_json)
    if not decisions_file.exists():
        raise UsageError(
            f"判断記録ファイルがありません: {decisions_file}（先に analogscan review import で作ってください）"
        )
    decisions = load_decisions(decisions_file)
    if fmt not in RENDERERS:
        raise UsageError(f"未知の出力形式: {fmt}（使える値: {', '.join(RENDERERS)}）")
    new = apply_decisions(report, decisions)
    write_output(render(new, fmt), output)
    r = new["review"]
    echo_err(
        f"判断を引き継ぎました: {r['carried']} 件、要再確認 {r['recheck']} 件"
        f"（判断記録 {r['decisions']} 件のうち今回の結果にないもの {r['unmatched']} 件）"
        + (f"。結果: {output}" if output else "")
    )
