"""One document end to end: ingest → structure → match. Never raises for bad input."""

from __future__ import annotations

from pathlib import Path

from .engine import Engine
from .ingest import IngestError, read_document
from .model import DocumentResult, Ordinance
from .structure import build_ordinance


def load_ordinance(path: Path, result: DocumentResult, format_in: str | None = None) -> Ordinance | None:
    """Read and structure one file; problems go into result (status/messages)."""
    try:
        src = read_document(path, format_in)
    except IngestError as e:
        result.add("error", str(e))
        return None
    except MemoryError:
        result.add("error", "メモリ不足のため読み込めませんでした（ファイルが大きすぎる可能性があります）")
        return None
    except Exception as e:  # noqa: BLE001 - a bad file must never stop the run
        result.add("error", f"読み込み中に予期しないエラーが発生しました（{type(e).__name__}: {e}）")
        return None
    result.format = src.format
    for m in src.messages:
        result.add(m.level, m.text, m.page)
    try:
        ordinance = build_ordinance(src)
    except Exception as e:  # noqa: BLE001
        result.add("error", f"条文構造の解析に失敗しました（{type(e).__name__}: {e}）")
        return None
    result.title = ordinance.title
    result.number = ordinance.number
    result.provisions = len(ordinance.provisions)
    result.characters = sum(len(p.text) for p in ordinance.provisions)
    if not ordinance.provisions:
        result.add("warning", "条文を認識できませんでした（本文が空か、条・項の形式を読み取れません）")
    return ordinance


def scan_file(path: Path, engine: Engine, format_in: str | None = None) -> DocumentResult:
    result = DocumentResult(path=str(path))
    ordinance = load_ordinance(path, result, format_in)
    if ordinance is None:
        return result
    try:
        result.findings = engine.scan(ordinance.provisions)
        for w in engine.warnings:  # a rule regex that overran its time limit
            result.add("warning", w)
    except MemoryError:
        result.add("error", "メモリ不足のため照合できませんでした")
    except Exception as e:  # noqa: BLE001
        result.add("error", f"照合中に予期しないエラーが発生しました（{type(e).__name__}: {e}）")
    return result
