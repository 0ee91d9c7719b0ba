"""``analogscan scan``: scan files and folders, write a report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import ExitCode, Interrupted, UsageError
from ..review import DEFAULT_DECISIONS_FILE
from .common import echo_err, load_rules, load_templates, render, with_drafts, write_output
from .i18n import JaCommand
from .options import (
    format_in_option,
    format_option,
    output_format,
    parse_types,
    rules_option,
    tier_option,
    types_option,
)

if TYPE_CHECKING:
    from ..batch import BatchConfig, BatchOutcome
    from ..review import DecisionsFile


@dataclass(frozen=True)
class ScanRequest:
    """The options of one ``scan`` run, as click parsed them."""

    paths: tuple[Path, ...]
    output: Path | None
    fmt: str | None
    rules_dirs: tuple[Path, ...]
    types_opt: str | None
    format_in: str | None
    jobs: int
    store_path: Path | None
    resume: bool
    retry_failed: bool
    executor: str
    scheduler: str | None
    send_bytes: bool
    no_shortcuts: bool
    decisions_file: Path | None
    no_decisions: bool
    ocr: bool
    doc_timeout: float
    doc_memory: int
    quiet: bool
    tier: str


@dataclass(frozen=True)
class Decisions:
    """The decisions file carried into the report (``file`` None: none)."""

    file: Path | None = None
    auto: bool = False  # found in the current folder, not named by --decisions
    data: DecisionsFile | None = None


@dataclass(frozen=True)
class Inputs:
    files: list[Path]
    missing: list[Path]
    skipped: list[tuple[Path, str]]  # (path, why) left out by walk_inputs


def _decisions(req: ScanRequest) -> Decisions:
    """--decisions, or the decisions file of the current folder unless --no-decisions."""
    if req.decisions_file is not None and req.no_decisions:
        raise click.UsageError("--decisions と --no-decisions は同時に指定できません")
    path, auto = req.decisions_file, False
    if path is None and not req.no_decisions and Path(DEFAULT_DECISIONS_FILE).is_file():
        path, auto = Path(DEFAULT_DECISIONS_FILE), True
    if path is None:
        return Decisions()
    from ..review import DecisionsError, load_decisions

    try:
        return Decisions(path, auto, load_decisions(path))
    except DecisionsError as e:
        if not auto:
            raise
        raise UsageError(
            f"{e}\n（カレントフォルダの {DEFAULT_DECISIONS_FILE} を自動で読み込もうとしました。"
            "使わないときは --no-decisions を付けてください）"
        ) from e


def _check_executor(req: ScanRequest) -> None:
    if req.resume and req.store_path is None:
        raise UsageError("--resume には --store（結果ストアのファイル）が必要です")
    if req.scheduler and req.executor != "dask":
        raise UsageError("--scheduler は --executor dask と一緒に指定してください")


def _inputs(paths: tuple[Path, ...]) -> Inputs:
    """The files to scan; a path that does not exist is named on stderr (and in the report)."""
    from ..ingest import supported_suffixes, walk_inputs

    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    for p in missing:
        echo_err(f"見つかりません: {p}")
    files, skipped = walk_inputs([p for p in paths if p.exists() or p.is_symlink()])
    if not files:
        lines = [f"{p}: {why}" for p, why in skipped]
        lines.append("走査できるファイル（" + ", ".join(supported_suffixes()) + "）がありません")
        raise UsageError("\n".join(lines))
    return Inputs(files, missing, skipped)


def _batch_config(req: ScanRequest) -> BatchConfig:
    from ..batch import BatchConfig
    from ..config import Budget
    from ..ingest.pdf import ocr_enabled

    return BatchConfig(
        jobs=req.jobs,
        executor=req.executor,
        scheduler=req.scheduler,
        format_in=req.format_in,
        ocr=req.ocr or ocr_enabled(),  # --ocr, or ANALOGSCAN_OCR=1 in this process's environment
        store=req.store_path,
        retry_failed=req.retry_failed,
        shortcuts=not req.no_shortcuts,
        send_bytes=req.send_bytes,
        quiet=req.quiet,
        budget=Budget(timeout=req.doc_timeout, memory_mb=req.doc_memory),
    )


def _report(
    outcome: BatchOutcome, inputs: Inputs, req: ScanRequest, decisions: Decisions, **summary: Any
) -> dict[str, Any]:
    """The report: every document scanned, missing (error) or skipped (warning), with decisions and drafts."""
    from ..model import DocumentResult
    from ..store import report_from_results

    docs = list(outcome.results)
    for p in inputs.missing:
        r = DocumentResult(path=str(p))
        r.add("error", "ファイルが見つかりません")
        docs.append(r.to_json())
    for p, why in inputs.skipped:  # nothing is left out silently: each skipped path is a warning
        r = DocumentResult(path=str(p))
        r.add("warning", why)
        docs.append(r.to_json())
    report = report_from_results(docs, elapsed=outcome.elapsed, **summary)
    if decisions.data is not None:
        from ..review import apply_decisions

        report = apply_decisions(report, decisions.data)
    return with_drafts(report, req.rules_dirs)


def _summary_line(report: dict[str, Any], outcome: BatchOutcome, req: ScanRequest, dec: Decisions) -> str:
    s = report["summary"]
    rate = outcome.characters / outcome.elapsed if outcome.elapsed > 0 else 0.0
    where = f"。結果: {req.output}" if req.output is not None else ""
    carried = ""
    if dec.file is not None:
        rv = report.get("review") or {}
        how = "（カレントフォルダにあったので自動で読み込み）" if dec.auto else ""
        carried = (
            f"、判断記録 {dec.file}{how}から引継ぎ {rv.get('carried', 0)} 件・"
            f"要再確認 {rv.get('recheck', 0)} 件"
        )
    return (
        f"{s['documents']} 文書（走査 {outcome.scanned}・記録済みで省略 {outcome.skipped}）、"
        f"{s['findings']} 件を検出（エラー {s['error']} 件・警告 {s['warning']} 件）、"
        f"{outcome.elapsed:.1f} 秒・{rate:,.0f} 字/秒{carried}{where}"
    )


def _finish(
    report: dict[str, Any], outcome: BatchOutcome, inputs: Inputs, req: ScanRequest, dec: Decisions
) -> ExitCode:
    """After the report is written: say how the run went; the exit code."""
    if outcome.interrupted:
        kept = "結果ストアに記録済みの文書は --resume で続きから走査できます。" if req.store_path else ""
        raise Interrupted(
            f"中断しました。走査済みの {outcome.scanned} 文書の結果を書き出しました"
            f"（未走査の文書はエラーとして記載）。{kept}"
        )
    if outcome.store_error:
        raise UsageError(
            f"レポートは書き出しましたが、結果ストアへの記録を途中でやめました: {outcome.store_error}"
        )
    failures = outcome.failures + [(str(p), "ファイルが見つかりません") for p in inputs.missing]
    if not req.quiet:
        echo_err(_summary_line(report, outcome, req, dec))
    if inputs.skipped and not req.quiet:
        echo_err(f"読み飛ばしたパス（{len(inputs.skipped)} 件。レポートに警告として記載）:")
        for p, why in inputs.skipped:
            echo_err(f"  {p}: {why}")
    if failures:
        echo_err(f"走査に失敗した文書（{len(failures)} 件）:")
        for path, msg in failures:
            echo_err(f"  {path}: {msg}")
    return ExitCode.FAILURES if failures else ExitCode.OK


def run_scan(req: ScanRequest) -> ExitCode:
    from ..batch import run_batch

    fmt = output_format(req.fmt, req.output, "text")
    types = parse_types(req.types_opt)
    ruleset = load_rules(req.rules_dirs).select(types)
    load_templates(req.rules_dirs)  # a mistake in an amendment template stops the run before the work
    dec = _decisions(req)
    _check_executor(req)
    inputs = _inputs(req.paths)
    outcome = run_batch(inputs.files, ruleset, types, _batch_config(req))
    report = _report(
        outcome,
        inputs,
        req,
        dec,
        ruleset_digest=ruleset.digest,
        rule_count=len(ruleset.active()),
        types=types,
    )
    write_output(render(report, fmt, req.tier), req.output)
    return _finish(report, outcome, inputs, req, dec)


@click.command(cls=JaCommand)
@click.argument("paths", nargs=-1, required=True, metavar="パス...", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="結果の出力先（省略時は画面）")
@format_option()
@rules_option()
@types_option
@format_in_option
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="並列に走査するワーカープロセス数（文書が少ないときは PDF のページも分担。dask では LocalCluster のワーカー数）",
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    help="結果ストア（SQLite）。文書ごとに記録し、内容とルールが同じ文書は次回から省略します",
)
@click.option(
    "--resume",
    is_flag=True,
    help="中断した走査を再開する（--store と同じ。記録済みの文書は走査し直しません）",
)
@click.option("--retry-failed", is_flag=True, help="ストアでエラーになっている文書を走査し直す")
@click.option(
    "--executor",
    type=click.Choice(["process", "dask"]),
    default="process",
    show_default=True,
    help="並列実行の方式（dask: dask.distributed で複数マシンに分散）",
)
@click.option(
    "--scheduler",
    metavar="アドレス",
    help="dask スケジューラのアドレス（例: tcp://10.0.0.5:8786。省略時は LocalCluster）",
)
@click.option(
    "--send-bytes",
    is_flag=True,
    help="dask ワーカーにファイルの中身を送る（ワーカーから同じパスが見えないとき）",
)
@click.option(
    "--no-shortcuts",
    is_flag=True,
    hidden=True,
    help="照合の近道を使わない（事前絞り込みなし・全条文を GiNZA 全コンポーネントで解析。検証用）",
)
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="判断記録ファイル（review import で作成）: 前回の判断を引き継ぎ、規定が変わったものは要再確認とする"
    f"（省略時はカレントフォルダの {DEFAULT_DECISIONS_FILE} があれば読み込む）",
)
@click.option(
    "--no-decisions", is_flag=True, help=f"カレントフォルダの {DEFAULT_DECISIONS_FILE} を読み込まない"
)
@click.option(
    "--ocr",
    is_flag=True,
    help="画像だけの PDF ページを OCR で読む（tesseract と日本語データが必要。読み取った箇所は警告付き）",
)
@click.option(
    "--doc-timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="文書1件の走査時間の上限（秒）。超えた文書は中止してエラーとして記録し、走査を続けます（0 = 上限なし）",
)
@click.option(
    "--doc-memory",
    type=click.IntRange(min=0),
    default=4096,
    show_default=True,
    help="文書1件が使えるメモリの上限（MB、読み込み済みのモデルを除く。Linux などで有効）。0 = 上限なし",
)
@click.option("-q", "--quiet", is_flag=True, help="進捗と要約を表示しない（cron 向け）")
@tier_option
def scan(**options: Any) -> ExitCode:
    """パス（ファイルまたはフォルダ）の例規を走査し、アナログ規制の候補を報告します。

    終了コード: 0 = 全文書を走査, 1 = 走査に失敗した文書あり, 2 = 指定やルールの誤り。
    """
    return run_scan(ScanRequest(**options))
