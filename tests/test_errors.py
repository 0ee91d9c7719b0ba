"""errors.py: one base class for the errors the user sees, exit codes in one place, handled by the CLI."""

from __future__ import annotations

import click
from click.testing import CliRunner

from analogscan.amend.draft import DraftSourceError
from analogscan.cli.app import App
from analogscan.errors import AnalogscanError, ExitCode, Interrupted, UsageError
from analogscan.evaluate import LabelsError
from analogscan.explain import ExplainError
from analogscan.ingest import IngestError
from analogscan.ingest.ocr import OcrError
from analogscan.match.safe_regex import RegexTimeout
from analogscan.review import DecisionsError
from analogscan.ruleset.model import RuleLoadError
from analogscan.store import RowError, StoreBusy, StoreError
from analogscan.ziplimits import ZipLimitError


def test_user_facing_errors_share_the_base_class() -> None:
    for cls in (
        DraftSourceError,
        LabelsError,
        ExplainError,
        IngestError,
        OcrError,
        DecisionsError,
        RuleLoadError,
        RegexTimeout,
        StoreError,
        RowError,
        StoreBusy,
        ZipLimitError,
    ):
        assert issubclass(cls, AnalogscanError), cls
    assert RegexTimeout("a+", 2.0).describe().startswith("正規表現")
    assert StoreError("結果ストアを開けません").describe() == "結果ストアを開けません"


def test_exit_codes() -> None:
    assert [int(c) for c in ExitCode] == [0, 1, 2, 130]
    assert UsageError.exit_code == ExitCode.USAGE == DecisionsError.exit_code
    assert Interrupted.exit_code == ExitCode.INTERRUPTED


def _app(raise_: BaseException | None = None, code: ExitCode | None = None) -> click.Group:
    @click.group(cls=App)
    def app() -> None:
        pass

    @app.command("go")
    def go() -> ExitCode | None:
        if raise_ is not None:
            raise raise_
        return code

    return app


def test_the_cli_turns_errors_and_codes_into_exits() -> None:
    r = CliRunner().invoke(_app(UsageError("一行目\n二行目")), ["go"])
    assert r.exit_code == 2 and r.output == "一行目\n二行目\n"
    r = CliRunner().invoke(_app(Interrupted("中断しました。")), ["go"])
    assert r.exit_code == 130 and "中断しました。" in r.output
    assert CliRunner().invoke(_app(code=ExitCode.FAILURES), ["go"]).exit_code == 1
    assert CliRunner().invoke(_app(code=ExitCode.OK), ["go"]).exit_code == 0
    assert CliRunner().invoke(_app(), ["go"]).exit_code == 0
    r = CliRunner().invoke(_app(ValueError("x")), ["go"])  # not ours: not turned into a message
    assert isinstance(r.exception, ValueError)
