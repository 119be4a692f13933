"""Orderings that are plain sequences of numbers: Hackage (``1.2.0.3``) and CRAN (``1.2-3``)."""

from __future__ import annotations

import re
from functools import lru_cache

_CRAN_SPLIT = re.compile(r"[.-]")


def _ints(parts: list[str]) -> tuple[int, ...]:
    out = []
    for p in parts:
        digits = "".join(ch for ch in p if "0" <= ch <= "9")
        out.append(int(digits) if digits else 0)
    return tuple(out)


@lru_cache(maxsize=65536)
def hackage_key(version: str) -> tuple[int, ...]:
    """Haskell's Data.Version: lexicographic over the numeric branch (1.0 < 1.0.0)."""
    return _ints(version.strip().split("."))


@lru_cache(maxsize=65536)
def cran_key(version: str) -> tuple[int, ...]:
    """R's package_version: numbers separated by ``.`` or ``-``; trailing zeros are kept (1.0 < 1.0.0);
    parts that are not numbers are skipped, as OSV's tooling does."""
    return tuple(int(p) for p in _CRAN_SPLIT.split(version.strip()) if p.isdigit() and p.isascii())


@lru_cache(maxsize=65536)
def lexical_key(version: str) -> tuple[str]:
    """Fallback for ecosystems without a defined order: the string itself."""
    return (version,)
