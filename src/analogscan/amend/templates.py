"""Load amendment templates (rules/amend/*.yml): YAML with line numbers → JSON Schema → Template.

Every problem of every file is collected and raised together as RuleLoadError, each naming
file, line and key in Japanese (the same error type and YAML loader as the rule files).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ..ruleset.files import Sink, existing_files, issue_sink, raise_issues, read_yaml_file
from ..ruleset.loader import AMEND_DIR, RULE_SUFFIXES, default_rules_dir, translate_schema_error
from ..ruleset.yamlio import LineDict, line_of

EDIT_KINDS = ("replace", "proviso", "sentence")


@dataclass(frozen=True)
class Unless:
    pattern: re.Pattern[str]
    reason: str


@dataclass(frozen=True)
class TemplateExample:
    before: str
    after: str | None  # expected amended provision (None: the template must not apply)
    manual: str | None  # expected reason (part of it) when the template must not apply
    kaibun: str | None
    citation: str
    line: int


@dataclass
class Template:
    id: str
    type: str
    title: str
    edit: str  # replace | proviso | sentence
    find: re.Pattern[str]
    to: str  # replacement (re.Match.expand syntax: \g<name>) or the appended sentence
    unless: list[Unless] = field(default_factory=list)
    note: str = ""
    enabled: bool = True
    also: bool = False  # applied as well when an earlier template of the type already applied
    examples: list[TemplateExample] = field(default_factory=list)
    file: str = ""
    line: int = 0


@dataclass
class TemplateSet:
    templates: list[Template]
    files: list[Path]

    def for_type(self, type_code: str) -> list[Template]:
        return [t for t in self.templates if t.type == type_code and t.enabled]


def schema() -> dict[str, Any]:
    data = resources.files("analogscan").joinpath("schema/amend.schema.json").read_text("utf-8")
    return json.loads(data)  # type: ignore[no-any-return]


def default_amend_dirs(rules_dirs: Iterable[Path] = ()) -> list[Path]:
    """rules/amend beside the given rule folders (those that have one), else the shipped one."""
    dirs = [Path(d) / AMEND_DIR for d in rules_dirs if (Path(d) / AMEND_DIR).is_dir()]
    return dirs or [default_rules_dir() / AMEND_DIR]


def template_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(
                sorted(f for f in p.rglob("*") if f.suffix in RULE_SUFFIXES and not f.name.startswith("."))
            )
        else:
            out.append(p)
    return out


_NOT_A_MAPPING = "見直し案の文例ファイルの最上位は「schema_version: 1」などのキーを持つ対応付けにしてください"


def _compile(pattern: str, where: list[str | int], sink: Sink) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error as e:
        sink(where, f"正規表現として読めません（{e.msg}、{e.pos} 文字目）: {pattern}")
        return None


def load_templates(paths: Path | Iterable[Path] | None = None) -> TemplateSet:
    """Load every template file under paths (default: rules/amend). Raises RuleLoadError."""
    if paths is None:
        paths = default_amend_dirs()
    elif isinstance(paths, Path):
        paths = [paths]
    files, issues = existing_files(
        paths, "見直し案の文例ファイルまたはフォルダが見つかりません", template_files
    )
    validator = jsonschema.Draft202012Validator(schema())
    templates: list[Template] = []
    seen: dict[str, str] = {}
    for f in files:
        data = read_yaml_file(f, issues, _NOT_A_MAPPING)
        if data is None:
            continue
        sink = issue_sink(issues, str(f), data)
        broken = _schema_problems(data, validator, sink)
        if -1 in broken:
            continue
        for i, t in enumerate(data["templates"]):
            if i not in broken:
                template = _template(f, data, i, t, seen, sink)
                if template is not None:
                    templates.append(template)
    raise_issues(issues)
    return TemplateSet(templates, files)


def _schema_problems(data: LineDict, validator: jsonschema.Draft202012Validator, sink: Sink) -> set[int]:
    """Report the schema problems; the indexes of the templates that have some (-1: the file)."""
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    broken: set[int] = set()  # templates with schema errors (the others are still checked)
    for err in errors:
        where = list(err.absolute_path)
        sink(where, translate_schema_error(err).replace("keiji-001", "keiji-amend-001"))
        if len(where) >= 2 and where[0] == "templates" and isinstance(where[1], int):
            broken.add(where[1])
        else:
            broken.add(-1)
    return broken


def _template(
    f: Path, data: LineDict, i: int, t: dict[str, Any], seen: dict[str, str], sink: Sink
) -> Template | None:
    """One schema-valid template (its other problems reported); None if its find does not compile."""
    base: list[str | int] = ["templates", i]
    tid = t["id"]
    if tid in seen:
        sink(base + ["id"], f"文例ID「{tid}」が重複しています（{seen[tid]} でも使われています）")
    seen[tid] = f"{f.name}:{line_of(data, base + ['id'])}"
    if not tid.startswith(data["type"] + "-"):
        sink(base + ["id"], f"文例ID「{tid}」はファイルの規制区分「{data['type']}」で始めてください")
    find = _compile(t["find"], base + ["find"], sink)
    unless: list[Unless] = []
    for j, u in enumerate(t.get("unless") or []):
        pat = _compile(u["pattern"], base + ["unless", j, "pattern"], sink)
        if pat is not None:
            unless.append(Unless(pat, u["reason"]))
    _check_to(t, base, sink)
    examples = _template_examples(data, t, base, sink)
    if find is None:
        return None
    return Template(
        id=tid,
        type=data["type"],
        title=t["title"],
        edit=t["edit"],
        find=find,
        to=t["to"],
        unless=unless,
        note=t.get("note", ""),
        enabled=t.get("enabled", True),
        also=t.get("also", False),
        examples=examples,
        file=str(f),
        line=line_of(data, base),
    )


def _check_to(t: dict[str, Any], base: list[str | int], sink: Sink) -> None:
    if t["edit"] in ("proviso", "sentence") and not t["to"].endswith("。"):
        sink(base + ["to"], "ただし書・後段として加える文は「。」で終えてください")
    if t["edit"] == "proviso" and not t["to"].startswith("ただし、"):
        sink(base + ["to"], "ただし書は「ただし、」で始めてください")
    if t["edit"] == "sentence" and not t["to"].startswith("この場合において、"):
        sink(base + ["to"], "後段は「この場合において、」で始めてください")


def _template_examples(
    data: LineDict, t: dict[str, Any], base: list[str | int], sink: Sink
) -> list[TemplateExample]:
    examples: list[TemplateExample] = []
    for j, ex in enumerate(t["examples"]):
        where = base + ["examples", j]
        if ("after" in ex) == ("manual" in ex):
            sink(
                where,
                "例には after（改正後の期待する文）か manual（文例を当てない理由）のどちらか一方を書いてください",
            )
            continue
        examples.append(
            TemplateExample(
                ex["before"],
                ex.get("after"),
                ex.get("manual"),
                ex.get("kaibun"),
                ex.get("citation", "第1条"),
                line_of(data, where),
            )
        )
    return examples
