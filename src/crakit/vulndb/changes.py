"""What changed between two versions of the database: the advisories added, modified or removed,
the KEV entries added, changed or removed, and the (ecosystem, package) pairs they touch.

The workbench's monitor re-matches only the components of those packages (issue 13: never the
whole portfolio). The previous version is attached read-only beside the current one and compared
in SQL, so a day's changes against a full osv.dev database cost one indexed pass, not a Python
loop over every record.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from crakit.vulndb.errors import DatabaseCorrupt
from crakit.vulndb.store import VulnDatabase, _check, read_only_uri


@dataclass(frozen=True, slots=True)
class DataChanges:
    """``packages``: (base OSV ecosystem, normalised name) pairs whose verdicts may have changed."""

    advisories: tuple[str, ...]
    kev: tuple[str, ...]
    packages: frozenset[tuple[str, str]]
    first_import: bool = False


_CHANGED_ADVISORIES = """
INSERT OR IGNORE INTO temp.changed (id)
SELECT n.id FROM main.vulns n LEFT JOIN previous.vulns o ON o.id = n.id
 WHERE o.id IS NULL OR o.modified IS NOT n.modified
UNION
SELECT o.id FROM previous.vulns o LEFT JOIN main.vulns n ON n.id = o.id WHERE n.id IS NULL
"""
_CHANGED_KEV = """
SELECT n.cve FROM main.kev n LEFT JOIN previous.kev o ON o.cve = n.cve
 WHERE o.cve IS NULL OR o.date_added IS NOT n.date_added OR o.ransomware IS NOT n.ransomware
UNION
SELECT o.cve FROM previous.kev o LEFT JOIN main.kev n ON n.cve = o.cve WHERE n.cve IS NULL
"""
# The records a KEV entry reaches, as the scanner's KEV join does (links.py): the CVE as the
# record's id, as its alias, as its related id, and records one alias step further.
_KEV_RECORDS = """
INSERT OR IGNORE INTO temp.changed (id)
SELECT id FROM {db}.vulns WHERE id IN (SELECT cve FROM temp.kev_changed)
UNION SELECT vuln_id FROM {db}.aliases WHERE alias IN (SELECT cve FROM temp.kev_changed)
UNION SELECT vuln_id FROM {db}.related_links WHERE related IN (SELECT cve FROM temp.kev_changed)
UNION SELECT a2.vuln_id FROM {db}.aliases a1 JOIN {db}.aliases a2 ON a2.alias = a1.vuln_id
 WHERE a1.alias IN (SELECT cve FROM temp.kev_changed)
UNION SELECT a2.alias FROM {db}.aliases a1 JOIN {db}.aliases a2 ON a2.vuln_id = a1.vuln_id
 WHERE a1.alias IN (SELECT cve FROM temp.kev_changed)
"""
_PACKAGES = (
    "SELECT DISTINCT ecosystem, name FROM {db}.affected WHERE vuln_id IN (SELECT id FROM temp.changed)"
)


def changes_since(previous: Path | None, current: VulnDatabase) -> DataChanges:
    """Compare ``current`` with the database file ``previous`` (None: there was none before, so
    every package with an advisory counts as touched)."""
    conn = current.conn
    if previous is None or not previous.is_file():
        packages = frozenset(
            (str(e), str(n)) for e, n in conn.execute("SELECT DISTINCT ecosystem, name FROM affected")
        )
        advisories = tuple(str(r[0]) for r in conn.execute("SELECT id FROM vulns"))
        kev = tuple(str(r[0]) for r in conn.execute("SELECT cve FROM kev"))
        return DataChanges(advisories, kev, packages, first_import=True)
    check = sqlite3.connect(read_only_uri(previous), uri=True)
    try:
        _check(check, previous)
    finally:
        check.close()
    try:
        conn.execute("ATTACH DATABASE ? AS previous", (read_only_uri(previous),))
    except sqlite3.Error as exc:
        raise DatabaseCorrupt(f"cannot read the previous database {previous}: {exc}") from None
    try:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS changed (id TEXT PRIMARY KEY)")
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS kev_changed (cve TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM temp.changed")
        conn.execute("DELETE FROM temp.kev_changed")
        conn.execute(_CHANGED_ADVISORIES)
        advisories = tuple(str(r[0]) for r in conn.execute("SELECT id FROM temp.changed ORDER BY id"))
        conn.execute(f"INSERT OR IGNORE INTO temp.kev_changed (cve) {_CHANGED_KEV}")
        kev = tuple(str(r[0]) for r in conn.execute("SELECT cve FROM temp.kev_changed ORDER BY cve"))
        if kev:
            for db in ("main", "previous"):
                conn.execute(_KEV_RECORDS.format(db=db))
        packages = frozenset(
            (str(e), str(n))
            for db in ("main", "previous")  # a package an advisory no longer names is touched too
            for e, n in conn.execute(_PACKAGES.format(db=db))
        )
        conn.execute("DROP TABLE temp.changed")
        conn.execute("DROP TABLE temp.kev_changed")
    finally:
        conn.commit()  # the temp-table writes opened a transaction; DETACH needs none open
        conn.execute("DETACH DATABASE previous")
    return DataChanges(advisories, kev, packages)
