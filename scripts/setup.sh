#!/usr/bin/env bash
# Create .venv and install analogscan with its dependencies (GiNZA model included) from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python 3.11 以上が必要です（$("$PY" --version 2>&1)）" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[dev]"
# Headless Chromium for the HTML report's browser tests (Debian's package; browsers cannot be downloaded
# by playwright here). Optional: without it those tests are skipped with a reason.
if [ "${ANALOGSCAN_SKIP_CHROMIUM:-0}" != 1 ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "警告: chromium をインストールできませんでした（HTML レポートのブラウザ試験は飛ばされます）" >&2
  else
    echo "注意: chromium がありません（HTML レポートのブラウザ試験は飛ばされます）" >&2
  fi
fi
