"""Alpine (apk) ordering: ``number{.number}{letter}{_suffix{number}}{~hash}{-r#}``.

Suffix order per apk-package(5): alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p.
"""

from __future__ import annotations

import re
from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey

_NUMBERS = re.compile(r"^(?:\d+\.?)*")
_SUFFIX = re.compile(r"_(alpha|beta|pre|rc|cvs|svn|git|hg|p)(\d*)")
_HASH = re.compile(r"^~[0-9a-f]+")
_BUILD = re.compile(r"^-r(\d*)")
_WEIGHTS = {"alpha": 0, "beta": 1, "pre": 2, "rc": 3, "": 4, "cvs": 5, "svn": 6, "git": 7, "hg": 8, "p": 9}
_NO_SUFFIX = (4, 0)

_Parsed = tuple[str, tuple[str, ...], str, tuple[tuple[int, int], ...], int, str, bool]


def _parse(version: str) -> _Parsed:
    rest = version
    m = _NUMBERS.match(rest)
    numbers: tuple[str, ...] = ()
    if m and m.group(0):
        numbers = tuple(p for p in m.group(0).split(".") if p)
        rest = rest[m.end() :]
    letter = ""
    if rest[:1].isascii() and rest[:1].islower() and rest[:1].isalpha():
        letter, rest = rest[:1], rest[1:]
    suffixes: list[tuple[int, int]] = []
    while True:
        s = _SUFFIX.match(rest)
        if not s:
            break
        suffixes.append((_WEIGHTS[s.group(1)], int(s.group(2) or 0)))
        rest = rest[s.end() :]
    h = _HASH.match(rest)
    if h:
        rest = rest[h.end() :]
    build = 0
    invalid = False
    if rest:
        b = _BUILD.match(rest)
        if b:
            build = int(b.group(1) or 0)
            rest = rest[b.end() :]
        else:
            invalid = True
    return version, numbers, letter, tuple(suffixes), build, rest, invalid


def _cmp_number(i: int, a: str, b: str) -> int:
    # After the first component, a leading zero makes apk compare the digits as text (1.01 < 1.1).
    if i != 0 and (a[:1] == "0" or b[:1] == "0"):
        return (a > b) - (a < b)
    x, y = int(a), int(b)
    return (x > y) - (x < y)


def _compare(a: _Parsed, b: _Parsed) -> int:
    # As OSV's tooling does: two unparsable versions compare as text, and an unparsable tail only
    # matters against a clean one (so the order is total only over valid apk versions).
    if a[6] and b[6]:
        return (a[0] > b[0]) - (a[0] < b[0])
    na, nb = a[1], b[1]
    for i in range(max(len(na), len(nb))):
        diff = _cmp_number(i, na[i] if i < len(na) else "0", nb[i] if i < len(nb) else "0")
        if diff:
            return diff
    if a[2] != b[2]:
        if not a[2]:
            return -1
        if not b[2]:
            return 1
        return -1 if a[2] < b[2] else 1
    sa, sb = a[3], b[3]
    for i in range(max(len(sa), len(sb))):
        x = sa[i] if i < len(sa) else _NO_SUFFIX
        y = sb[i] if i < len(sb) else _NO_SUFFIX
        if x != y:
            return -1 if x < y else 1
    if a[4] != b[4]:
        return -1 if a[4] < b[4] else 1
    if bool(a[5]) != bool(b[5]):
        return -1 if a[5] else 1
    return 0


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def alpine_key(version: str) -> VersionKey:
    return _Key(_parse(version.strip()))
