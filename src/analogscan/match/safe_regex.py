"""Rule regexes with a guard against catastrophic backtracking.

Rule files are written by reviewers, and a regex such as ``(a+)+$`` can take longer than the
age of the universe on one long provision. Three defences:

1. ``check_pattern`` (at load time, so ``rules validate`` reports it with file and line):
   patterns over MAX_PATTERN_CHARS characters, nested quantifiers (a repeated group that
   itself contains a variable-length repeat, e.g. ``(a+)+``, ``(.*)*``, ``(検+)+$``), and
   patterns that overrun PROBE_BUDGET seconds on adversarial strings built from their own
   characters (e.g. ``(a|aa)+$`` on "aaaa…a!") are rejected with a Japanese message.
2. Matching uses the ``regex`` package (re-compatible syntax, VERSION0) with a timeout of
   MATCH_TIMEOUT seconds per search (``ANALOGSCAN_REGEX_TIMEOUT`` to change it).
3. A search that times out raises RegexTimeout; the engine turns it into a per-document
   warning naming the rule (or exclusion) and goes on without it.

Lookbehind, lookahead and backreferences stay available (the shipped rules use lookaheads),
which is why a linear-time engine such as RE2 is not used.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from functools import lru_cache
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex

from ..errors import AnalogscanError

MAX_PATTERN_CHARS = 2_000
PROBE_CHARS = 64  # length of each adversarial test string: exponential backtracking explodes
# long before 64 characters, polynomial (e.g. \d+年 on a run of digits: quadratic) stays in milliseconds
PROBE_BUDGET = 0.5  # seconds a pattern may take on one of them


def match_timeout() -> float:
    """Seconds one search of one rule regex may take at scan time."""
    try:
        return max(0.01, float(os.environ.get("ANALOGSCAN_REGEX_TIMEOUT", "2")))
    except ValueError:
        return 2.0


class RegexTimeout(AnalogscanError):
    """A rule regex did not finish within match_timeout() seconds."""

    def __init__(self, pattern: str, seconds: float) -> None:
        super().__init__(pattern)
        self.pattern = pattern
        self.seconds = seconds

    def describe(self) -> str:
        return f"正規表現「{shorten(self.pattern)}」の照合が時限（{self.seconds:g} 秒）を超えました"


def shorten(pattern: str, limit: int = 40) -> str:
    return pattern if len(pattern) <= limit else pattern[: limit - 1] + "…"


class SafeRegex:
    """A compiled rule regex whose searches give up after match_timeout() seconds."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._rx = regex.compile(pattern, regex.VERSION0)

    def finditer(self, text: str) -> Iterator[Any]:
        limit = match_timeout()
        try:
            yield from self._rx.finditer(text, timeout=limit)
        except TimeoutError:
            raise RegexTimeout(self.pattern, limit) from None

    def search(self, text: str, pos: int = 0) -> Any:
        limit = match_timeout()
        try:
            return self._rx.search(text, pos, timeout=limit)
        except TimeoutError:
            raise RegexTimeout(self.pattern, limit) from None


# ----------------------------------------------------------------------------- checks

_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)} - {
    None
}
_MAXREPEAT = sre_parse.MAXREPEAT


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns (SubPattern objects) directly under one parsed node."""
    if op in _REPEATS:
        return [av[2]]
    if op is sre_parse.SUBPATTERN:
        return [av[-1]]
    if op is sre_parse.BRANCH:
        return list(av[1])
    if op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
        return [av[1]]
    if op is sre_parse.GROUPREF_EXISTS:
        return [x for x in av[1:] if x is not None]
    if getattr(sre_parse, "ATOMIC_GROUP", None) is op:
        return [av]
    return []


def _variable_repeat(sub: Any) -> bool:
    """Does the sub-pattern contain a repeat whose length can vary (+, *, ?, {m,n} with m < n)?"""
    for op, av in sub:
        if op in _REPEATS and av[0] != av[1]:
            return True
        if any(_variable_repeat(c) for c in _children(op, av)):
            return True
    return False


def _nested(sub: Any) -> bool:
    """Is there a repeat (that can repeat more than once) around a variable-length repeat?"""
    for op, av in sub:
        if op in _REPEATS and (av[1] is _MAXREPEAT or av[1] > 1) and _variable_repeat(av[2]):
            return True
        if any(_nested(c) for c in _children(op, av)):
            return True
    return False


def _literals(sub: Any, out: set[str]) -> None:
    """Characters the pattern mentions (literals, and the first char of each class range)."""
    for op, av in sub:
        if op is sre_parse.LITERAL:
            out.add(chr(av))
        elif op is sre_parse.IN:
            for iop, iav in av:
                if iop is sre_parse.LITERAL:
                    out.add(chr(iav))
                elif iop is sre_parse.RANGE:
                    out.add(chr(iav[0]))
        for c in _children(op, av):
            _literals(c, out)


def _probes(parsed: Any) -> list[str]:
    """Adversarial strings: each character of the pattern (and the whole alphabet of the
    pattern, in turn) repeated PROBE_CHARS times, ending in a character the pattern does not
    expect, so that a backtracking engine tries every way to split the run. Short on purpose:
    they tell exponential patterns from polynomial ones (which the scan-time timeout bounds)
    with a wide margin, whatever the load of the machine."""
    chars: set[str] = set()
    _literals(parsed, chars)
    alphabet = sorted(chars)[:40]
    tails = ["!", "。"]
    out: list[str] = []
    for c in [*alphabet, "あ", "a"]:
        for tail in tails:
            out.append(c * PROBE_CHARS + tail)
    if alphabet:
        run = "".join(alphabet)
        body = (run * (PROBE_CHARS // len(run) + 1))[:PROBE_CHARS]
        out.extend(body + t for t in tails)
    return out


@lru_cache(maxsize=4096)
def check_pattern(pattern: str) -> str | None:
    """A Japanese description of why ``pattern`` may not be used as a rule regex, or None."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"正規表現が長すぎます（{len(pattern):,} 字。上限は {MAX_PATTERN_CHARS:,} 字）。語の一覧（text: [...]）に分けてください"
    try:
        parsed = sre_parse.parse(pattern)
        rx = regex.compile(pattern, regex.VERSION0)
    except (re.error, regex.error, OverflowError, RecursionError) as e:
        return f"正規表現が不正です: {e}"
    if _nested(parsed):
        return (
            "正規表現に入れ子の繰り返し（例: (a+)+、(.*)*）があります。長い条文で照合が終わらなくなる"
            "（破滅的なバックトラッキング）おそれがあるため使えません。内側か外側の繰り返しをやめるか、"
            "[^。]{0,40} のように上限のある形に書き換えてください"
        )
    for probe in _probes(parsed):
        started = time.monotonic()
        try:
            for _ in rx.finditer(probe, timeout=PROBE_BUDGET):
                pass
        except TimeoutError:
            return _too_slow(probe, time.monotonic() - started)
        if time.monotonic() - started > PROBE_BUDGET:
            return _too_slow(probe, time.monotonic() - started)
    return None


def _too_slow(probe: str, seconds: float) -> str:
    sample = probe[:3] + "…" + repr(probe[-1])[1:-1]
    return (
        f"正規表現の照合に時間がかかりすぎます（試験用の {len(probe):,} 字の文字列「{sample}」で"
        f" {PROBE_BUDGET:g} 秒を超えました）。長い条文で照合が終わらなくなるおそれがあります。"
        "同じ文字に当たる選択肢の繰り返し（例: (a|aa)+）をやめ、[^。]{0,40} のように上限のある形に書き換えてください"
    )
