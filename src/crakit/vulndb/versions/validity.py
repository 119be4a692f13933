"""Which strings an ecosystem's ordering can place at all.

A version the ordering cannot parse must not be matched by accident (sorted below everything, it
would fall into every range that starts at "0") nor pass silently as clean: the scanner reports such
components under ``not_evaluated``. Orderings that accept any string by definition (Maven's
ComparableVersion, RPM's rpmvercmp, Alpine's and Packagist's tolerant parsers) have no check here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# SemVer 2.0 as OSV's SemVer ecosystems use it: an optional "v" (Go), one or more numeric parts
# (npm and Go tooling accept "1.2"), one pre-release and one build part. "latest", "x.y", "^1.2",
# "1.0.0+a+b" are not versions.
_SEMVER = re.compile(r"[vV]?\d+(?:\.\d+)*(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
# NuGet: at most four numeric parts (NuGetVersion), SemVer 2.0 labels.
_NUGET = re.compile(r"[vV]?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?")
# RubyGems: Gem::Version::ANCHORED_VERSION_PATTERN.
_RUBYGEMS = re.compile(r"\s*(?:[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*")
# Debian Policy 5.6.12: [epoch:]upstream[-revision], upstream starting with a digit.
_DEBIAN = re.compile(r"(?:\d+:)?\d[A-Za-z0-9.+~:-]*")

_PATTERNS: dict[str, re.Pattern[str]] = {
    "SemVer": _SEMVER,
    "Pub": _SEMVER,
    "NuGet": _NUGET,
    "RubyGems": _RUBYGEMS,
    "Debian": _DEBIAN,
}


@lru_cache(maxsize=65536)
def is_valid(scheme_name: str, version: str) -> bool:
    """Can the ordering named ``scheme_name`` place ``version``? (PyPI: see ``pep440_valid``.)"""
    pattern = _PATTERNS.get(scheme_name)
    return pattern is None or pattern.fullmatch(version) is not None
