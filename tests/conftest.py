from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = REPO / "corpora"
RULES = REPO / "rules"


def shared_path(*parts: str) -> Path:
    """Path inside ../shared; skips the calling test when it is absent."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"../shared not available: {p}")
    return p


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared not available")
    return SHARED
