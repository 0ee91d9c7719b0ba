"""Reporters: every output is rendered from the JSON report (the contract, see report.contract).

`render(report, fmt) -> bytes` dispatches on a small registry; a new format registers a
function here and gets a suffix for `-o FILE` inference. A renderer reads the report with
``report.contract.read_report`` (typed objects); only the JSON renderer writes the dict as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Renderer = Callable[[Mapping[str, Any]], bytes]


def _json(report: Mapping[str, Any]) -> bytes:
    from .json_report import dumps

    return dumps(report).encode("utf-8")


def _csv(report: Mapping[str, Any]) -> bytes:
    from .csv_report import render_csv

    return render_csv(report).encode("utf-8")


def _text(report: Mapping[str, Any]) -> bytes:
    from .text_report import render_text

    return render_text(report).encode("utf-8")


RENDERERS: dict[str, Renderer] = {"json": _json, "csv": _csv, "text": _text}
SUFFIXES: dict[str, str] = {".json": "json", ".csv": "csv", ".txt": "text"}


def register(fmt: str, renderer: Renderer, suffixes: tuple[str, ...] = ()) -> None:
    RENDERERS[fmt] = renderer
    for s in suffixes:
        SUFFIXES[s] = fmt


def formats() -> list[str]:
    return list(RENDERERS)


def render(report: Mapping[str, Any], fmt: str) -> bytes:
    return RENDERERS[fmt](report)


def _xlsx(report: Mapping[str, Any]) -> bytes:
    from .xlsx_report import render_xlsx

    return render_xlsx(report)


def _html(report: Mapping[str, Any]) -> bytes:
    from .html_report import render_html

    return render_html(report).encode("utf-8")


def _md(report: Mapping[str, Any]) -> bytes:
    from .md_report import render_md

    return render_md(report).encode("utf-8")


register("xlsx", _xlsx, (".xlsx",))
register("html", _html, (".html", ".htm"))
register("md", _md, (".md",))
