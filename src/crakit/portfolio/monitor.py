"""Continuous monitoring: import new vulnerability data, then re-match only what it touches.

One run: (1) keep the current database file as "previous" (a hard link: no copy), (2) import
the given OSV and KEV files incrementally as ``db build`` does (or download them as ``db update``
does), (3) compare the two files (:func:`crakit.vulndb.changes_since`) for the (ecosystem,
package) pairs that new, modified or withdrawn advisories and new KEV entries touch, (4) match
again only the portfolio components of those packages, raising alerts (Annex I Part I(2)(a):
newly affected; Art 14(1): newly known exploited), and (5) record the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crakit.portfolio.matching import components_of_packages, components_without_purl, rematch
from crakit.portfolio.models import MonitorRunRow
from crakit.portfolio.timeline import take_snapshots
from crakit.store import Store


@dataclass(frozen=True, slots=True)
class MonitorReport:
    changed_advisories: int
    changed_kev: int
    touched_packages: int
    rematched_components: int
    versions: int
    alerts: tuple[int, ...]
    first_import: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "changed_advisories": self.changed_advisories,
            "changed_kev": self.changed_kev,
            "touched_packages": self.touched_packages,
            "rematched_components": self.rematched_components,
            "versions": self.versions,
            "alerts": list(self.alerts),
            "first_import": self.first_import,
        }


def _keep_previous(path: Path) -> Path | None:
    if not path.is_file():
        return None
    previous = path.with_name(path.name + ".monitor-previous")
    previous.unlink(missing_ok=True)
    try:
        os.link(path, previous)  # the import replaces the file by rename: the link keeps the old one
    except OSError:
        shutil.copy2(path, previous)  # a file system without hard links
    return previous


def run_monitor(
    store: Store,
    vulndb: Path,
    importer: Callable[[], object] | None,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> MonitorReport:
    """Run ``importer`` (which updates ``vulndb`` in place, e.g. ``build_database``), then
    re-match the touched packages. ``importer=None`` re-matches against the data as it is,
    as if every package had changed (the first run of a new portfolio)."""
    from crakit.vulndb import changes_since, open_database

    started = now()
    previous = _keep_previous(vulndb) if importer is not None else None
    try:
        if importer is not None:
            importer()
        db = open_database(vulndb)
        try:
            changes = changes_since(previous, db)
            with store.transaction() as session:
                targets = components_of_packages(session, changes.packages)
                for vid, keys in components_without_purl(session).items():
                    targets[vid] = sorted({*targets.get(vid, ()), *keys})
                detected = now()
                alerts = rematch(session, db, targets, now=detected)
                report = MonitorReport(
                    len(changes.advisories),
                    len(changes.kev),
                    len(changes.packages),
                    len({p for purls in targets.values() for p in purls}),
                    len(targets),
                    tuple(alerts),
                    changes.first_import,
                )
                take_snapshots(session, detected)  # the charts' daily point
                session.add(
                    MonitorRunRow(
                        started_at=started,
                        finished_at=now(),
                        changed_advisories=report.changed_advisories,
                        changed_kev=report.changed_kev,
                        touched_packages=report.touched_packages,
                        rematched_components=report.rematched_components,
                        alerts=len(alerts),
                    )
                )
        finally:
            db.close()
    finally:
        if previous is not None:
            previous.unlink(missing_ok=True)
    return report


def import_files(vulndb: Path, osv: list[Path], kev: Path | None) -> Callable[[], object]:
    """The importer of ``crakit monitor run --osv DIR --kev FILE`` (as ``crakit db build``)."""
    from crakit.vulndb import build_database

    return lambda: build_database(vulndb, osv, kev)


def import_mirror(vulndb: Path, mirror: str | None) -> Callable[[], object]:
    """The importer of the schedule inside ``crakit serve`` (as ``crakit db update``)."""
    from crakit.vulndb import UpdateOptions, update_database

    return lambda: update_database(vulndb, UpdateOptions(mirror=mirror))
