"""What each ``vers`` type means: its version ordering and its ecosystem's native range notation.

Orderings: a ``vers`` type that names an ecosystem the scanner knows uses the scanner's own
ordering (:mod:`crakit.vulndb.versions`), so a VEX range and an OSV range can never disagree about
where a version lies (CRA Annex I Part I(2)(a) decisions rest on both). The general types
``lexicographic``, ``intdot`` and ``datetime`` are implemented here from the vers-types text;
``alpm``, ``openssl``, ``conan``, ``nginx`` and ``gentoo``/``ebuild`` come from univers, imported
only when such a type is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from crakit.vulndb import versions as V
from crakit.vulndb.vers import Vers, VersError, VersSyntaxError, VersTypeError, _decoded, normalise

Key = Callable[[str], Any]

_CRAKIT: dict[str, V.VersionScheme] = {
    "pypi": V.PYPI,
    "npm": V.SEMVER,
    "semver": V.SEMVER,
    "cargo": V.SEMVER,
    "golang": V.SEMVER,
    "hex": V.SEMVER,
    "swift": V.SEMVER,
    "github": V.SEMVER,
    "maven": V.MAVEN,
    "gem": V.RUBYGEMS,
    "nuget": V.NUGET,
    "composer": V.PACKAGIST,
    "deb": V.DEBIAN,
    "apk": V.ALPINE,
    "rpm": V.RPM,
    "pub": V.PUB,
    "dart": V.PUB,
    "hackage": V.HACKAGE,
    "cran": V.CRAN,
}

# vers type -> univers version class name (types crakit's scanner has no ordering for).
_UNIVERS = {
    "alpm": "ArchLinuxVersion",
    "openssl": "OpensslVersion",
    "conan": "ConanVersion",
    "nginx": "NginxVersion",
    "gentoo": "GentooVersion",
    "ebuild": "GentooVersion",
    "mattermost": "SemverVersion",
    "mozilla": "SemverVersion",
}

_INTDOT = re.compile(r"[0-9.]*")
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})\Z")


def lexicographic_key(version: str) -> bytes:
    """vers-types "lexicographic": unsigned UTF-8 bytes, no Unicode normalisation."""
    return version.encode("utf-8", "surrogatepass")


def intdot_key(version: str) -> tuple[int, ...]:
    """vers-types "intdot": dot-separated non-negative integers, leading zeros ignored, reading
    stops at the first character that is neither a digit nor a dot. (univers 32 compares the
    digit strings' leading zeros, so ``1.02`` != ``1.2`` there, against the type's text.)"""
    head = _INTDOT.match(version)
    digits = head.group(0) if head else ""
    return tuple(int(p) if p else 0 for p in digits.split(".")) if digits else ()


def datetime_key(version: str) -> datetime:
    """vers-types "datetime": an RFC 3339 section 5.6 timestamp, compared as an instant."""
    if not _RFC3339.match(version):
        raise VersTypeError(f"{version!r} is not an RFC 3339 date-time")
    return datetime.fromisoformat(version.upper().replace("Z", "+00:00"))


def _univers_key(class_name: str) -> Key:
    def key(version: str) -> Any:
        from univers import versions as U

        cls = getattr(U, class_name)
        if not cls.is_valid(version):
            raise VersTypeError(f"{version!r} is not a valid {class_name} version")
        return cls(version)

    return key


@lru_cache(maxsize=64)
def ordering(scheme: str) -> Key | None:
    """Sort key of ``scheme``'s versions, or None when crakit knows no ordering for the type."""
    if scheme in _CRAKIT:
        return _CRAKIT[scheme].key
    if scheme == "lexicographic":
        return lexicographic_key
    if scheme == "intdot":
        return intdot_key
    if scheme == "datetime":
        return datetime_key
    if scheme in _UNIVERS:
        return _univers_key(_UNIVERS[scheme])
    return None


def compare(scheme: str, a: str, b: str) -> int:
    """-1, 0 or 1 for two versions of ``scheme`` (vers-spec "comparison"/"equality")."""
    key = ordering(scheme)
    if key is None:
        raise VersTypeError(f"vers type {scheme!r} has no version ordering crakit knows")
    ka, kb = key(a), key(b)
    return int(ka > kb) - int(ka < kb)


def from_native(scheme: str, native: str, *, dialect: str = "native") -> Vers:
    """Convert an ecosystem's own range notation (``~>2.0.8`` for gem, ``[1.0,2.0)`` for nuget,
    ``>= 1.0`` for pypi, ``^1.2`` for npm/conan, ``1.0.1b, 3.0.0`` for openssl...) to a canonical
    ``vers``. ``dialect="gitlab"`` reads GitLab advisory ranges (``>=1.0 <1.4||>=2.0 <2.1``).

    The conversion is univers's (it matches every vers-spec and univers from_native vector);
    its result is re-read with crakit's parser and sorted by crakit's ordering.
    """
    if not isinstance(native, str) or len(native) > 65536:
        raise VersSyntaxError("a native range must be a string of reasonable length")
    from univers import version_range

    R: Any = version_range  # univers has no type hints
    try:
        if dialect == "gitlab":
            converted = R.from_gitlab_native(scheme, native)
        elif dialect == "native":
            cls = R.RANGE_CLASS_BY_SCHEMES.get(scheme)
            if cls is None:
                raise VersTypeError(f"no native range notation known for vers type {scheme!r}")
            converted = cls.from_native(native)
        else:
            raise VersError(f"unknown native range dialect {dialect!r}")
    except VersError:
        raise
    except Exception as exc:  # univers raises ValueError, its own errors, NotImplementedError
        raise VersTypeError(
            f"cannot read {scheme} range {native!r}: {str(exc) or type(exc).__name__}"
        ) from None
    return normalise(_decoded(str(converted), strict=False))


__all__ = ["compare", "datetime_key", "from_native", "intdot_key", "lexicographic_key", "ordering"]
