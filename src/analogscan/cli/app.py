"""The top-level click group, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import AnalogscanError, ExitCode
from .i18n import JaGroup, install

install()  # click's own words in Japanese; before any option is defined


class App(JaGroup):
    """The ``analogscan`` group, where every run ends with its exit code: an
    :class:`~analogscan.errors.AnalogscanError` raised by a command is printed (its Japanese
    message, to stderr) and ends the run with its code; a command that returns an
    :class:`~analogscan.errors.ExitCode` ends with that one."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            rv = super().invoke(ctx)
        except AnalogscanError as e:
            click.echo(e.describe(), err=True)
            sys.exit(int(e.exit_code))
        if isinstance(rv, ExitCode):
            sys.exit(int(rv))
        return rv


@click.group(cls=App, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="analogscan", message="%(prog)s %(version)s")
def main() -> None:
    """analogscan: 例規からアナログ規制（目視・実地監査・定期検査・常駐専任・書面掲示・対面講習・往訪閲覧・FD等）を洗い出します。"""
