"""norm: a word or phrase compared token by token on Sudachi's normalized form (立入り/立ち入り → 立ち入り)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .lemma import LemmaTerm


@dataclass
class NormTerm(LemmaTerm):
    key: ClassVar[str] = "norm"
    ATTR: ClassVar[str] = "norm_"
