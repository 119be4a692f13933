"""Mapping between purl types and OSV ecosystems, and each ecosystem's name normalisation.

The database stores OSV package names normalised with :func:`normalise_name`; a purl is
normalised the same way, so that ``pkg:pypi/Django`` finds the ``PyPI`` record for ``django``.
"""

from __future__ import annotations

import re
from functools import lru_cache

import msgspec

from crakit.sbom import decode_purl, plain_parts
from crakit.vulndb.versions import base_ecosystem

_PEP503 = re.compile(r"[-_.]+")

# purl type -> OSV ecosystem (purl-spec types/*.json, osv-schema ecosystems.json)
PURL_TYPES: dict[str, str] = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "cargo": "crates.io",
    "maven": "Maven",
    "gem": "RubyGems",
    "nuget": "NuGet",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "swift": "SwiftURL",
    "hackage": "Hackage",
    "cran": "CRAN",
    "bitnami": "Bitnami",
    "githubactions": "GitHub Actions",
    "github": "GitHub Actions",
}

# Distribution purls: the namespace names the distribution.
DISTRO_NAMESPACES: dict[tuple[str, str], str] = {
    ("deb", "debian"): "Debian",
    ("deb", "ubuntu"): "Ubuntu",
    ("apk", "alpine"): "Alpine",
    ("apk", "wolfi"): "Wolfi",
    ("apk", "chainguard"): "Chainguard",
    ("rpm", "redhat"): "Red Hat",
    ("rpm", "rocky"): "Rocky Linux",
    ("rpm", "rocky-linux"): "Rocky Linux",
    ("rpm", "almalinux"): "AlmaLinux",
    ("rpm", "suse"): "SUSE",
    ("rpm", "sles"): "SUSE",
    ("rpm", "opensuse"): "openSUSE",
    ("rpm", "mageia"): "Mageia",
    ("rpm", "openeuler"): "openEuler",
}

# npm names are case-sensitive (purl-spec npm definition: old mixed-case packages were kept).
_LOWER = frozenset(
    {
        "NuGet",
        "Packagist",
        "Hex",
        "Pub",
        "Debian",
        "Ubuntu",
        "Alpine",
        "Wolfi",
        "Chainguard",
        "Hackage",
    }
)


@lru_cache(maxsize=65536)
def normalise_name(ecosystem: str, name: str) -> str:
    """The name under which records of ``ecosystem`` are stored and looked up."""
    eco = base_ecosystem(ecosystem)
    if eco == "PyPI":
        return _PEP503.sub("-", name).lower()  # PEP 503
    if eco == "crates.io":
        return name.lower().replace("_", "-")  # crates.io treats - and _ and case as one name
    if eco in _LOWER:
        return name.lower()
    return name


class PackageRef(msgspec.Struct, frozen=True):
    """What the matcher needs from one purl (a Struct: one is built per component scanned)."""

    ecosystem: str  # base OSV ecosystem
    name: str  # normalised
    version: str | None
    release: str | None  # distribution release from the ``distro`` qualifier ("12", "v3.18")
    # Distribution advisories name *source* packages; syft writes the source as the ``upstream``
    # qualifier ("util-linux@2.36.1-8+deb11u1" or just "fontconfig"): (name, version or None).
    source: tuple[str, str | None] | None = None


def _release(ecosystem: str, qualifiers: dict[str, str]) -> str | None:
    distro = qualifiers.get("distro")
    if not distro:
        return None
    # "debian-12", "alpine-3.18", "ubuntu-22.04" -> the release part OSV writes after ":".
    release = distro.rsplit("-", 1)[-1] if "-" in distro else distro
    if ecosystem == "Alpine" and release[:1].isdigit():
        parts = release.split(".")
        release = "v" + ".".join(parts[:2])
    return release


_NO_QUALIFIERS: dict[str, str] = {}
_JOINED = frozenset({"npm", "golang", "composer", "swift", "github", "githubactions"})


def _package_name(ptype: str, namespace: str, name: str) -> tuple[str, str] | None:
    """(OSV ecosystem, the package's name as that ecosystem's records write it, not normalised),
    or None when the purl type (and namespace, for distributions) has no OSV ecosystem."""
    ecosystem = PURL_TYPES.get(ptype)
    if ecosystem is None:
        ecosystem = DISTRO_NAMESPACES.get((ptype, namespace.lower()))
        return None if ecosystem is None else (ecosystem, name)
    if ptype == "maven":
        return ecosystem, f"{namespace}:{name}" if namespace else name
    if ptype in _JOINED:
        return ecosystem, f"{namespace}/{name}" if namespace else name
    return ecosystem, name


def plain_package(ptype: str, namespace: str, name: str) -> tuple[str, str] | None:
    """(ecosystem, normalised name) of a purl's package from its decoded type, namespace and name,
    as :func:`read_package_ref` finds it for a purl without qualifiers; None when the type has no
    OSV ecosystem. The scanner resolves each package of an SBOM once this way, without reading
    the purl again or building a :class:`PackageRef`."""
    place = _package_name(ptype, namespace, name)
    return None if place is None else (place[0], normalise_name(place[0], place[1]))


def read_package_ref(purl: str) -> PackageRef | None:
    """Where to look up ``purl``; None when its type has no OSV ecosystem (uncached: the scanner
    reads each distinct purl once; :func:`package_ref` caches for callers that repeat them).

    Raises :class:`crakit.sbom.PurlError` when ``purl`` is not a valid package URL.
    """
    parts = plain_parts(purl)
    if parts is not None:
        ptype, namespace, name, version = parts
        qualifiers = _NO_QUALIFIERS
    else:
        p = decode_purl(purl)
        ptype, namespace, name, version = p.type, p.namespace or "", p.name, p.version
        qualifiers = dict(p.qualifiers)
    place = _package_name(ptype, namespace, name)
    if place is None:
        return None
    ecosystem, full = place
    if ptype == "golang" and version and version.startswith("go") and version[2:3].isdigit():
        version = version[2:]  # the Go toolchain's "go1.21.3" (stdlib, toolchain) is 1.21.3 to OSV
    if ptype == "rpm" and version and "epoch" in qualifiers and ":" not in version:
        version = f"{qualifiers['epoch']}:{version}"
    source: tuple[str, str | None] | None = None
    upstream = qualifiers.get("upstream")
    if upstream and ptype in ("deb", "rpm", "apk"):
        src_name, _, src_version = upstream.partition("@")
        if src_name and normalise_name(ecosystem, src_name) != normalise_name(ecosystem, full):
            source = (normalise_name(ecosystem, src_name), src_version or None)
    return PackageRef(
        ecosystem,
        normalise_name(ecosystem, full),
        version,
        _release(ecosystem, qualifiers) if qualifiers else None,
        source,
    )


package_ref = lru_cache(maxsize=131072)(read_package_ref)
