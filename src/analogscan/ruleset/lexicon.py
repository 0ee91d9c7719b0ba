"""Named word lists (語彙) that rules share, so a reviewer adds a word once.

A rule file may hold a top-level mapping ``lexicon`` (the shipped one is rules/lexicon.yml):

    lexicon:
      役職: [管理者, 責任者, 主任者, 技術者]
      拠点: [営業所, 事業所, 工事現場]

Rules use a list by name
- in a condition, as a term: ``{lexicon: 役職}`` (or ``{lexicon: [役職, 拠点]}``), with the same
  ``not_preceded_by`` / ``not_followed_by`` filters as ``text``; it matches any of the words;
- in ``triggers``, as ``"@役職"``.
This module collects the lists and expands the triggers; the condition kind ``lexicon`` is
analogscan.match.lexicon (resolved while the condition is parsed: it becomes a ``text`` term, so
the engine never sees a name). An unknown name is a Japanese error naming file, line and key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .yamlio import LineDict, LineList, line_of

LEXICON_KEY = "lexicon"
TRIGGER_PREFIX = "@"

Sink = Callable[[list[str | int], str], None]


def collect(
    data: LineDict, where: str, lexicons: dict[str, list[str]], origin: dict[str, str], sink: Sink
) -> None:
    """Add the lists of one file's top-level ``lexicon`` mapping (errors through sink)."""
    lex = data.get(LEXICON_KEY)
    if lex is None:
        return
    if not isinstance(lex, dict):
        sink([LEXICON_KEY], "lexicon は「名前: [語, 語, …]」の対応付けにしてください")
        return
    for name, words in lex.items():
        path: list[str | int] = [LEXICON_KEY, name]
        if name in lexicons:
            sink(path, f"語彙「{name}」が重複しています（{origin[name]} でも定義されています）")
            continue
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            sink(path, f"語彙「{name}」は空でない語の一覧にしてください（例: {name}: [管理者, 責任者]）")
            continue
        lexicons[name] = [str(w) for w in words]
        origin[name] = f"{where}:{line_of(data, path)}"


def _words(value: Any, path: list[str | int], lexicons: dict[str, list[str]], sink: Sink) -> list[str] | None:
    names = value if isinstance(value, list) else [value]
    out: list[str] = []
    for i, n in enumerate(names):
        p = path + ([i] if isinstance(value, list) else [])
        if not isinstance(n, str) or n not in lexicons:
            known = "、".join(sorted(lexicons)) or "（定義なし）"
            sink(p, f"語彙「{n}」がありません（定義済みの語彙: {known}）")
            return None
        out.extend(w for w in lexicons[n] if w not in out)
    return out


def expand_triggers(triggers: Any, path: list[str | int], lexicons: dict[str, list[str]], sink: Sink) -> None:
    """Replace ``"@名前"`` entries of a rule's triggers by the words of that list, in place."""
    if not isinstance(triggers, LineList):
        return
    out: list[str] = []
    lines: list[int] = []
    for i, t in enumerate(triggers):
        line = triggers.item_lines[i] if i < len(triggers.item_lines) else triggers.line
        if isinstance(t, str) and t.startswith(TRIGGER_PREFIX) and len(t) > 1:
            words = _words(t[1:], path + [i], lexicons, sink) or []
        else:
            words = [t]
        for w in words:
            if w not in out:
                out.append(w)
                lines.append(line)
    triggers[:] = out
    triggers.item_lines = lines
