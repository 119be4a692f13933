"""OSV range evaluation exactly as osv-schema ``docs/schema.md`` ("Evaluation") defines it.

A version is affected when it equals one of ``versions`` or lies in one of the ranges: events
sorted by version (``introduced: "0"`` first), ``introduced`` opens, ``fixed`` closes (exclusive),
``last_affected`` closes (inclusive), and the whole range applies only below one of its ``limit``
events (``*`` = infinity). ``SEMVER`` ranges compare with SemVer 2.0, ``ECOSYSTEM`` ranges with the
ecosystem's own ordering; ``GIT`` ranges name commits and are reported as not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from crakit.vulndb.records import AffectedEntry, Range, StoredEntry, decode_strings, encoded_contains
from crakit.vulndb.versions import SEMVER, VersionKey, VersionScheme, scheme_for


@dataclass(frozen=True, slots=True)
class Verdict:
    affected: bool
    evaluated: bool  # False: only GIT ranges (or nothing) to go on, and no versions list
    fixed: tuple[str, ...] = ()


class _Bottom:
    """Sorts below every version: OSV's ``introduced: "0"``."""

    def __lt__(self, other: object) -> bool:
        return other is not self

    def __gt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return other is self


class _Top:
    """Sorts above every version: ``limit: "*"``."""

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return other is not self

    def __le__(self, other: object) -> bool:
        return other is self

    def __ge__(self, other: object) -> bool:
        return True


BOTTOM = _Bottom()
TOP = _Top()


def _event_key(scheme: VersionScheme, kind: str, version: str) -> VersionKey:
    if kind == "introduced" and version == "0":
        return BOTTOM
    if kind == "limit" and version == "*":
        return TOP
    return scheme.key(version)


def _sort_key(item: tuple[VersionKey, int, str, str]) -> _Sortable:
    return _Sortable(item[0], item[1])


class _Sortable:
    """Wraps keys so BOTTOM/TOP sort correctly against real keys in ``sorted``."""

    __slots__ = ("index", "key")

    def __init__(self, key: VersionKey, index: int) -> None:
        self.key = key
        self.index = index

    def __lt__(self, other: _Sortable) -> bool:
        a, b = self.key, other.key
        if a is BOTTOM or b is TOP:
            return a is not b or self.index < other.index
        if a is TOP or b is BOTTOM:
            return False
        if a < b:
            return True
        if b < a:
            return False
        return self.index < other.index  # equal versions keep the record's order (stable)


def sorted_events(rng: Range, scheme: VersionScheme) -> tuple[tuple[str, str], ...]:
    keyed = [(_event_key(scheme, kind, ver), i, kind, ver) for i, (kind, ver) in enumerate(rng.events)]
    return tuple((kind, ver) for _k, _i, kind, ver in sorted(keyed, key=_sort_key))


def prepare(entry: AffectedEntry) -> AffectedEntry:
    """Sort every range's events and canonicalise the versions list, once, when importing."""
    if entry.prepared:
        return entry
    scheme = scheme_for(entry.ecosystem)
    ranges = tuple(
        rng
        if rng.type == "GIT"
        else Range(rng.type, sorted_events(rng, SEMVER if rng.type == "SEMVER" else scheme))
        for rng in entry.ranges
    )
    canon = tuple(scheme.canonical(v) for v in entry.versions) if scheme.canonical else ()
    return AffectedEntry(
        entry.ecosystem,
        entry.name,
        ranges,
        entry.versions,
        canon,
        True,
        has_only_git(entry),
        invalid_bound(entry, scheme),
    )


def _in_range(events: tuple[tuple[str, str], ...], scheme: VersionScheme, v: VersionKey) -> bool:
    """Walk events already sorted by version (osv-schema "Evaluation")."""
    limited = False
    below_a_limit = False
    vulnerable = False
    for kind, ver in events:
        if kind == "introduced":
            if ver == "0" or v >= scheme.key(ver):
                vulnerable = True
        elif kind == "fixed":
            if v >= scheme.key(ver):
                vulnerable = False
        elif kind == "last_affected":
            if v > scheme.key(ver):
                vulnerable = False
        elif kind == "limit":
            limited = True
            if ver == "*" or v < scheme.key(ver):
                below_a_limit = True
    return vulnerable and (below_a_limit or not limited)


def _listed(entry: AffectedEntry | StoredEntry, scheme: VersionScheme, version: str, v: VersionKey) -> bool:
    if isinstance(entry, AffectedEntry):
        if version in entry.versions:
            return True
        if not entry.versions:
            return False
        if scheme.canonical is not None and entry.canon:
            return scheme.canonical(version) in entry.canon
        return any(scheme.key(x) == v for x in entry.versions)
    if len(entry.versions) <= 1:  # b"\x90": the empty list
        return False
    if encoded_contains(entry.versions, version):
        return True
    if scheme.canonical is not None and len(entry.canon) > 1:
        return encoded_contains(entry.canon, scheme.canonical(version))
    return any(scheme.key(x) == v for x in decode_strings(entry.versions))


def listed(entry: AffectedEntry | StoredEntry, scheme: VersionScheme, version: str) -> bool:
    """Is ``version`` one of the entry's explicitly listed ``versions`` (by the ordering's equality)?"""
    return _listed(entry, scheme, version, scheme.key(version))


def evaluate(
    entry: AffectedEntry | StoredEntry, version: str, scheme: VersionScheme | None = None
) -> Verdict:
    """Is ``version`` of the entry's package affected? (``scheme``: the entry's ordering, when the
    caller already knows it.)"""
    if isinstance(entry, AffectedEntry) and not entry.prepared:
        entry = prepare(entry)
    if scheme is None:
        scheme = scheme_for(entry.ecosystem)
    v = scheme.key(version)
    affected = False
    evaluated = has_versions(entry)
    fixed: list[str] = []
    for rng in entry.ranges:
        if rng.type == "GIT":
            continue
        evaluated = True
        rng_scheme = SEMVER if rng.type == "SEMVER" else scheme
        rv = v if rng_scheme is scheme else rng_scheme.key(version)
        if _in_range(rng.events, rng_scheme, rv):
            affected = True
            fixed.extend(ver for kind, ver in rng.events if kind == "fixed")
    if not affected and _listed(entry, scheme, version, v):
        affected = True
        fixed.extend(
            ver for rng in entry.ranges if rng.type != "GIT" for kind, ver in rng.events if kind == "fixed"
        )
    if not affected:
        return Verdict(False, evaluated)
    return Verdict(True, True, tuple(dict.fromkeys(fixed)))


def invalid_bound(entry: AffectedEntry | StoredEntry, scheme: VersionScheme) -> str | None:
    """The first range event the ordering cannot place ("0" and "*" are markers, not versions).

    Such a range cannot be evaluated: a misplaced bound would silently turn "fixed in X" into
    "never affected" or "always affected".
    """
    for rng in entry.ranges:
        if rng.type == "GIT":
            continue
        rng_scheme = SEMVER if rng.type == "SEMVER" else scheme
        for kind, ver in rng.events:
            if ver in ("0", "*") and kind in ("introduced", "limit"):
                continue
            if not rng_scheme.accepts(ver):
                return ver
    return None


def has_versions(entry: AffectedEntry | StoredEntry) -> bool:
    if isinstance(entry, AffectedEntry):
        return bool(entry.versions)
    return len(entry.versions) > 1


def has_only_git(entry: AffectedEntry | StoredEntry) -> bool:
    return not has_versions(entry) and all(r.type == "GIT" for r in entry.ranges)
