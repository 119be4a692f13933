"""Scanning: findings, alias folding, the KEV join, severities, unevaluated cases, the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crakit.formats import finding_to_json, scan_to_json
from crakit.sbom import Component, Sbom
from crakit.vulndb import (
    DatabaseCorrupt,
    DatabaseMissing,
    build_database,
    open_database,
    scan,
)
from tests.vulndb.helpers import osv_record, write_records


def sbom(*purls: str | None) -> Sbom:
    comps = tuple(Component(ref=f"c{i}", name=f"c{i}", purl=p) for i, p in enumerate(purls))
    return Sbom(format="cyclonedx", spec_version="1.6", serialization="json", components=comps)


def by_purl(small_db: Path, *purls: str | None) -> dict[str, list[str]]:
    with open_database(small_db) as db:
        result = scan([sbom(*purls)], db)
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.purl, []).append(f.id)
    return out


def test_aliases_fold_into_one_finding(small_db: Path) -> None:
    with open_database(small_db) as db:
        result = scan([sbom("pkg:pypi/Demo.Pkg@1.2")], db)
    assert len(result.findings) == 1
    f = result.findings[0]
    assert f.purl == "pkg:pypi/Demo.Pkg@1.2"  # exactly as the SBOM wrote it
    assert {f.id, *f.aliases} >= {"PYSEC-2099-1", "GHSA-aaaa-bbbb-cccc", "CVE-2099-0001"}
    assert f.id == "PYSEC-2099-1"  # the ecosystem's own database represents the group
    # Severity comes from the GHSA record's CVSS v3.1 vector (9.8).
    assert (f.severity, f.cvss_score) == ("critical", 9.8)
    assert f.fixed == ("1.5.0",)
    assert f.summary == "demo flaw"
    assert not f.exploited


def test_kev_join_goes_through_aliases(small_db: Path) -> None:
    with open_database(small_db) as db:
        result = scan([sbom("pkg:pypi/demo-pkg@2.1")], db)
    (f,) = result.findings
    assert f.id == "PYSEC-2099-2"
    assert f.exploited and f.kev_date_added == "2099-03-01"
    assert "CVE-2099-0002" in f.aliases
    assert f.kev_cves == ("CVE-2099-0002",)  # which alias the KEV listing is under


def test_withdrawn_records_are_not_imported(small_db: Path) -> None:
    assert "WITHDRAWN-1" not in {
        i for ids in by_purl(small_db, "pkg:pypi/demo-pkg@9.0").values() for i in ids
    }


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:golang/example.com/mod@v1.2.2", ["GO-2099-0001"]),
        ("pkg:golang/example.com/mod@v1.2.3", []),
        ("pkg:cargo/my-crate@0.5.3", ["RUSTSEC-2099-0001"]),
        ("pkg:maven/org.demo/lib@2.10.0", ["GHSA-mmmm-nnnn-oooo"]),
        ("pkg:maven/org.demo/lib@2.10.0.1", []),
        ("pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12", ["DSA-9999-1"]),
        ("pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-11", []),  # other release
        ("pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=bookworm", ["DSA-9999-1"]),
        ("pkg:pypi/demo-pkg@1.5.0", []),
    ],
)
def test_matching_per_ecosystem(small_db: Path, purl: str, expected: list[str]) -> None:
    assert by_purl(small_db, purl).get(purl, []) == expected


def test_go_cvss_v4_severity(small_db: Path) -> None:
    with open_database(small_db) as db:
        (f,) = scan([sbom("pkg:golang/example.com/mod@v1.0.0")], db).findings
    assert f.cvss_vector and f.cvss_vector.startswith("CVSS:4.0")
    assert f.severity == "medium"


def test_unevaluated_cases_are_reported_not_dropped(small_db: Path) -> None:
    with open_database(small_db) as db:
        result = scan([sbom("pkg:pypi/demo-pkg", "pkg:pypi/gitpkg@1.0", None, "pkg:generic/x@1")], db)
    assert result.findings == []
    reasons = {(u.purl, u.id): u.reason for u in result.unevaluated}
    assert "no version" in reasons[("pkg:pypi/demo-pkg", "PYSEC-2099-1")]
    assert "GIT" in reasons[("pkg:pypi/gitpkg@1.0", "GIT-ONLY-1")]
    assert result.components_without_purl == 1
    assert result.unsupported == ("generic",)


def test_same_purl_twice_is_one_finding(small_db: Path) -> None:
    with open_database(small_db) as db:
        result = scan([sbom("pkg:pypi/demo-pkg@1.2"), sbom("pkg:pypi/demo-pkg@1.2")], db)
    assert len(result.findings) == 1


def test_a_purl_without_version_is_checked_at_each_version_its_components_ship(small_db: Path) -> None:
    # Two components name pkg:pypi/demo-pkg without a version; their own versions (1.2 and 2.1)
    # say which package versions ship. Each is checked, and reported under its purl completed
    # with its version: the second one used to be dropped as "the same purl twice", hiding its
    # vulnerabilities (a false "no known vulnerability").
    comps = (
        Component(ref="a", name="demo-pkg", version="1.2", purl="pkg:pypi/demo-pkg"),
        Component(ref="b", name="demo-pkg", version="2.1", purl="pkg:pypi/demo-pkg"),
        Component(ref="c", name="demo-pkg", version="1.2", purl="pkg:pypi/demo-pkg"),  # 1.2 again: one
        Component(ref="d", name="demo-pkg", version="2.1", purl="pkg:pypi/demo-pkg@2.1"),  # the same version
        Component(ref="e", name="demo-pkg", version="9.0", purl="pkg:pypi/demo-pkg"),  # not affected
    )
    with open_database(small_db) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", comps)], db)
    got = [(f.purl, f.component.ref, f.version, f.id, f.exploited) for f in result.findings]
    assert got == [  # exploited first (2.1's flaw is KEV-listed), then severity, purl, id
        ("pkg:pypi/demo-pkg@2.1", "b", "2.1", "PYSEC-2099-2", True),
        ("pkg:pypi/demo-pkg@1.2", "a", "1.2", "PYSEC-2099-1", False),
    ]
    written = scan_to_json(result)["findings"]
    assert [(w["purl"], w["component"]["ref"], w["version"]) for w in written] == [g[:3] for g in got]


@pytest.mark.parametrize(
    "written",
    ["pkg:pypi/demo-pkg#src", "pkg:pypi/demo-pkg?repository_url=https://pypi.example", "pkg:PYPI/demo-pkg"],
)
def test_a_versioned_component_is_not_hidden_by_the_same_purl_without_any_version(
    small_db: Path, written: str
) -> None:
    # The first component gives no version at all (nothing to check: not evaluated); the second
    # ships 1.2 under the same versionless purl. The second must be checked, in either order.
    first = Component(ref="a", name="demo-pkg", purl=written)
    second = Component(ref="b", name="demo-pkg", version="1.2", purl=written)
    for order in ((first, second), (second, first)):
        with open_database(small_db) as db:
            result = scan([Sbom("cyclonedx", "1.6", "json", order)], db)
        assert [(f.component.ref, f.version, f.id) for f in result.findings] == [("b", "1.2", "PYSEC-2099-1")]


def test_a_versionless_purl_takes_the_version_as_its_type_reads_it(tmp_path: Path) -> None:
    # The component's version completes the purl, and the completed purl is read like any other:
    # Go's "go1.21.3" is 1.21.3, an RPM purl's epoch qualifier prefixes its version.
    records = [
        osv_record(
            "GO-2099-1",
            "Go",
            "stdlib",
            range_type="SEMVER",
            events=[{"introduced": "0"}, {"fixed": "1.21.5"}],
        ),
        osv_record(
            "ALSA-2099:1",
            "AlmaLinux:9",
            "openssl",
            events=[{"introduced": "1:3.0.0-1.el9"}, {"fixed": "1:3.0.7-27.el9"}],
        ),
    ]
    db_path = tmp_path / "db.sqlite"
    build_database(db_path, [write_records(tmp_path / "osv", records)], None)
    rpm = "pkg:rpm/almalinux/openssl?arch=x86_64&epoch=1&distro=almalinux-9"
    comps = (
        Component(ref="go", name="stdlib", version="go1.21.3", purl="pkg:golang/stdlib"),
        Component(ref="rpm", name="openssl", version="3.0.7-24.el9", purl=rpm),
    )
    with open_database(db_path) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", comps)], db)
    assert sorted((f.component.ref, f.purl, f.version, f.id) for f in result.findings) == [
        ("go", "pkg:golang/stdlib@go1.21.3", "1.21.3", "GO-2099-1"),
        (
            "rpm",
            "pkg:rpm/almalinux/openssl@3.0.7-24.el9?arch=x86_64&epoch=1&distro=almalinux-9",
            "1:3.0.7-24.el9",
            "ALSA-2099:1",
        ),
    ]
    assert not result.unevaluated


def test_a_purl_with_a_nul_character_is_invalid(small_db: Path) -> None:
    # No URI holds a raw NUL (RFC 3986): such a purl is reported as invalid, not matched.
    with open_database(small_db) as db:
        result = scan([sbom("pkg:pypi/demo-pkg\x001.2", "pkg:pypi/demo-pkg@1.2")], db)
    assert [(s.purl, s.reason) for s in result.skipped] == [("pkg:pypi/demo-pkg\x001.2", "invalid purl")]
    assert [f.purl for f in result.findings] == ["pkg:pypi/demo-pkg@1.2"]


def test_json_contract(small_db: Path) -> None:
    with open_database(small_db) as db:
        (f,) = scan([sbom("pkg:pypi/demo-pkg@2.1")], db).findings
    data = finding_to_json(f)
    for key in ("purl", "id", "aliases", "severity", "fixed", "exploited", "kev_date_added", "status"):
        assert key in data
    assert data["status"] == "affected" and data["exploited"] is True


def test_incremental_update_by_modified(tmp_path: Path, small_db: Path) -> None:
    newer = osv_record(
        "RUSTSEC-2099-0001",
        "crates.io",
        "my_crate",
        range_type="SEMVER",
        events=[{"introduced": "0.5.0"}, {"fixed": "0.5.2"}],
        modified="2025-01-01T00:00:00Z",
    )
    older = osv_record(
        "GO-2099-0001",
        "Go",
        "example.com/mod",
        range_type="SEMVER",
        events=[{"introduced": "0"}],
        modified="2020-01-01T00:00:00Z",
    )
    gone = osv_record(
        "GHSA-mmmm-nnnn-oooo",
        "Maven",
        "org.demo:lib",
        modified="2025-01-01T00:00:00Z",
        withdrawn="2025-01-01T00:00:00Z",
    )
    report = build_database(small_db, [write_records(tmp_path / "update", [newer, older, gone])])
    assert report.osv is not None
    assert (report.osv.updated, report.osv.unchanged, report.osv.withdrawn_removed) == (1, 1, 1)
    got = by_purl(
        small_db,
        "pkg:cargo/my_crate@0.5.3",
        "pkg:golang/example.com/mod@v1.2.4",
        "pkg:maven/org.demo/lib@1.0",
    )
    assert got == {}  # 0.5.3 now fixed; old GO record kept (fixed 1.2.3); Maven record withdrawn


def test_missing_database_raises_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DatabaseMissing) as exc:
        open_database(tmp_path / "nope.sqlite")
    assert exc.value.exit_code == 2
    monkeypatch.setenv("CRAKIT_DB", str(tmp_path / "env.sqlite"))
    with pytest.raises(DatabaseMissing, match=r"env\.sqlite"):
        open_database(None)


@pytest.mark.parametrize("content", [b"", b"garbage" * 100, b"SQLite format 3\x00" + b"\x00" * 200])
def test_corrupt_database_raises_exit_2(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseCorrupt) as exc:
        open_database(path)
    assert exc.value.exit_code == 2


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(DatabaseCorrupt):
        open_database(path)


def test_info_counts(small_db: Path) -> None:
    with open_database(small_db) as db:
        info = db.info()
    eco = dict(info.ecosystems)
    assert eco["PyPI"] == 4 and eco["Go"] == 1 and eco["Debian"] == 1
    assert info.kev_entries == 2 and info.kev_catalog_version == "2025.01.01"
    assert info.withdrawn_removed == 1  # WITHDRAWN-1 was seen and left out
    assert info.data_as_of is not None and info.data_as_of.startswith("2024-01-01")


def test_ecosystems_without_data_are_reported(small_db: Path) -> None:
    with open_database(small_db) as db:
        result = scan([sbom("pkg:gem/rails@7.0.0", "pkg:gem/rack@2.0", "pkg:pypi/demo-pkg@9")], db)
    assert result.findings == []
    assert result.uncovered == (("RubyGems", 2),)


def test_debian_binary_package_matches_its_source_record(small_db: Path) -> None:
    purl = "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?upstream=openssl%403.0.11-1~deb12u1&distro=debian-12"
    assert by_purl(small_db, purl) == {purl: ["DSA-9999-1"]}


@pytest.mark.parametrize(
    ("purl", "record"),
    [
        ("pkg:golang/example.com/mod@garbage", "GO-2099-0001"),
        ("pkg:golang/example.com/mod@v1.2.3+incompatible+build.7", "GO-2099-0001"),
        ("pkg:npm/unrelated@latest", "GHSA-dddd-eeee-ffff"),
        ("pkg:cargo/my_crate@not.a.version", "RUSTSEC-2099-0001"),
    ],
)
def test_unparsable_versions_are_not_evaluated_never_clean(small_db: Path, purl: str, record: str) -> None:
    # Sorted below every version, "garbage" would fall into the range introduced at "0" by accident;
    # treated as clean it would hide the record. Both are wrong: it is reported as not evaluated.
    with open_database(small_db) as db:
        result = scan([sbom(purl)], db)
    assert result.findings == []
    (note,) = [u for u in result.unevaluated if u.purl == purl]
    assert note.id == record and "is not a valid SemVer version" in note.reason


def test_unparsable_advisory_bound_is_not_evaluated(tmp_path: Path) -> None:
    from crakit.vulndb import build_database
    from tests.vulndb.helpers import osv_record, write_records

    records = write_records(
        tmp_path / "osv",
        [
            osv_record(
                "PYSEC-2099-77", "PyPI", "oddpkg", events=[{"introduced": "0"}, {"fixed": "0.2.0-n653"}]
            )
        ],
    )
    db_path = tmp_path / "db.sqlite"
    build_database(db_path, [records], None)
    with open_database(db_path) as db:
        result = scan([sbom("pkg:pypi/oddpkg@0.1.0")], db)
    assert result.findings == []
    (note,) = result.unevaluated
    assert "range bound '0.2.0-n653'" in note.reason


def test_entry_without_versions_or_ranges_says_so(tmp_path: Path) -> None:
    # osv-schema: a version is affected if a range holds it or the versions list names it; an entry
    # with neither names no version. It is reported as not evaluated, with that reason (not "GIT").
    from crakit.vulndb import build_database
    from tests.vulndb.helpers import osv_record, write_records

    git = [
        {"type": "GIT", "repo": "https://example.com/r", "events": [{"introduced": "0"}, {"fixed": "abc"}]}
    ]
    records = write_records(
        tmp_path / "osv",
        [
            osv_record("PYSEC-2099-80", "PyPI", "bare-pkg"),
            osv_record("PYSEC-2099-81", "PyPI", "git-pkg", extra_ranges=git),
        ],
    )
    db_path = tmp_path / "db.sqlite"
    build_database(db_path, [records], None)
    with open_database(db_path) as db:
        result = scan([sbom("pkg:pypi/bare-pkg@1.0", "pkg:pypi/git-pkg@1.0")], db)
    assert result.findings == []
    reasons = {u.id: u.reason for u in result.unevaluated}
    assert reasons == {
        "PYSEC-2099-80": "the advisory names no affected versions or ranges",
        "PYSEC-2099-81": "only GIT (commit) ranges",
    }


def test_one_record_with_two_entries_is_one_not_evaluated_row(tmp_path: Path) -> None:
    from crakit.vulndb import build_database
    from tests.vulndb.helpers import osv_record, write_records

    record = osv_record("PYSEC-2099-82", "PyPI", "twice-pkg")
    record["affected"].append({"package": {"ecosystem": "PyPI", "name": "twice-pkg"}})
    records = write_records(tmp_path / "osv", [record])
    db_path = tmp_path / "db.sqlite"
    build_database(db_path, [records], None)
    with open_database(db_path) as db:
        result = scan([sbom("pkg:pypi/twice-pkg@1.0")], db)
    assert [(u.purl, u.id) for u in result.unevaluated] == [("pkg:pypi/twice-pkg@1.0", "PYSEC-2099-82")]
