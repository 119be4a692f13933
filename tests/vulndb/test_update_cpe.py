"""``crakit db update --nvd / --cvelist / --euvd`` against feeds served over loopback HTTP."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from crakit.vulndb import open_database
from crakit.vulndb.errors import SourceError
from crakit.vulndb.update import UpdateOptions, update_database
from tests.vulndb.test_cpe_scan import CVE5_RECORDS, NVD_RECORDS, _match, nvd_cve, or_config
from tests.vulndb.test_update import serve

__all__ = ["serve"]


def write_feed(folder: Path, name: str, records: list[dict[str, Any]]) -> None:
    """An NVD JSON 2.0 feed file and its .meta, as NVD publishes them."""
    body = json.dumps(
        {
            "resultsPerPage": len(records),
            "startIndex": 0,
            "totalResults": len(records),
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2025-01-02T00:00:00.000",
            "vulnerabilities": [{"cve": r} for r in records],
        }
    ).encode()
    packed = gzip.compress(body)
    (folder / f"{name}.json.gz").write_bytes(packed)
    (folder / f"{name}.meta").write_text(
        "lastModifiedDate:2025-01-02T00:00:00-05:00\r\n"
        f"size:{len(body)}\r\nzipSize:0\r\ngzSize:{len(packed)}\r\n"
        f"sha256:{hashlib.sha256(body).hexdigest().upper()}\r\n"
    )


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    root = tmp_path / "mirror"
    (root / "nvd").mkdir(parents=True)
    write_feed(root / "nvd", "nvdcve-2.0-2099", NVD_RECORDS)
    write_feed(root / "nvd", "nvdcve-2.0-modified", [])
    with zipfile.ZipFile(root / "cves.zip", "w") as archive:
        for record in CVE5_RECORDS:
            archive.writestr(f"cves/2099/{record['cveMetadata']['cveId']}.json", json.dumps(record))
    (root / "euvd.json").write_text(
        json.dumps([{"cveID": "CVE-2099-1001", "euvdID": "EUVD-2099-9", "dateReported": "01/02/25"}])
    )
    return root


def test_update_fetches_feeds_once_then_only_what_changed(
    mirror: Path, serve: functools.partial[str], tmp_path: Path
) -> None:
    url = serve(mirror)
    db = tmp_path / "v.db"
    options = UpdateOptions(
        osv=False,
        kev=False,
        nvd=f"{url}/nvd",
        nvd_years=(2099,),
        cvelist=f"{url}/cves.zip",
        euvd=f"{url}/euvd.json",
    )
    report = update_database(db, options)
    assert report.nvd is not None and (report.nvd.added, report.nvd.rejected_removed) == (
        len(NVD_RECORDS) - 1,
        1,
    )
    assert report.cvelist is not None and report.cvelist.read == len(CVE5_RECORDS)
    assert report.euvd_entries == 1
    with open_database(db) as database:
        assert database.euvd(["CVE-2099-1001"]) == {"CVE-2099-1001": ("EUVD-2099-9", "2025-02-01")}
    # unchanged feeds are not downloaded again
    again = update_database(db, UpdateOptions(osv=False, kev=False, nvd=f"{url}/nvd", nvd_years=(2099,)))
    assert again.nvd is None
    # a changed feed is, and the import is incremental by lastModified
    corrected = nvd_cve(
        "CVE-2099-1001",
        [or_config(_match("cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", versionEndExcluding="7.0"))],
        modified="2025-09-01T00:00:00.000",
    )
    write_feed(mirror / "nvd", "nvdcve-2.0-modified", [corrected])
    third = update_database(db, UpdateOptions(osv=False, kev=False, nvd=f"{url}/nvd", nvd_years=(2099,)))
    assert third.nvd is not None and (third.nvd.read, third.nvd.updated) == (1, 1)
    with open_database(db) as database:
        assert database.info().cpe_records >= 8  # the earlier data is still there


def test_a_feed_that_does_not_match_its_meta_is_refused(
    mirror: Path, serve: functools.partial[str], tmp_path: Path
) -> None:
    (mirror / "nvd" / "nvdcve-2.0-2099.json.gz").write_bytes(gzip.compress(b'{"vulnerabilities": []}'))
    url = serve(mirror)
    db = tmp_path / "v.db"
    with pytest.raises(SourceError, match="SHA-256"):
        update_database(db, UpdateOptions(osv=False, kev=False, nvd=f"{url}/nvd", nvd_years=(2099,)))
    assert not db.exists()  # nothing half-imported


def test_downloads_are_size_bounded(mirror: Path, serve: functools.partial[str], tmp_path: Path) -> None:
    url = serve(mirror)
    with pytest.raises(SourceError, match="larger than"):
        update_database(
            tmp_path / "v.db", UpdateOptions(osv=False, kev=False, cvelist=f"{url}/cves.zip", max_bytes=100)
        )


def test_a_base_without_feeds_is_an_error(
    mirror: Path, serve: functools.partial[str], tmp_path: Path
) -> None:
    url = serve(mirror)
    with pytest.raises(SourceError, match=r"no NVD JSON 2\.0 feeds"):
        update_database(
            tmp_path / "v.db", UpdateOptions(osv=False, kev=False, nvd=f"{url}/nothing", nvd_years=(2099,))
        )


def test_feed_hashes_of_a_file_that_is_no_database_leave_no_side_files(tmp_path: Path) -> None:
    # The update reads the previous feed hashes before the database is checked; a file whose
    # header claims write-ahead logging makes SQLite create -wal and -shm beside it. None is read,
    # and the folder is left as it was (the file is refused later, with its one-line error).
    from crakit.vulndb.update_cpe import _stored_meta

    bad = tmp_path / "vulns.db"
    data = bytearray(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    data[18] = data[19] = 2
    bad.write_bytes(bytes(data))
    assert _stored_meta(bad) == {}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vulns.db"]
