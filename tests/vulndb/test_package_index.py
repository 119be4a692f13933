"""The per-package index built at import decides exactly like the one-version walk of osv-schema's
"Evaluation" (ranges.evaluate), entry by entry, and a scan through it finds exactly what the
per-entry path finds; every write keeps it in step with the entries it was built from."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from crakit.sbom import Component, Sbom
from crakit.vulndb import build_database, open_database, scan
from crakit.vulndb.package_index import build_index, locate
from crakit.vulndb.ranges import evaluate, prepare
from crakit.vulndb.records import ENCODER, AffectedEntry, Range
from crakit.vulndb.versions import PYPI, SEMVER, VersionScheme
from crakit.vulndb.versions.pep440 import parsed_canonical, parsed_key, pep440_canonical, pep440_key
from tests.vulndb.helpers import osv_record, write_records

_PARTS = st.integers(min_value=0, max_value=4)
_SEMVER = st.builds(lambda a, b, c: f"{a}.{b}.{c}", _PARTS, _PARTS, _PARTS) | st.builds(
    lambda a, b: f"{a}.{b}.0-rc.{b}", _PARTS, _PARTS
)
_PEP440 = st.builds(lambda a, b: f"{a}.{b}", _PARTS, _PARTS) | st.sampled_from(
    ["1.0a1", "1.0.dev0", "1.0.post1", "1.0+local", "2!0.1", "1.0.0", "0", "01.2", "1.0+01", "1.0+1"]
)
_KINDS = st.sampled_from(["introduced", "fixed", "last_affected", "limit"])


def _entries(
    version: st.SearchStrategy[str],
) -> st.SearchStrategy[list[tuple[list[list[tuple[str, str]]], list[str]]]]:
    event = st.tuples(_KINDS, version) | st.just(("introduced", "0")) | st.just(("limit", "*"))
    ranges = st.lists(st.lists(event, min_size=1, max_size=6), min_size=0, max_size=2)
    listed = st.lists(version, max_size=4)
    return st.lists(st.tuples(ranges, listed), min_size=1, max_size=4)


def _check(
    scheme: VersionScheme,
    ecosystem: str,
    raw: list[tuple[list[list[tuple[str, str]]], list[str]]],
    probes: list[str],
) -> None:
    prepared = [
        prepare(AffectedEntry(ecosystem, "pkg", tuple(Range("ECOSYSTEM", tuple(r)) for r in rs), tuple(vs)))
        for rs, vs in raw
    ]
    index = build_index(ecosystem, [(f"V-{i}", ENCODER.encode(e)) for i, e in enumerate(prepared)])
    assume(index is not None)  # an unplaceable bound keeps the per-entry path
    assert index is not None
    for version in probes:
        at = locate(index.points, scheme.key, version)
        got: dict[str, set[str]] = {}
        for entry in index.entries:
            spans = [fx for a, b, fx in entry.spans if a <= at < b]
            if spans:
                got[entry.vuln_id] = {v for fx in spans for v in fx}
        walked = {
            f"V-{i}": set(verdict.fixed)
            for i, e in enumerate(prepared)
            if (verdict := evaluate(e, version, scheme)).affected
        }
        assert got == walked, (version, raw)


@settings(max_examples=300, deadline=None)
@given(_entries(_SEMVER), st.lists(_SEMVER, min_size=1, max_size=8))
def test_index_equals_walk_semver(
    raw: list[tuple[list[list[tuple[str, str]]], list[str]]], probes: list[str]
) -> None:
    _check(SEMVER, "npm", raw, probes)


@settings(max_examples=300, deadline=None)
@given(_entries(_PEP440), st.lists(_PEP440, min_size=1, max_size=8))
def test_index_equals_walk_pep440(
    raw: list[tuple[list[list[tuple[str, str]]], list[str]]], probes: list[str]
) -> None:
    # Versions equal by the ordering but spelt differently (1.0, 1.0.0; +01, +1) and listed ones.
    _check(PYPI, "PyPI", raw, probes)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, max_size=6))
def test_plain_pep440_key_equals_parsed_key(parts: list[int]) -> None:
    version = ".".join(map(str, parts))
    assert pep440_key(version) == parsed_key(version)
    padded = ".".join(f"{p:03d}" for p in parts)  # leading zeros: 001.02 is 1.2
    assert pep440_key(padded) == parsed_key(padded)
    assert pep440_canonical(version) == parsed_canonical(version)
    assert pep440_canonical(padded) == parsed_canonical(padded)


_PEP440_TEXT = st.builds(
    lambda epoch, release, pre, post, dev, local: (
        (f"{epoch}!" if epoch is not None else "")
        + ".".join(map(str, release))
        + (f"{pre[0]}{pre[1]}" if pre else "")
        + (f".post{post}" if post is not None else "")
        + (f".dev{dev}" if dev is not None else "")
        + (f"+{local}" if local else "")
    ),
    st.none() | st.integers(0, 3),
    st.lists(st.integers(0, 12), min_size=1, max_size=5),
    st.none()
    | st.tuples(st.sampled_from(["a", "b", "rc", "alpha", "c", "pre", "preview"]), st.integers(0, 3)),
    st.none() | st.integers(0, 3),
    st.none() | st.integers(0, 3),
    st.none() | st.from_regex(r"[a-z0-9]{1,4}([._-][a-zA-Z0-9]{1,3}){0,2}", fullmatch=True),
)


@settings(max_examples=500, deadline=None)
@given(_PEP440_TEXT | st.text(max_size=12))
# Spellings the generator does not write: a v prefix, an implicit post release, upper case and
# mixed separators in a local version, surrounding white space, an all-zero release.
@example("v1.0.0")
@example("1.0-1")
@example("1.0.0+Ubuntu-1_A.b")
@example(" 2.0.0rc1 ")
@example("0.0.0")
@example("1!0.0.0.post0.dev0")
def test_parsed_canonical_is_packagings_canonical_form(version: str) -> None:
    # crakit writes the normal form itself (packaging.utils costs a scan its import); it must be
    # the one packaging writes, trailing zeros stripped, and mark a version PEP 440 refuses.
    from packaging.utils import canonicalize_version
    from packaging.version import InvalidVersion, Version

    try:
        expected = canonicalize_version(Version(version), strip_trailing_zero=True)
    except InvalidVersion:
        expected = "\x00" + version
    assert parsed_canonical(version) == expected
    assert pep440_canonical(version) == expected


def test_pep440_fast_path_refuses_non_ascii_digits() -> None:
    # "١" (Arabic-Indic one) is a digit to str.isdigit but not to PEP 440's grammar.
    assert pep440_key("\u0661.0") == parsed_key("\u0661.0")
    assert pep440_canonical("\u0661.0") == parsed_canonical("\u0661.0")


def _records() -> list[dict[str, object]]:
    return [
        osv_record(
            "PYSEC-1", "PyPI", "alpha", events=[{"introduced": "0"}, {"fixed": "1.5"}], versions=["2.0"]
        ),
        osv_record("GHSA-1", "PyPI", "alpha", events=[{"introduced": "1.2"}, {"last_affected": "1.9"}]),
        osv_record("GHSA-2", "npm", "beta", events=[{"introduced": "1.0.0"}, {"limit": "2.0.0"}]),
        osv_record("GHSA-3", "npm", "beta", events=[{"introduced": "0"}, {"fixed": "1.0.1"}]),
        osv_record("DSA-1", "Debian:12", "gamma", events=[{"introduced": "0"}, {"fixed": "1.2-1"}]),
    ]


def _index_rows(db: Path) -> dict[tuple[str, str], bytes | None]:
    with sqlite3.connect(db) as conn:
        return {(e, n): d for e, n, d in conn.execute("SELECT ecosystem, name, data FROM package_index")}


def _affected_packages(db: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return set(conn.execute("SELECT DISTINCT ecosystem, name FROM affected"))


def test_every_package_with_advisories_has_an_index_row_after_build_and_update(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    records = _records()
    build_database(db, [write_records(tmp_path / "osv", records)], None)
    rows = _index_rows(db)
    assert set(rows) == _affected_packages(db)
    assert rows[("Debian", "gamma")] is None  # a release-suffixed entry: per-entry path
    assert rows[("PyPI", "alpha")] is not None
    # An update that moves GHSA-3 to another package and withdraws GHSA-2: beta loses both.
    moved = osv_record(
        "GHSA-3", "npm", "delta", events=[{"introduced": "0"}], modified="2030-01-01T00:00:00Z"
    )
    gone = osv_record(
        "GHSA-2",
        "npm",
        "beta",
        events=[{"introduced": "0"}],
        withdrawn="2030-01-01T00:00:00Z",
        modified="2030-01-01T00:00:00Z",
    )
    build_database(db, [write_records(tmp_path / "osv2", [moved, gone])], None)
    rows = _index_rows(db)
    assert set(rows) == _affected_packages(db)
    assert ("npm", "beta") not in rows and ("npm", "delta") in rows


def test_fixed_versions_equal_by_the_ordering_come_out_in_one_order(tmp_path: Path) -> None:
    """1 and 1.0.0 are one PEP 440 version: their order in ``fixed`` must not follow the hash seed."""
    import json
    import os
    import subprocess
    import sys

    records = [
        osv_record("PYSEC-9", "PyPI", "alpha", events=[{"introduced": "0"}, {"fixed": "1.0.0"}]),
        osv_record(
            "PYSEC-9b", "PyPI", "alpha", events=[{"introduced": "0"}, {"fixed": "1"}], aliases=["PYSEC-9"]
        ),
    ]
    db = tmp_path / "db.sqlite"
    build_database(db, [write_records(tmp_path / "osv", records)], None)
    bom = tmp_path / "bom.json"
    bom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "components": [
                    {"type": "library", "name": "alpha", "version": "0.5", "purl": "pkg:pypi/alpha@0.5"}
                ],
            }
        )
    )
    seen = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run(
            [sys.executable, "-m", "crakit.cli.main", "scan", str(bom), "--db", str(db), "--format", "json"],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        )
        seen.add(tuple(json.loads(done.stdout)["findings"][0]["fixed"]))
    assert seen == {("1", "1.0.0")}


def test_scan_through_the_index_equals_the_per_entry_path(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite"
    build_database(db, [write_records(tmp_path / "osv", _records())], None)
    purls = [f"pkg:pypi/alpha@{v}" for v in ("1.0", "1.5", "1.9", "1.9.0", "2.0", "2.0.1", "1.2")]
    purls += [f"pkg:npm/beta@{v}" for v in ("0.9.0", "1.0.0", "1.0.1", "1.5.0", "2.0.0")]
    purls += ["pkg:deb/debian/gamma@1.1-1?distro=debian-12", "pkg:pypi/alpha@not-a-version"]
    sbom = Sbom("cyclonedx", "1.6", "json", tuple(Component(ref=p, name=p, purl=p) for p in purls))

    def findings(path: Path) -> list[tuple[str, str, tuple[str, ...], str]]:
        with open_database(path) as opened:
            result = scan([sbom], opened)
        assert result.findings
        return [(f.purl, f.id, f.fixed, f.package) for f in result.findings]

    plain = tmp_path / "per-entry.sqlite"
    shutil.copy(db, plain)
    with sqlite3.connect(plain) as conn:
        conn.execute("UPDATE package_index SET data = NULL")
    assert findings(db) == findings(plain)


def test_maven_keeps_the_per_entry_path(tmp_path: Path) -> None:
    """Maven's ordering has cycles across qualifier spellings (1.0.0.RC1 < 1.0.0 < 1.0.0-1 <
    1.0.0.RC1): one sorted line cannot hold them, so a build must neither crash on such records nor
    let one advisory's bounds change another's verdict (found by the independent review)."""
    db = tmp_path / "db.sqlite"
    records = [
        osv_record(
            "GHSA-m-1",
            "Maven",
            "org.example:lib",
            events=[{"introduced": "5.0.0.Alpha1"}, {"fixed": "5.0.0.Final"}],
            extra_ranges=[
                {
                    "type": "ECOSYSTEM",
                    "events": [{"introduced": "5.0.0.Beta1"}, {"fixed": "5.0.0.Final-redhat-1"}],
                }
            ],
        ),
        osv_record(
            "GHSA-m-2", "Maven", "org.example:other", versions=["1.0.0.RC1", "1.0.0", "1.0.0-1", "1.0.1"]
        ),
        osv_record("A", "Maven", "org.example:third", events=[{"introduced": "0"}, {"fixed": "1.0.0"}]),
        osv_record("B", "Maven", "org.example:third", events=[{"introduced": "0"}, {"fixed": "1.0.0-jre"}]),
    ]
    build_database(db, [write_records(tmp_path / "osv", records)], None)
    assert all(data is None for (eco, _), data in _index_rows(db).items() if eco == "Maven")
    purl = "pkg:maven/org.example/third@1.0.0.RC1"
    sbom = Sbom("cyclonedx", "1.6", "json", (Component(ref=purl, name=purl, purl=purl),))
    with open_database(db) as opened:
        found = {(f.id, f.fixed) for f in scan([sbom], opened).findings}
    assert ("A", ("1.0.0",)) in found  # 1.0.0.RC1 < 1.0.0 by the ordering: A's range holds it


def test_many_listed_versions_build_in_linear_time() -> None:
    """A versions-only entry with thousands of listed versions: each is one point, found once."""
    versions = tuple(f"1.{i}" for i in range(20_000))
    entry = prepare(AffectedEntry("PyPI", "pkg", (), versions))
    index = build_index("PyPI", [("V-1", ENCODER.encode(entry))])
    assert index is not None
    assert len(index.entries[0].spans) == len(versions)
    at = locate(index.points, PYPI.key, "1.17")
    assert any(a <= at < b for a, b, _ in index.entries[0].spans)
    assert not any(a <= locate(index.points, PYPI.key, "2.0") < b for a, b, _ in index.entries[0].spans)
