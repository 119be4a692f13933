"""The contract every ecosystem's version ordering fulfils.

OSV evaluates ``ECOSYSTEM`` ranges with the ecosystem's own ordering and ``SEMVER`` ranges with
SemVer 2.0 (osv-schema ``docs/schema.md``, "affected[].ranges[].type"). Each scheme turns a
version string into a sort key; keys of one scheme compare with ``<``, ``==`` and ``>``.
Parsing never fails: advisories and SBOMs contain odd versions and a scanner must still decide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# A key is an opaque comparable object (a tuple or a ``functools.cmp_to_key`` wrapper).
VersionKey = Any


@dataclass(frozen=True, slots=True)
class VersionScheme:
    """One ordering: ``key(v)`` maps a version string to a comparable key."""

    name: str
    key: Callable[[str], VersionKey]
    # A string equal for exactly the versions ``key`` calls equal, where one is cheap to compute;
    # lets a scan test membership in long ``versions`` lists without comparing keys one by one.
    canonical: Callable[[str], str] | None = None
    # Can the ordering place this string at all? (None: every string is a version.)
    valid: Callable[[str], bool] | None = None

    def accepts(self, version: str) -> bool:
        return self.valid is None or self.valid(version)

    def compare(self, a: str, b: str) -> int:
        """-1, 0 or 1, like the ecosystem's own comparison."""
        ka, kb = self.key(a), self.key(b)
        return int(ka > kb) - int(ka < kb)
