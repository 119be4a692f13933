"""RPM ordering: ``rpmvercmp`` over epoch, version and release (Red Hat, Rocky Linux, AlmaLinux,
SUSE, openSUSE, Mageia, openEuler ecosystems in OSV)."""

from __future__ import annotations

from functools import cmp_to_key, lru_cache

from crakit.vulndb.versions.interface import VersionKey


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _digit(c: str) -> bool:
    return "0" <= c <= "9"


def rpmvercmp(a: str, b: str) -> int:
    """RPM's segment-wise comparison including ``~`` (sorts before) and ``^`` (sorts after)."""
    if a == b:
        return 0
    i = j = 0
    la, lb = len(a), len(b)
    while i < la or j < lb:
        while i < la and not _alnum(a[i]) and a[i] not in "~^":
            i += 1
        while j < lb and not _alnum(b[j]) and b[j] not in "~^":
            j += 1
        if (i < la and a[i] == "~") or (j < lb and b[j] == "~"):
            if i >= la or a[i] != "~":
                return 1
            if j >= lb or b[j] != "~":
                return -1
            i += 1
            j += 1
            continue
        if (i < la and a[i] == "^") or (j < lb and b[j] == "^"):
            if i >= la:
                return -1
            if j >= lb:
                return 1
            if a[i] != "^":
                return 1
            if b[j] != "^":
                return -1
            i += 1
            j += 1
            continue
        if not (i < la and j < lb):
            break
        si, sj = i, j
        if _digit(a[i]):
            while i < la and _digit(a[i]):
                i += 1
            while j < lb and _digit(b[j]):
                j += 1
            isnum = True
        else:
            while i < la and a[i].isascii() and a[i].isalpha():
                i += 1
            while j < lb and b[j].isascii() and b[j].isalpha():
                j += 1
            isnum = False
        s1, s2 = a[si:i], b[sj:j]
        if not s2:
            return 1 if isnum else -1
        if isnum:
            s1, s2 = s1.lstrip("0"), s2.lstrip("0")
            if len(s1) != len(s2):
                return 1 if len(s1) > len(s2) else -1
        if s1 != s2:
            return 1 if s1 > s2 else -1
    if i >= la and j >= lb:
        return 0
    return 1 if i < la else -1


def _split(version: str) -> tuple[int, str, str | None]:
    v = version.strip()
    epoch = 0
    head, colon, tail = v.partition(":")
    if colon and head.isdigit():
        epoch, v = int(head), tail
    ver, dash, rel = v.rpartition("-")
    if not dash:
        return epoch, v, None
    return epoch, ver, rel


def _compare(a: tuple[int, str, str | None], b: tuple[int, str, str | None]) -> int:
    if a[0] != b[0]:
        return -1 if a[0] < b[0] else 1
    diff = rpmvercmp(a[1], b[1])
    if diff:
        return diff
    # As OSV's Red Hat ordering: a version without a release sorts before the same version with
    # one (1 < 1-0 < 1-1).
    if a[2] is None or b[2] is None:
        return (a[2] is not None) - (b[2] is not None)
    return rpmvercmp(a[2], b[2])


_Key = cmp_to_key(_compare)


@lru_cache(maxsize=65536)
def rpm_key(version: str) -> VersionKey:
    return _Key(_split(version))
