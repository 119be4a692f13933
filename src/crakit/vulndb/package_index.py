"""A package's advisories as intervals of its version line, placed once at import.

A scan asks, for every distinct version of a package its SBOMs name, which advisories affect it.
Answering from the raw entries costs a walk (or a bisection) per entry and per scan; most of that
work depends only on the advisories, not on the SBOM. Here it is done once, when the database is
written: every version an advisory names (range events and listed versions) becomes a *point* of
the package's version line, sorted by the ecosystem's ordering, and each entry becomes the
intervals of that line it affects, with the fixed versions each interval reports. A scan then
places a component's version on the line with one bisection and reads the entries off.

Interval numbers, for points ``p[0] < … < p[n-1]``: ``2i`` is strictly between ``p[i-1]`` and
``p[i]`` (below ``p[0]`` for ``i = 0``, above ``p[n-1]`` for ``i = n``), ``2i + 1`` is ``p[i]``
itself (every version equal to it by the ordering). Every version inside one interval gets the
same verdict from every entry, because no event and no listed version falls strictly inside it.

The decision is exactly :func:`crakit.vulndb.ranges.evaluate`'s (osv-schema "Evaluation"): ranges
are placed as :mod:`.sweep` places them, and a listed version affects its point when no range of
the entry does (with every fixed version of the entry, as ``evaluate`` reports it). Entries the
intervals cannot express — a distribution release suffix, only GIT ranges, a bound the ordering
cannot place, a SEMVER range in an ecosystem with another ordering — leave the whole package to the
per-entry path, so one record never mixes the two paths.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from operator import itemgetter

import msgspec

from crakit.vulndb.records import AffectedEntry
from crakit.vulndb.sweep import walk_range
from crakit.vulndb.versions import MAVEN, SEMVER, VersionKey, VersionScheme, scheme_for

# Above this many (entry, interval) spans a package keeps the per-entry path: the index would
# grow with advisories × versions, and decoding it would cost what it saves.
MAX_SPANS = 50_000


class IndexedEntry(msgspec.Struct, array_like=True, frozen=True):
    vuln_id: str
    name: str  # the package name as the record spells it
    # [first, end) interval numbers and the fixed versions the range (or listing) reports there
    spans: tuple[tuple[int, int, tuple[str, ...]], ...]


class PackageIndex(msgspec.Struct, array_like=True, frozen=True):
    points: tuple[str, ...]  # one version per distinct key, sorted by the ecosystem's ordering
    entries: tuple[IndexedEntry, ...]  # in the order the database returns the package's rows


ENCODER = msgspec.msgpack.Encoder()
DECODER = msgspec.msgpack.Decoder(PackageIndex)
_ENTRY = msgspec.msgpack.Decoder(AffectedEntry)


def indexable(entry: AffectedEntry, scheme: VersionScheme) -> bool:
    """Can the intervals express this entry exactly?"""
    if scheme is MAVEN:
        # Maven's ordering is not transitive across qualifier spellings (1.0.RC1 < 1.0 < 1.0-1
        # < 1.0.RC1, as ComparableVersion itself compares them): no single sorted line places
        # every version, so one advisory's bounds would shift another's verdict. Its packages
        # keep the per-entry path.
        return False
    if not entry.prepared or entry.only_git or entry.bad_bound is not None or ":" in entry.ecosystem:
        return False
    return all(r.type != "SEMVER" or scheme is SEMVER for r in entry.ranges)


def build_index(ecosystem: str, rows: Sequence[tuple[str, bytes]]) -> PackageIndex | None:
    """The index of one package from its ``(vuln id, encoded AffectedEntry)`` rows (database
    order), or None when one of them needs the per-entry path."""
    scheme = scheme_for(ecosystem)
    entries = [(vid, _ENTRY.decode(blob)) for vid, blob in rows]
    if not all(indexable(entry, scheme) for _, entry in entries):
        return None
    key = scheme.key
    named: dict[str, None] = {}  # every version the entries name, in a stable order
    for _, entry in entries:
        for rng in entry.ranges:
            if rng.type != "GIT":
                for kind, ver in rng.events:
                    if not (ver == "0" and kind == "introduced") and not (ver == "*" and kind == "limit"):
                        named[ver] = None
        named.update(dict.fromkeys(entry.versions))
    try:
        ordered = sorted(((ver, key(ver)) for ver in named), key=itemgetter(1))
    except (TypeError, ValueError):  # keys this ordering cannot compare: keep the per-entry path
        return None
    points: list[str] = []
    keys: list[VersionKey] = []
    for ver, k in ordered:
        if not keys or keys[-1] != k:
            points.append(ver)
            keys.append(k)
    line = _Line(keys)
    placed: list[tuple[str, str, list[tuple[int, int, tuple[str, ...]]]]] = []
    total = 0
    for vid, entry in entries:
        try:
            spans = _entry_spans(entry, scheme, line)
        except _Unplaced:  # an ordering that is not a total order here: per-entry path
            return None
        total += len(spans)
        if total > MAX_SPANS:
            return None
        placed.append((vid, entry.name, spans))
    return _compact(points, placed)


def _compact(
    points: list[str], placed: list[tuple[str, str, list[tuple[int, int, tuple[str, ...]]]]]
) -> PackageIndex:
    """Drop the points no span starts or ends at, and renumber the spans.

    A point matters only where some span's membership changes: entering it (boundary ``2i + 1``)
    or leaving it (``2i + 2``). The others — most listed versions, which lie inside their own
    ranges — split intervals into pieces every entry treats alike; without them the line a scan
    decodes and bisects is a fraction as long."""
    bounds = {x for _, _, spans in placed for a, b, _ in spans for x in (a, b)}
    renumber: dict[int, int] = {0: 0, 2 * len(points) + 1: 0}
    kept: list[str] = []
    for i, point in enumerate(points):
        if 2 * i + 1 in bounds or 2 * i + 2 in bounds:
            j = len(kept)
            kept.append(point)
            renumber[2 * i + 1], renumber[2 * i + 2] = 2 * j + 1, 2 * j + 2
    renumber[2 * len(points) + 1] = 2 * len(kept) + 1  # above the last point (may equal 2j + 2 above)
    return PackageIndex(
        tuple(kept),
        tuple(
            IndexedEntry(vid, name, tuple((renumber[a], renumber[b], fx) for a, b, fx in spans))
            for vid, name, spans in placed
        ),
    )


class _Unplaced(Exception):
    """A version the sorted line cannot find again: the ordering is not total over these versions."""


class _Line:
    """The sorted point keys, and where a version falls among them."""

    __slots__ = ("keys",)

    def __init__(self, keys: list[VersionKey]) -> None:
        self.keys = keys

    def point(self, k: VersionKey) -> int:
        """Index of the point equal to ``k`` (every event and listed version is one)."""
        i = bisect_left(self.keys, k)
        if i == len(self.keys) or self.keys[i] != k:
            raise _Unplaced  # every named version was put there; only a non-total ordering loses one
        return i


def _entry_spans(
    entry: AffectedEntry, scheme: VersionScheme, line: _Line
) -> list[tuple[int, int, tuple[str, ...]]]:
    spans: list[tuple[int, int, tuple[str, ...]]] = []
    top = 2 * len(line.keys) + 1  # one past the last interval
    for rng in entry.ranges:
        if rng.type == "GIT":
            continue
        fixed = tuple(ver for kind, ver in rng.events if kind == "fixed")
        spans.extend((a, b, fixed) for a, b in _merged(_range_intervals(rng.events, scheme, line, top)))
    if entry.versions:
        all_fixed = tuple(v for r in entry.ranges if r.type != "GIT" for k, v in r.events if k == "fixed")
        ranged = list(spans)  # the ranges' spans only: a listing adds nothing inside them
        listed: set[int] = set()
        for ver in entry.versions:
            at = 2 * line.point(scheme.key(ver)) + 1
            if at not in listed and not any(a <= at < b for a, b, _ in ranged):
                listed.add(at)
                spans.append((at, at + 1, all_fixed))
    return spans


def _merged(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent intervals of one range as one span (``introduced`` gives its point and the gap
    above it): fewer spans to test, and most entries end up with one."""
    out: list[tuple[int, int]] = []
    for a, b in intervals:
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _range_intervals(
    events: Sequence[tuple[str, str]], scheme: VersionScheme, line: _Line, top: int
) -> list[tuple[int, int]]:
    """The intervals one range's sorted events affect: the walk of :func:`.sweep.range_spans`,
    with the line's intervals in place of an SBOM's versions."""
    steps, highest_limit, bounded = walk_range(events, scheme)
    out: list[tuple[int, int]] = []
    state = False
    pos = 0  # intervals below pos are decided
    for key, at_set, after_set in steps:
        if key is None:
            state = True
            continue
        p = 2 * line.point(key) + 1
        if state and p > pos:
            out.append((pos, p))
        if state if at_set is None else at_set:
            out.append((p, p + 1))
        state = state if after_set is None else after_set
        pos = p + 1
    if state and pos < top:
        out.append((pos, top))
    if bounded:
        cut = top if highest_limit is None else 2 * line.point(highest_limit) + 1
        out = [(a, min(b, cut)) for a, b in out if a < cut]
    return out


