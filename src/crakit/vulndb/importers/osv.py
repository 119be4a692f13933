"""Import OSV records (osv-schema) into the database, incrementally by ``modified`` time.

Accepted inputs: a directory tree of ``*.json`` records, osv.dev's per-ecosystem ``all.zip``,
or a single record file. Withdrawn records are removed; unchanged ones are skipped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from crakit.vulndb.ecosystems import normalise_name
from crakit.vulndb.errors import SourceError
from crakit.vulndb.links import neighbourhood, refresh_links
from crakit.vulndb.package_index import refresh_package_index
from crakit.vulndb.ranges import prepare
from crakit.vulndb.records import ENCODER, AffectedEntry, Range
from crakit.vulndb.severity import record_severity
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.versions import base_ecosystem

MAX_RECORD_BYTES = 16 * 1024 * 1024  # no real OSV record comes near; bounds hostile input
_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


@dataclass(frozen=True, slots=True)
class ImportStats:
    read: int
    added: int
    updated: int
    unchanged: int
    withdrawn_removed: int
    invalid: int
    newest_modified: str | None


def iter_osv_sources(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, raw JSON) of every record under ``path``."""
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            if file.is_file() and file.stat().st_size <= MAX_RECORD_BYTES:
                yield str(file), file.read_bytes()
    elif path.is_file() and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    if info.filename.endswith(".json") and info.file_size <= MAX_RECORD_BYTES:
                        yield f"{path}!{info.filename}", archive.read(info)
        except (zipfile.BadZipFile, OSError) as exc:
            raise SourceError(f"cannot read OSV archive {path}: {exc}") from None
    elif path.is_file() and path.suffix.lower() == ".zip":
        raise SourceError(f"{path} is not a valid zip archive")
    elif path.is_file():
        yield str(path), path.read_bytes()
    else:
        raise SourceError(
            f"OSV source {path} does not exist", hint="give a directory of records or an all.zip"
        )


def _first_line(details: str, limit: int = 200) -> str:
    """The first line of ``details``, cut at a word boundary with an ellipsis when too long
    (SARIF and VDR descriptions show it; a word cut in half reads as a typo)."""
    line = details.strip().splitlines()[0].strip()
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}…"


def _timestamp(value: Any) -> str | None:
    """RFC 3339 -> a canonical UTC form that sorts as text (precision differs between sources)."""
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _entries(record: dict[str, Any]) -> list[tuple[str, str, AffectedEntry]]:
    out: list[tuple[str, str, AffectedEntry]] = []
    for affected in record.get("affected") or ():
        if not isinstance(affected, dict):
            continue
        package = affected.get("package")
        if not isinstance(package, dict):
            continue
        ecosystem, name = package.get("ecosystem"), package.get("name")
        if not isinstance(ecosystem, str) or not isinstance(name, str) or not ecosystem or not name:
            continue
        ranges: list[Range] = []
        for rng in affected.get("ranges") or ():
            if not isinstance(rng, dict) or not isinstance(rng.get("type"), str):
                continue
            events: list[tuple[str, str]] = []
            for event in rng.get("events") or ():
                if isinstance(event, dict):
                    for kind in _EVENT_KINDS:
                        value = event.get(kind)
                        if isinstance(value, str):
                            events.append((kind, value))
            ranges.append(Range(rng["type"], tuple(events)))
        versions = tuple(v for v in affected.get("versions") or () if isinstance(v, str))
        entry = AffectedEntry(ecosystem, name, tuple(ranges), versions)
        base = base_ecosystem(ecosystem)
        out.append((base, normalise_name(base, name), entry))
    return out


def count_osv_records(path: Path) -> int | None:
    """How many records ``path`` holds (file names only, nothing is read): the total of a progress bar."""
    try:
        if path.is_dir():
            return sum(1 for _ in path.rglob("*.json"))
        if path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                return sum(1 for name in archive.namelist() if name.endswith(".json"))
        return 1 if path.is_file() else None
    except (zipfile.BadZipFile, OSError):
        return None  # the import itself reports the problem


_PROGRESS_EVERY = 1000  # records between progress calls (a call per record would cost more than it shows)


