"""Fixtures: a small database built from hand-written OSV records, and the shared-corpus database."""

from __future__ import annotations

from pathlib import Path

import pytest

from crakit.vulndb import build_database
from tests.vulndb.helpers import osv_record, write_kev, write_records

RECORDS = [
    # PYSEC and GHSA describing the same flaw (shared CVE alias): folded into one finding.
    osv_record(
        "PYSEC-2099-1",
        "PyPI",
        "Demo_Pkg",
        events=[{"introduced": "0"}, {"fixed": "1.5.0"}],
        aliases=["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"],
        summary="demo flaw",
    ),
    osv_record(
        "GHSA-aaaa-bbbb-cccc",
        "PyPI",
        "demo-pkg",
        events=[{"introduced": "1.0"}, {"fixed": "1.5.0"}],
        aliases=["CVE-2099-0001"],
        severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
    ),
    # Only the GHSA record names the CVE that KEV lists: the join must go through it.
    osv_record(
        "PYSEC-2099-2",
        "PyPI",
        "demo-pkg",
        events=[{"introduced": "2.0"}, {"last_affected": "2.1"}],
        aliases=["GHSA-dddd-eeee-ffff"],
    ),
    osv_record(
        "GHSA-dddd-eeee-ffff",
        "npm",
        "unrelated",
        events=[{"introduced": "0"}, {"fixed": "1.0.0"}],
        aliases=["CVE-2099-0002"],
    ),
    osv_record(
        "GO-2099-0001",
        "Go",
        "example.com/mod",
        range_type="SEMVER",
        events=[{"introduced": "0"}, {"fixed": "1.2.3"}],
        severity=[
            {"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"}
        ],
    ),
    osv_record(
        "RUSTSEC-2099-0001",
        "crates.io",
        "my_crate",
        range_type="SEMVER",
        events=[{"introduced": "0.5.0"}, {"fixed": "0.5.4"}],
    ),
    osv_record(
        "GHSA-mmmm-nnnn-oooo", "Maven", "org.demo:lib", events=[{"introduced": "0"}, {"fixed": "2.10.0.1"}]
    ),
    osv_record(
        "DSA-9999-1", "Debian:12", "openssl", events=[{"introduced": "0"}, {"fixed": "3.0.11-1~deb12u2"}]
    ),
    osv_record(
        "GIT-ONLY-1", "PyPI", "gitpkg", range_type="GIT", events=[{"introduced": "0"}, {"fixed": "abcdef0"}]
    ),
    osv_record(
        "WITHDRAWN-1", "PyPI", "demo-pkg", events=[{"introduced": "0"}], withdrawn="2024-02-01T00:00:00Z"
    ),
]


@pytest.fixture
def records_dir(tmp_path: Path) -> Path:
    return write_records(tmp_path / "osv", RECORDS)


@pytest.fixture
def kev_file(tmp_path: Path) -> Path:
    return write_kev(
        tmp_path / "kev.json", [("CVE-2099-0002", "2099-03-01"), ("CVE-1999-9999", "2020-01-01")]
    )


@pytest.fixture
def small_db(tmp_path: Path, records_dir: Path, kev_file: Path) -> Path:
    path = tmp_path / "db.sqlite"
    build_database(path, [records_dir], kev_file)
    return path


@pytest.fixture(scope="session")
def corpus_db(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "db.sqlite"
    build_database(path, [shared_data / "osv"], shared_data / "kev" / "known_exploited_vulnerabilities.json")
    return path
