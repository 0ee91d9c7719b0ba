"""Hand-written YAML files (rule files, amendment templates): finding them, reading them with line
numbers, and collecting their problems as Japanese RuleIssues (file, line, key) raised together."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

from .model import RuleIssue, RuleLoadError
from .yamlio import DuplicateKeyError, LineDict, UnsafeTagError, line_of, load_yaml

Sink = Callable[[list[str | int], str], None]


def key_path_str(path: list[str | int]) -> str:
    """rules[0].match.all[1] for ["rules", 0, "match", "all", 1]."""
    s = ""
    for p in path:
        s += f"[{p}]" if isinstance(p, int) else ("." if s else "") + p
    return s


def issue_sink(issues: list[RuleIssue], name: str, data: LineDict) -> Sink:
    """A sink that records a problem at a key path of one file's data (its line looked up)."""

    def sink(path: list[str | int], msg: str) -> None:
        issues.append(RuleIssue(name, line_of(data, path), key_path_str(path), msg))

    return sink


def existing_files(
    paths: Iterable[Path], missing: str, list_files: Callable[[Iterable[Path]], list[Path]]
) -> tuple[list[Path], list[RuleIssue]]:
    """The files under the paths that exist, and an issue (message ``missing``) for each that does not."""
    paths = list(paths)
    issues = [RuleIssue(str(p), 0, "", missing) for p in paths if not p.exists()]
    return list_files(p for p in paths if p.exists()), issues


def raise_issues(issues: list[RuleIssue]) -> None:
    """Raise RuleLoadError with every issue, by file and line, if there is any."""
    if issues:
        issues.sort(key=lambda i: (i.file, i.line))
        raise RuleLoadError(issues)


def read_yaml_file(
    path: Path, issues: list[RuleIssue], top_level: str, max_bytes: int | None = None, too_big: str = ""
) -> LineDict | None:
    """The file's top-level mapping, or None after recording why it cannot be read.

    ``top_level``: the message when the file is not a mapping; ``max_bytes`` / ``too_big``: an
    optional size limit and its message (formatted with size and limit)."""
    name = str(path)
    try:
        if max_bytes is not None:
            size = path.stat().st_size
            if size > max_bytes:
                issues.append(RuleIssue(name, 1, "", too_big.format(size=size, limit=max_bytes)))
                return None
        data = load_yaml(path.read_text("utf-8"))
    except UnicodeDecodeError:
        issues.append(RuleIssue(name, 1, "", "ファイルが UTF-8 ではありません。UTF-8 で保存してください"))
        return None
    except OSError as e:
        issues.append(RuleIssue(name, 1, "", f"ファイルを読めません: {e.strerror or e}"))
        return None
    except (DuplicateKeyError, UnsafeTagError, yaml.YAMLError) as e:
        issues.append(_yaml_issue(name, e))
        return None
    if not isinstance(data, LineDict):
        issues.append(RuleIssue(name, 1, "", top_level))
        return None
    return data


def _yaml_issue(name: str, e: Exception) -> RuleIssue:
    if isinstance(e, DuplicateKeyError):
        return RuleIssue(name, e.line, e.key, f"キー「{e.key}」が同じ場所に2回書かれています")
    if isinstance(e, UnsafeTagError):
        return RuleIssue(
            name,
            e.line,
            "",
            f"YAML のタグ「{e.short}」は使えません（安全のため、任意のオブジェクトを作るタグや未知のタグは読み込みません）。"
            "タグを消して、文字列・数値・一覧・対応付けだけで書いてください",
        )
    if isinstance(e, yaml.MarkedYAMLError):
        mark = e.problem_mark or e.context_mark
        return RuleIssue(
            name,
            mark.line + 1 if mark else 1,
            "",
            f"YAML の書式が正しくありません（{e.problem or e.context}）。字下げや「:」の後の空白を確認してください",
        )
    return RuleIssue(name, 1, "", f"YAML として読めません: {e}")
