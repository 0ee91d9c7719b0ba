"""Progress on stderr: a one-line bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _dur(seconds: float) -> str:
    s = int(max(0, seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    """Documents done / total, docs/s, chars/s and ETA (from the bytes still to do)."""

    def __init__(
        self,
        total: int,
        total_bytes: int = 0,
        *,
        stream: TextIO | None = None,
        quiet: bool = False,
        tty: bool | None = None,
        interval: float | None = None,
        skipped: int = 0,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty() if tty is None else tty
        self.interval = interval if interval is not None else (0.2 if self.tty else 10.0)
        self.total = total
        self.total_bytes = total_bytes
        self.skipped = skipped
        self.done = 0
        self.failed = 0
        self.chars = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._last = 0.0
        self._width = 0

    def update(self, chars: int, nbytes: int, failed: bool = False) -> None:
        self.done += 1
        self.chars += chars
        self.bytes += nbytes
        self.failed += int(failed)
        now = time.monotonic()
        if now - self._last >= self.interval or self.done == self.total:
            self._last = now
            self._show(now)

    def line(self, now: float | None = None) -> str:
        el = (now or time.monotonic()) - self.started
        docs_s = self.done / el if el > 0 else 0.0
        chars_s = self.chars / el if el > 0 else 0.0
        if self.bytes and self.total_bytes and el > 0:
            eta = (self.total_bytes - self.bytes) / (self.bytes / el)
        elif self.done and el > 0:
            eta = (self.total - self.done) / docs_s
        else:
            eta = 0.0
        pct = 100.0 * self.done / self.total if self.total else 100.0
        fail = f" 失敗 {self.failed}" if self.failed else ""
        return (
            f"{self.done}/{self.total} 文書 ({pct:5.1f}%) {docs_s:.1f} 文書/秒 {chars_s:,.0f} 字/秒"
            f" 経過 {_dur(el)} 残り {_dur(eta)}{fail}"
        )

    def _show(self, now: float) -> None:
        if self.quiet:
            return
        text = self.line(now)
        if self.tty:
            frac = self.done / self.total if self.total else 1.0
            n = 24
            bar = "█" * int(frac * n) + "░" * (n - int(frac * n))
            s = f"\r{bar} {text}"
            pad = max(0, self._width - len(s))
            self._width = len(s)
            self.stream.write(s + " " * pad)
        else:
            self.stream.write(f"進捗: {text}\n")
        self.stream.flush()

    def start(self) -> None:
        if self.quiet:
            return
        skip = f"（記録済みで変更のない {self.skipped} 文書は省略）" if self.skipped else ""
        self.stream.write(f"{self.total} 文書を走査します{skip}\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.quiet:
            return
        if self.tty and self.total:
            self.stream.write("\n")
        self.stream.flush()
