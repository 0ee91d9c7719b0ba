"""Zip bombs: the real decompressed size of every member of a zip container (.docx, .xlsx).

Each member is decompressed in chunks (never held whole) and its bytes counted before any
library opens the file; the sizes the archive declares are not trusted.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from .errors import AnalogscanError

MAX_PART_BYTES = 64 * 1024 * 1024  # one member, decompressed
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all members together, decompressed
MAX_MEMBERS = 10_000
_CHUNK = 1 << 20


class ZipLimitError(AnalogscanError):
    """A container over the limits, or broken; ``str(e)`` is a Japanese message."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:g}MB"


def check_members(
    path: Path,
    what: str,
    *,
    part_limit: int = MAX_PART_BYTES,
    total_limit: int = MAX_TOTAL_BYTES,
    max_members: int = MAX_MEMBERS,
    required: str | None = None,
) -> None:
    """Decompress every member of ``path`` in chunks and count the real bytes.

    ``what`` names the file kind in messages (「Word文書（.docx）」); ``required`` is a member that
    must exist. Raises ZipLimitError above the limits or on a broken archive."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > max_members:
                raise ZipLimitError(f"{what}の部品が多すぎます（{len(infos)} 個、上限 {max_members} 個）")
            if required is not None and not any(i.filename == required for i in infos):
                raise ZipLimitError(f"{what}ではありません（{required} がありません）")
            total = 0
            for info in infos:
                if info.is_dir():
                    continue
                size = 0
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > part_limit:
                            raise ZipLimitError(
                                f"{what}の部品 {info.filename} が展開すると大きすぎます（{_mb(part_limit)} を超えます。"
                                "圧縮爆弾の可能性があるため読み込みません）"
                            )
                        if total > total_limit:
                            raise ZipLimitError(
                                f"{what}が展開すると大きすぎます（合計 {_mb(total_limit)} を超えます。"
                                "圧縮爆弾の可能性があるため読み込みません）"
                            )
    except ZipLimitError:
        raise
    except (
        OSError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        RuntimeError,
        ValueError,
    ) as e:
        raise ZipLimitError(f"{what}が壊れています（{type(e).__name__}: {e}）") from e
