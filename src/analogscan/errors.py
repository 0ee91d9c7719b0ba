"""Errors for the user, and the exit codes of the command line: both defined here, once.

Every error that reaches the user derives from :class:`AnalogscanError`: it carries the exit code
the command ends with and a Japanese message (``describe()``; ``str(e)`` unless a subclass says
more). The CLI catches them in one place (``analogscan.cli.app.App.invoke``), prints the message to
stderr and exits with the code; commands raise instead of calling ``sys.exit`` themselves.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """Exit codes of every command (README: 終了コード)."""

    OK = 0
    FAILURES = 1  # scan: documents that could not be scanned; store check / rules test: problems found
    USAGE = 2  # a mistake in the options, a rule file, or an input that cannot be used
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class AnalogscanError(Exception):
    """An error with a Japanese message for the user and the exit code the CLI ends with."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE

    def describe(self) -> str:
        """The Japanese message (may span lines)."""
        return str(self)


class UsageError(AnalogscanError):
    """Options that cannot be used together, or an input that cannot be used (exit 2).

    Unlike click's own usage errors, the message is printed as it is (no usage line)."""


class Interrupted(AnalogscanError):
    """The run was stopped (Ctrl-C) after writing what was done (exit 130)."""

    exit_code = ExitCode.INTERRUPTED
