"""Load rule files: YAML (safe) → JSON Schema check → conditions → Rule objects.

All problems of all files are collected and raised together as RuleLoadError, each naming
file, line and key in Japanese. Nothing here imports spaCy unless a rule uses `pattern`.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from ..match import Condition, RuleParser, WholeText
from ..model import TYPE_CODES
from ..rank import RankerError, find_ranker, load_ranker
from . import lexicon as lexicon_mod
from .files import existing_files, issue_sink, key_path_str, raise_issues, read_yaml_file
from .model import (
    EXAMPLE_KINDS,
    PLACEHOLDERS,
    Adjust,
    Example,
    Exclusion,
    Rule,
    RuleIssue,
    RuleLoadError,
    RuleSet,
)
from .yamlio import LineDict, LineList, line_of

RULE_SUFFIXES = (".yml", ".yaml")
# Amendment templates live beside the rules (rules/amend/*.yml) but are not rule files:
# analogscan.amend loads them with its own schema.
AMEND_DIR = "amend"
MAX_RULE_FILE_BYTES = 1_000_000  # a rule file is hand-written: a larger one is a mistake


def schema() -> dict[str, Any]:
    data = resources.files("analogscan").joinpath("schema/rules.schema.json").read_text("utf-8")
    return json.loads(data)  # type: ignore[no-any-return]


SHIPPED_DIR = (
    "_rules"  # package data: analogscan/_rules/*.yml, built from the top-level rules/ (pyproject.toml)
)
ENV_VAR = "ANALOGSCAN_RULES"
ADD_PREFIX = "+"


def shipped_rules_dir() -> Path:
    """The rules shipped with analogscan.

    An installed wheel carries them as package data (analogscan/_rules), found with importlib.resources.
    A source checkout (editable install or PYTHONPATH=src) has no such folder in src/: there they are the
    top-level rules/ folder the wheel is built from.
    """
    data = resources.files("analogscan").joinpath(SHIPPED_DIR)
    if isinstance(data, Path) and data.is_dir():
        return data
    package = Path(__file__).resolve().parent.parent  # .../src/analogscan
    checkout = package.parent.parent
    if (
        package.parent.name == "src"
        and (checkout / "pyproject.toml").is_file()
        and (checkout / "rules").is_dir()
    ):
        return checkout / "rules"
    raise RuleLoadError(
        [
            RuleIssue(
                str(data),
                0,
                "",
                "同梱のルールが見つかりません（インストールが壊れています。analogscan を入れ直してください）",
            )
        ]
    )


def resolve_rule_paths(specs: Iterable[str | Path] = (), env: str | None = None) -> list[Path]:
    """The rule files and folders to load, from the shipped rules, $ANALOGSCAN_RULES and --rules.

    Each layer (first the environment variable, whose entries are separated by os.pathsep, then the
    command line) changes the result of the one before: an entry starting with "+" adds its folder or
    file; entries without "+" replace what came before (if a layer has any, the earlier rules are
    dropped and only that layer's entries are used). No entries: the layer changes nothing.
    """
    if env is None:
        env = os.environ.get(ENV_VAR, "")
    layers = [[e for e in env.split(os.pathsep) if e.strip()], [str(s) for s in specs]]
    paths: list[Path] | None = None  # the shipped rules are looked up only when they are used
    issues: list[RuleIssue] = []
    for layer, source in zip(layers, (ENV_VAR, "--rules"), strict=True):
        if not layer:
            continue
        added: list[Path] = []
        plain: list[Path] = []
        for entry in layer:
            if entry.startswith(ADD_PREFIX):
                rest = entry[len(ADD_PREFIX) :]
                if not rest.strip():
                    issues.append(
                        RuleIssue(
                            source,
                            0,
                            "",
                            f"「{ADD_PREFIX}」の後に追加するルールのフォルダかファイルを書いてください",
                        )
                    )
                    continue
                added.append(Path(rest))
            else:
                plain.append(Path(entry))
        if plain:
            paths = plain
        elif paths is None:
            paths = [shipped_rules_dir()]
        paths = paths + added
    if issues:
        raise RuleLoadError(issues)
    if paths is None:
        paths = [shipped_rules_dir()]
    return paths


def default_rules_dir() -> Path:
    """The shipped rules (kept for callers of the old name; see shipped_rules_dir)."""
    return shipped_rules_dir()


def rule_files(paths: Iterable[Path]) -> list[Path]:
    """The rule files under paths, each once (a folder given twice, or a file inside a given folder)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found = sorted(
                f
                for f in p.rglob("*")
                if f.suffix in RULE_SUFFIXES
                and not f.name.startswith(".")
                and f.relative_to(p).parts[0] != AMEND_DIR
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


_TYPE_NAMES = {
    "string": "文字列",
    "number": "数値",
    "integer": "整数",
    "boolean": "true / false",
    "array": "一覧（- で始まる行の並び）",
    "object": "対応付け（キー: 値）",
}


def _translate(err: jsonschema.ValidationError) -> str:
    v = err.validator
    if v == "required":
        missing = [k for k in err.validator_value if isinstance(err.instance, dict) and k not in err.instance]
        return "必須のキー「" + "」「".join(missing) + "」がありません"
    if v == "additionalProperties":
        allowed = sorted((err.schema.get("properties") or {}).keys())
        extra = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
        return (
            "未知のキー「"
            + "」「".join(extra)
            + "」です（綴りを確認してください。使えるキー: "
            + ", ".join(allowed)
            + "）"
        )
    if v == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        return (
            "値の型が違います（"
            + " または ".join(_TYPE_NAMES.get(str(w), str(w)) for w in want)
            + "が必要です）"
        )
    if v == "enum":
        return (
            "値「"
            + str(err.instance)
            + "」は使えません。使える値: "
            + ", ".join(map(str, err.validator_value))
        )
    if v == "const":
        return f"値は {err.validator_value} でなければなりません（今は「{err.instance}」）"
    if v == "minItems":
        return f"少なくとも{err.validator_value}個指定してください"
    if v == "minLength":
        return "空の文字列は使えません"
    if v == "minimum":
        return f"値 {err.instance} は小さすぎます（{err.validator_value} 以上にしてください）"
    if v == "maximum":
        return f"値 {err.instance} は大きすぎます（{err.validator_value} 以下にしてください）"
    if v == "pattern":
        return f"形式が違います: 「{err.instance}」（例: keiji-001 のように 英小文字-3桁の数字）"
    if v == "anyOf" and all(set(sub) == {"required"} for sub in err.validator_value):
        keys = [k for sub in err.validator_value for k in sub["required"]]
        return "「" + "」か「".join(keys) + "」のどちらかを書いてください"
    if v == "oneOf":
        return "値の形が違います（文字列か、決められたキーを持つ対応付けにしてください）"
    return err.message


translate_schema_error = _translate  # shared with analogscan.amend (the same messages for template files)


_TOO_BIG = (
    "ルールファイルが大きすぎます（{size:,} バイト。上限は {limit:,} バイト）。"
    "規制区分ごとなど、複数のファイルに分けてください"
)
_NOT_A_MAPPING = "ルールファイルの最上位は「schema_version: 1」などのキーを持つ対応付けにしてください"


def _load_file(
    path: Path, issues: list[RuleIssue], validator: jsonschema.Draft202012Validator
) -> LineDict | None:
    """One rule file's data, its schema problems recorded (None if it cannot be used)."""
    data = read_yaml_file(path, issues, _NOT_A_MAPPING, MAX_RULE_FILE_BYTES, _TOO_BIG)
    if data is None:
        return None
    ok = _schema_issues(str(path), data, issues, validator)
    return data if ok or _structurally_usable(data) else None


def _schema_issues(
    name: str, data: LineDict, issues: list[RuleIssue], validator: jsonschema.Draft202012Validator
) -> bool:
    """Record the schema problems outside conditions (parse_condition reports those more
    clearly); True if there is none."""
    schema_errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ok = True
    for err in schema_errors:
        path_list = list(err.absolute_path)
        if _in_condition(path_list):
            continue
        ok = False
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            # each unknown key at its own line
            allowed = sorted((err.schema.get("properties") or {}).keys())
            for k in err.instance:
                if k not in allowed:
                    key_path = [*path_list, k]
                    msg = (
                        f"未知のキー「{k}」です（綴りを確認してください。使えるキー: "
                        + ", ".join(allowed)
                        + "）"
                    )
                    issues.append(RuleIssue(name, line_of(data, key_path), key_path_str(key_path), msg))
            continue
        issues.append(RuleIssue(name, line_of(data, path_list), key_path_str(path_list), _translate(err)))
    return ok


def _in_condition(path: list[str | int]) -> bool:
    """Is this schema path inside a condition (rules[i].match / lead_in / unless[j],
    rules[i].adjust[j].when, exclusions[i].when / lead_in / unless_lead_in)? parse_condition reports those itself.
    Anything else, e.g. rules[i].examples.match, is reported from the schema."""
    if len(path) >= 3 and path[0] == "rules" and isinstance(path[1], int):
        key = path[2]
        if key in ("match", "lead_in", "items"):
            return True
        if key == "unless":
            return len(path) >= 4  # a wrong type of unless itself comes from the schema
        if key == "adjust" and len(path) >= 5 and path[4] == "when":
            return True
    if (
        len(path) >= 3
        and path[0] == "exclusions"
        and isinstance(path[1], int)
        and path[2] in ("when", "lead_in", "unless_lead_in")
    ):
        return True
    return False


def _structurally_usable(data: LineDict) -> bool:
    return isinstance(data.get("rules", []), list) and isinstance(data.get("exclusions", []), list)


def _examples(data: Any, which: str) -> list[Example]:
    out: list[Example] = []
    items = (data or {}).get(which) or []
    lines = getattr(items, "item_lines", [0] * len(items))
    for ex, line in zip(items, lines, strict=False):
        if isinstance(ex, str):
            out.append(Example(ex, None, line))
        elif isinstance(ex, dict) and isinstance(ex.get("text"), str):
            # the example's items (号): a list of texts (the schema reports anything else), one line each
            items = ex.get("items")
            if isinstance(items, list):
                items = "\n".join(str(i) for i in items)
            out.append(
                Example(ex["text"], ex.get("lead_in"), line, items if isinstance(items, str) else None)
            )
    return out


def _all_examples(data: Any) -> dict[str, list[Example]]:
    """The examples of a rule or exclusion, as keyword arguments of Rule / Exclusion."""
    return {f"examples_{which}": _examples(data, which) for which in EXAMPLE_KINDS}


def _check_message(msg: str) -> str | None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(msg) if f is not None]
    except ValueError:
        return "メッセージの { } の対応が取れていません（波括弧そのものは {{ }} と書きます）"
    bad = [f for f in fields if f not in PLACEHOLDERS]
    if bad:
        return (
            "メッセージに未知の差し込み「{"
            + "}」「{".join(bad)
            + "}」があります。使えるのは "
            + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        )
    return None


def _clash(first: tuple[Path, int], here: Path) -> str:
    where = f"{first[0]}:{first[1]} でも使われています"
    if first[0].parent.resolve() != here.parent.resolve():
        where += "。追加するルールには別の ID を付けるか、--rules でルール一式を置き換えてください"
    return where


def load_ruleset(paths: Path | Iterable[Path] | None = None) -> RuleSet:
    """Load every rule file under paths (default: the shipped rules, changed by $ANALOGSCAN_RULES).

    Raises RuleLoadError."""
    if paths is None:
        paths = resolve_rule_paths()
    elif isinstance(paths, Path):
        paths = [paths]
    paths = list(paths)
    files, issues = existing_files(paths, "ルールファイルまたはフォルダが見つかりません", rule_files)
    if not files and not issues:
        issues.append(RuleIssue(", ".join(map(str, paths)), 0, "", "ルールファイル（*.yml）がありません"))
    validator = jsonschema.Draft202012Validator(schema())
    loaded: list[tuple[Path, LineDict]] = []
    lexicons: dict[str, list[str]] = {}
    lex_origin: dict[str, str] = {}
    for f in files:
        data = _load_file(f, issues, validator)
        if data is not None:
            loaded.append((f, data))
            lexicon_mod.collect(data, f.name, lexicons, lex_origin, issue_sink(issues, str(f), data))
    builder = _Builder(issues, lexicons)
    for f, data in loaded:
        builder.add_file(f, data)
    ranker = None
    ranker_file = find_ranker(paths)
    if ranker_file is not None:
        try:
            ranker = load_ranker(ranker_file)
        except RankerError as e:
            issues.append(RuleIssue(str(ranker_file), e.line, e.key, str(e)))
    raise_issues(issues)
    digest = RuleSet.digest_of(files + ([ranker_file] if ranker_file is not None else []))
    return RuleSet(builder.rules, builder.exclusions, files, digest, ranker)


class _Builder:
    """Rules and exclusions of the loaded files; problems go to ``issues``."""

    def __init__(self, issues: list[RuleIssue], lexicons: dict[str, list[str]]) -> None:
        self.issues = issues
        self.lexicons = lexicons
        self.rules: list[Rule] = []
        self.exclusions: list[Exclusion] = []
        self.seen: dict[str, tuple[Path, int]] = {}  # id → (file, line) where it was first used

    def add_file(self, f: Path, data: LineDict) -> None:
        sink = issue_sink(self.issues, str(f), data)
        parser = RuleParser(sink, self.lexicons)
        for i, r in enumerate(data.get("rules") or []):
            if isinstance(r, dict):
                rule = self._rule(f, data, ["rules", i], r, parser)
                if rule is not None:
                    self.rules.append(rule)
        for i, x in enumerate(data.get("exclusions") or []):
            if isinstance(x, dict):
                ex = self._exclusion(f, data, ["exclusions", i], x, parser)
                if ex is not None:
                    self.exclusions.append(ex)

    def _check_id(self, f: Path, data: LineDict, base: list[str | int], ident: Any, what: str) -> None:
        if isinstance(ident, str):
            if ident in self.seen:
                issue_sink(self.issues, str(f), data)(
                    base + ["id"], f"{what}「{ident}」が重複しています（{_clash(self.seen[ident], f)}）"
                )
            self.seen[ident] = (f, line_of(data, base + ["id"]))

    def _rule(
        self, f: Path, data: LineDict, base: list[str | int], r: dict[str, Any], parser: RuleParser
    ) -> Rule | None:
        sink = parser.err
        lexicon_mod.expand_triggers(r.get("triggers"), base + ["triggers"], self.lexicons, sink)
        rid = r.get("id")
        self._check_id(f, data, base, rid, "ルールID")
        file_type = data.get("type")
        rtype = r.get("type", file_type)
        if rtype is None:
            sink(base, "規制区分 type がありません（ルールかファイルの最上位に書いてください）")
        elif rtype in TYPE_CODES and file_type and "type" in r and r["type"] != file_type:
            sink(
                base + ["type"],
                f"ルールの規制区分「{r['type']}」がファイルの規制区分「{file_type}」と違います",
            )
        msg = r.get("message")
        if isinstance(msg, str):
            problem = _check_message(msg)
            if problem:
                sink(base + ["message"], problem)
        conds = _rule_conditions(r, base, parser)
        items = _optional_condition(r, "items", base, parser)
        if (
            conds is None
            or rtype not in TYPE_CODES
            or not isinstance(rid, str)
            or ("items" in r and items is None)
        ):
            return None
        match, lead_in, unless, adjust = conds
        try:
            return Rule(
                id=rid,
                type=str(rtype),
                title=str(r.get("title", "")),
                message=str(r.get("message", "")),
                confidence=float(r.get("confidence", 0.5)),
                triggers=[str(t) for t in r.get("triggers") or []],
                match=match,
                scope=str(r.get("scope", "sentence")),
                lead_in=lead_in,
                items=items,
                unless=unless,
                unless_scope=str(r.get("unless_scope", "provision")),
                adjust=adjust,
                tier=str(r.get("tier", "likely")),
                enabled=bool(r.get("enabled", True)),
                **_all_examples(r.get("examples")),
                file=str(f),
                line=data.key_lines.get("rules", 0) and line_of(data, base),
            )
        except (TypeError, ValueError):
            return None  # already reported by the schema check

    def _exclusion(
        self, f: Path, data: LineDict, base: list[str | int], x: dict[str, Any], parser: RuleParser
    ) -> Exclusion | None:
        xid = x.get("id")
        self._check_id(f, data, base, xid, "ID")
        lead_in = _optional_condition(x, "lead_in", base, parser)
        when = _body_condition(x, "when", base, parser)
        unless_lead_in = _optional_condition(x, "unless_lead_in", base, parser)
        applies = x.get("applies_to")
        if (
            when is None
            or ("lead_in" in x and lead_in is None)
            or ("unless_lead_in" in x and unless_lead_in is None)
            or not isinstance(xid, str)
        ):
            return None
        return Exclusion(
            id=xid,
            title=str(x.get("title", "")),
            applies_to=None if applies == "all" else [str(a) for a in (applies or [])],
            when=when,
            enabled=bool(x.get("enabled", True)),
            scope=str(x.get("scope", "provision")),
            lead_in=lead_in,
            unless_lead_in=unless_lead_in,
            **_all_examples(x.get("examples")),
            file=str(f),
            line=line_of(data, base),
        )


def _optional_condition(
    d: dict[str, Any], key: str, base: list[str | int], parser: RuleParser
) -> Condition | None:
    """The condition under ``key`` of a rule or exclusion, None when the key is absent (or reported broken)."""
    return parser.condition(d[key], base + [key]) if key in d else None


def _body_condition(
    d: dict[str, Any], key: str, base: list[str | int], parser: RuleParser
) -> Condition | None:
    """The text condition of a rule (`match`) or an exclusion (`when`). Left out where a `lead_in` decides alone, it is
    WholeText (every item under such a lead-in); None when both are missing (the schema's anyOf reports that)."""
    if key in d:
        return parser.condition(d[key], base + [key])
    return WholeText() if "lead_in" in d else None


def _rule_conditions(
    r: dict[str, Any], base: list[str | int], parser: RuleParser
) -> tuple[Condition, Condition | None, list[Condition], list[Adjust]] | None:
    """match, lead_in, unless and adjust of a rule (every problem reported); None without match.
    A rule with a lead_in may leave match out: it then matches every item under such a lead-in."""
    lead_in = _optional_condition(r, "lead_in", base, parser)
    match = _body_condition(r, "match", base, parser)
    unless: list[Condition] = []
    raw_unless = r.get("unless") or []
    for j, u in enumerate(raw_unless if isinstance(raw_unless, list) else []):
        c = parser.condition(u, base + ["unless", j])
        if c:
            unless.append(c)
    adjust: list[Adjust] = []
    for j, a in enumerate(r.get("adjust") or []):
        if isinstance(a, dict) and "when" in a:
            c = parser.condition(a["when"], base + ["adjust", j, "when"])
            if c and isinstance(a.get("delta"), int | float):
                adjust.append(Adjust(c, float(a["delta"]), str(a.get("note", ""))))
    return None if match is None else (match, lead_in, unless, adjust)


__all__ = [
    "load_ruleset",
    "resolve_rule_paths",
    "shipped_rules_dir",
    "default_rules_dir",
    "schema",
    "RuleLoadError",
    "LineList",
]
