"""Command line: click commands only; the work is done by the library modules."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cli_i18n import JaGroup, install
from .ingest import input_formats
from .model import TYPE_CODES, TYPE_LABELS, DocumentResult
from .report import formats as output_formats
from .review import DEFAULT_DECISIONS_FILE

install()  # click's own words in Japanese; before any option is defined

FORMATS = output_formats()  # output formats: the reporters registered in report.RENDERERS
INPUT_FORMATS = input_formats()  # input formats: the readers registered in ingest.READERS

RULES_HELP = "ルールフォルダかファイル。同梱のルールの代わりに使う。「+フォルダ」と書くと同梱のルールに追加（既定: 同梱のルール。環境変数 ANALOGSCAN_RULES も同じ書き方）"

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
            "未知の規制区分: " + ", ".join(bad) + "（使える値: " + ", ".join(TYPE_CODES) + "）",
            param_hint="--types",
        )
    return types


def output_format(fmt: str | None, output: Path | None, screen: str, allowed: list[str] | None = None) -> str:
    """The output format: ``--format`` if given, else from the suffix of ``-o``, else ``screen``.

    A suffix that names no format (``-o report.pdf``) is a usage error (exit 2) listing the formats,
    so a report is never written in a format its file name does not promise.
    """
    if fmt is not None:
        return fmt
    if output is None:
        return screen
    from .report import SUFFIXES

    allowed = allowed or FORMATS
    found = SUFFIXES.get(output.suffix.lower())
    if found in allowed:
        return str(found)
    by_fmt = {f: "・".join(s for s, g in SUFFIXES.items() if g == f) for f in allowed}
    listing = "、".join(f"{f}（{suf}）" if suf else f for f, suf in by_fmt.items())
    what = f"の拡張子「{output.suffix}」" if output.suffix else "に拡張子がないため、そこ"
    raise click.BadParameter(
        f"出力先 {output} {what}からは出力形式を決められません。使える形式: {listing}。"
        "拡張子を変えるか、--format で形式を指定してください。",
        param_hint="'-o' / '--output'",
    )


def _load_rules(rules_dirs: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    """--rules DIR replaces the shipped rules, --rules +DIR adds to them (after $ANALOGSCAN_RULES; see README)."""
    from .ruleset.loader import RuleLoadError, load_ruleset, resolve_rule_paths

    try:
        return load_ruleset(resolve_rule_paths(rules_dirs))
    except RuleLoadError as e:
        _echo_err(f"ルールファイルに {len(e.issues)} 件の問題があります:")
        for issue in e.issues:
            _echo_err("  " + issue.format())
        sys.exit(EXIT_USAGE)


def _load_templates(rules_dirs: tuple[Path, ...], *, fallback: bool = True):  # type: ignore[no-untyped-def]
    """Amendment templates: rules/amend beside the rule folders (else the shipped ones when fallback)."""
    from .amend.templates import TemplateSet, default_amend_dirs, load_templates
    from .ruleset.loader import RuleLoadError, resolve_rule_paths

    try:
        folders = [p for p in resolve_rule_paths(rules_dirs) if p.is_dir()]
        dirs = (
            default_amend_dirs(folders)
            if fallback
            else [d / "amend" for d in folders if (d / "amend").is_dir()]
        )
        if not dirs or not any(d.exists() for d in dirs):
            return TemplateSet([], [])
        return load_templates(dirs)
    except RuleLoadError as e:
        _echo_err(f"見直し案の文例ファイルに {len(e.issues)} 件の問題があります:")
        for issue in e.issues:
            _echo_err("  " + issue.format())
        sys.exit(EXIT_USAGE)


def _with_drafts(report: dict[str, Any], rules_dirs: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The report with a draft amendment (or 「手作業で起案」 and why) on every finding."""
    from .amend.apply import attach_amendments

    return attach_amendments(report, _load_templates(rules_dirs))


@click.group(cls=JaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="analogscan", message="%(prog)s %(version)s")
def main() -> None:
    """analogscan: 例規からアナログ規制（目視・実地監査・定期検査・常駐専任・書面掲示・対面講習・往訪閲覧・FD等）を洗い出します。"""


# --------------------------------------------------------------------------- scan

