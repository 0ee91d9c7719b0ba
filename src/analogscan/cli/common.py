"""What several commands do: load rules and amendment templates, read a report, render and write output.

Problems the user must fix are raised as :class:`~analogscan.errors.UsageError` (exit 2)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError

if TYPE_CHECKING:
    from ..amend.templates import TemplateSet
    from ..ruleset.model import RuleIssue, RuleSet


def echo_err(msg: str) -> None:
    click.echo(msg, err=True)


def _issues(what: str, issues: list[RuleIssue]) -> UsageError:
    lines = [f"{what}に {len(issues)} 件の問題があります:"] + ["  " + i.format() for i in issues]
    return UsageError("\n".join(lines))


def load_rules(rules_dirs: tuple[Path, ...]) -> RuleSet:
    """--rules DIR replaces the shipped rules, --rules +DIR adds to them (after $ANALOGSCAN_RULES; see README)."""
    from ..ruleset.loader import RuleLoadError, load_ruleset, resolve_rule_paths

    try:
        return load_ruleset(resolve_rule_paths(rules_dirs))
    except RuleLoadError as e:
        raise _issues("ルールファイル", e.issues) from e


def load_templates(rules_dirs: tuple[Path, ...], *, fallback: bool = True) -> TemplateSet:
    """Amendment templates: rules/amend beside the rule folders (else the shipped ones when fallback)."""
    from ..amend.templates import TemplateSet, default_amend_dirs, load_templates
    from ..ruleset.loader import RuleLoadError, resolve_rule_paths

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
        raise _issues("見直し案の文例ファイル", e.issues) from e


def with_drafts(report: dict[str, Any], rules_dirs: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The report with a draft amendment (or 「手作業で起案」 and why) on every finding."""
    from ..amend.apply import attach_amendments

    return attach_amendments(report, load_templates(rules_dirs))


def read_report(path: Path) -> dict[str, Any]:
    """A saved JSON report (schema_version 1)."""
    try:
        report = json.loads(path.read_text("utf-8"))
        if not isinstance(report, dict) or report.get("schema_version") != 1 or "documents" not in report:
            raise ValueError("schema_version 1 の analogscan レポートではありません")
    except (OSError, ValueError) as e:
        raise UsageError(f"レポートを読めません: {path}（{e}）") from e
    return report


def render(report: dict[str, Any], fmt: str, tier: str = "all") -> bytes:
    from ..report import render as render_report

    if tier == "likely":
        from ..report.json_report import only_tiers

        report = only_tiers(report, ("likely",))
    return render_report(report, fmt)


def write_output(data: bytes, output: Path | None) -> None:
    """``data`` to the file ``output`` (written atomically), or to stdout when None."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from ..fsutil import atomic_write_bytes

        atomic_write_bytes(output, data)
