"""OSV import edge cases: hostile or odd records, archives, ordering properties of the schemes."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.vulndb import build_database, open_database
from crakit.vulndb import versions as V
from crakit.vulndb.errors import SourceError
from tests.vulndb.helpers import osv_record


def test_malformed_records_are_counted_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "osv"
    folder.mkdir()
    (folder / "a.json").write_text("{not json", encoding="utf-8")
    (folder / "b.json").write_text("[1, 2]", encoding="utf-8")
    (folder / "c.json").write_text(json.dumps({"id": "X-1"}), encoding="utf-8")  # no modified
    odd = osv_record("X-2", "PyPI", "odd", events=[{"introduced": "0"}])
    odd["affected"].append({"package": "not-a-dict", "ranges": 3})
    odd["affected"].append(
        {
            "package": {"ecosystem": "PyPI", "name": "odd2"},
            "ranges": [{"type": "ECOSYSTEM", "events": ["x", {"fixed": 5}]}],
        }
    )
    (folder / "d.json").write_text(json.dumps(odd), encoding="utf-8")
    report = build_database(tmp_path / "db.sqlite", [folder])
    assert report.osv is not None and (report.osv.invalid, report.osv.added) == (3, 1)


def test_osv_dev_all_zip_is_read(tmp_path: Path) -> None:
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr(
            "GO-2099-1.json",
            json.dumps(
                osv_record(
                    "GO-2099-1", "Go", "example.com/a", range_type="SEMVER", events=[{"introduced": "0"}]
                )
            ),
        )
    build_database(tmp_path / "db.sqlite", [archive])
    with open_database(tmp_path / "db.sqlite") as db:
        assert dict(db.info().ecosystems) == {"Go": 1}


def test_broken_zip_is_a_source_error(tmp_path: Path) -> None:
    bad = tmp_path / "all.zip"
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(SourceError):
        build_database(tmp_path / "db.sqlite", [bad])
    assert not (tmp_path / "db.sqlite").exists()


def test_newest_duplicate_in_one_import_wins(tmp_path: Path) -> None:
    a = tmp_path / "a"
    b = tmp_path / "b"
    a.mkdir()
    b.mkdir()
    old = osv_record("DUP-1", "PyPI", "dup", events=[{"introduced": "0"}], modified="2020-01-01T00:00:00Z")
    new = osv_record(
        "DUP-1",
        "PyPI",
        "dup",
        events=[{"introduced": "0"}, {"fixed": "1.0"}],
        modified="2021-01-01T00:00:00.5Z",
    )
    (a / "DUP-1.json").write_text(json.dumps(new), encoding="utf-8")
    (b / "DUP-1.json").write_text(json.dumps(old), encoding="utf-8")
    build_database(tmp_path / "db.sqlite", [a, b])
    with open_database(tmp_path / "db.sqlite") as db:
        (row,) = db.conn.execute("SELECT COUNT(*) FROM affected WHERE vuln_id = 'DUP-1'")
        assert row[0] == 1
        record = db.record("DUP-1")
        assert record is not None and record["modified"].startswith("2021")


_VERSIONS = st.from_regex(
    r"v?[0-9]{1,3}(\.[0-9]{1,3}){0,3}([-._~+]?(alpha|beta|rc|pre|p|dev|post|r)?[0-9]{0,2}){0,2}",
    fullmatch=True,
)


_APK = st.from_regex(
    r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}[a-z]?(_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]{0,2}){0,2}(-r[0-9]{1,2})?",
    fullmatch=True,
)


@settings(max_examples=100, deadline=None)
@given(a=_APK, b=_APK, c=_APK)
def test_alpine_order_is_total_on_valid_apk_versions(a: str, b: str, c: str) -> None:
    # OSV's own vectors make unparsable apk versions compare loosely ("1-ruff1" = "1-ruff2"),
    # which is not a total order; valid ones are.
    s = V.ALPINE
    assert s.compare(a, a) == 0 and s.compare(a, b) == -s.compare(b, a)
    if s.compare(a, b) <= 0 and s.compare(b, c) <= 0:
        assert s.compare(a, c) <= 0


@pytest.mark.parametrize(
    "scheme",
    [
        V.PYPI,
        V.SEMVER,
        V.MAVEN,
        V.RUBYGEMS,
        V.NUGET,
        V.PACKAGIST,
        V.DEBIAN,
        V.RPM,
        V.PUB,
        V.HACKAGE,
        V.CRAN,
    ],
    ids=lambda s: s.name,
)
@settings(max_examples=100, deadline=None)
@given(a=_VERSIONS, b=_VERSIONS, c=_VERSIONS)
def test_orderings_are_total_orders(scheme: V.VersionScheme, a: str, b: str, c: str) -> None:
    """Antisymmetric, reflexive and transitive on arbitrary version-like strings (never raises)."""
    assert scheme.compare(a, a) == 0
    assert scheme.compare(a, b) == -scheme.compare(b, a)
    if scheme.compare(a, b) <= 0 and scheme.compare(b, c) <= 0:
        assert scheme.compare(a, c) <= 0
    if scheme.canonical is not None:
        assert (scheme.canonical(a) == scheme.canonical(b)) == (scheme.compare(a, b) == 0)


def test_a_source_without_records_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceError, match="no valid OSV records"):
        build_database(tmp_path / "db.sqlite", [empty])
    assert not (tmp_path / "db.sqlite").exists()  # no database that would scan "clean"


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "all.zip"])
def test_build_reports_progress_up_to_the_number_of_records(tmp_path: Path, as_zip: bool) -> None:
    """`db build` and `db update` draw a progress bar from these calls: counts only grow, the total
    is known up front (file names only) and the last call says every record was read."""
    records = [osv_record(f"X-{n}", "PyPI", f"pkg{n}", events=[{"introduced": "0"}]) for n in range(2345)]
    if as_zip:
        source = tmp_path / "all.zip"
        with zipfile.ZipFile(source, "w") as z:
            for record in records:
                z.writestr(f"{record['id']}.json", json.dumps(record))
            z.writestr("README.txt", "not a record")
    else:
        source = tmp_path / "osv"
        source.mkdir()
        for record in records:
            (source / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    calls: list[tuple[int, int | None]] = []
    report = build_database(
        tmp_path / "db.sqlite", [source], progress=lambda done, total: calls.append((done, total))
    )
    assert report.osv is not None and report.osv.added == len(records)
    assert {total for _, total in calls} == {len(records)}
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == len(records) and len(done) >= 2
