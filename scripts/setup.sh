#!/usr/bin/env bash
# Create .venv and install analogscan with its dependencies (GiNZA model included) from PyPI, then the
# optional Debian packages (chromium + a Japanese font for the HTML report's browser tests, tesseract for OCR).
#
#   scripts/setup.sh          everything: pip install (again) and the optional packages that are missing
#   scripts/setup.sh --quick  what demo.sh / test.sh run each time: pip install only when .venv is missing or
#                             pyproject.toml is newer than the last install; optional packages only when missing
#
# Safe to run again at any time. Whatever could not be installed is listed in .venv/analogscan-setup.txt
# and printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  *) echo "使い方: scripts/setup.sh [--quick]" >&2; exit 2 ;;
esac
PY="${PYTHON:-python3}"
STAMP=.venv/analogscan-pip.stamp      # written after a successful pip install
REPORT=.venv/analogscan-setup.txt     # what could not be installed (empty: nothing missing)
APT_WAIT="${ANALOGSCAN_APT_WAIT:-300}"  # seconds to wait for another apt/dpkg run to finish
APT_RETRY="${ANALOGSCAN_APT_RETRY:-5}"  # seconds between two tries while the lock is held

# --- Python packages --------------------------------------------------------------------------------
if [ "$QUICK" = 0 ] || [ ! -x .venv/bin/analogscan ] || [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "Python 3.11 以上が必要です（$("$PY" --version 2>&1)）" >&2
    exit 2
  fi
  if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
  fi
  if [ "$QUICK" = 1 ]; then
    echo "セットアップ: pyproject.toml が更新されたため（または初回のため）パッケージを入れ直します…" >&2
  fi
  if .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e ".[dev]"; then
    touch "$STAMP"
  elif [ "$QUICK" = 1 ] && [ -x .venv/bin/analogscan ]; then
    # keep working with the installed packages; the next run tries again (no stamp written)
    echo "警告: パッケージを入れ直せませんでした。今の .venv のまま続けます（scripts/setup.sh で再実行できます）" >&2
  else
    echo "パッケージをインストールできませんでした（上のメッセージを確認し、scripts/setup.sh を再実行してください）" >&2
    exit 1
  fi
fi

# --- optional Debian packages -------------------------------------------------------------------------
MISSING=()   # lines for $REPORT: what is still missing and what it means

APT_DEADLINE=""  # set when a lock is first met: one bounded wait for the whole set-up
APT_LOCKED=0     # 1 when the lock was still held at the deadline: no further apt runs

# apt-get that waits (at most APT_WAIT seconds in all) while another apt/dpkg run holds the lock
apt_run() {
  local out rc told=0 repaired=0
  while :; do
    rc=0
    out=$(LC_ALL=C DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=20 "$@" 2>&1) || rc=$?
    [ "$rc" = 0 ] && return 0
    if grep -qiE "could not get lock|unable to acquire|unable to lock|another process using it" <<<"$out"; then
      [ -n "$APT_DEADLINE" ] || APT_DEADLINE=$(( $(date +%s) + APT_WAIT ))
      if [ "$(date +%s)" -lt "$APT_DEADLINE" ]; then
        if [ "$told" = 0 ]; then
          echo "apt/dpkg は別のインストールが使用中です。終わるまで待ちます（最大 ${APT_WAIT} 秒）…" >&2
          told=1
        fi
        sleep "$APT_RETRY"
        continue
      fi
      echo "apt/dpkg のロックが ${APT_WAIT} 秒たっても解放されませんでした: $(grep -m1 -iE 'lock' <<<"$out")" >&2
      APT_LOCKED=1
      return "$rc"
    fi
    if grep -qi "dpkg was interrupted" <<<"$out" && [ "$repaired" = 0 ]; then
      echo "中断された dpkg の処理を再開します（dpkg --configure -a）…" >&2
      repaired=1
      DEBIAN_FRONTEND=noninteractive dpkg --configure -a >/dev/null 2>&1 || true
      continue
    fi
    printf '%s\n' "$out" | tail -n 3 >&2
    return "$rc"
  done
}

APT_UPDATED=0
# apt_install "what it is for" package...: install with apt when root, else record the command to run
apt_install() {
  local purpose="$1"; shift
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    MISSING+=("$* — ${purpose}（root で apt-get install $* を実行してください）")
    return 1
  fi
  if [ "$APT_LOCKED" = 0 ]; then
    echo "セットアップ: $* をインストールします（${purpose}）…" >&2
    if [ "$APT_UPDATED" = 0 ] && apt_run update -qq; then
      APT_UPDATED=1
    fi
    if [ "$APT_LOCKED" = 0 ] && apt_run install -y -qq "$@"; then
      return 0
    fi
  fi
  if [ "$APT_LOCKED" = 1 ]; then
    MISSING+=("$* — ${purpose}（apt/dpkg が別のインストールで使用中でした。終わってから scripts/setup.sh をもう一度実行してください）")
  else
    MISSING+=("$* — ${purpose}（インストールに失敗しました。scripts/setup.sh をもう一度実行してください）")
  fi
  return 1
}

has_japanese_font() {
  command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=ja family 2>/dev/null | head -n 1)" ]
}

if [ "${ANALOGSCAN_SKIP_CHROMIUM:-0}" != 1 ]; then
  # Headless Chromium for the HTML report's browser tests (Debian's package; playwright cannot download
  # browsers here) and a CJK font so that Japanese is not drawn as empty boxes.
  want=()
  command -v chromium >/dev/null 2>&1 || want+=(chromium)
  has_japanese_font || want+=(fonts-noto-cjk)
  if [ "${#want[@]}" -gt 0 ]; then
    apt_install "HTML レポートのブラウザ試験と日本語の表示" "${want[@]}" || true
  fi
fi
if [ "${ANALOGSCAN_SKIP_OCR:-0}" != 1 ] \
  && ! { command -v tesseract >/dev/null 2>&1 \
         && tesseract --list-langs 2>/dev/null | grep -qx jpn \
         && tesseract --list-langs 2>/dev/null | grep -qx jpn_vert; }; then
  # Tesseract with Japanese data for the optional OCR of image-only PDF pages (scan --ocr).
  apt_install "画像だけの PDF ページの OCR（scan --ocr）と OCR の試験" \
    tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert || true
fi

if [ "${#MISSING[@]}" -gt 0 ]; then
  printf '%s\n' "${MISSING[@]}" >"$REPORT"
  {
    echo "セットアップ: 次のものは入っていません（それを使う試験は理由を表示して飛ばされます）:"
    sed 's/^/  - /' "$REPORT"
    echo "  入れ直すには: scripts/setup.sh（一覧: $REPORT）"
  } >&2
else
  : >"$REPORT"
fi
