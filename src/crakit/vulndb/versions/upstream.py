"""Upstream release versions as NVD CPE configurations and CVE 5 records write them.

C/C++ projects have no registry that fixes a version syntax, so this ordering is deliberately
narrow: dotted numbers, an optional letter release (OpenSSL ``1.1.1w`` < ``1.1.1za``), and
pre-releases (``3.0.0-alpha1`` < ``3.0.0``). It *refuses* what it cannot place instead of guessing:
dates (``2023-07-06``, ``20230706``), ``git describe`` strings (``0.2-255-g0dbb3f71c5f6``), commit
hashes, ``+git`` snapshot versions. Firmware build systems add a packaging revision, which is
stripped first (:func:`upstream_version`): Debian/OpenWrt ``1.1.1w-1``, Yocto/Alpine ``-r0``, an
epoch ``1:``, ``+deb12u1``/``ubuntu`` suffixes; a ``v`` prefix and wolfSSL's ``-stable`` go too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crakit.vulndb.versions.interface import VersionScheme

_PRE = {
    "dev": 0,
    "snapshot": 0,
    "alpha": 1,
    "a": 1,
    "beta": 2,
    "b": 2,
    "pre": 3,
    "preview": 3,
    "rc": 4,
    "cr": 4,
}
_DATE = re.compile(r"^(19|20)\d{2}([-._]?)(0[1-9]|1[0-2])\2([0-2]\d|3[01])$")
_DESCRIBE = re.compile(r"-\d+-g[0-9a-f]{6,}$")
_HASH = re.compile(r"^[0-9a-f]{7,40}$")
_TOKEN = re.compile(r"\d+|[a-z]+")
_SHAPE = re.compile(r"^\d+(?:[._]\d+)*[a-z]*(?:[-._~]?[a-z]+[-._]?\d*(?:\.\d+)*)?$")


class VersionRefused(ValueError):
    """A version string this ordering will not place (a date, a git description, a hash)."""


def upstream_version(version: str) -> str:
    """The upstream release inside a packaged version, or raise :class:`VersionRefused`."""
    v = version.strip().lower()
    if not v or len(v) > 64:
        raise VersionRefused(f"{version!r} is not a release version")
    if _DESCRIBE.search(v) or "git" in v or "svn" in v:
        raise VersionRefused(f"{version!r} is a git snapshot, not a release")
    v = re.sub(r"^\d+:", "", v)  # Debian/RPM epoch
    v = re.sub(r"^(v|version|release)[-_.]?(?=\d)", "", v)
    v = re.sub(r"[-_]stable$", "", v)  # wolfSSL tags its releases v5.6.6-stable
    v = re.sub(r"-r\d+$", "", v)  # Yocto PR, Alpine and OpenWrt package release
    v = re.sub(r"\+(deb|dfsg|ubuntu|really|nmu|b\d).*$", "", v)
    v = re.sub(r"-\d+(ubuntu\S*|deb\S*|\.\d+)*$", "", v)  # Debian/OpenWrt revision: 1.1.1w-1
    if _DATE.match(v) or re.fullmatch(r"(19|20)\d{6}(\d{4,6})?", v):
        raise VersionRefused(f"{version!r} is a date, not a release version")
    if _HASH.match(v) and not v.isdigit():
        raise VersionRefused(f"{version!r} is a commit hash, not a release version")
    if not _SHAPE.match(v):
        raise VersionRefused(f"{version!r} is not an upstream release version")
    return v


@lru_cache(maxsize=65536)
def upstream_key(version: str) -> tuple[object, ...]:
    """Sort key of an upstream version; raises :class:`VersionRefused`.

    Numbers compare as numbers and trailing ``.0`` components do not count (``1.0`` == ``1.0.0``);
    a letter run straight after the last number is a later release (``1.0.2`` < ``1.0.2a`` <
    ``1.0.2za``); a pre-release word sorts before the release it precedes."""
    v = upstream_version(version)
    tokens = _TOKEN.findall(v)
    numbers: list[int] = []
    i = 0
    while i < len(tokens) and tokens[i].isdigit():
        numbers.append(int(tokens[i]))
        i += 1
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    key: list[object] = [(3, n) for n in numbers]
    rest = tokens[i:]
    letter_release = (
        bool(rest)
        and not rest[0].isdigit()
        and (rest[0] not in _PRE or (len(rest[0]) == 1 and (len(rest) == 1 or not rest[1].isdigit())))
    )
    if letter_release:  # OpenSSL 1.1.1a, 1.1.1w, 1.1.1za; a patch word (OpenSSH 9.6p1)
        key.append((2, rest[0]))
        rest = rest[1:]
    for tok in rest:
        if tok.isdigit():
            key.append((3, int(tok)))
        elif tok in _PRE:
            key.append((0, _PRE[tok]))
        else:
            key.append((2, tok))
    key.append((1,))  # the end of a version sorts after its pre-releases, before any suffix
    return tuple(key)


def accepts(version: str) -> bool:
    try:
        upstream_key(version)
    except VersionRefused:
        return False
    return True


UPSTREAM = VersionScheme("upstream", upstream_key, None, accepts)
