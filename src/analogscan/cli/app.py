"""The top-level click group, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import AnalogscanError
from .i18n import JaGroup, install

install()  # click's own words in Japanese; before any option is defined


class App(JaGroup):
    """The ``analogscan`` group: an :class:`~analogscan.errors.AnalogscanError` raised by a command
    is printed (its Japanese message, to stderr) and ends the run with its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AnalogscanError as e:
            click.echo(e.describe(), err=True)
            sys.exit(int(e.exit_code))


@click.group(cls=App, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="analogscan", message="%(prog)s %(version)s")
def main() -> None:
    """analogscan: 例規からアナログ規制（目視・実地監査・定期検査・常駐専任・書面掲示・対面講習・往訪閲覧・FD等）を洗い出します。"""
