"""The SQLite file that holds OSV records and the KEV catalogue.

One table per fact; ``affected`` is indexed on (ecosystem, normalised name) so a scan reads only
the packages its SBOMs name. Blobs are msgpack (msgspec); whole records are kept as their JSON.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

import orjson

from crakit.vulndb.chunked import rows_in
from crakit.vulndb.errors import DatabaseCorrupt, DatabaseMissing
from crakit.vulndb.model import DatabaseInfo

# 2: ``vulns.related`` (OSV ``related``), which the KEV join follows (a record can name the
# exploited CVE only as related, e.g. GO-2023-2102 for CVE-2023-44487); whole records in ``records``.
# 3: CPE-keyed data for firmware and C/C++ components: ``cpe_vulns`` (one row per CVE from NVD
# and CVE List V5 records), ``cpe_affected`` (their match rules by CPE vendor and product) and
# ``euvd`` (ENISA's exploited list beside KEV).
# 4: ``package_index``, each package's advisories placed once on its version line at import
# (package_index.py), which a scan reads instead of evaluating every entry.
SCHEMA_VERSION = 4
APPLICATION_ID = 0x4352414B  # "CRAK": tells our files apart from any other SQLite file

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sources (
    name TEXT PRIMARY KEY, location TEXT, imported_at TEXT, records INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vulns (
    id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT, summary TEXT,
    aliases TEXT NOT NULL, severity TEXT NOT NULL, cvss_vector TEXT, cvss_score REAL,
    source TEXT, related TEXT NOT NULL,
    -- derived at import (links.py): the names the record folds by, and [CVE, via] pairs its
    -- related ids lead to
    names TEXT NOT NULL DEFAULT '[]', related_cves TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS related_links (related TEXT NOT NULL, vuln_id TEXT NOT NULL, PRIMARY KEY (related, vuln_id)) WITHOUT ROWID;
-- Whole records apart from the scanner's columns: a scan reads thousands of vulns rows, and
-- kilobyte-sized records beside them would spread those rows over as many pages.
CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS affected (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, vuln_id TEXT NOT NULL, data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS affected_pkg ON affected (ecosystem, name);
CREATE INDEX IF NOT EXISTS affected_vuln ON affected (vuln_id);
-- One row per package that has ``affected`` rows; data NULL when its entries need the per-entry path.
CREATE TABLE IF NOT EXISTS package_index (
    ecosystem TEXT NOT NULL, name TEXT NOT NULL, data BLOB, PRIMARY KEY (ecosystem, name)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aliases (alias TEXT NOT NULL, vuln_id TEXT NOT NULL, PRIMARY KEY (alias, vuln_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_vuln ON aliases (vuln_id);
CREATE TABLE IF NOT EXISTS kev (
    cve TEXT PRIMARY KEY, date_added TEXT, due_date TEXT, vendor TEXT, product TEXT, name TEXT,
    ransomware TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cpe_vulns (
    id TEXT PRIMARY KEY, nvd_modified TEXT, cve5_modified TEXT, published TEXT, summary TEXT,
    severity TEXT NOT NULL, cvss_vector TEXT, cvss_score REAL, severity_source TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS cpe_affected (
    vendor TEXT NOT NULL, product TEXT NOT NULL, vuln_id TEXT NOT NULL, source TEXT NOT NULL, data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS cpe_affected_product ON cpe_affected (product, vendor);
CREATE INDEX IF NOT EXISTS cpe_affected_vuln ON cpe_affected (vuln_id, source);
CREATE TABLE IF NOT EXISTS euvd (
    cve TEXT PRIMARY KEY, euvd_id TEXT, date_listed TEXT, source TEXT
) WITHOUT ROWID;
"""


def default_path() -> Path:
    """``$CRAKIT_DB`` or ``<XDG data dir>/crakit/vulndb.sqlite``."""
    env = os.environ.get("CRAKIT_DB")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("crakit", appauthor=False) / "vulndb.sqlite"


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class VulnRow(NamedTuple):
    """One record's row as the scanner reads it."""

    summary: str | None
    severity: str
    cvss_vector: str | None
    cvss_score: float | None
    names: tuple[str, ...]  # id, aliases and CVE ids one alias step away (links.py)
    related_cves: tuple[tuple[str, str], ...]  # (CVE, the record whose related id leads there)


