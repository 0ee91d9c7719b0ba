#!/usr/bin/env bash
# The demo command (README): set up, then scan the bundled sample corpus and write reports.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/analogscan ] || ./scripts/setup.sh
mkdir -p out
.venv/bin/analogscan scan corpora/ -o out/report.json "$@" || [ $? -eq 1 ]
.venv/bin/analogscan scan corpora/ --format text -q > out/report.txt || [ $? -eq 1 ]
cat out/report.txt
echo "レポート: out/report.json, out/report.txt"
