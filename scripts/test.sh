#!/usr/bin/env bash
# The test command (README and CI): set up, check rules, run the test suite.
#
#   scripts/test.sh              everything (what CI runs; 8–10 minutes on 2 cores)
#   scripts/test.sh --fast       the edit loop: skips the tests marked slow (pytest -m "not slow")
# Rule and amendment-template examples run once, as tests/test_rule_examples.py (one test per rule id).
#   scripts/test.sh [--fast] ARGS  further arguments go to pytest (e.g. tests/test_engine.py -k keiji)
set -euo pipefail
cd "$(dirname "$0")/.."
FAST=0
if [ "${1:-}" = "--fast" ]; then
  FAST=1
  shift
fi
./scripts/setup.sh --quick  # installs only what is missing or out of date
.venv/bin/ruff check src tests tools bench corpora gold
.venv/bin/ruff format --check src tests tools bench corpora gold
.venv/bin/yamllint -c .yamllint.yml --strict rules
.venv/bin/mypy
.venv/bin/analogscan rules validate
if [ "$FAST" = 1 ]; then
  exec .venv/bin/python -m pytest -q -m "not slow" "$@"
fi
exec .venv/bin/python -m pytest -q "$@"
