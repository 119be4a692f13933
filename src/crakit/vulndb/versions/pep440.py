"""PyPI ordering: PEP 440 through ``packaging`` (the reference implementation pip uses)."""

from __future__ import annotations

import re
from functools import lru_cache, total_ordering

from packaging.utils import canonicalize_version
from packaging.version import InvalidVersion, Version

_LEGACY_SPLIT = re.compile(r"(\d+|[a-z]+|\.|-)")


@total_ordering
class LegacyVersion:
    """A version PEP 440 rejects: below every valid one, ordered among its kind by setuptools'
    old LegacyVersion rules (what pip did before it dropped them)."""

    __slots__ = ("parts",)

    def __init__(self, version: str) -> None:
        parts: list[str] = []
        for part in _LEGACY_SPLIT.split(version.lower()):
            if not part or part == ".":
                continue
            parts.append(part.zfill(8) if part[:1] in "0123456789" else "*" + part)
        parts.append("*final")
        self.parts = tuple(parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LegacyVersion) and self.parts == other.parts

    def __hash__(self) -> int:
        return hash(self.parts)

    def __lt__(self, other: object) -> bool:
        if isinstance(other, LegacyVersion):
            return self.parts < other.parts
        if isinstance(other, Version):
            return True
        return NotImplemented


PypiKey = Version | LegacyVersion


@lru_cache(maxsize=65536)
def pep440_key(version: str) -> PypiKey:
    """PEP 440 order (``Version`` objects compare directly: no tuple wrapping on the hot path)."""
    try:
        return Version(version)
    except InvalidVersion:
        return LegacyVersion(version)


def pep440_valid(version: str) -> bool:
    return isinstance(pep440_key(version), Version)


@lru_cache(maxsize=65536)
def pep440_canonical(version: str) -> str:
    """PEP 440 normal form with trailing zeros dropped (1.0 == 1.0.0); invalid ones stay as written."""
    try:
        return canonicalize_version(Version(version), strip_trailing_zero=True)
    except InvalidVersion:
        return "\x00" + version
