"""The JSON report: the versioned contract every other output builds on (see report.contract)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# build_report / summarize / only_tiers live in report.contract; they are importable from here as before.
from ..fsutil import atomic_write_bytes, atomic_write_text  # noqa: F401 - for branches still importing them here
from .contract import SCHEMA_VERSION, build_report, only_tiers, summarize  # noqa: F401


def dumps(report: Mapping[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
