"""One document end to end: ingest → structure → match. Never raises for bad input."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .config import ReadSettings
from .engine import Engine
from .ingest import IngestError, read_document
from .model import DocumentResult, Ordinance
from .structure import build_ordinance

TITLE_MAX = 200  # characters of a title kept in the report

# Set by a budgeted worker (analogscan.docworker): the memory budget, named in the message of a
# document that runs out of memory; and how many allocation failures this process has seen.
MEMORY_NOTE = ""
memory_errors = 0


def failed_result(path: str, message: str) -> dict[str, object]:
    """The result JSON of a document that could not be scanned at all."""
    r = DocumentResult(path=path)
    r.add("error", message)
    return r.to_json()


def _out_of_memory(result: DocumentResult, what: str) -> None:
    global memory_errors
    memory_errors += 1
    note = f"。{MEMORY_NOTE}" if MEMORY_NOTE else "（ファイルが大きすぎる可能性があります）"
    result.add("error", f"メモリ不足のため{what}{note}")


def cap_title(title: str) -> str:
    """A title of at most TITLE_MAX characters (a one-line file is not a title)."""
    title = title.strip()
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


@contextmanager
def reading(settings: ReadSettings | None) -> Iterator[None]:
    """The PDF reader set to ``settings`` (OCR, page processes) for one document; None: as it is."""
    if settings is None:
        yield
        return
    from .ingest import pdf

    saved = pdf.OCR_ENABLED
    pdf.OCR_ENABLED = settings.ocr
    try:
        with pdf.page_jobs_set(settings.page_jobs):
            yield
    finally:
        pdf.OCR_ENABLED = saved


def load_ordinance(
    path: Path, result: DocumentResult, format_in: str | None = None, settings: ReadSettings | None = None
) -> Ordinance | None:
    """Read and structure one file; problems go into result (status/messages).

    ``settings``: how to read it (its ``format_in`` replaces the argument)."""
    if settings is not None:
        format_in = settings.format_in
    try:
        with reading(settings):
            src = read_document(path, format_in)
    except IngestError as e:
        result.add("error", str(e))
        return None
    except MemoryError:
        _out_of_memory(result, "読み込めませんでした")
        return None
    except Exception as e:  # noqa: BLE001 - a bad file must never stop the run
        result.add("error", f"読み込み中に予期しないエラーが発生しました（{type(e).__name__}: {e}）")
        return None
    result.format = src.format
    for m in src.messages:
        result.add(m.level, m.text, m.page)
    try:
        ordinance = build_ordinance(src)
    except MemoryError:
        _out_of_memory(result, "条文構造を解析できませんでした")
        return None
    except Exception as e:  # noqa: BLE001
        result.add("error", f"条文構造の解析に失敗しました（{type(e).__name__}: {e}）")
        return None
    result.title = cap_title(ordinance.title)
    result.number = ordinance.number
    result.provisions = len(ordinance.provisions)
    result.characters = sum(len(p.text) for p in ordinance.provisions)
    if not ordinance.provisions:
        result.add("warning", "条文を認識できませんでした（本文が空か、条・項の形式を読み取れません）")
    return ordinance


def scan_file(
    path: Path, engine: Engine, format_in: str | None = None, *, settings: ReadSettings | None = None
) -> DocumentResult:
    result = DocumentResult(path=str(path))
    ordinance = load_ordinance(path, result, format_in, settings)
    if ordinance is None:
        return result
    try:
        result.findings = engine.scan(ordinance.provisions)
        for w in engine.warnings:  # a rule regex that overran its time limit
            result.add("warning", w)
    except MemoryError:
        _out_of_memory(result, "照合できませんでした")
    except Exception as e:  # noqa: BLE001
        result.add("error", f"照合中に予期しないエラーが発生しました（{type(e).__name__}: {e}）")
    return result
