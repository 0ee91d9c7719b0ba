"""What every reader module needs from the ingest stage: the error it raises, the protocol it
implements and how much of the file head its sniffer sees.

Reader modules import from here, never from the package ``analogscan.ingest`` itself, so the
package ``__init__`` (the registry, which imports the readers) only imports downward.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from analogscan.errors import AnalogscanError
from analogscan.model import SourceDocument

__all__ = ["IngestError", "Reader", "SNIFF_BYTES"]

SNIFF_BYTES = 8192  # how much of the file head sniffers see


class IngestError(AnalogscanError):
    """A document cannot be read at all; ``str(e)`` is a Japanese message for the report."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Reader(Protocol):
    """What every reader module provides."""

    name: str  # format name, also the value of SourceDocument.format and of format_in
    suffixes: tuple[str, ...]  # lower-case, with the dot: (".txt",)
    fallback: bool  # True: only used when no other reader sniffs the content

    def sniff(self, head: bytes) -> bool:
        """True when ``head`` (the first SNIFF_BYTES bytes) is this reader's format."""
        ...

    def read(self, path: Path) -> SourceDocument:
        """Read the whole file; raise IngestError with a Japanese message when impossible."""
        ...
