#!/usr/bin/env python3
"""Continuous monitoring at portfolio scale (issue 13): P products × C components on PostgreSQL
(``CRAKIT_TEST_DATABASE_URL``, else a SQLite file), a vulnerability database of synthetic OSV
records, then "a day's worth" of new and modified advisories and KEV entries imported by
``run_monitor``, which re-matches only the packages they touch.

Reports, in the same run: the time of the baseline (a full re-match of the whole portfolio, what a
monitor without change detection would do every run) and of the incremental run, and their ratio;
how many packages and components the day's data touched; the peak memory of this process. Compare
the ratio, not absolute times across machines.

usage: python bench/monitor.py [--products 1000] [--components 5000] [--packages 50000]
                               [--advisories 10000] [--day-modified 300] [--day-new 200] [--day-kev 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def osv(vid: str, name: str, fixed: str, modified: str, aliases: list[str]) -> dict[str, Any]:
    return {
        "schema_version": "1.6.0",
        "id": vid,
        "modified": modified,
        "aliases": aliases,
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": name},
                "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            }
        ],
    }


def write(folder: Path, records: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / f"{record['id']}.json").write_text(json.dumps(record))
    return folder


def kev(path: Path, cves: list[str]) -> Path:
    path.write_text(
        json.dumps(
            {
                "catalogVersion": "2026.12.03",
                "dateReleased": "2026-12-03T00:00:00Z",
                "vulnerabilities": [
                    {
                        "cveID": c,
                        "dateAdded": "2026-12-03",
                        "dueDate": "2026-12-24",
                        "vendorProject": "v",
                        "product": "p",
                        "vulnerabilityName": "n",
                        "knownRansomwareCampaignUse": "Unknown",
                    }
                    for c in cves
                ],
            }
        )
    )
    return path


def populate(store: Any, products: int, components: int, packages: int, rng: random.Random) -> None:
    """Products, versions, one SBOM each and their components, written in bulk (COPY on PostgreSQL)."""
    from sqlalchemy import insert

    from crakit.portfolio.models import ProductRow, SbomRow, VersionRow

    now = datetime.now(UTC)
    with store.transaction() as session:
        session.execute(
            insert(ProductRow),
            [
                {
                    "id": i + 1,
                    "organisation_id": 1,
                    "name": f"product-{i}",
                    "manufacturer": "Bench NV",
                    "created_at": now,
                }
                for i in range(products)
            ],
        )
        session.execute(
            insert(VersionRow),
            [
                {
                    "id": i + 1,
                    "product_id": i + 1,
                    "organisation_id": 1,
                    "version": "1.0",
                    "public_id": f"bench-{i}",
                    "manifest": "",
                    "facts": {},
                    "support_end": None,
                    "created_at": now,
                }
                for i in range(products)
            ],
        )
        session.execute(
            insert(SbomRow),
            [
                {
                    "id": i + 1,
                    "version_id": i + 1,
                    "format": "cyclonedx",
                    "spec_version": "1.6",
                    "name": None,
                    "components": components,
                    "uploaded_at": now,
                    "uploaded_by": "bench",
                }
                for i in range(products)
            ],
        )
    rows = (
        (v, v, f"pkg-{p}", f"1.0.{p % 5}", f"pkg:npm/pkg-{p}@1.0.{p % 5}", "npm", f"pkg-{p}")
        for v in range(1, products + 1)
        for p in rng.sample(range(packages), components)
    )
    columns = "version_id, sbom_id, name, version, purl, ecosystem, package"
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if store.dialect == "postgresql":
            with cursor.copy(f"COPY wb_components ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO wb_components ({columns}) VALUES (?,?,?,?,?,?,?)", rows)
        raw.commit()
    finally:
        raw.close()
    if store.dialect == "postgresql":
        with store.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE wb_components")


def upload(store: Any, vulndb: Path, count: int, packages: int) -> None:
    """One CycloneDX SBOM of ``count`` components through the upload path (parse, store, match)."""
    from crakit import portfolio
    from crakit.vulndb import open_database

    body = json.dumps(
        {
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "version": 1,
            "components": [
                {
                    "type": "library",
                    "name": f"pkg-{i % packages}",
                    "version": f"2.{i // packages}.{i % 7}",
                    "purl": f"pkg:npm/pkg-{i % packages}@2.{i // packages}.{i % 7}",
                }
                for i in range(count)
            ],
        }
    ).encode()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manifest = (Path(__file__).resolve().parents[1] / "examples" / "homegate-router.yaml").read_text()
    started = time.perf_counter()
    with open_database(vulndb) as db, store.transaction() as session:
        added = portfolio.add_manifest(session, 1, manifest.encode(), now=datetime.now(UTC))
        version = portfolio.version_row(session, 1, added.product_id, None)
        done = portfolio.add_sbom(
            session, db, version, portfolio.parse_upload(body), actor="bench", now=datetime.now(UTC)
        )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"upload of one SBOM with {count:,} components ({len(body) / 1e6:.0f} MB): {done.components:,} stored, "
        f"{done.findings:,} findings, {elapsed:.1f} s; peak memory {peak:.0f} MB (was {before:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--components", type=int, default=5000)
    parser.add_argument("--packages", type=int, default=50000)
    parser.add_argument("--advisories", type=int, default=10000)
    parser.add_argument("--day-modified", type=int, default=300)
    parser.add_argument("--day-new", type=int, default=200)
    parser.add_argument("--day-kev", type=int, default=5)
    parser.add_argument(
        "--upload",
        type=int,
        default=300000,
        help="components of the one large SBOM uploaded at the end (0: none)",
    )
    args = parser.parse_args()

    from crakit import accounts, portfolio
    from crakit.store import open_database
    from crakit.store.testing import isolated_postgres_url
    from crakit.vulndb import build_database

    rng = random.Random(13)
    with tempfile.TemporaryDirectory(prefix="crakit-bench-monitor-") as tmp:
        work = Path(tmp)
        base = os.environ.get("CRAKIT_TEST_DATABASE_URL")
        context = isolated_postgres_url(base) if base else None
        url = context.__enter__() if context else f"sqlite:///{work / 'wb.db'}"
        try:
            store = open_database(
                url, [accounts.MIGRATIONS, portfolio.STORE_MIGRATIONS, portfolio.MIGRATIONS]
            )
            vulndb = work / "vulndb.sqlite"
            affected = rng.sample(range(args.packages), args.advisories)
            initial = [
                osv(f"GHSA-bench-{i:06d}", f"pkg-{p}", "1.0.3", "2026-11-01T00:00:00Z", [f"CVE-2026-{i:06d}"])
                for i, p in enumerate(affected)
            ]
            started = time.perf_counter()
            build_database(vulndb, [write(work / "osv0", initial)], kev(work / "kev0.json", []))
            print(
                f"vulnerability database: {args.advisories} advisories over {args.packages} packages "
                f"({time.perf_counter() - started:.1f} s)"
            )
            started = time.perf_counter()
            populate(store, args.products, args.components, args.packages, rng)
            total = args.products * args.components
            print(
                f"portfolio on {store.dialect}: {args.products} products x {args.components} components = "
                f"{total:,} components ({time.perf_counter() - started:.1f} s to load)"
            )

            started = time.perf_counter()
            full = portfolio.run_monitor(store, vulndb, None)
            baseline = time.perf_counter() - started
            print(
                f"baseline, full re-match: {full.rematched_components:,} distinct purls in {full.versions} versions, "
                f"{len(full.alerts):,} alerts, {baseline:.2f} s"
            )

            modified = [
                osv(
                    f"GHSA-bench-{i:06d}",
                    f"pkg-{affected[i]}",
                    "1.0.4",
                    "2026-12-03T00:00:00Z",
                    [f"CVE-2026-{i:06d}"],
                )
                for i in rng.sample(range(args.advisories), args.day_modified)
            ]
            fresh = set(range(args.packages)) - set(affected)
            new = [
                osv(f"GHSA-benchnew-{i:05d}", f"pkg-{p}", "1.0.2", "2026-12-03T00:00:00Z", [])
                for i, p in enumerate(rng.sample(sorted(fresh), args.day_new))
            ]
            kev_cves = [f"CVE-2026-{i:06d}" for i in rng.sample(range(args.advisories), args.day_kev)]
            day = write(work / "osv1", modified + new)
            importer = portfolio.import_files(vulndb, [day], kev(work / "kev1.json", kev_cves))
            started = time.perf_counter()
            report = portfolio.run_monitor(store, vulndb, importer)
            incremental = time.perf_counter() - started
            print(
                f"a day's data: {report.changed_advisories} advisories and {report.changed_kev} KEV entries changed, "
                f"{report.touched_packages} packages touched, {report.rematched_components:,} distinct purls in "
                f"{report.versions} versions re-matched, {len(report.alerts):,} alerts"
            )
            print(f"incremental monitoring run (import + diff + re-match + alerts): {incremental:.2f} s")
            if baseline:
                print(f"ratio incremental / full re-match: {incremental / baseline:.3f}")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"peak memory of this process: {peak:.0f} MB")
            if args.upload:
                upload(store, vulndb, args.upload, args.packages)
            store.close()
        finally:
            if context:
                context.__exit__(None, None, None)


if __name__ == "__main__":
    sys.exit(main())
