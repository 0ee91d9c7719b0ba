#!/usr/bin/env bash
# The demo command (README): set up, scan the bundled sample corpus, write the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --quick  # installs only what is missing or out of date
mkdir -p out
# exit status 1 only means some documents could not be read (they are listed in the report)
.venv/bin/analogscan scan corpora/ -o out/report.json "$@" || [ $? -eq 1 ]
.venv/bin/analogscan report out/report.json --format text -o out/report.txt
.venv/bin/analogscan report out/report.json --format xlsx -o out/review.xlsx
.venv/bin/analogscan report out/report.json --format html -o out/report.html
cat out/report.txt
echo "レポート: out/report.json（JSON）, out/report.txt（要約）, out/review.xlsx（レビュー表）, out/report.html（ブラウザで開く）"
