"""``analogscan eval``: precision and recall against gold labels."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .common import load_rules
from .i18n import JaCommand
from .options import gold_option, parse_types, paths_argument, rules_option, types_option


@click.command("eval", cls=JaCommand)
@gold_option("正解ラベルのファイル（JSONL 形式、1 行に 1 文書）")
@paths_argument
@rules_option()
@types_option
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
@click.option(
    "--compare-rules",
    "compare_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="別のルール（直す前のルールの写しなど。--rules と同じ書き方）でも採点し、差と、その差が文書の選び方を超えるかを示す",
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
    compare_dirs: tuple[Path, ...],
) -> None:
    """パス（ファイルまたはフォルダ）を走査し、正解ラベルに対する適合率・再現率を規制区分ごとに表示します。

    開発用の文書と盲検の文書（正解ラベルの各行で指定）を分け、「該当の可能性が高い」だけ、要確認まで
    含めた場合、検索語だけ（職員が例規システムで検索する方法）の 3 通りを同じ規定で比べます。"""
    import json

    from ..engine import Engine
    from ..evaluate import (
        SPLITS,
        baseline_predictions,
        compare,
        compare_rules,
        load_gold,
        render_comparison,
        render_rule_comparison,
    )
    from ..ingest import iter_input_files
    from ..pipeline import scan_file

    types = parse_types(types_opt)
    gold = load_gold(list(gold_files))
    ruleset = load_rules(rules_dirs).select(types)
    engine = Engine(ruleset)
    files = [f for f in iter_input_files(list(paths)) if f.stem in gold.docs]
    if split_opt:
        files = [f for f in files if gold.splits.get(f.stem, "dev") == split_opt]
    other_engine = Engine(load_rules(compare_dirs).select(types)) if compare_dirs else None
    started = time.monotonic()
    results = [scan_file(f, engine) for f in files]
    baseline = baseline_predictions(files, gold)
    splits = (split_opt,) if split_opt else SPLITS
    res = compare(gold, results, baseline, types, labelled_only=labelled_only, splits=splits)
    click.echo(render_comparison(res, max_list=max_list), nl=False)
    payload = res.to_json()
    if other_engine is not None:
        other = compare(
            gold, [scan_file(f, other_engine) for f in files], baseline, types, labelled_only, splits
        )
        diff = compare_rules(res, other)
        click.echo("")
        click.echo(render_rule_comparison(diff, " ".join(str(d) for d in compare_dirs)), nl=False)
        payload = {**payload, "compared_rules": {"rules": [str(d) for d in compare_dirs], **diff.to_json()}}
    click.echo(f"（{len(files)} 文書、{time.monotonic() - started:.1f} 秒）")
    if json_out:
        from ..fsutil import atomic_write_text

        atomic_write_text(json_out, json.dumps(payload, ensure_ascii=False, indent=2))
