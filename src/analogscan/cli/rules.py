"""``analogscan rules``: check, test and calibrate rule files."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ExitCode
from ..model import TYPE_CODES, TYPE_LABELS
from .common import load_rules, load_templates
from .i18n import JaGroup
from .options import gold_option, paths_argument, rules_option


@click.group("rules", cls=JaGroup)
def rules() -> None:
    """ルールファイルの検査とテスト。"""


@rules.command("validate")
@click.argument("dirs", nargs=-1, metavar="[ルールフォルダ]...", type=click.Path(path_type=Path))
def rules_validate(dirs: tuple[Path, ...]) -> None:
    """ルールファイルの書式を検査します（誤りはファイル・行・キー付きで全件表示）。

    ルールフォルダを省略すると、既定のルールを検査します。
    """
    rs = load_rules(dirs)
    ts = load_templates(dirs, fallback=False)
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
    from ..ruleset.lint import lint

    warnings = lint(rs)
    if warnings:
        click.echo(f"読みやすさの警告 {len(warnings)} 件（ルールは使えます）:")
        for w in warnings:
            click.echo("  警告: " + w.format())


@rules.command("calibrate")
@gold_option("正解ラベル（JSONL）")
@paths_argument
@rules_option()
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
    from ..calibrate import calibrate, render_calibration, write_confidences
    from ..engine import Engine
    from ..evaluate import load_gold
    from ..ingest import iter_input_files
    from ..pipeline import scan_file

    gold = load_gold(list(gold_files))
    rs = load_rules(rules_dirs)
    engine = Engine(rs)
    files = [f for f in iter_input_files(list(paths)) if f.stem in gold.docs]
    cals = calibrate(rs, gold, [scan_file(f, engine) for f in files], min_support)
    click.echo(render_calibration(cals), nl=False)
    if write:
        done = write_confidences(rs, cals)
        click.echo(f"確度を書き換えました: {len(done)} 件")


@rules.command("train-ranker")
@gold_option("正解ラベル（JSONL）")
@paths_argument
@rules_option()
@click.option(
    "--split",
    "split_opt",
    type=click.Choice(["dev", "blind", "all"]),
    default="dev",
    show_default=True,
    help="学習に使う文書の区分（盲検の数値を保つため、ふつうは dev だけ）",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.5,
    show_default=True,
    help="この確率以上の検出を「該当の可能性が高い」にする",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="重みを付ける特徴が現れる検出の最少件数",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="モデルの書き出し先（ルールフォルダの ranker.json にすると scan・eval が使います。省略時は件数の表示だけ）",
)
def rules_train_ranker(
    gold_files: tuple[Path, ...],
    paths: tuple[Path, ...],
    rules_dirs: tuple[Path, ...],
    split_opt: str,
    threshold: float,
    min_count: int,
    output: Path | None,
) -> None:
    """検出の順位付けモデル（どの検出を「該当の可能性が高い」にするか）を正解ラベルから学習します。

    ルール自身の区分で正解ラベルの文書を走査し、ラベルの付いた規定での検出（規制区分、ルール、一致箇所の前後の
    文字列）と正解から、該当である確率のモデルを作ります。ルールを直したら学習し直してください。"""
    import json

    from ..evaluate import load_gold
    from ..fsutil import atomic_write_text
    from ..ingest import iter_input_files
    from ..ranker_training import train_ranker

    gold = load_gold(list(gold_files))
    rs = load_rules(rules_dirs)
    files = [f for f in iter_input_files(list(paths)) if f.stem in gold.docs]
    if split_opt != "all":
        files = [f for f in files if gold.splits.get(f.stem, "dev") == split_opt]
    if not files:
        raise click.UsageError("正解ラベルの文書が走査するパスの中にありません")
    try:
        tr = train_ranker(
            rs,
            gold,
            files,
            threshold=threshold,
            min_count=min_count,
            split=split_opt,
            gold_names=[p.name for p in gold_files],
        )
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    click.echo(
        f"{tr.documents} 文書、検出 {tr.samples} 件（うち正解 {tr.positives} 件）で学習しました: "
        f"特徴 {len(tr.ranker.weights)} 個、しきい値 {threshold}"
    )
    if output is not None:
        atomic_write_text(output, json.dumps(tr.ranker.to_json(), ensure_ascii=False, indent=1) + "\n")
        click.echo(f"書き出しました: {output}")


@rules.command("test")
@click.argument("dirs", nargs=-1, metavar="[ルールフォルダ]...", type=click.Path(path_type=Path))
def rules_test(dirs: tuple[Path, ...]) -> ExitCode:
    """各ルールの例文（一致すべき文・一致すべきでない文）を実際に照合し、見直し案の文例の例（改正前の規定から期待する改正後の文と改め文）も確かめます。"""
    from ..amend.runner import run_template_examples
    from ..rule_examples import run_examples

    rs = load_rules(dirs)
    ts = load_templates(dirs, fallback=False)
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
    return ExitCode.FAILURES if rep.failures or amend.failures else ExitCode.OK


@rules.command("triggers")
@paths_argument
@rules_option()
@click.option("--max-examples", default=5, show_default=True, help="ルールごとに示す規定の数")
def rules_triggers(paths: tuple[Path, ...], rules_dirs: tuple[Path, ...], max_examples: int) -> ExitCode:
    """例規を、トリガー語を確かめる通常の経路と、確かめない経路の両方で照合し、トリガー語のない規定に一致した
    ルールを挙げます（トリガー語の漏れの点検。照合を 2 回するので scan の倍以上かかります）。

    挙がったルールは、今はその規定を見ていません。挙げるべき規定ならトリガー語を足し、挙げるべきでないなら
    一致条件を狭めてください。漏れがあると終了コード 1 を返します。"""
    from ..ingest import iter_input_files
    from ..trigger_audit import audit_triggers, render_trigger_audit

    rs = load_rules(rules_dirs)
    audit = audit_triggers(rs, iter_input_files(list(paths)))
    click.echo(render_trigger_audit(audit, rs, max_examples), nl=False)
    return ExitCode.FAILURES if audit.gaps else ExitCode.OK
