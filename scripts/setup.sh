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
# Tesseract with Japanese data for the optional OCR of image-only PDF pages (scan --ocr /
# ANALOGSCAN_OCR=1). Optional: without it OCR is reported as unavailable and its tests are skipped.
if [ "${ANALOGSCAN_SKIP_OCR:-0}" != 1 ] \
  && ! { command -v tesseract >/dev/null 2>&1 \
         && tesseract --list-langs 2>/dev/null | grep -qx jpn \
         && tesseract --list-langs 2>/dev/null | grep -qx jpn_vert; }; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert >/dev/null) \
      || echo "警告: tesseract（OCR）をインストールできませんでした（画像のみのPDFページは読み取れません）" >&2
  else
    echo "注意: tesseract（日本語データ jpn, jpn_vert）がありません（OCR は使えません。root で apt-get install tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert）" >&2
  fi
fi
