"""Packagist (Composer) ordering: PHP's ``version_compare`` after Composer's canonical form.

Special forms order: dev < alpha = a < beta = b < RC = rc < (number) < pl = p.
"""

from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey

_SEPARATORS = re.compile(r"[-_+]")
_ALPHA_DIGIT = re.compile(r"([^\d.])(\d)")
_DIGIT_ALPHA = re.compile(r"(\d)([^\d.])")
_SPECIALS = ("dev", "a", "b", "rc", "#", "p")


def _canonical(version: str) -> tuple[str, ...]:
    v = version.strip()
    if v[:1] in ("v", "V"):
        v = v[1:]
    v = _SEPARATORS.sub(".", v)
    v = _ALPHA_DIGIT.sub(r"\1.\2", v)
    v = _DIGIT_ALPHA.sub(r"\1.\2", v)
    return tuple(v.split("."))


def _weight(part: str) -> int:
    if part.startswith("RC"):
        return 3
    for i, special in enumerate(_SPECIALS):
        if part.startswith(special):
            return i
    # PHP: any other string sorts below "dev"; we give it dev's weight like the OSV tooling.
    return 0


def _isnum(part: str) -> bool:
    return part.isdigit() and part.isascii()


def _compare(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    for x, y in zip(a, b, strict=False):
        if _isnum(x) and _isnum(y):
            diff = (int(x) > int(y)) - (int(x) < int(y))
        else:
            wx = 4 if _isnum(x) else _weight(x)
            wy = 4 if _isnum(y) else _weight(y)
            diff = (wx > wy) - (wx < wy)
        if diff:
            return diff
    if len(a) > len(b):
        return 1 if _isnum(a[len(b)]) else _compare(a[len(b) :], ("#",))
    if len(a) < len(b):
        return -1 if _isnum(b[len(a)]) else _compare(("#",), b[len(a) :])
    return 0


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def packagist_key(version: str) -> VersionKey:
    return _Key(_canonical(version))
