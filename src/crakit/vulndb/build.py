"""Build or refresh the database from local OSV and KEV files (``crakit db build``)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crakit.vulndb.errors import DatabaseCorrupt, SourceError, VulnDbError
from crakit.vulndb.importers.euvd import import_euvd
from crakit.vulndb.importers.kev import import_kev, read_kev
from crakit.vulndb.importers.nvd import CpeImportStats, import_cvelist, import_nvd
from crakit.vulndb.importers.osv import ImportStats, count_osv_records, import_osv
from crakit.vulndb.store import VulnDatabase, create_or_open_for_write, now_iso
from crakit.vulndb.writelock import write_lock

# How long a build waits for another build or update of the same database before giving up.
# A full osv.dev import takes minutes; a writer that holds the lock longer than this has hung.
LOCK_WAIT_SECONDS = 600.0


@dataclass(frozen=True, slots=True)
class BuildReport:
    path: Path
    osv: ImportStats | None
    kev_entries: int | None
    nvd: CpeImportStats | None = None
    cvelist: CpeImportStats | None = None
    euvd_entries: int | None = None


def build_database(
    path: Path,
    osv: list[Path],
    kev: Path | None = None,
    *,
    fresh: bool = False,
    osv_labels: list[str] | None = None,
    kev_label: str | None = None,
    lock_wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[str], None] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    nvd: list[Path] | None = None,
    cvelist: list[Path] | None = None,
    euvd: Path | None = None,
    extra_meta: dict[str, str] | None = None,
) -> BuildReport:
    """Import ``osv`` record sources and the ``kev`` catalogue into ``path``.

    An existing database is updated incrementally (records newer by ``modified`` replace older
    ones, withdrawn ones are removed); ``fresh`` starts from an empty database. Either way the
    import writes a new file beside the target (a copy of it when incremental, so the folder
    needs room for two) and moves it into place only when complete: a reader (a scan) sees the
    old complete database or the new one, and a failed or interrupted build leaves the old one.
    One writer at a time (:mod:`crakit.vulndb.writelock`): another build or update of the same
    path waits up to ``lock_wait`` seconds (``on_wait`` hears who it waits for), then raises
    :class:`~crakit.vulndb.writelock.DatabaseBusy`.
    ``progress(read, total)`` hears the OSV records read so far and how many there are (``None``
    when a source cannot be counted).

    ``nvd`` (NVD CVE API 2.0 pages, JSON 2.0 feed files or records), ``cvelist`` (CVE JSON 5
    records) and ``euvd`` (ENISA's exploited list) go into the same file, just as incrementally.
    """
    target = _through_links(Path(path))
    if target.exists() and not target.is_file():  # a directory, /dev/null, a pipe: never replaced
        raise VulnDbError(f"{target} is not a database file", hint="give the path of a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise VulnDbError(f"cannot create the folder {target.parent}: {exc.strerror}") from None
    with write_lock(target, wait=lock_wait, on_wait=on_wait):
        work = target.with_name(target.name + ".building")
        journal = work.with_name(work.name + "-journal")
        # Left by a build that was killed: nobody else writes it while we hold the lock.
        work.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        incremental = not fresh and target.exists() and target.stat().st_size > 0
        try:
            db = create_or_open_for_write(work, copy_of=target if incremental else None)
            try:
                stats, kev_entries = _import(db, osv, kev, osv_labels, kev_label, progress)
                cpe_stats = _import_cpe(db, nvd or [], cvelist or [], euvd)
                for key, value in (extra_meta or {}).items():  # e.g. the NVD feeds' SHA-256 (db update)
                    db.conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
                db.refresh_counts()
            finally:
                db.close()
            _replace(work, target)
        except sqlite3.DatabaseError as exc:  # tables an import needs are gone, a full disk
            work.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise DatabaseCorrupt(
                f"cannot update {target}: {exc}",
                hint="the database was kept as it was; if it is damaged, rebuild it with --fresh",
            ) from None
        except BaseException:  # including Ctrl-C: never leave half a database behind
            work.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise
    return BuildReport(target, stats, kev_entries, *cpe_stats)


def _through_links(path: Path) -> Path:
    """The file a database path names: a symbolic link is followed, so that the build replaces
    the database it points at and the link stays (replacing the link with a file would leave
    every reader of the real path on the old data). A loop of links is refused."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=True)
    except FileNotFoundError:  # a link to a database not built yet: build it there
        return Path(os.path.realpath(path))
    except (RuntimeError, OSError) as exc:  # a loop (RuntimeError before Python 3.13)
        raise VulnDbError(f"{path} is a loop of symbolic links ({exc})") from None


def _import_cpe(
    db: VulnDatabase, nvd: list[Path], cvelist: list[Path], euvd: Path | None
) -> tuple[CpeImportStats | None, CpeImportStats | None, int | None]:
    nvd_stats = cve_stats = None
    for kind, paths, importer, hint in (
        ("NVD", nvd, import_nvd, "give NVD CVE API 2.0 pages, JSON 2.0 feed files or a folder of them"),
        ("CVE List V5", cvelist, import_cvelist, "give a folder of CVE JSON 5 records (cvelistV5 layout)"),
    ):
        if not paths:
            continue
        got = importer(db, paths)
        if got.read == 0:
            # An empty or unreadable source must not produce a database that scans "clean".
            raise SourceError(
                f"no {kind} CVE records in {', '.join(map(str, paths))} ({got.invalid} unreadable)", hint=hint
            )
        for path in paths:
            db.conn.execute(
                "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                (f"{kind} {path}", str(path), now_iso(), got.read),
            )
        if kind == "NVD":
            nvd_stats = got
        else:
            cve_stats = got
    euvd_entries = import_euvd(db, euvd, str(euvd)) if euvd is not None else None
    return nvd_stats, cve_stats, euvd_entries


def _import(
    db: VulnDatabase,
    osv: list[Path],
    kev: Path | None,
    osv_labels: list[str] | None,
    kev_label: str | None,
    progress: Callable[[int, int | None], None] | None = None,
) -> tuple[ImportStats | None, int | None]:
    stats: ImportStats | None = None
    if osv:
        labels = osv_labels or [str(p) for p in osv]
        on_read = None
        if progress is not None:
            counts = [count_osv_records(p) for p in osv]
            total = None if None in counts else sum(c or 0 for c in counts)
            report = progress

            def on_read(read: int) -> None:
                report(read, total)

        stats = import_osv(db, osv, labels, on_read)
        if stats.read == stats.invalid:
            # An empty or unreadable source must not produce a database that scans "clean".
            raise SourceError(
                f"no valid OSV records in {', '.join(labels)} ({stats.invalid} unreadable)",
                hint="give a directory of OSV JSON records or an osv.dev all.zip",
            )
        for label in labels:
            count = db.conn.execute("SELECT COUNT(*) FROM vulns WHERE source = ?", (label,)).fetchone()[0]
            db.conn.execute(
                "INSERT OR REPLACE INTO sources VALUES (?,?,?,?)",
                (f"OSV {label}", label, now_iso(), count),
            )
    kev_entries = import_kev(db, read_kev(kev), kev_label or str(kev)) if kev is not None else None
    db.conn.execute("INSERT OR REPLACE INTO meta VALUES ('updated_at', ?)", (now_iso(),))
    db.refresh_counts()
    db.conn.execute("ANALYZE")
    return stats, kev_entries


def _replace(work: Path, target: Path) -> None:
    """Move the finished file over the target, durably: the import ran with synchronous=OFF, so
    flush it once before the rename, and the folder after it (a power cut must not leave a
    renamed but unwritten database)."""
    fd = os.open(work, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):  # the database keeps its permissions (0600 stays private)
        os.chmod(work, stat.S_IMODE(target.stat().st_mode))
    os.replace(work, target)
    try:
        folder = os.open(target.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(folder)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename itself is still atomic
    finally:
        os.close(folder)
