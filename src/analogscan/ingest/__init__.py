"""Ingest stage: turn a source file into a :class:`SourceDocument`.

Readers are chosen by content sniffing first (``%PDF-`` …), then by file suffix; ``format_in``
forces one. Each reader lives in its own module and is registered in ``READERS``; adding
HTML, XML or docx means adding a module and one ``register_reader`` call, nothing else. Reader
modules take ``IngestError`` and ``Reader`` from :mod:`analogscan.ingest.base`, so this package
only imports downward (no import cycle with its readers).

Only :mod:`analogscan.ingest.pdf` touches pdfplumber, and only inside ``read``, so importing
this package stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from analogscan.ingest.base import SNIFF_BYTES, IngestError, Reader
from analogscan.model import SourceDocument

__all__ = [
    "IngestError",
    "Reader",
    "READERS",
    "register_reader",
    "get_reader",
    "read_document",
    "supported_suffixes",
    "input_formats",
    "iter_input_files",
    "walk_inputs",
    "SNIFF_BYTES",
]

READERS: list[Reader] = []


def register_reader(reader: Reader) -> None:
    """Add a reader. Specific readers are sniffed before fallback ones (plain text)."""
    if any(r.name == reader.name for r in READERS):
        raise ValueError(f"reader already registered: {reader.name}")
    if reader.fallback:
        READERS.append(reader)
    else:
        idx = next((i for i, r in enumerate(READERS) if r.fallback), len(READERS))
        READERS.insert(idx, reader)


def get_reader(name: str) -> Reader:
    for r in READERS:
        if r.name == name:
            return r
    names = "、".join(r.name for r in READERS)
    raise IngestError(f"対応していない入力形式です: {name}（指定できる形式: {names}）")


def input_formats() -> list[str]:
    """Names accepted by ``format_in`` (``--format-in`` of scan and explain), in sniffing order."""
    return [r.name for r in READERS]


def supported_suffixes() -> tuple[str, ...]:
    """File suffixes the folder walker picks up (lower case, with the dot)."""
    out: list[str] = []
    for r in READERS:
        for s in r.suffixes:
            if s not in out:
                out.append(s)
    return tuple(out)


def _read_head(path: Path) -> tuple[bytes, int]:
    try:
        if not path.exists():
            raise IngestError(f"ファイルが見つかりません: {path}")
        if path.is_dir():
            raise IngestError(f"フォルダはファイルとして読み込めません: {path}")
        size = path.stat().st_size
        with path.open("rb") as f:
            head = f.read(SNIFF_BYTES)
    except IngestError:
        raise
    except OSError as e:
        raise IngestError(f"ファイルを読み込めません: {path}（{e.strerror or e}）") from e
    if size == 0 or not head:
        raise IngestError("ファイルが空です")
    return head, size


def _choose_reader(path: Path, head: bytes) -> Reader:
    for r in READERS:
        if not r.fallback and r.sniff(head):
            return r
    suffix = path.suffix.lower()
    for r in READERS:
        if suffix in r.suffixes:
            return r
    for r in READERS:
        if r.fallback and r.sniff(head):
            return r
    if suffix:
        raise IngestError(f"対応していないファイル形式です（{suffix}）")
    raise IngestError("対応していないファイル形式です（テキストではないファイルです）")


def read_document(path: Path, format_in: str | None = None) -> SourceDocument:
    """Read one source file. Raises IngestError (Japanese message) when it cannot be read."""
    path = Path(path)
    head, _size = _read_head(path)
    reader = get_reader(format_in) if format_in else _choose_reader(path, head)
    try:
        return reader.read(path)
    except IngestError:
        raise
    except OSError as e:
        raise IngestError(f"ファイルを読み込めません: {path}（{e.strerror or e}）") from e


def walk_inputs(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders recursively (sorted, supported suffixes only, hidden entries skipped).

    Returns (files, skipped): every path left out for a reason other than its name — a symbolic
    link loop, a dangling link, a folder that cannot be read, a pipe or device — comes back in
    ``skipped`` with a Japanese reason, so the report can say so. Symbolic links to folders are
    followed, each real folder once. Explicit file paths are always kept, in the order given;
    duplicates are dropped. In a folder, a 第一法規 frameset page <id>.html is skipped when its
    body <id>_j.html is beside it.
    """
    suffixes = set(supported_suffixes())
    out: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        try:
            key = p.resolve() if p.exists() else p
        except (OSError, RuntimeError):  # RuntimeError: symlink loop on older Pythons
            key = p
        if key not in seen:
            seen.add(key)
            out.append(p)

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found, skip = _walk_folder(p, suffixes)
            skipped.extend(skip)
            names = set(found)
            for child in sorted(found, key=lambda c: c.relative_to(p).as_posix()):
                # 第一法規: <id>.html is a frameset around <id>_j.html; scan the body once
                if (
                    child.suffix.lower() in (".html", ".htm")
                    and child.with_name(child.stem + "_j" + child.suffix) in names
                ):
                    continue
                add(child)
        else:
            add(p)
    return out, skipped


