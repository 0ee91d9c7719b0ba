from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
# laws drawn by gold/wide/fetch_fresh.py from the full 2013 e-Gov mirror, written beside the checkout (not committed)
EXTRA = REPO.parent / "extra"
CORPORA = REPO / "corpora"
RULES = REPO / "rules"


def shared_path(*parts: str) -> Path:
    """Path inside ../shared; skips the calling test when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared not available: {p}")
    return p


def extra_path(*parts: str) -> Path:
    """Path inside ../extra (gold/wide/fetch_fresh.py writes the fresh batches there); skips when absent."""
    p = EXTRA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../extra not available (gold/wide/fetch_fresh.py writes it): {p}")
    return p


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared not available")
    return SHARED


# one keiji rule and a document it fires on: the small fixture of the batch, budget and store tests
POSTING_RULES = """\
schema_version: 1
type: keiji
rules:
  - id: keiji-901
    title: 掲示
    message: 「{matched}」：掲示させる規定です。
    confidence: 0.9
    triggers: [掲示]
    match: {regex: "掲示し(なければ|ておかなければ)"}
    examples:
      match: [営業者は、許可証を見やすい場所に掲示しなければならない。]
      no_match: [営業者は、許可証を備え付けなければならない。]
"""
POSTING_DOC = "第一条　営業者は、許可証を営業所の見やすい場所に掲示しなければならない。\n"


def write_rules(tmp: Path, text: str = POSTING_RULES) -> Path:
    """A rule folder tmp/rules holding ``text`` as r.yml (POSTING_RULES by default)."""
    d = tmp / "rules"
    d.mkdir(exist_ok=True)
    (d / "r.yml").write_text(text, encoding="utf-8")
    return d
