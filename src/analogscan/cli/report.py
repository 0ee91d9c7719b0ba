"""``analogscan report``: another format of a saved JSON report."""

from __future__ import annotations

from pathlib import Path

import click

from .common import echo_err, read_report, render, with_drafts, write_output
from .i18n import JaCommand
from .options import format_option, output_format, output_option, tier_option


@click.command("report", cls=JaCommand)
@click.argument("report_json", metavar="レポート.json", type=click.Path(exists=True, path_type=Path))
@format_option()
@output_option()
@tier_option
def report_cmd(report_json: Path, fmt: str | None, output: Path | None, tier: str) -> None:
    """保存済みの JSON レポートから、走査し直さずに別の形式のレポートを作ります。"""
    fmt = output_format(fmt, output, "text")
    report = with_drafts(read_report(report_json))
    write_output(render(report, fmt, tier), output)
    if output is not None:
        echo_err(f"書き出しました: {output}")