def interval_of(keys: Sequence[VersionKey], k: VersionKey) -> int:
    """The interval number of a version with key ``k``, given every point's key (for many versions
    of one package: the points are keyed once and bisected in C)."""
    i = bisect_left(keys, k)
    return 2 * i + 1 if i < len(keys) and bool(keys[i] == k) else 2 * i


def locate(points: Sequence[str], key: Callable[[str], VersionKey], version: str) -> int:
    """The interval number of ``version`` on a line of ``points``. Bisects the point strings,
    keying only the ones it visits (log n keys rather than one per point: most packages a scan
    meets ship one or two versions)."""
    k = key(version)
    lo, hi = 0, len(points)
    while lo < hi:
        mid = (lo + hi) // 2
        if key(points[mid]) < k:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(points) and key(points[lo]) == k:
        return 2 * lo + 1
    return 2 * lo


def refresh_package_index(conn: sqlite3.Connection, packages: set[tuple[str, str]] | None = None) -> int:
    """Rebuild the index rows of ``packages`` ((ecosystem, name) pairs whose ``affected`` rows
    changed), or of every package when None. Run inside the importer's transaction, so the index
    never disagrees with the entries it was built from. Returns the packages written."""
    if packages is None:
        conn.execute("DELETE FROM package_index")
        cursor = conn.execute(
            "SELECT ecosystem, name, vuln_id, data FROM affected ORDER BY ecosystem, name, rowid"
        )
        whole = (
            (ecosystem, name, [(vid, data) for _, _, vid, data in rows])
            for (ecosystem, name), rows in groupby(cursor, key=itemgetter(0, 1))
        )
        return _write(conn, whole, set())
    groups: list[tuple[str, str, list[tuple[str, bytes]]]] = []
    for ecosystem, name in sorted(packages):
        rows = conn.execute(
            "SELECT vuln_id, data FROM affected WHERE ecosystem = ? AND name = ? ORDER BY rowid",
            (ecosystem, name),
        ).fetchall()
        groups.append((ecosystem, name, rows))
    return _write(conn, groups, packages)


def _write(
    conn: sqlite3.Connection,
    groups: Iterable[tuple[str, str, list[tuple[str, bytes]]]],
    packages: set[tuple[str, str]],
) -> int:
    out: list[tuple[str, str, bytes | None]] = []
    for ecosystem, name, rows in groups:
        if not rows:
            continue
        index = build_index(ecosystem, rows)
        out.append((ecosystem, name, None if index is None else ENCODER.encode(index)))
    gone = packages - {(e, n) for e, n, _ in out}
    conn.executemany("DELETE FROM package_index WHERE ecosystem = ? AND name = ?", sorted(gone))
    conn.executemany("INSERT OR REPLACE INTO package_index VALUES (?,?,?)", out)
    return len(out)
