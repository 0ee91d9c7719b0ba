"""Readability warnings for rule files (``analogscan rules validate``): rules a legal officer can
read aloud. Warnings never stop a load; errors live in the loader.

- a regex over MAX_REGEX characters (split it into lexicon words, near / bunsetsu conditions);
- a gap wider than MAX_GAP characters (``[^。]{0,200}``, ``.{0,60}``): say "in the same sentence /
  bunsetsu" with near ``within`` or a bunsetsu condition instead;
- a trigger word that occurs in none of the rule's match examples: nothing shows that it can
  ever make the rule fire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .model import RuleIssue, RuleSet
from .yamlio import LineDict, LineList, load_yaml

MAX_REGEX = 80
MAX_GAP = 40
_GAP_RE = re.compile(r"\{(\d*),(\d+)\}")
_CONDITION_KEYS = ("match", "lead_in", "items", "unless", "unless_lead_in", "when", "adjust")


def _regexes(node: Any, path: list[str | int]) -> Iterator[tuple[list[str | int], int, str]]:
    """(path, line, pattern) of every regex value under a condition tree."""
    if isinstance(node, LineDict):
        for k, v in node.items():
            if k == "regex":
                values = v if isinstance(v, list) else [v]
                for i, pat in enumerate(values):
                    if isinstance(pat, str):
                        line = (
                            v.item_lines[i]
                            if isinstance(v, LineList) and i < len(v.item_lines)
                            else node.key_lines.get(k, node.line)
                        )
                        yield path + [k] + ([i] if isinstance(v, list) else []), line, pat
            else:
                yield from _regexes(v, path + [k])
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _regexes(v, path + [i])


def _key(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (("." if out else "") + p)
    return out


def lint_file(path: Path) -> list[RuleIssue]:
    try:
        data = load_yaml(path.read_text("utf-8"))
    except Exception:  # noqa: BLE001 - the loader reports unreadable files as errors
        return []
    out: list[RuleIssue] = []
    for section in ("rules", "exclusions"):
        items = data.get(section) if isinstance(data, LineDict) else None
        for i, item in enumerate(items or []):
            if not isinstance(item, LineDict):
                continue
            rid = item.get("id", f"{section}[{i}]")
            for key in _CONDITION_KEYS:
                if key not in item:
                    continue
                for p, line, pat in _regexes(item[key], [section, i, key]):
                    if len(pat) > MAX_REGEX:
                        out.append(
                            RuleIssue(
                                str(path),
                                line,
                                _key(p),
                                f"{rid}: 正規表現が {len(pat)} 文字あります（{MAX_REGEX} 文字まで）。語彙（lexicon）や near・bunsetsu の条件に"
                                "分けると、読み上げて確かめられるルールになります",
                            )
                        )
                    wide = [int(m.group(2)) for m in _GAP_RE.finditer(pat) if int(m.group(2)) > MAX_GAP]
                    if wide:
                        out.append(
                            RuleIssue(
                                str(path),
                                line,
                                _key(p),
                                f"{rid}: 正規表現の隙間 {{…,{max(wide)}}} が {MAX_GAP} 文字を超えています。「同じ文の中」「近くに」は"
                                " near の within や bunsetsu の条件で書いてください",
                            )
                        )
    return out


def lint_triggers(rs: RuleSet) -> list[RuleIssue]:
    out: list[RuleIssue] = []
    for r in rs.rules:
        texts = [e.text + "\n" + (e.lead_in or "") for e in r.examples_match]
        unused = [t for t in r.triggers if not any(t in x for x in texts)]
        if unused and r.examples_match:
            out.append(
                RuleIssue(
                    r.file,
                    r.line,
                    "triggers",
                    f"{r.id}: トリガー語 {'、'.join('「' + t + '」' for t in unused[:8])}{'…' if len(unused) > 8 else ''} は一致例文の"
                    "どれにも現れません（その語で見つかる規定の例文を足すか、トリガー語から外してください）",
                )
            )
    return out


def lint_ranker(rs: RuleSet) -> list[RuleIssue]:
    """A ranker trained on other rule files than these (a rule was edited since): it still works, but the
    rules it has not seen are scored only by their type, tier and words."""
    r = rs.ranker
    if r is None or r.trained.get("rules_digest") == rs.rule_files_digest():
        return []
    return [
        RuleIssue(
            str(r.path or "ranker.json"),
            0,
            "trained.rules_digest",
            "順位付けモデル（ranker.json）は今のルールファイルで学習されていません。ルールを直したら "
            "analogscan rules train-ranker で学習し直してください（学習し直すまでは、直したルールの検出も"
            "規制区分・一致箇所の文字列で順位付けされます）",
        )
    ]


def lint(rs: RuleSet) -> list[RuleIssue]:
    """Every readability warning for the loaded rule set, in file and line order."""
    issues = [w for f in rs.files for w in lint_file(f)] + lint_triggers(rs) + lint_ranker(rs)
    return sorted(issues, key=lambda i: (i.file, i.line))
