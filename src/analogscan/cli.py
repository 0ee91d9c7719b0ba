"""Command line: click commands only; the work is done by the library modules."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .model import TYPE_CODES, TYPE_LABELS, DocumentResult

FORMATS = ["json", "csv", "text", "xlsx", "html", "md"]  # output formats; later reporters add themselves here and in report.RENDERERS

EXIT_OK = 0
EXIT_DOC_ERRORS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def _echo_err(msg: str) -> None:
    click.echo(msg, err=True)


def _parse_types(value: str | None) -> list[str] | None:
    if not value:
        return None
    types = [t.strip() for t in value.split(",") if t.strip()]
    bad = [t for t in types if t not in TYPE_CODES]
    if bad:
        raise click.BadParameter(
            "未知の規制区分: " + ", ".join(bad) + "（使える値: " + ", ".join(TYPE_CODES) + "）", param_hint="--types"
        )
    return types


def _load_rules(rules_dirs: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    from .rules.loader import RuleLoadError, load_ruleset

    try:
        return load_ruleset(list(rules_dirs) if rules_dirs else None)
    except RuleLoadError as e:
        _echo_err(f"ルールファイルに {len(e.issues)} 件の問題があります:")
        for issue in e.issues:
            _echo_err("  " + issue.format())
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="analogscan", message="%(prog)s %(version)s")
def main() -> None:
    """analogscan: 例規からアナログ規制（目視・実地監査・定期検査・常駐専任・書面掲示・対面講習・往訪閲覧・FD等）を洗い出します。"""


# --------------------------------------------------------------------------- scan


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="結果の出力先（省略時は画面）")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="出力形式（省略時は出力先の拡張子から。画面なら text）",
)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="ルールフォルダ（既定: 同梱のルール）")
@click.option("--types", "types_opt", help="対象の規制区分（例: mokushi,keiji）")
@click.option("--format-in", type=click.Choice(["text", "pdf", "html", "xml", "docx"]), default=None, help="入力形式を強制する")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="並列に走査するワーカープロセス数（文書が少ないときは PDF のページも分担。dask では LocalCluster のワーカー数）")
@click.option("--store", "store_path", type=click.Path(path_type=Path),
              help="結果ストア（SQLite）。文書ごとに記録し、内容とルールが同じ文書は次回から省略します")
@click.option("--resume", is_flag=True,
              help="中断した走査を再開する（--store と同じ。記録済みの文書は走査し直しません）")
@click.option("--retry-failed", is_flag=True, help="ストアでエラーになっている文書を走査し直す")
@click.option("--executor", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="並列実行の方式（dask: dask.distributed で複数マシンに分散）")
@click.option("--scheduler", help="dask スケジューラのアドレス（例: tcp://10.0.0.5:8786。省略時は LocalCluster）")
@click.option("--send-bytes", is_flag=True,
              help="dask ワーカーにファイルの中身を送る（ワーカーから同じパスが見えないとき）")
@click.option("--no-shortcuts", is_flag=True, hidden=True,
              help="照合の近道を使わない（事前絞り込みなし・全条文を GiNZA 全コンポーネントで解析。検証用）")
@click.option("--decisions", "decisions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="判断記録ファイル（review import で作成）: 前回の判断を引き継ぎ、規定が変わったものは要再確認とする")
@click.option("--ocr", is_flag=True,
              help="画像だけの PDF ページを OCR で読む（tesseract と日本語データが必要。読み取った箇所は警告付き）")
@click.option("-q", "--quiet", is_flag=True, help="進捗と要約を表示しない（cron 向け）")
def scan(
    paths: tuple[Path, ...],
    output: Path | None,
    fmt: str | None,
    rules_dirs: tuple[Path, ...],
    types_opt: str | None,
    format_in: str | None,
    jobs: int,
    store_path: Path | None,
    resume: bool,
    retry_failed: bool,
    executor: str,
    scheduler: str | None,
    send_bytes: bool,
    no_shortcuts: bool,
    decisions_file: Path | None,
    ocr: bool,
    quiet: bool,
) -> None:
    """PATH（ファイルまたはフォルダ）の例規を走査し、アナログ規制の候補を報告します。

    終了コード: 0 = 全文書を走査, 1 = 走査に失敗した文書あり, 2 = 指定やルールの誤り。
    """
    from .batch import BatchConfig, run_batch
    from .ingest import iter_input_files
    from .store import StoreError, report_from_results

    types = _parse_types(types_opt)
    ruleset = _load_rules(rules_dirs).select(types)
    if ocr:
        os.environ["ANALOGSCAN_OCR"] = "1"  # an environment variable reaches worker processes too
    if fmt is None:
        suffix = output.suffix.lower() if output else ""
        from .report import SUFFIXES

        fmt = SUFFIXES.get(suffix, "json" if output else "text")
    decisions = None
    if decisions_file is not None:
        from .review import DecisionsError, load_decisions

        try:
            decisions = load_decisions(decisions_file)
        except DecisionsError as e:
            _echo_err(str(e))
            sys.exit(EXIT_USAGE)
    if resume and store_path is None:
        _echo_err("--resume には --store（結果ストアのファイル）が必要です")
        sys.exit(EXIT_USAGE)
    if scheduler and executor != "dask":
        _echo_err("--scheduler は --executor dask と一緒に指定してください")
        sys.exit(EXIT_USAGE)
    missing = [p for p in paths if not p.exists()]
    for p in missing:
        _echo_err(f"見つかりません: {p}")
    files = iter_input_files([p for p in paths if p.exists()])
    if not files:
        from .ingest import supported_suffixes

        _echo_err("走査できるファイル（" + ", ".join(supported_suffixes()) + "）がありません")
        sys.exit(EXIT_USAGE)
    cfg = BatchConfig(
        jobs=jobs, executor=executor, scheduler=scheduler, format_in=format_in, store=store_path,
        retry_failed=retry_failed, shortcuts=not no_shortcuts, send_bytes=send_bytes, quiet=quiet,
    )
    try:
        outcome = run_batch(files, ruleset, types, cfg)
    except StoreError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    docs = list(outcome.results)
    for p in missing:
        r = DocumentResult(path=str(p))
        r.add("error", "ファイルが見つかりません")
        docs.append(r.to_json())
    report = report_from_results(
        docs, ruleset_digest=ruleset.digest, rule_count=len(ruleset.active()), types=types,
        elapsed=outcome.elapsed,
    )
    if decisions is not None:
        from .review import apply_decisions

        report = apply_decisions(report, decisions)
    _write_output(_render(report, fmt), output)
    if outcome.interrupted:
        kept = "結果ストアに記録済みの文書は --resume で続きから走査できます。" if store_path else ""
        _echo_err(
            f"中断しました。走査済みの {outcome.scanned} 文書の結果を書き出しました"
            f"（未走査の文書はエラーとして記載）。{kept}"
        )
        sys.exit(EXIT_INTERRUPTED)
    failures = outcome.failures + [(str(p), "ファイルが見つかりません") for p in missing]
    if not quiet:
        s = report["summary"]
        rate = outcome.characters / outcome.elapsed if outcome.elapsed > 0 else 0.0
        where = f"。結果: {output}" if output is not None else ""
        _echo_err(
            f"{s['documents']} 文書（走査 {outcome.scanned}・記録済みで省略 {outcome.skipped}）、"
            f"{s['findings']} 件を検出（エラー {s['error']} 件・警告 {s['warning']} 件）、"
            f"{outcome.elapsed:.1f} 秒・{rate:,.0f} 字/秒{where}"
        )
    if failures:
        _echo_err(f"走査に失敗した文書（{len(failures)} 件）:")
        for path, msg in failures:
            _echo_err(f"  {path}: {msg}")
    sys.exit(EXIT_DOC_ERRORS if failures else EXIT_OK)


# --------------------------------------------------------------------------- store


@main.group("store")
def store_group() -> None:
    """結果ストア（scan --store で作る SQLite）の操作。"""


@store_group.command("report")
@click.argument("store_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="出力形式（省略時は出力先の拡張子から。画面なら text）")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="出力先（省略時は画面）")
def store_report(store_file: Path, fmt: str | None, output: Path | None) -> None:
    """結果ストアから、走査し直さずにレポートを作ります（記録されている全文書、パス順）。"""
    from .store import Store, StoreError, report_from_results

    if fmt is None:
        from .report import SUFFIXES

        fmt = SUFFIXES.get(output.suffix.lower() if output else "", "json" if output else "text")
    try:
        with Store(store_file) as st:
            docs = st.results()
            digests = st.rulesets()
    except StoreError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    report = report_from_results(docs, ruleset_digest=",".join(digests))
    _write_output(_render(report, fmt), output)
    if output is not None:
        _echo_err(f"{len(docs)} 文書のレポートを書き出しました: {output}")


def _render(report: dict[str, object], fmt: str) -> bytes:
    from .report import render

    return render(report, fmt)  # type: ignore[arg-type]


def _write_output(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from .report.json_report import atomic_write_bytes

        atomic_write_bytes(output, data)


@main.command("report")
@click.argument("report_json", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="出力先（省略時は画面）")
def report_cmd(report_json: Path, fmt: str, output: Path | None) -> None:
    """保存済みの JSON レポートから、走査し直さずに別の形式のレポートを作ります。"""
    import json

    try:
        report = json.loads(report_json.read_text("utf-8"))
        if report.get("schema_version") != 1 or "documents" not in report:
            raise ValueError("schema_version 1 の analogscan レポートではありません")
    except (OSError, ValueError) as e:
        _echo_err(f"レポートを読めません: {report_json}（{e}）")
        sys.exit(EXIT_USAGE)
    _write_output(_render(report, fmt), output)
    if output is not None:
        _echo_err(f"書き出しました: {output}")


# --------------------------------------------------------------------------- rules


@main.group()
def rules() -> None:
    """ルールファイルの検査とテスト。"""


@rules.command("validate")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
def rules_validate(dirs: tuple[Path, ...]) -> None:
    """ルールファイルの書式を検査します（誤りはファイル・行・キー付きで全件表示）。"""
    rs = _load_rules(dirs)
    by_type: dict[str, int] = {}
    for r in rs.rules:
        by_type[r.type] = by_type.get(r.type, 0) + 1
    click.echo(
        f"ルールファイル {len(rs.files)} 件、ルール {len(rs.rules)} 件、共通除外 {len(rs.exclusions)} 件: 問題ありません"
    )
    for t in TYPE_CODES:
        if by_type.get(t):
            click.echo(f"  {t:8s} {TYPE_LABELS[t]}: {by_type[t]} 件")


@rules.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
def rules_test(dirs: tuple[Path, ...]) -> None:
    """各ルールの例文（一致すべき文・一致すべきでない文）を実際に照合して確かめます。"""
    from .rules.runner import run_examples

    rs = _load_rules(dirs)
    rep = run_examples(rs)
    for f in rep.failures:
        click.echo(f.format())
    passed = rep.checked - len(rep.failures)
    click.echo(f"例文 {rep.checked} 件: 成功 {passed} 件、失敗 {len(rep.failures)} 件")
    click.echo(f"{passed} passed, {len(rep.failures)} failed")
    sys.exit(EXIT_DOC_ERRORS if rep.failures else EXIT_OK)


# --------------------------------------------------------------------------- eval


@main.command("eval")
@click.option("--gold", "gold_files", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help="正解ラベル（JSONL: doc, path, labels）")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help="ルールフォルダ")
@click.option("--types", "types_opt", help="対象の規制区分")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="結果をJSONでも書き出す")
@click.option("--max-list", default=200, show_default=True, help="誤検出・見落としを何件まで表示するか")
@click.option("--labelled-only", is_flag=True,
              help="ラベルの無い規定での検出を数えない（正解ラベルが文書の一部の抽出のとき）")
def eval_cmd(
    gold_files: tuple[Path, ...],
    paths: tuple[Path, ...],
    rules_dirs: tuple[Path, ...],
    types_opt: str | None,
    json_out: Path | None,
    max_list: int,
    labelled_only: bool,
) -> None:
    """PATH を走査し、正解ラベルに対する適合率・再現率・F1 を規制区分ごとに表示します。"""
    import json

    from .engine import Engine
    from .evaluate import LabelsError, load_gold, render_eval, score
    from .ingest import iter_input_files
    from .pipeline import scan_file

    types = _parse_types(types_opt)
    try:
        gold = load_gold(list(gold_files))
    except LabelsError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    ruleset = _load_rules(rules_dirs).select(types)
    engine = Engine(ruleset)
    files = [f for f in iter_input_files(list(paths)) if f.stem in gold.docs]
    started = time.monotonic()
    results = [scan_file(f, engine) for f in files]
    res = score(gold, results, types, labelled_only=labelled_only)
    click.echo(render_eval(res, max_list=max_list), nl=False)
    click.echo(f"（{len(files)} 文書、{time.monotonic() - started:.1f} 秒）")
    if json_out:
        from .report.json_report import atomic_write_text

        atomic_write_text(json_out, json.dumps(res.to_json(), ensure_ascii=False, indent=2))


from .cli_review import register as _register_review  # noqa: E402

_register_review(main)

if __name__ == "__main__":  # pragma: no cover
    main()
