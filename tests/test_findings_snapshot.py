"""Refactors keep behaviour: the shipped rules give the findings recorded in tests/data/findings_snapshot.json.

When a rule change is meant to change findings, record again with `python tools/findings_snapshot.py write`
and say so in the commit.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import REPO

pytestmark = pytest.mark.slow


def _tool():
    spec = importlib.util.spec_from_file_location(
        "findings_snapshot", REPO / "tools" / "findings_snapshot.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["findings_snapshot"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_findings_unchanged() -> None:
    tool = _tool()
    old = tool.json.loads(tool.SNAPSHOT.read_text(encoding="utf-8"))
    new = tool.take()
    assert "corpora" in new and new["corpora"], "the bundled corpus produced no documents"
    diff = tool.differences(old, new)
    assert not diff, "findings changed:\n" + "\n".join(diff)


def test_differences_are_reported() -> None:
    tool = _tool()
    old = {
        "s": {
            "a.txt": {"status": "ok", "messages": [], "provisions": 3, "title": "x", "findings": [["第1条"]]}
        }
    }
    new = {"s": {"a.txt": {"status": "ok", "messages": [], "provisions": 3, "title": "x", "findings": []}}}
    assert tool.differences(old, new) == ['s/a.txt: lost ["第1条"]']
    assert tool.differences(old, old) == []
