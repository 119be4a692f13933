"""Document version numbers of CSAF 2.0 section 3.1.11: integer versioning or semantic versioning."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

_INTEGER = re.compile(r"^(0|[1-9][0-9]*)$")
# Semantic Versioning 2.0.0, the pattern the CSAF schema uses for version_t.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)


@dataclass(frozen=True, slots=True)
class Version:
    """A parsed version_t value."""

    raw: str
    semantic: bool
    major: int
    minor: int = 0
    patch: int = 0
    prerelease: str | None = None
    build: str | None = None

    @property
    def is_zero(self) -> bool:
        """0 or 0.y.z: a version before the first public release."""
        return self.major == 0

    def without_build(self) -> str:
        return self.raw.split("+", 1)[0]

    def core(self) -> str:
        """The version with neither build metadata nor pre-release part."""
        return self.without_build().split("-", 1)[0]

    def sort_key(self) -> tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]:
        # SemVer 11: a pre-release sorts before its release; identifiers compare numerically or lexically.
        pre: tuple[tuple[int, int, str], ...] = ()
        if self.prerelease is not None:
            pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in self.prerelease.split("."))
        return (self.major, self.minor, self.patch, 0 if self.prerelease is not None else 1, pre)


def parse_version(value: object) -> Version | None:
    if not isinstance(value, str):
        return None
    if _INTEGER.match(value):
        return Version(value, False, int(value))
    m = _SEMVER.match(value)
    if m is None:
        return None
    return Version(value, True, int(m[1]), int(m[2]), int(m[3]), m[4], m[5])


def parse_datetime(value: object) -> datetime | None:
    """An RFC 3339 date-time as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python 3.11 accepts up to 6 fraction digits; trim longer fractions.
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", text)
    if m and m[2] and len(m[2]) > 7:
        text = m[1] + m[2][:7] + m[3]
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        return None
    return dt
