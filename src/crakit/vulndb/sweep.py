"""OSV range evaluation for all versions of one package at once.

:func:`crakit.vulndb.ranges.evaluate` walks a range's events for one version (osv-schema
"Evaluation"). A scan asks the same question for every distinct version of a package the SBOMs
name, against every advisory of that package; walking the events once per (version, advisory)
pair is what made scans slow. Here the versions are sorted once in the ecosystem's ordering and
each range's events are placed among them by bisection, which yields the affected versions as
index spans: O(events · log versions) per advisory instead of O(events · versions).

The answer is exactly the walk's. The walk sets "vulnerable" at every event whose condition holds
(``introduced``/``fixed``: version >= event, ``last_affected``: version > event), in the events'
sorted order, so for a version v the state is set by the last such event. Between two distinct
event versions that state is constant; at an event version the ``last_affected`` events of that
version do not fire yet. ``limit`` events set nothing: a range applies only below its highest
limit (``*`` is no limit at all).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from crakit.vulndb.versions import VersionKey, VersionScheme

Span = tuple[int, int]  # [start, end) into the sorted version keys


# One step of a range's walk: the version's key (None: ``introduced: "0"``, below every version,
# which makes the state affected), the state at that version and the state above it (None: the
# state coming in stays).
Step = tuple[VersionKey | None, bool | None, bool | None]


def walk_range(
    events: Sequence[tuple[str, str]], scheme: VersionScheme
) -> tuple[list[Step], VersionKey | None, bool]:
    """A range's sorted events as steps, one per distinct version (events of equal versions are
    consecutive), with the highest ``limit`` and whether limits bound the range at all.

    The walk sets "vulnerable" at every event whose condition holds, so at a version the state is
    set by its last ``introduced``/``fixed`` event, and above it by its last event of any kind
    (``last_affected`` fires only above its version). Shared by :func:`range_spans` (an SBOM's
    versions) and the package index (a package's version line)."""
    steps: list[Step] = []
    limited = unlimited = False
    highest_limit: VersionKey | None = None
    i, m = 0, len(events)
    while i < m:
        kind, version = events[i]
        if kind == "limit":
            limited = True
            if version == "*":
                unlimited = True
            else:
                key = scheme.key(version)
                if highest_limit is None or highest_limit < key:
                    highest_limit = key
            i += 1
            continue
        if kind == "introduced" and version == "0":  # below every version: no version equals it
            steps.append((None, True, True))
            i += 1
            continue
        key = scheme.key(version)
        at: bool | None = None
        after: bool | None = None
        j = i
        while j < m:
            kind_j, version_j = events[j]
            if kind_j != "limit":
                if j > i and not (version_j == version or scheme.key(version_j) == key):
                    break
                if kind_j == "introduced" and version_j == "0":
                    break
                if kind_j == "introduced":
                    at = after = True
                elif kind_j == "fixed":
                    at = after = False
                else:  # last_affected: fires only above its version
                    after = False
            else:
                limited = True
                if version_j == "*":
                    unlimited = True
                else:
                    limit_key = scheme.key(version_j)
                    if highest_limit is None or highest_limit < limit_key:
                        highest_limit = limit_key
            j += 1
        steps.append((key, at, after))
        i = j
    return steps, highest_limit, limited and not unlimited


def range_spans(
    events: Sequence[tuple[str, str]], scheme: VersionScheme, keys: Sequence[VersionKey]
) -> list[Span]:
    """Index spans of ``keys`` (sorted by ``scheme``) that one range's sorted ``events`` affect."""
    steps, highest_limit, bounded = walk_range(events, scheme)
    n = len(keys)
    spans: list[Span] = []
    state = False
    pos = 0  # keys[:pos] are decided
    for key, at_set, after_set in steps:
        if key is None:
            state = True
            continue
        at = state if at_set is None else at_set
        lo = bisect_left(keys, key, pos)
        if state and lo > pos:
            spans.append((pos, lo))
        hi = bisect_right(keys, key, lo)
        if at and hi > lo:
            spans.append((lo, hi))
        state = state if after_set is None else after_set
        pos = hi
    if state and pos < n:
        spans.append((pos, n))
    if bounded:
        # Affected only below the highest limit (osv-schema: "limit" bounds the whole range).
        cut = n if highest_limit is None else bisect_left(keys, highest_limit)
        spans = [(a, min(b, cut)) for a, b in spans if a < cut]
    return spans
