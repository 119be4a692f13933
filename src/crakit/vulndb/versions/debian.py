"""Debian ordering: dpkg's ``verrevcmp`` over epoch, upstream version and revision
(Debian Policy 5.6.12, the comparison OSV's ``Debian`` and ``Ubuntu`` ecosystems use)."""

from __future__ import annotations

from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey


def _order(c: str) -> int:
    if c.isdigit():
        return 0
    if c.isascii() and c.isalpha():
        return ord(c)
    if c == "~":
        return -1
    return ord(c) + 256


def verrevcmp(a: str, b: str) -> int:
    """dpkg's comparison of one upstream-version or revision string."""
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        first_diff = 0
        while (i < la and not a[i].isdigit()) or (j < lb and not b[j].isdigit()):
            ac = _order(a[i]) if i < la else 0
            bc = _order(b[j]) if j < lb else 0
            if ac != bc:
                return ac - bc
            i += 1
            j += 1
        while i < la and a[i] == "0":
            i += 1
        while j < lb and b[j] == "0":
            j += 1
        while i < la and a[i].isdigit() and j < lb and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i += 1
            j += 1
        if i < la and a[i].isdigit():
            return 1
        if j < lb and b[j].isdigit():
            return -1
        if first_diff:
            return first_diff
    return 0


def _split(version: str) -> tuple[int, str, str]:
    v = version.strip()
    epoch = 0
    head, colon, tail = v.partition(":")
    if colon and head.isdigit():
        epoch, v = int(head), tail
    upstream, dash, revision = v.rpartition("-")
    if not dash:
        upstream, revision = v, ""
    return epoch, upstream, revision


def _compare(a: tuple[int, str, str], b: tuple[int, str, str]) -> int:
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    diff = verrevcmp(a[1], b[1]) or verrevcmp(a[2], b[2])
    return (diff > 0) - (diff < 0)


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def debian_key(version: str) -> VersionKey:
    return _Key(_split(version))
