"""``analogscan diff``: what changed between two JSON reports."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import read_report, write_output
from .i18n import JaCommand
from .options import format_option, output_format, output_option

DIFF_FORMATS = ["text", "json"]


@click.command("diff", cls=JaCommand)
@click.argument("old_json", metavar="旧.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("new_json", metavar="新.json", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option(DIFF_FORMATS)
@output_option(dir_okay=False)
def diff_cmd(old_json: Path, new_json: Path, fmt: str | None, output: Path | None) -> None:
    """2つの JSON レポートを比べ、新規・解消・変更のあった検出を例規ごとに表示します。"""
    from ..diff import diff_reports, render_diff_text

    fmt = output_format(fmt, output, "text", DIFF_FORMATS)
    d = diff_reports(read_report(old_json), read_report(new_json))
    if fmt == "json":
        data = (json.dumps(d.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    else:
        data = render_diff_text(d).encode("utf-8")
    write_output(data, output)