TIER_CHOICES = ("all", "likely")


def _tier_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--tier",
        type=click.Choice(TIER_CHOICES),
        default="all",
        show_default=True,
        help="出力する段階（all = 要確認まで含む、likely = 該当の可能性が高いものだけ）",
    )(f)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="パス...", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="結果の出力先（省略時は画面）")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="出力形式（省略時は出力先の拡張子から。画面なら text）",
)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)
@click.option("--types", "types_opt", metavar="区分", help="対象の規制区分（例: mokushi,keiji）")
@click.option(
    "--format-in",
    type=click.Choice(INPUT_FORMATS),
    default=None,
    help="入力形式を強制する（省略時は中身と拡張子から判定）",
)
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
@_tier_option
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
    no_decisions: bool,
    ocr: bool,
    doc_timeout: float,
    doc_memory: int,
    quiet: bool,
    tier: str,
) -> None:
    """パス（ファイルまたはフォルダ）の例規を走査し、アナログ規制の候補を報告します。

    終了コード: 0 = 全文書を走査, 1 = 走査に失敗した文書あり, 2 = 指定やルールの誤り。
    """
    from .batch import BatchConfig, run_batch
    from .docworker import Budget
    from .ingest import walk_inputs
    from .store import StoreError, report_from_results

    fmt = output_format(fmt, output, "text")
    types = _parse_types(types_opt)
    ruleset = _load_rules(rules_dirs).select(types)
    _load_templates(rules_dirs)  # a mistake in an amendment template stops the run before the work
    if ocr:
        os.environ["ANALOGSCAN_OCR"] = "1"  # an environment variable reaches worker processes too
    if decisions_file is not None and no_decisions:
        raise click.UsageError("--decisions と --no-decisions は同時に指定できません")
    auto_decisions = False
    if decisions_file is None and not no_decisions and Path(DEFAULT_DECISIONS_FILE).is_file():
        decisions_file, auto_decisions = Path(DEFAULT_DECISIONS_FILE), True
    decisions = None
    if decisions_file is not None:
        from .review import DecisionsError, load_decisions

        try:
            decisions = load_decisions(decisions_file)
        except DecisionsError as e:
            _echo_err(str(e))
            if auto_decisions:
                _echo_err(
                    f"（カレントフォルダの {DEFAULT_DECISIONS_FILE} を自動で読み込もうとしました。"
                    "使わないときは --no-decisions を付けてください）"
                )
            sys.exit(EXIT_USAGE)
    if resume and store_path is None:
        _echo_err("--resume には --store（結果ストアのファイル）が必要です")
        sys.exit(EXIT_USAGE)
    if scheduler and executor != "dask":
        _echo_err("--scheduler は --executor dask と一緒に指定してください")
        sys.exit(EXIT_USAGE)
    missing = [p for p in paths if not p.exists() and not p.is_symlink()]
    for p in missing:
        _echo_err(f"見つかりません: {p}")
    files, skipped_paths = walk_inputs([p for p in paths if p.exists() or p.is_symlink()])
    if not files:
        from .ingest import supported_suffixes

        for p, why in skipped_paths:
            _echo_err(f"{p}: {why}")
        _echo_err("走査できるファイル（" + ", ".join(supported_suffixes()) + "）がありません")
        sys.exit(EXIT_USAGE)
    cfg = BatchConfig(
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        format_in=format_in,
        store=store_path,
        retry_failed=retry_failed,
        shortcuts=not no_shortcuts,
        send_bytes=send_bytes,
        quiet=quiet,
        budget=Budget(timeout=doc_timeout, memory_mb=doc_memory),
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
    for p, why in skipped_paths:  # nothing is left out silently: each skipped path is a warning
        r = DocumentResult(path=str(p))
        r.add("warning", why)
        docs.append(r.to_json())
    report = report_from_results(
        docs,
        ruleset_digest=ruleset.digest,
        rule_count=len(ruleset.active()),
        types=types,
        elapsed=outcome.elapsed,
    )
    if decisions is not None:
        from .review import apply_decisions

        report = apply_decisions(report, decisions)
    report = _with_drafts(report, rules_dirs)
    _write_output(_render(report, fmt, tier), output)
    if outcome.interrupted:
        kept = "結果ストアに記録済みの文書は --resume で続きから走査できます。" if store_path else ""
        _echo_err(
            f"中断しました。走査済みの {outcome.scanned} 文書の結果を書き出しました"
            f"（未走査の文書はエラーとして記載）。{kept}"
        )
        sys.exit(EXIT_INTERRUPTED)
    if outcome.store_error:
        _echo_err(f"レポートは書き出しましたが、結果ストアへの記録を途中でやめました: {outcome.store_error}")
        sys.exit(EXIT_USAGE)
    failures = outcome.failures + [(str(p), "ファイルが見つかりません") for p in missing]
    if not quiet:
        s = report["summary"]
        rate = outcome.characters / outcome.elapsed if outcome.elapsed > 0 else 0.0
        where = f"。結果: {output}" if output is not None else ""
        carried = ""
        if decisions_file is not None:
            rv = report.get("review") or {}
            how = "（カレントフォルダにあったので自動で読み込み）" if auto_decisions else ""
            carried = (
                f"、判断記録 {decisions_file}{how}から引継ぎ {rv.get('carried', 0)} 件・"
                f"要再確認 {rv.get('recheck', 0)} 件"
            )
        _echo_err(
            f"{s['documents']} 文書（走査 {outcome.scanned}・記録済みで省略 {outcome.skipped}）、"
            f"{s['findings']} 件を検出（エラー {s['error']} 件・警告 {s['warning']} 件）、"
            f"{outcome.elapsed:.1f} 秒・{rate:,.0f} 字/秒{carried}{where}"
        )
    if skipped_paths and not quiet:
        _echo_err(f"読み飛ばしたパス（{len(skipped_paths)} 件。レポートに警告として記載）:")
        for p, why in skipped_paths:
            _echo_err(f"  {p}: {why}")
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
@click.argument("store_file", metavar="ストア", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="出力形式（省略時は出力先の拡張子から。画面なら text）",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="出力先（省略時は画面）")
@_tier_option
def store_report(store_file: Path, fmt: str | None, output: Path | None, tier: str) -> None:
    """結果ストアから、走査し直さずにレポートを作ります（記録されている全文書、パス順）。"""
    from .store import Store, StoreError, report_from_results

    fmt = output_format(fmt, output, "text")
    try:
        with Store(store_file) as st:
            docs = st.results()
            digests = st.rulesets()
    except StoreError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    report = report_from_results(docs, ruleset_digest=",".join(digests))
    report = _with_drafts(report)
    _write_output(_render(report, fmt, tier), output)
    if output is not None:
        _echo_err(f"{len(docs)} 文書のレポートを書き出しました: {output}")


@store_group.command("check")
@click.argument("store_file", metavar="ストア", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def store_check(store_file: Path) -> None:
    """結果ストアを検査します（SQLite の整合性検査と、読めない記録の一覧）。

    終了コード: 0 = 問題なし, 1 = 問題あり, 2 = 開けない。
    """
    from .store import Store, StoreError

    try:
        with Store(store_file) as st:
            rep = st.check()
    except StoreError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    if rep.integrity == ["ok"]:
        click.echo("SQLite の整合性検査: 問題ありません")
    else:
        click.echo(f"SQLite の整合性検査: {len(rep.integrity)} 件の問題があります")
        for line in rep.integrity[:20]:
            click.echo(f"  {line}")
        if len(rep.integrity) > 20:
            click.echo(f"  …ほか {len(rep.integrity) - 20} 件")
    click.echo(f"記録 {rep.rows} 件のうち読めないもの {len(rep.unreadable)} 件")
    for doc, why in rep.unreadable:
        click.echo(f"  {doc}: {why}")
    if not rep.ok:
        click.echo(
            "読めない記録の文書は、次の scan --store で走査し直されます。ストア自体が壊れている場合は、"
            "--store に新しいファイルを指定して走査し直してください"
        )
    sys.exit(EXIT_OK if rep.ok else EXIT_DOC_ERRORS)


def _render(report: dict[str, Any], fmt: str, tier: str = "all") -> bytes:
    from .report import render

    if tier == "likely":
        from .report.json_report import only_tiers

        report = only_tiers(report, ("likely",))
    return render(report, fmt)


def _write_output(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from .fsutil import atomic_write_bytes

        atomic_write_bytes(output, data)


@main.command("report")
@click.argument("report_json", metavar="レポート.json", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="出力形式（省略時は出力先の拡張子から。画面なら text）",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="出力先（省略時は画面）")
@_tier_option
def report_cmd(report_json: Path, fmt: str | None, output: Path | None, tier: str) -> None:
    """保存済みの JSON レポートから、走査し直さずに別の形式のレポートを作ります。"""
    import json

    fmt = output_format(fmt, output, "text")
    try:
        report = json.loads(report_json.read_text("utf-8"))
        if report.get("schema_version") != 1 or "documents" not in report:
            raise ValueError("schema_version 1 の analogscan レポートではありません")
    except (OSError, ValueError) as e:
        _echo_err(f"レポートを読めません: {report_json}（{e}）")
        sys.exit(EXIT_USAGE)
    report = _with_drafts(report)
    _write_output(_render(report, fmt, tier), output)
    if output is not None:
        _echo_err(f"書き出しました: {output}")


# --------------------------------------------------------------------------- rules


@main.group()
def rules() -> None:
    """ルールファイルの検査とテスト。"""


@rules.command("validate")
@click.argument("dirs", nargs=-1, metavar="[ルールフォルダ]...", type=click.Path(path_type=Path))
def rules_validate(dirs: tuple[Path, ...]) -> None:
    """ルールファイルの書式を検査します（誤りはファイル・行・キー付きで全件表示）。

    ルールフォルダを省略すると、既定のルールを検査します。
    """
    rs = _load_rules(dirs)
    ts = _load_templates(dirs, fallback=False)
    by_type: dict[str, int] = {}
    for r in rs.rules:
        by_type[r.type] = by_type.get(r.type, 0) + 1
    click.echo(
        f"ルールファイル {len(rs.files)} 件、ルール {len(rs.rules)} 件、共通除外 {len(rs.exclusions)} 件: 問題ありません"
    )
    for t in TYPE_CODES:
        if by_type.get(t):
            click.echo(f"  {t:8s} {TYPE_LABELS[t]}: {by_type[t]} 件")
    if ts.files:
        click.echo(f"見直し案の文例ファイル {len(ts.files)} 件、文例 {len(ts.templates)} 件: 問題ありません")
    from .ruleset.lint import lint

    warnings = lint(rs)
    if warnings:
        click.echo(f"読みやすさの警告 {len(warnings)} 件（ルールは使えます）:")
        for w in warnings:
            click.echo("  警告: " + w.format())


@rules.command("calibrate")
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="正解ラベル（JSONL）",
)
@click.argument(
    "paths", nargs=-1, required=True, metavar="パス...", type=click.Path(exists=True, path_type=Path)
)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)
@click.option(
    "--min-support",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="適合率を確度にするのに必要な、ラベル付き規定での検出件数",
)
@click.option("--write", is_flag=True, help="ルールファイルの確度の行を書き換える（省略時は表示だけ）")
def rules_calibrate(
    gold_files: tuple[Path, ...],
    paths: tuple[Path, ...],
    rules_dirs: tuple[Path, ...],
    min_support: int,
    write: bool,
) -> None:
    """正解ラベルで測った各ルールの適合率から確度を決めます。

    盲検の文書で十分な件数があれば盲検の適合率、なければ開発用の適合率、どちらも足りなければ
    作成者の事前の値を据え置きます。"""
    from .calibrate import calibrate, render_calibration, write_confidences
    from .engine import Engine
    from .evaluate import LabelsError, load_gold
    from .ingest import iter_input_files
    from .pipeline import scan_file

    try:
        gold = load_gold(list(gold_files))
    except LabelsError as e:
        _echo_err(str(e))
        sys.exit(EXIT_USAGE)
    rs = _load_rules(rules_dirs)
    engine = Engine(rs)
    files = [f for f in iter_input_files(list(paths)) if f.stem in gold.docs]
    cals = calibrate(rs, gold, [scan_file(f, engine) for f in files], min_support)
    click.echo(render_calibration(cals), nl=False)
    if write:
        done = write_confidences(rs, cals)
        click.echo(f"確度を書き換えました: {len(done)} 件")


@rules.command("test")
@click.argument("dirs", nargs=-1, metavar="[ルールフォルダ]...", type=click.Path(path_type=Path))
def rules_test(dirs: tuple[Path, ...]) -> None:
    """各ルールの例文（一致すべき文・一致すべきでない文）を実際に照合し、見直し案の文例の例（改正前の規定から期待する改正後の文と改め文）も確かめます。"""
    from .amend.runner import run_template_examples
    from .rule_examples import run_examples

    rs = _load_rules(dirs)
    ts = _load_templates(dirs, fallback=False)
    rep = run_examples(rs)
    amend = run_template_examples(ts)
    for f in rep.failures + rep.todos:
        click.echo(f.format())
    for af in amend.failures:
        click.echo(af.format())
    passed = rep.checked - len(rep.failures)
    click.echo(f"例文 {rep.checked} 件: 成功 {passed} 件、失敗 {len(rep.failures)} 件")
    if ts.files:
        ok = amend.checked - len(amend.failures)
        click.echo(f"見直し案の例 {amend.checked} 件: 成功 {ok} 件、失敗 {len(amend.failures)} 件")
    sys.exit(EXIT_DOC_ERRORS if rep.failures or amend.failures else EXIT_OK)


# --------------------------------------------------------------------------- eval


@main.command("eval")
@click.option(
    "--gold",
    "gold_files",
    multiple=True,
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="正解ラベルのファイル（JSONL 形式、1 行に 1 文書）",
)
@click.argument(
    "paths", nargs=-1, required=True, metavar="パス...", type=click.Path(exists=True, path_type=Path)
)
@click.option("--rules", "rules_dirs", multiple=True, type=click.Path(path_type=Path), help=RULES_HELP)
@click.option("--types", "types_opt", metavar="区分", help="対象の規制区分（例: mokushi,keiji）")
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="結果をJSONでも書き出す")
@click.option("--max-list", default=200, show_default=True, help="誤検出・見落としを何件まで表示するか")
@click.option(
    "--labelled-only",
    is_flag=True,
    help="ラベルの無い規定での検出を数えない（正解ラベルが文書の一部の抽出のとき）",
)
@click.option(
    "--split",
    "split_opt",
    type=click.Choice(["dev", "blind"]),
    help="この区分の文書だけを走査・採点する（ルールを書いている間は dev。盲検の数値を見ずに済みます）",
)
def eval_cmd(
    gold_files: tuple[Path, ...],
    paths: tuple[Path, ...],
    rules_dirs: tuple[Path, ...],
    types_opt: str | None,
    json_out: Path | None,
    max_list: int,
    labelled_only: bool,
    split_opt: str | None,
) -> None:
    """パス（ファイルまたはフォルダ）を走査し、正解ラベルに対する適合率・再現率を規制区分ごとに表示します。

    開発用の文書と盲検の文書（正解ラベルの各行で指定）を分け、「該当の可能性が高い」だけ、要確認まで
    含めた場合、検索語だけ（職員が例規システムで検索する方法）の 3 通りを同じ規定で比べます。"""
    import json

    from .engine import Engine
    from .evaluate import SPLITS, LabelsError, baseline_predictions, compare, load_gold, render_comparison
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
    if split_opt:
        files = [f for f in files if gold.splits.get(f.stem, "dev") == split_opt]
    started = time.monotonic()
    results = [scan_file(f, engine) for f in files]
    res = compare(
        gold,
        results,
        baseline_predictions(files, gold),
        types,
        labelled_only=labelled_only,
        splits=(split_opt,) if split_opt else SPLITS,
    )
    click.echo(render_comparison(res, max_list=max_list), nl=False)
    click.echo(f"（{len(files)} 文書、{time.monotonic() - started:.1f} 秒）")
    if json_out:
        from .fsutil import atomic_write_text

        atomic_write_text(json_out, json.dumps(res.to_json(), ensure_ascii=False, indent=2))


from .cli_review import register as _register_review  # noqa: E402

_register_review(main)

from .cli_draft import register as _register_draft  # noqa: E402

_register_draft(main)

if __name__ == "__main__":  # pragma: no cover
    main(prog_name="analogscan")  # `python -m analogscan.cli` says "analogscan" in usage lines too