def _walk_folder(top: Path, suffixes: set[str]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Iterative walk (any depth) with loop detection on (device, inode) of the real folders."""
    import os
    import stat

    found: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    visited: set[tuple[int, int]] = set()
    try:
        st = top.stat()
        visited.add((st.st_dev, st.st_ino))
    except OSError as e:
        return [], [(top, f"フォルダを読めません（{e.strerror or e}）")]
    stack = [top]
    linked: list[Path] = []  # folders reached through a symbolic link: walked after the real tree
    while stack or linked:
        if not stack:
            link = linked.pop(0)
            try:
                st = link.stat()
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key in visited:
                skipped.append(
                    (
                        link,
                        "シンボリックリンクが循環している（または同じフォルダを指している）ためスキップしました",
                    )
                )
                continue
            visited.add(key)
            stack.append(link)
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except PermissionError:
            skipped.append((folder, "フォルダを読めないためスキップしました（アクセス権がありません）"))
            continue
        except OSError as e:
            skipped.append((folder, f"フォルダを読めないためスキップしました（{e.strerror or e}）"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            is_link = entry.is_symlink()
            try:
                st = entry.stat(follow_symlinks=True)
            except FileNotFoundError:
                if is_link:
                    skipped.append((path, "リンク先が存在しないシンボリックリンクのためスキップしました"))
                continue
            except OSError as e:
                if is_link and e.errno == 40:  # ELOOP: a link that points at itself
                    skipped.append((path, "シンボリックリンクが循環しているためスキップしました"))
                else:
                    skipped.append((path, f"読めないためスキップしました（{e.strerror or e}）"))
                continue
            if stat.S_ISDIR(st.st_mode):
                if is_link:
                    linked.append(path)
                    continue
                key = (st.st_dev, st.st_ino)
                if key not in visited:
                    visited.add(key)
                    stack.append(path)
            elif path.suffix.lower() in suffixes:
                if stat.S_ISREG(st.st_mode):
                    found.append(path)
                else:
                    skipped.append((path, "通常のファイルではない（パイプ・デバイス等）ためスキップしました"))
    return found, skipped


def iter_input_files(paths: Iterable[Path]) -> list[Path]:
    """The files of :func:`walk_inputs` (without the skipped paths)."""
    return walk_inputs(paths)[0]


def _register_builtin() -> None:
    from analogscan.ingest.docx import DocxReader
    from analogscan.ingest.egov_xml import EgovXmlReader
    from analogscan.ingest.html import HtmlReader
    from analogscan.ingest.pdf import PdfReader
    from analogscan.ingest.text import TextReader

    # sniffed in this order: %PDF-, PK + word/, <?xml + <Law, <html; plain text last
    register_reader(PdfReader())
    register_reader(DocxReader())
    register_reader(EgovXmlReader())
    register_reader(HtmlReader())
    register_reader(TextReader())


_register_builtin()
