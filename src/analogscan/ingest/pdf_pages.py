"""Page-level plumbing of the PDF reader: a page's objects straight from pdfminer's layout, and
a document's pages read on several processes.

``page.chars`` in pdfplumber turns every character into a dict of some 25 attributes (colours
resolved, matrix, graphic state …); on text-heavy pages that took a fifth of the reading time
(cProfile, bench/RESULTS-pdf.md). :func:`page_objects` walks the same pdfminer layout once and
keeps per character only what the reader uses, with pdfplumber's coordinates (top-left origin,
MediaBox offsets). Lines, rectangles, curves and images are few and still go through
pdfplumber's own ``process_object``, so ruled tables are found by pdfplumber from the same
edges as ``page.find_tables()`` would use, without it parsing the characters again.

:func:`map_chunks` runs a page-reading function over chunks of pages on a process pool
(forkserver, or spawn) and yields the results in page order; where no pool can be started (a
daemonic worker, e.g. under dask) or it breaks, the remaining chunks are read in this process.
"""

from __future__ import annotations

import multiprocessing
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

Char = dict[str, Any]
R = TypeVar("R")

MIN_PAGES_PER_PROCESS = 4  # below this many pages per process, a pool costs more than it saves
CHUNKS_PER_PROCESS = 3  # chunks queued per process: later chunks go to whichever is free first


@dataclass
class PageObjects:
    chars: list[Char] = field(default_factory=list)  # text, fontname, size, upright, x0, x1, top, bottom
    lines: list[dict[str, Any]] = field(default_factory=list)
    rects: list[dict[str, Any]] = field(default_factory=list)
    curves: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)


def page_objects(page: Any) -> PageObjects:
    """The page's characters (slim dicts, in drawing order, empty text left out) and its
    lines, rectangles, curves and images (pdfplumber's dicts)."""
    from pdfminer.layout import LTAnno, LTChar, LTContainer
    from pdfplumber.page import fix_fontname_bytes

    height = float(page.height)
    mb_x0, mb_top = float(page.mediabox[0]), float(page.mediabox[1])
    norm = page.pdf.unicode_norm
    out = PageObjects()
    kinds = {"line": out.lines, "rect": out.rects, "curve": out.curves, "image": out.images}
    chars = out.chars
    stack: list[Iterator[Any]] = [iter(page.layout)]
    while stack:
        obj = next(stack[-1], None)
        if obj is None:
            stack.pop()
            continue
        if isinstance(obj, LTChar):
            text = obj.get_text()
            if norm is not None:
                text = unicodedata.normalize(norm, text)
            if not text:
                continue
            font = obj.fontname
            chars.append(
                {
                    "text": text,
                    "fontname": fix_fontname_bytes(font) if isinstance(font, bytes) else font,
                    "size": obj.size,
                    "upright": obj.upright,
                    "x0": obj.x0 + mb_x0,
                    "x1": obj.x1 + mb_x0,
                    "top": (height - obj.y1) + mb_top,
                    "bottom": (height - obj.y0) + mb_top,
                }
            )
        elif isinstance(obj, LTContainer):
            stack.append(iter(obj))
        elif not isinstance(obj, LTAnno):
            d = page.process_object(obj)
            kinds.get(str(d.get("object_type")), []).append(d)
    return out


def find_tables(page: Any, objs: PageObjects) -> list[Any]:
    """``page.find_tables()`` (ruling lines, default settings) from the edges of ``objs``: the
    same edges, given to pdfplumber as explicit lines, so it does not parse the page again."""
    from pdfplumber.utils import filter_edges, obj_to_edges

    edges = [e for o in (*objs.lines, *objs.rects, *objs.curves) for e in obj_to_edges(o)]
    v = filter_edges(edges, "v", min_length=1)  # pdfplumber's edge_min_length_prefilter
    h = filter_edges(edges, "h", min_length=1)
    if len(v) < 2 or len(h) < 2:
        return []  # no cell can be framed
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": v,
        "explicit_horizontal_lines": h,
    }
    return list(page.find_tables(settings))


def chunks(n_pages: int, jobs: int, min_pages: int = MIN_PAGES_PER_PROCESS) -> list[list[int]]:
    """Page numbers 1..n in contiguous chunks of at least ``min_pages`` for ``jobs`` processes;
    one chunk when a pool would not pay."""
    min_pages = max(1, min_pages)
    if jobs <= 1 or n_pages < 2 * min_pages:
        return [list(range(1, n_pages + 1))]
    k = max(1, min(n_pages // min_pages, jobs * CHUNKS_PER_PROCESS))
    size, extra = divmod(n_pages, k)
    out: list[list[int]] = []
    start = 1
    for i in range(k):
        end = start + size + (1 if i < extra else 0)
        out.append(list(range(start, end)))
        start = end
    return out


_in_worker = False


def _mark_worker() -> None:
    global _in_worker
    _in_worker = True


def in_worker() -> bool:
    """True on a page worker process started by :func:`map_chunks`."""
    return _in_worker


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def map_chunks(
    fn: Callable[..., R], path: str, parts: Sequence[list[int]], jobs: int, *args: Any
) -> Iterator[R]:
    """``fn(path, pages, *args)`` for each chunk of pages, on up to ``jobs`` processes; results
    in chunk order. ``fn`` must be a module-level function (it is pickled by reference)."""
    if jobs <= 1 or len(parts) <= 1 or multiprocessing.current_process().daemon:
        for part in parts:
            yield fn(path, part, *args)
        return
    done = 0
    try:
        ex = ProcessPoolExecutor(
            max_workers=min(jobs, len(parts)), mp_context=_context(), initializer=_mark_worker
        )
    except (OSError, ValueError):
        ex = None
    if ex is not None:
        try:
            futures: list[Future[R]] = [ex.submit(fn, path, part, *args) for part in parts]
            for fut in futures:
                res = fut.result()
                done += 1
                yield res
        except (BrokenProcessPool, OSError):
            pass  # read what is left here
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
    for part in parts[done:]:
        yield fn(path, part, *args)
