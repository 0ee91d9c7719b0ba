#!/usr/bin/env bash
# The test command (README and CI): set up, check rules, run the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/analogscan ] || ./scripts/setup.sh
.venv/bin/ruff check src tests tools bench corpora gold
.venv/bin/mypy
.venv/bin/analogscan rules validate
.venv/bin/analogscan rules test
exec .venv/bin/python -m pytest -q "$@"
