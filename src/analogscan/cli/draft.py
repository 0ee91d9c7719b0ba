"""``analogscan draft``: 新旧対照表 (.docx / .xlsx) and 改め文 (.txt) from a report or a reviewed sheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ExitCode
from .common import echo_err, load_templates, read_report
from .i18n import JaCommand
from .options import rules_option

if TYPE_CHECKING:
    from ..amend.draft import DraftDoc

DRAFT_SUFFIXES = {".docx": "docx", ".xlsx": "xlsx", ".txt": "txt"}


def _render(kind: str, docs: list[DraftDoc]) -> bytes:
    if kind == "docx":
        from ..report.docx_draft import render_docx

        return render_docx(docs)
    if kind == "xlsx":
        from ..report.xlsx_draft import render_draft_xlsx

        return render_draft_xlsx(docs)
    from ..amend.draft import render_kaibun_text

    return render_kaibun_text(docs).encode("utf-8")


@click.command("draft", cls=JaCommand)
@click.argument(
    "source",
    metavar="レポート.json|レビュー表.xlsx",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="出力先（.docx = 新旧対照表、.xlsx = 新旧対照表と改め文、.txt = 改め文。複数指定できます）",
)
@rules_option("ルールフォルダ（その中の見直し案の文例フォルダを使う。既定: 同梱の文例）")
@click.option(
    "--tier",
    type=click.Choice(("likely", "all")),
    default="likely",
    show_default=True,
    help="レポートから作るときの段階（likely = 該当の可能性が高いものだけ、all = 要確認も含む）",
)
def draft_cmd(source: Path, outputs: tuple[Path, ...], rules_dirs: tuple[Path, ...], tier: str) -> ExitCode:
    """見直し案の新旧対照表と改め文を作ります。

    レポート（JSON）からは検出したすべての規定（判断記録で非該当・見直し不要としたものを除く）、
    記入済みのレビュー表（.xlsx）からは 該非 が「該当」で 見直し方針 が「規定の見直し」（または「改正」）の行だけを使います。
    文例の当てはまらない規定は「手作業で起案」とし、理由を添えます。作った案は、必ず担当者が確認してください。
    """
    from ..amend.apply import HONESTY_LINE
    from ..amend.draft import from_report, from_sheet
    from ..fsutil import atomic_write_bytes

    bad = [o for o in outputs if o.suffix.lower() not in DRAFT_SUFFIXES]
    if bad:
        raise click.BadParameter(
            f"出力先 {bad[0]} の拡張子からは形式を決められません。使える形式: .docx（新旧対照表）、"
            ".xlsx（新旧対照表と改め文）、.txt（改め文）",
            param_hint="'-o' / '--output'",
        )
    templates = load_templates(rules_dirs)
    if source.suffix.lower() == ".xlsx":
        docs, taken = from_sheet(source, templates)
        where = f"レビュー表の該当・改正の行 {taken} 件"
    else:
        report = read_report(source)
        docs = from_report(
            report, templates, tiers=("likely",) if tier == "likely" else ("likely", "possible")
        )
        where = "レポートの検出"
    rows = [r for d in docs for r in d.rows]
    drafted = sum(1 for r in rows if r.kaibun)
    for out in outputs:
        atomic_write_bytes(out, _render(DRAFT_SUFFIXES[out.suffix.lower()], docs))
        echo_err(f"書き出しました: {out}")
    echo_err(
        f"{where}から {len(docs)} 例規・{len(rows)} 規定の見直し案を作りました"
        f"（文例で起案 {drafted}・手作業で起案 {len(rows) - drafted}）。"
    )
    echo_err(HONESTY_LINE)
    return ExitCode.OK
