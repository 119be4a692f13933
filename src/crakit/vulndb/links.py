"""Each record's names for folding and the CVEs its ``related`` ids lead to, derived at import.

A scan folds the records that matched one component when they share a name, and joins CISA KEV
through CVE ids. A record's names are its id, its aliases and the CVE ids of the records one
alias step away (a PYSEC naming a GHSA that names the CVE); the CVEs it is ``related`` to come
from its own ``related`` ids and those of the records one step away (they describe the same
flaw), a non-CVE related id leading to the CVEs that record aliases.

These depend on the records alone, not on the SBOM, so the importer derives them once and again
only for the records an update touches; deriving them for every matched record at scan time
cost a third of a scan. Records one step away are symmetric: when a record changes, only it and
the records one step from it (before and after the change), and the records naming it as
related, need new names.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import orjson

from crakit.vulndb.chunked import rows_in


def _is_cve(name: str) -> bool:
    return name.startswith("CVE-")


def _single_flaw(vid: str, records: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> bool:
    """Does the record name at most one CVE (itself or among its aliases)?"""
    return sum(1 for c in (vid, *records[vid][0]) if _is_cve(c)) <= 1


def _select(conn: sqlite3.Connection, sql: str, values: Iterable[str]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (with one ``{marks}`` placeholder list) over ``values`` in chunks."""
    return list(rows_in(conn, sql, values))


def _records(
    conn: sqlite3.Connection, ids: Iterable[str]
) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """id -> (aliases, related) of the records among ``ids``."""
    return {
        vid: (tuple(orjson.loads(aliases)), tuple(orjson.loads(related)))
        for vid, aliases, related in _select(
            conn, "SELECT id, aliases, related FROM vulns WHERE id IN ({marks})", ids
        )
    }


def neighbourhood(conn: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """``ids``, the records one alias step from them, and the records naming any of them as related."""
    ids = set(ids)
    own = _records(conn, ids)
    names = set(ids) | {a for aliases, _ in own.values() for a in aliases}
    found = set(ids)
    found.update(
        v for _, v in _select(conn, "SELECT alias, vuln_id FROM aliases WHERE alias IN ({marks})", names)
    )
    found.update(v for v, _ in _select(conn, "SELECT id, id FROM vulns WHERE id IN ({marks})", names))
    holders = {
        v
        for _, v in _select(
            conn, "SELECT related, vuln_id FROM related_links WHERE related IN ({marks})", ids
        )
    }
    if holders:
        found |= neighbourhood(conn, holders - found) if holders - found else set()
        found |= holders
    return found


def refresh_links(conn: sqlite3.Connection, ids: set[str] | None = None) -> int:
    """Derive ``names`` and ``related_cves`` for ``ids`` (every record when None); returns the count."""
    if ids is None:
        ids = {row[0] for row in conn.execute("SELECT id FROM vulns")}
    if not ids:
        return 0
    own = _records(conn, ids)
    pool = set(own) | {a for aliases, _ in own.values() for a in aliases}
    # Records listing one of the pool's names as an alias, and records the pool names.
    reverse: dict[str, set[str]] = defaultdict(set)
    for alias, vid in _select(conn, "SELECT alias, vuln_id FROM aliases WHERE alias IN ({marks})", pool):
        reverse[alias].add(vid)
    near = (pool | {v for vs in reverse.values() for v in vs}) - own.keys()
    records = own | _records(conn, near)
    holders = {vid for vid, (_, related) in records.items() if related}
    others = {r for h in holders for r in records[h][1] if not _is_cve(r)} - records.keys()
    if others:
        records |= _records(conn, others)

    def step(vid: str) -> set[str]:
        aliases = records[vid][0]
        out: set[str] = set()
        for name in (vid, *aliases):
            out |= reverse.get(name, set())
            if name != vid and name in records:
                out.add(name)
        out.discard(vid)
        return out

    rows: list[tuple[str, str, str]] = []
    for vid in own:
        aliases = records[vid][0]
        near_records = step(vid)
        names = {vid, *aliases}
        for other in near_records:
            # A neighbour's CVE is carried over only when the neighbour names one CVE: an advisory
            # covering several flaws (RUSTSEC-2021-0110 lists three CVEs, each with its own PYSEC)
            # would otherwise glue distinct flaws into one finding.
            cves = {c for c in (other, *records[other][0]) if _is_cve(c)}
            if len(cves) == 1:
                names |= cves
        related: list[tuple[str, str]] = []
        for source in sorted({vid, *(n for n in near_records if _single_flaw(n, records))} & holders):
            for rel in records[source][1]:
                if _is_cve(rel):
                    related.append((rel, source))
                elif rel in records:
                    related.extend((a, source) for a in records[rel][0] if _is_cve(a))
        rows.append((orjson.dumps(sorted(names)).decode(), orjson.dumps(sorted(set(related))).decode(), vid))
    conn.executemany("UPDATE vulns SET names = ?, related_cves = ? WHERE id = ?", rows)
    return len(rows)
