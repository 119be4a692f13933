"""Version orderings per OSV ecosystem (osv-schema "affected[].package.ecosystem")."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from crakit.vulndb.versions.alpine import alpine_key
from crakit.vulndb.versions.debian import debian_key
from crakit.vulndb.versions.interface import VersionKey, VersionScheme
from crakit.vulndb.versions.maven import maven_key
from crakit.vulndb.versions.packagist import packagist_key
from crakit.vulndb.versions.pep440 import pep440_canonical, pep440_key, pep440_valid
from crakit.vulndb.versions.rpm import rpm_key
from crakit.vulndb.versions.rubygems import rubygems_key
from crakit.vulndb.versions.semver import nuget_key, pub_key, semver_key
from crakit.vulndb.versions.simple import cran_key, hackage_key, lexical_key
from crakit.vulndb.versions.validity import is_valid


def _repr_of(key: Callable[[str], object]) -> Callable[[str], str]:
    """Tuple keys made of ints and strings: their repr is a canonical form."""

    def canonical(version: str) -> str:
        return repr(key(version))

    return canonical


def _checker(name: str) -> Callable[[str], bool]:
    def valid(version: str) -> bool:
        return is_valid(name, version)

    return valid


SEMVER = VersionScheme("SemVer", semver_key, _repr_of(semver_key), _checker("SemVer"))
PYPI = VersionScheme("PEP 440", pep440_key, pep440_canonical, pep440_valid)
MAVEN = VersionScheme("Maven", maven_key)
RUBYGEMS = VersionScheme("RubyGems", rubygems_key, None, _checker("RubyGems"))
NUGET = VersionScheme("NuGet", nuget_key, _repr_of(nuget_key), _checker("NuGet"))
PACKAGIST = VersionScheme("Packagist", packagist_key)
DEBIAN = VersionScheme("Debian", debian_key, None, _checker("Debian"))
ALPINE = VersionScheme("Alpine", alpine_key)
RPM = VersionScheme("RPM", rpm_key)
PUB = VersionScheme("Pub", pub_key, _repr_of(pub_key), _checker("Pub"))
HACKAGE = VersionScheme("Hackage", hackage_key, _repr_of(hackage_key))
CRAN = VersionScheme("CRAN", cran_key, _repr_of(cran_key))
LEXICAL = VersionScheme("lexical", lexical_key, _repr_of(lexical_key))

# OSV ecosystem name (the part before ":") -> ordering. Ecosystems missing here fall back to
# SemVer when their versions look like it (see scheme_for).
_BY_ECOSYSTEM: dict[str, VersionScheme] = {
    "PyPI": PYPI,
    "npm": SEMVER,
    "Go": SEMVER,
    "crates.io": SEMVER,
    "Hex": SEMVER,
    "SwiftURL": SEMVER,
    "Bitnami": SEMVER,
    "GitHub Actions": SEMVER,
    "Pub": PUB,
    "Maven": MAVEN,
    "RubyGems": RUBYGEMS,
    "NuGet": NUGET,
    "Packagist": PACKAGIST,
    "Debian": DEBIAN,
    "Ubuntu": DEBIAN,
    "Alpine": ALPINE,
    "Wolfi": ALPINE,
    "Chainguard": ALPINE,
    "Alpaquita": ALPINE,
    "BellSoft Hardened Containers": ALPINE,
    "Red Hat": RPM,
    "Rocky Linux": RPM,
    "AlmaLinux": RPM,
    "SUSE": RPM,
    "openSUSE": RPM,
    "Mageia": RPM,
    "openEuler": RPM,
    "Hackage": HACKAGE,
    "GHC": HACKAGE,
    "CRAN": CRAN,
    "Bioconductor": CRAN,
}


def base_ecosystem(ecosystem: str) -> str:
    """``Debian:12`` -> ``Debian``; ``Alpine:v3.18`` -> ``Alpine``."""
    return ecosystem.split(":", 1)[0]


@lru_cache(maxsize=1024)
def scheme_for(ecosystem: str) -> VersionScheme:
    """The ordering OSV prescribes for ``ecosystem`` (suffixes such as ``:12`` are ignored)."""
    return _BY_ECOSYSTEM.get(base_ecosystem(ecosystem), LEXICAL)


def is_known_ecosystem(ecosystem: str) -> bool:
    return base_ecosystem(ecosystem) in _BY_ECOSYSTEM


__all__ = [
    "ALPINE",
    "CRAN",
    "DEBIAN",
    "HACKAGE",
    "MAVEN",
    "NUGET",
    "PACKAGIST",
    "PUB",
    "PYPI",
    "RPM",
    "RUBYGEMS",
    "SEMVER",
    "VersionKey",
    "VersionScheme",
    "base_ecosystem",
    "is_known_ecosystem",
    "scheme_for",
]
