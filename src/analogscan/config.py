"""Settings objects handed down explicitly: from the CLI to the batch runner, to worker processes
(pickled with each document), to the pipeline. Nothing travels through ``os.environ``."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_TIMEOUT = 300.0  # seconds per document
DEFAULT_MEMORY_MB = 4096  # MB per document above the loaded worker


@dataclass(frozen=True)
class ReadSettings:
    """How a document is read, wherever it is scanned.

    ``format_in``: the reader to use (None: from content and suffix). ``ocr``: image-only PDF pages
    are read by Tesseract (``--ocr``). ``page_jobs``: processes that share the pages of one PDF."""

    format_in: str | None = None
    ocr: bool = False
    page_jobs: int = 1


@dataclass(frozen=True)
class Budget:
    """Per-document limits; 0 means no limit."""

    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB

    @property
    def active(self) -> bool:
        return self.timeout > 0 or self.memory_mb > 0

    def timeout_message(self) -> str:
        return (
            f"文書ごとの時間上限（--doc-timeout {self.timeout:g} 秒）を超えたため走査を中止しました"
            "（ワーカーは入れ替えました。必要なら上限を上げて走査し直してください）"
        )

    def memory_note(self) -> str:
        return (
            f"文書ごとのメモリ上限（--doc-memory {self.memory_mb} MB）を超えました"
            if self.memory_mb > 0
            else ""
        )

    def crash_message(self, code: int | None) -> str:
        why = f"終了コード {code}" if code is not None else "原因不明"
        hint = f"。{self.memory_note()}可能性があります" if self.memory_mb > 0 else ""
        return f"この文書の走査中にワーカープロセスが異常終了しました（{why}{hint}）"
