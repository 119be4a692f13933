"""Derived names (folding, KEV join) are the same whether a database is built at once or updated
record by record: an incremental import re-derives exactly the records it touches."""

from __future__ import annotations

import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from crakit.vulndb import build_database
from tests.vulndb.helpers import osv_record, write_records


def _derived(path: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return {
            vid: (names, rel) for vid, names, rel in conn.execute("SELECT id, names, related_cves FROM vulns")
        }


def test_multi_cve_advisory_does_not_glue_flaws(tmp_path: Path) -> None:
    # RUSTSEC-2021-0110 names three CVEs, each with its own PYSEC: they stay three flaws.
    records = [
        osv_record(
            "RUSTSEC-2021-0110",
            "crates.io",
            "wasmtime",
            events=[{"introduced": "0"}],
            aliases=["CVE-2021-39216", "CVE-2021-39218", "CVE-2021-39219"],
        ),
        osv_record(
            "PYSEC-2021-320", "PyPI", "wasmtime", events=[{"introduced": "0"}], aliases=["CVE-2021-39216"]
        ),
        osv_record(
            "PYSEC-2021-321", "PyPI", "wasmtime", events=[{"introduced": "0"}], aliases=["CVE-2021-39218"]
        ),
        # A GHSA without its CVE yet: the PYSEC naming it carries the CVE over (one CVE only).
        osv_record("GHSA-aaaa-bbbb-cccc", "PyPI", "other", events=[{"introduced": "0"}]),
        osv_record(
            "PYSEC-2099-9",
            "PyPI",
            "other",
            events=[{"introduced": "0"}],
            aliases=["GHSA-aaaa-bbbb-cccc", "CVE-2099-9"],
        ),
    ]
    db = tmp_path / "db.sqlite"
    build_database(db, [write_records(tmp_path / "osv", records)])
    derived = {k: v[0] for k, v in _derived(db).items()}
    assert "CVE-2021-39218" not in derived["PYSEC-2021-320"]
    assert "CVE-2099-9" in derived["GHSA-aaaa-bbbb-cccc"]


@pytest.mark.corpus
def test_incremental_updates_derive_what_a_fresh_build_does(shared_data: Path, tmp_path: Path) -> None:
    files = sorted((shared_data / "osv").glob("*.json"))
    random.Random(7).shuffle(files)
    batches = [files[i::4] for i in range(4)]
    incremental = tmp_path / "incremental.sqlite"
    for i, batch in enumerate(batches):
        folder = tmp_path / f"batch{i}"
        folder.mkdir()
        for f in batch:
            shutil.copy(f, folder / f.name)
        build_database(incremental, [folder])
    fresh = tmp_path / "fresh.sqlite"
    build_database(fresh, [shared_data / "osv"])
    assert _derived(incremental) == _derived(fresh)
    assert any(rel != "[]" for _, rel in _derived(fresh).values())  # related CVEs were derived
