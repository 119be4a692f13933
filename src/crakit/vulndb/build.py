"""Build or refresh the database from local OSV and KEV files (``crakit db build``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from crakit.vulndb.errors import SourceError
from crakit.vulndb.importers.kev import import_kev, read_kev
from crakit.vulndb.importers.osv import ImportStats, import_osv
from crakit.vulndb.store import create_or_open_for_write, now_iso


@dataclass(frozen=True, slots=True)
class BuildReport:
    path: Path
    osv: ImportStats | None
    kev_entries: int | None


def build_database(
    path: Path,
    osv: list[Path],
    kev: Path | None = None,
    *,
    fresh: bool = False,
    osv_labels: list[str] | None = None,
    kev_label: str | None = None,
) -> BuildReport:
    """Import ``osv`` record sources and the ``kev`` catalogue into ``path``.

    An existing database is updated incrementally (records newer by ``modified`` replace older
    ones, withdrawn ones are removed); ``fresh`` starts from an empty file, written beside the
    target and moved into place only when complete so a failed build never leaves half a database.
    """
    target = Path(path)
    work = target.with_name(target.name + ".building") if fresh or not target.exists() else target
    if work != target and work.exists():
        work.unlink()
    db = create_or_open_for_write(work)
    try:
        stats: ImportStats | None = None
        if osv:
            labels = osv_labels or [str(p) for p in osv]
            stats = import_osv(db, osv, labels)
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
    except BaseException:
        db.close()
        if work != target:
            work.unlink(missing_ok=True)
        raise
    db.close()
    if work != target:
        os.replace(work, target)
    return BuildReport(target, stats, kev_entries)
