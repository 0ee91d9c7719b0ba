"""Commands for the review workflow: review import/apply, diff, explain.

Registered onto the main click group by ``register(main)`` (called at the end of cli.py).
Helpers from cli.py are imported inside the commands to avoid an import cycle.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from .cli_i18n import JaCommand, JaGroup, install
from .ingest import input_formats
from .review import DEFAULT_DECISIONS_FILE

install()  # click's own words in Japanese; before any option is defined

EXIT_OK = 0
EXIT_USAGE = 2


def _err(msg: str) -> None:
    click.echo(msg, err=True)


def _read_report(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text("utf-8"))
        if not isinstance(report, dict) or report.get("schema_version") != 1 or "documents" not in report:
            raise ValueError("schema_version 1 の analogscan レポートではありません")
    except (OSError, ValueError) as e:
        _err(f"レポートを読めません: {path}（{e}）")
        sys.exit(EXIT_USAGE)
    return report


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
    from .review import DecisionsError, import_sheet, load_decisions, save_decisions

    try:
        decisions = load_decisions(decisions_file)
        total_imported = 0
        files: list[str] = []
        for sheet in sheets:
            res = import_sheet(sheet, decisions)
            files += [f for f in res.files if f not in files]
            for w in res.warnings:
                _err(f"{sheet.name}: {w}")
            click.echo(
                f"{sheet.name}: 行 {res.rows} 件のうち、記録 {res.imported} 件・変更なし {res.unchanged} 件・"
                f"未記入 {res.empty} 件・要再確認のまま {res.kept_recheck} 件"
            )
            total_imported += res.imported
        save_decisions(decisions_file, decisions)
    except DecisionsError as e:
        _err(str(e))
        sys.exit(EXIT_USAGE)
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
    from .cli import _render, _write_output, output_format
    from .report import RENDERERS
    from .review import DecisionsError, apply_decisions, load_decisions

    fmt = output_format(fmt, output, "json")
    report = _read_report(report_json)
    if not decisions_file.exists():
        _err(
            f"判断記録ファイルがありません: {decisions_file}（先に analogscan review import で作ってください）"
        )
        sys.exit(EXIT_USAGE)
    try:
        decisions = load_decisions(decisions_file)
    except DecisionsError as e:
        _err(str(e))
        sys.exit(EXIT_USAGE)
    if fmt not in RENDERERS:
        _err(f"未知の出力形式: {fmt}（使える値: {', '.join(RENDERERS)}）")
        sys.exit(EXIT_USAGE)
    new = apply_decisions(report, decisions)
    _write_output(_render(new, fmt), output)
    r = new["review"]
    _err(
        f"判断を引き継ぎました: {r['carried']} 件、要再確認 {r['recheck']} 件"
        f"（判断記録 {r['decisions']} 件のうち今回の結果にないもの {r['unmatched']} 件）"
        + (f"。結果: {output}" if output else "")
    )


DIFF_FORMATS = ["text", "json"]


@click.command("diff", cls=JaCommand)
@click.argument("old_json", metavar="旧.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new_json", metavar="新.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(DIFF_FORMATS),
    default=None,
    help="出力形式（省略時は出力先の拡張子から。画面なら text）",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="出力先（省略時は画面）"
)
def diff_cmd(old_json: Path, new_json: Path, fmt: str | None, output: Path | None) -> None:
    """2つの JSON レポートを比べ、新規・解消・変更のあった検出を例規ごとに表示します。"""
    from .cli import _write_output, output_format
    from .diff import diff_reports, render_diff_text

    fmt = output_format(fmt, output, "text", DIFF_FORMATS)

    d = diff_reports(_read_report(old_json), _read_report(new_json))
    if fmt == "json":
        data = (json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = render_diff_text(d).encode("utf-8")
    _write_output(data, output)


@click.command("explain", cls=JaCommand)
@click.argument("file", metavar="ファイル", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--at", "at", required=True, metavar="条項", help="条項（例: 第5条第2項、5条2項1号、附則第2項、別表第1）"
)
@click.option("--types", "types_opt", metavar="区分", help="対象の規制区分（例: mokushi,keiji）")
@click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="ルールフォルダかファイル。同梱のルールの代わりに使う。「+フォルダ」と書くと同梱のルールに追加（既定: 同梱のルール）",
)
@click.option(
    "--format-in",
    type=click.Choice(input_formats()),
    default=None,
    help="入力形式を強制する（省略時は中身と拡張子から判定）",
)
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
    from .cli import _load_rules, _parse_types
    from .explain import ExplainError, explain

    types = _parse_types(types_opt)
    ruleset = _load_rules(rules_dirs).select(types)
    try:
        text = explain(file, at, ruleset, format_in=format_in, tokens=not no_tokens, verbose=verbose)
    except ExplainError as e:
        _err(str(e))
        sys.exit(EXIT_USAGE)
    click.echo(text, nl=False)


def register(main: click.Group) -> None:
    main.add_command(review_group)
    main.add_command(diff_cmd)
    main.add_command(explain_cmd)