class VulnDatabase:
    """An open database (read side used by the scanner, write side by the importers)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    def reopen(self) -> VulnDatabase:
        """The same file on a connection of its own, read-only (for a forked process: an SQLite
        connection must never be used on both sides of a fork)."""
        return VulnDatabase(
            self.path, sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
        )

    # -- reading ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def affected_for(self, ecosystem: str, names: Sequence[str]) -> Iterator[tuple[str, str, bytes]]:
        """(normalised name, vuln id, encoded AffectedEntry) for each name in ``names``."""
        yield from rows_in(
            self.conn,
            # CAST: a value of another type (text, a number) reaches the decoder as bytes and is
            # refused as damaged data instead of failing as a wrong Python type.
            "SELECT name, vuln_id, CAST(data AS BLOB) FROM affected WHERE ecosystem = ? AND name IN ({marks})",
            names,
            (ecosystem,),
        )

    def package_indexes(self, ecosystem: str, names: Sequence[str]) -> dict[str, bytes | None]:
        """name -> encoded PackageIndex (None: use :meth:`affected_for`) for each of ``names`` that
        has advisories; names without any are absent."""
        return dict(
            rows_in(
                self.conn,
                "SELECT name, CAST(data AS BLOB) FROM package_index WHERE ecosystem = ? AND name IN ({marks})",
                sorted(names),  # in key order: neighbouring rows share pages
                (ecosystem,),
            )
        )

    def vulns(self, ids: Iterable[str]) -> dict[str, VulnRow]:
        """id -> what the scanner needs of the record (summary, severity, names, related CVEs)."""
        out: dict[str, VulnRow] = {}
        loads = orjson.loads
        for vid, summary, sev, vec, score, names, related in rows_in(
            self.conn,
            "SELECT id, summary, severity, cvss_vector, cvss_score, names, related_cves"
            " FROM vulns WHERE id IN ({marks})",
            sorted(ids),  # in key order: neighbouring rows share pages (a third faster)
        ):
            try:
                out[vid] = VulnRow(
                    summary,
                    sev,
                    vec,
                    score,
                    tuple(loads(names)),
                    () if related == "[]" else tuple(tuple(p) for p in loads(related)),
                )
            except (TypeError, ValueError):  # no import writes these: the file was altered
                raise self.damaged(f"record {vid!r} has unreadable names") from None
        return out

    def damaged(self, what: str) -> DatabaseCorrupt:
        """The error for data inside the database that no import writes (exit 2, not a crash)."""
        return DatabaseCorrupt(
            f"{self.path} is damaged: {what}", hint="rebuild it with `crakit db build --fresh`"
        )

    def aliased_by(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Records that list one of ``ids`` among their aliases: alias -> {record ids}."""
        out: dict[str, set[str]] = {}
        for alias, vid in rows_in(
            self.conn, "SELECT alias, vuln_id FROM aliases WHERE alias IN ({marks})", ids
        ):
            out.setdefault(alias, set()).add(vid)
        return out

    def kev(self, cves: Iterable[str]) -> dict[str, tuple[str, str | None, bool]]:
        """CVE -> (date added, due date, known ransomware use)."""
        out: dict[str, tuple[str, str | None, bool]] = {}
        for cve, added, due, ransom in rows_in(
            self.conn, "SELECT cve, date_added, due_date, ransomware FROM kev WHERE cve IN ({marks})", cves
        ):
            out[cve] = (added, due, (ransom or "").lower() == "known")
        return out

    def cpe_rules(self, products: Iterable[str]) -> Iterator[tuple[str, str, str, str, bytes]]:
        """(vendor, product, vuln id, source, encoded CpeRule) for each CPE product in ``products``."""
        yield from rows_in(
            self.conn,
            "SELECT vendor, product, vuln_id, source, data FROM cpe_affected WHERE product IN ({marks})",
            products,
        )

    def cpe_vulns(self, ids: Iterable[str]) -> dict[str, tuple[str | None, str, str | None, float | None]]:
        """CVE id -> (summary, severity, CVSS vector, CVSS score) of the NVD / CVE 5 data."""
        out: dict[str, tuple[str | None, str, str | None, float | None]] = {}
        for vid, summary, sev, vec, score in rows_in(
            self.conn,
            "SELECT id, summary, severity, cvss_vector, cvss_score FROM cpe_vulns WHERE id IN ({marks})",
            ids,
        ):
            out[vid] = (summary, sev, vec, score)
        return out

    def euvd(self, cves: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        """CVE -> (EUVD id, date ENISA lists it as exploited from)."""
        out: dict[str, tuple[str | None, str | None]] = {}
        for cve, euvd_id, listed in rows_in(
            self.conn, "SELECT cve, euvd_id, date_listed FROM euvd WHERE cve IN ({marks})", cves
        ):
            out[cve] = (euvd_id, listed)
        return out

    def record(self, vuln_id: str) -> dict[str, object] | None:
        row = self.conn.execute("SELECT record FROM records WHERE id = ?", (vuln_id,)).fetchone()
        if row is None or row[0] is None:
            return None
        data = orjson.loads(row[0])
        return data if isinstance(data, dict) else None

    def info(self) -> DatabaseInfo:
        """What the database holds, from its summary (meta table) and its counts."""
        try:
            return self._info()
        except (ValueError, TypeError, AttributeError, sqlite3.DatabaseError) as exc:
            # A file with crakit's id and schema whose summary was altered or damaged (a count
            # that is no number, counts that are no JSON object): refused, not an internal error.
            raise DatabaseCorrupt(
                f"{self.path} is damaged: its summary cannot be read ({str(exc)[:120]})",
                hint="rebuild it with `crakit db build --fresh`",
            ) from None

    def _info(self) -> DatabaseInfo:
        c = self.conn
        # Counted once per import (see refresh_counts): a full-table GROUP BY costs a scan ~0.1 s.
        cached = self.meta("ecosystem_counts")
        counts = (
            orjson.loads(cached)
            if cached is not None
            else dict(c.execute("SELECT ecosystem, COUNT(DISTINCT vuln_id) FROM affected GROUP BY ecosystem"))
        )
        ecosystems = tuple(sorted((str(e), int(n)) for e, n in counts.items()))
        sources = tuple(
            (str(n), str(loc), str(at), int(r))
            for n, loc, at, r in c.execute(
                "SELECT name, location, imported_at, records FROM sources ORDER BY name"
            )
        )
        data_as_of = self.meta("data_as_of")
        kev_released = self.meta("kev_date_released")
        return DatabaseInfo(
            path=str(self.path),
            schema_version=int(self.meta("schema_version") or 0),
            built_at=self.meta("built_at"),
            updated_at=self.meta("updated_at"),
            data_as_of=data_as_of,
            records=int(self.meta("record_count") or c.execute("SELECT COUNT(*) FROM vulns").fetchone()[0]),
            withdrawn_removed=int(self.meta("withdrawn_removed") or 0),
            ecosystems=ecosystems,
            kev_entries=int(c.execute("SELECT COUNT(*) FROM kev").fetchone()[0]),
            kev_catalog_version=self.meta("kev_catalog_version"),
            kev_date_released=self.meta("kev_date_released"),
            sources=sources,
            age_days=_age_days(data_as_of),
            kev_age_days=_age_days(kev_released),
            cpe_records=int(self.meta("cpe_record_count") or 0),
            euvd_entries=int(c.execute("SELECT COUNT(*) FROM euvd").fetchone()[0]),
        )

    def refresh_counts(self) -> None:
        """Store per-ecosystem and total record counts (after every import)."""
        c = self.conn
        counts = dict(c.execute("SELECT ecosystem, COUNT(DISTINCT vuln_id) FROM affected GROUP BY ecosystem"))
        total = c.execute("SELECT COUNT(*) FROM vulns").fetchone()[0]
        c.execute(
            "INSERT OR REPLACE INTO meta VALUES ('ecosystem_counts', ?)", (orjson.dumps(counts).decode(),)
        )
        c.execute("INSERT OR REPLACE INTO meta VALUES ('record_count', ?)", (str(total),))
        cpe_total = c.execute("SELECT COUNT(DISTINCT vuln_id) FROM cpe_affected").fetchone()[0]
        c.execute("INSERT OR REPLACE INTO meta VALUES ('cpe_record_count', ?)", (str(cpe_total),))

    def check_integrity(self) -> None:
        """Read every page (SQLite ``quick_check``); :class:`DatabaseCorrupt` names the first problem."""
        try:
            problems = [row[0] for row in self.conn.execute("PRAGMA quick_check(1)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise DatabaseCorrupt(
                f"{self.path} is damaged ({problems[0] if problems else 'no answer'})",
                hint="rebuild it with `crakit db build --fresh`",
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> VulnDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _age_days(stamp: str | None) -> float | None:
    """Days from an ISO 8601 time (or date) to now; None when absent or unreadable."""
    if not stamp:
        return None
    try:
        then = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return (datetime.now(UTC) - then).total_seconds() / 86400


def _check(conn: sqlite3.Connection, path: Path) -> None:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseCorrupt(
            f"{path} is not a crakit vulnerability database ({exc})", hint="rebuild it with `crakit db build`"
        ) from None
    if app_id != APPLICATION_ID or version is None:
        raise DatabaseCorrupt(
            f"{path} is not a crakit vulnerability database", hint="rebuild it with `crakit db build`"
        )
    try:
        schema = int(version[0])
    except (TypeError, ValueError):  # a file with crakit's id but not crakit's meta table
        raise DatabaseCorrupt(
            f"{path} is not a crakit vulnerability database (schema version {version[0]!r})",
            hint="rebuild it with `crakit db build --fresh`",
        ) from None
    if schema != SCHEMA_VERSION:
        raise DatabaseCorrupt(
            f"{path} has schema version {version[0]}, this crakit reads {SCHEMA_VERSION}",
            hint="rebuild it from its sources with `crakit db build --fresh ...`",
        )


def open_database(path: Path | None = None) -> VulnDatabase:
    """Open an existing database read-only; raise (exit 2) when it is missing or corrupt.

    ``None`` means ``$CRAKIT_DB`` or the per-user data directory (XDG). A scan must never report
    "no known exploitable vulnerabilities" (Annex I Part I(2)(a)) without data behind it.
    """
    target = Path(path) if path is not None else default_path()
    if not target.is_file():
        raise DatabaseMissing(
            f"no vulnerability database at {target}",
            hint="build one with `crakit db build --osv DIR --kev FILE` or `crakit db update`",
        )
    with refused_leaves_no_trace(target):
        conn = _open_checked(target)
        try:
            conn.execute("SELECT COUNT(*) FROM affected LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseCorrupt(
                f"{target} is damaged ({exc})", hint="rebuild it with `crakit db build`"
            ) from None
    return VulnDatabase(target, conn)


def _open_checked(path: Path) -> sqlite3.Connection:
    """``path`` opened read-only, checked to be a crakit database of this schema (closed again
    when it is not)."""
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, check_same_thread=False)
    except sqlite3.Error as exc:
        raise DatabaseCorrupt(f"cannot open {path}: {exc}") from None
    try:
        _check(conn, path)
    except DatabaseCorrupt:
        conn.close()
        raise
    return conn


def read_only_uri(path: Path) -> str:
    """The SQLite URI that opens ``path`` read-only. The path is percent-encoded: a folder named
    ``a#b`` or ``50%`` is part of the file name, not a URI fragment or an escape (unencoded, a
    database there could be built but not opened again: SQLite looked at another file)."""
    return f"file:{quote(str(path))}?mode=ro"


@contextmanager
def refused_leaves_no_trace(path: Path) -> Iterator[None]:
    """Remove the ``-wal`` and ``-shm`` files SQLite made beside ``path`` when the file is then
    refused. A file whose header claims write-ahead logging (byte 19 = 2; one random header in
    256) gets both made as soon as it is opened, before SQLite finds it is no database at all:
    a refused input must leave the folder as it found it. Files that were already there are
    someone else's and stay."""
    side = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    there = {p for p in side if os.path.lexists(p)}
    try:
        yield
    except (DatabaseCorrupt, sqlite3.Error):
        for p in side:
            if p not in there:
                p.unlink(missing_ok=True)
        raise


def create_or_open_for_write(path: Path, *, copy_of: Path | None = None) -> VulnDatabase:
    """Open ``path`` for importing, creating the schema when the file is new.

    With ``copy_of``, ``path`` first becomes a copy of that existing database (checked, then
    copied with SQLite's backup API): an incremental build writes the copy and swaps it in whole,
    never the file readers have open (:func:`crakit.vulndb.build.build_database`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if copy_of is not None:
        _copy(copy_of, path)
    fresh = not path.exists() or path.stat().st_size == 0
    with refused_leaves_no_trace(path):
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if not fresh:
                _check(conn, path)
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = OFF")
            if fresh:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.executescript(SCHEMA)
                conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                conn.execute("INSERT INTO meta VALUES ('built_at', ?)", (now_iso(),))
        except (sqlite3.DatabaseError, DatabaseCorrupt) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, DatabaseCorrupt):
                raise
            raise DatabaseCorrupt(f"{path} is not a crakit vulnerability database ({exc})") from None
    return VulnDatabase(path, conn)


def _copy(source: Path, dest: Path) -> None:
    with refused_leaves_no_trace(source):
        conn = _open_checked(source)
        try:
            copy = sqlite3.connect(dest)
            try:
                conn.backup(copy)
            finally:
                copy.close()
        except sqlite3.DatabaseError as exc:
            raise DatabaseCorrupt(
                f"{source} cannot be read ({exc})", hint="rebuild it with `crakit db build --fresh`"
            ) from None
        finally:
            conn.close()