def import_osv(
    db: VulnDatabase,
    sources: list[Path],
    labels: list[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportStats:
    """Import every record under ``sources`` in one transaction (``labels`` name them in the database).

    ``progress(read)`` hears how many records have been read so far, every thousand records."""
    conn = db.conn
    existing: dict[str, str] = dict(conn.execute("SELECT id, modified FROM vulns"))
    was_empty = not existing
    read = added = updated = unchanged = withdrawn = invalid = 0
    newest: str | None = None
    vuln_rows: list[tuple[Any, ...]] = []
    affected_rows: list[tuple[str, str, str, bytes, str]] = []
    alias_rows: list[tuple[str, str, str]] = []
    related_rows: list[tuple[str, str, str]] = []
    replaced: list[str] = []
    removed: list[str] = []
    seen_in_batch: dict[str, str] = {}
    for index, source in enumerate(sources):
        label = labels[index] if labels else str(source)
        for _name, raw in iter_osv_sources(source):
            read += 1
            if progress is not None and read % _PROGRESS_EVERY == 0:
                progress(read)
            try:
                record = orjson.loads(raw)
            except orjson.JSONDecodeError:
                invalid += 1
                continue
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                invalid += 1
                continue
            vid: str = record["id"]
            modified = _timestamp(record.get("modified"))
            if modified is None:
                invalid += 1
                continue
            previous = seen_in_batch.get(vid) or existing.get(vid)
            if previous is not None and previous >= modified:
                unchanged += 1
                continue
            if record.get("withdrawn"):
                withdrawn += 1  # counted whether or not an earlier version was stored
                if vid in existing or vid in seen_in_batch:
                    removed.append(vid)
                    existing.pop(vid, None)
                    seen_in_batch.pop(vid, None)
                continue
            if newest is None or modified > newest:
                newest = modified
            if vid in existing or vid in seen_in_batch:
                updated += 1
                replaced.append(vid)
            else:
                added += 1
            seen_in_batch[vid] = modified
            aliases = sorted({a for a in record.get("aliases") or () if isinstance(a, str) and a != vid})
            related = sorted(
                {r for r in record.get("related") or () if isinstance(r, str) and r != vid} - set(aliases)
            )
            sev = record_severity(record)
            summary = record.get("summary")
            if not isinstance(summary, str) or not summary:
                details = record.get("details")
                summary = _first_line(details) if isinstance(details, str) and details.strip() else None
            vuln_rows.append(
                (
                    vid,
                    modified,
                    _timestamp(record.get("published")),
                    summary,
                    orjson.dumps(aliases).decode(),
                    sev.severity,
                    sev.vector,
                    sev.score,
                    label,
                    orjson.dumps(related).decode(),
                    raw,
                )
            )
            for alias in aliases:
                alias_rows.append((alias, vid, modified))
            for rel in related:
                related_rows.append((rel, vid, modified))
            for base, norm, entry in _entries(record):
                affected_rows.append((base, norm, vid, ENCODER.encode(prepare(entry)), modified))
    if progress is not None:
        progress(read)  # every record read; what follows is writing and linking them
    conn.execute("BEGIN")
    try:
        stale = replaced + removed
        # Records whose derived names may change: the changed ones and their neighbours, as they
        # were before the change (after it, below).
        touched = neighbourhood(conn, stale) if stale else set()
        # Packages whose advisories change: their index rows are rebuilt below.
        repackaged: set[tuple[str, str]] = set()
        for start in range(0, len(stale), 500):
            chunk = stale[start : start + 500]
            marks = ",".join("?" * len(chunk))
            repackaged.update(
                conn.execute(
                    f"SELECT DISTINCT ecosystem, name FROM affected WHERE vuln_id IN ({marks})", chunk
                )
            )
            for table, column in (
                ("vulns", "id"),
                ("records", "id"),
                ("affected", "vuln_id"),
                ("aliases", "vuln_id"),
                ("related_links", "vuln_id"),
            ):
                conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        # A record seen twice in one import keeps only its newest version.
        final = {row[0]: row for row in vuln_rows if seen_in_batch.get(row[0]) == row[1]}
        conn.executemany(
            "INSERT OR REPLACE INTO vulns (id, modified, published, summary, aliases, severity, cvss_vector,"
            " cvss_score, source, related) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (r[:-1] for r in final.values()),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO records VALUES (?,?)", ((r[0], r[-1]) for r in final.values())
        )
        # Stored in package order, so the entries of one package share pages (one scan lookup
        # reads them together).
        inserted = sorted(r[:4] for r in affected_rows if seen_in_batch.get(r[2]) == r[4])
        conn.executemany("INSERT INTO affected VALUES (?,?,?,?)", inserted)
        if was_empty:
            refresh_package_index(conn)
        else:
            refresh_package_index(conn, repackaged | {(r[0], r[1]) for r in inserted})
        conn.executemany(
            "INSERT OR IGNORE INTO aliases VALUES (?,?)",
            [r[:2] for r in alias_rows if seen_in_batch.get(r[1]) == r[2]],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO related_links VALUES (?,?)",
            [r[:2] for r in related_rows if seen_in_batch.get(r[1]) == r[2]],
        )
        if was_empty:
            refresh_links(conn)  # a new database: every record
        elif final or touched:
            touched |= neighbourhood(conn, final.keys())
            refresh_links(conn, touched - set(removed))
        _set_meta_max(db, "data_as_of", newest)
        try:
            previous_removed = int(db.meta("withdrawn_removed") or 0)
        except ValueError:  # altered by hand: the count (only ever reported) starts again
            previous_removed = 0
        conn.execute(
            "INSERT OR REPLACE INTO meta VALUES ('withdrawn_removed', ?)",
            (str(previous_removed + withdrawn),),
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return ImportStats(read, added, updated, unchanged, withdrawn, invalid, newest)


def _set_meta_max(db: VulnDatabase, key: str, value: str | None) -> None:
    if value is None:
        return
    current = db.meta(key)
    if current is None or value > current:
        db.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
