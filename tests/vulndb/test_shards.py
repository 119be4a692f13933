"""A scan shared among processes reports exactly what one process reports.

The SBOM is built to reach every part of the merge: packages in many spellings (which must stay
in one share), folded aliases, KEV-listed flaws, findings of every severity, records that cannot
be evaluated, unplaceable versions, distribution releases, components without a purl, invalid
purls, purl types with no OSV ecosystem and an ecosystem the database lacks.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import msgspec
import pytest

from crakit.errors import CrakitError
from crakit.forking import usable_workers
from crakit.sbom import Component, Sbom, read_sbom
from crakit.vulndb import ScanResult, build_database, open_database, scan
from crakit.vulndb.matcher import MIN_SHARED, OsvPass, _osv_pass, covered
from crakit.vulndb.shards import _decode, _encode, shared_pass, split
from tests.vulndb.helpers import osv_record, write_cdx, write_kev, write_records
from tests.vulndb.test_cli import run

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="crakit shares a scan only on Linux")

SEVERITIES = [
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  # critical
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",  # high
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N",  # medium
    "CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N",  # low
    None,
]


def _records() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    records: list[dict[str, Any]] = []
    kev: list[tuple[str, str]] = []
    for i in range(240):
        cve = f"CVE-2098-{i:05d}"
        score = SEVERITIES[i % len(SEVERITIES)]
        severity = [{"type": "CVSS_V3", "score": score}] if score else []
        # The record spells the name its own way; the purls below spell it in others.
        name = f"Demo_Pkg.{i}" if i % 3 == 0 else f"demo-pkg-{i}"
        records.append(
            osv_record(
                f"PYSEC-2098-{i}",
                "PyPI",
                name,
                events=[{"introduced": "0"}, {"fixed": f"{i % 7 + 1}.0"}],
                aliases=[cve],
                severity=severity,
                summary=f"flaw {i}",
            )
        )
        if i % 4 == 0:  # a GHSA describing the same flaw: folded into one finding
            records.append(
                osv_record(
                    f"GHSA-{i:04d}-aaaa-bbbb",
                    "PyPI",
                    f"demo-pkg-{i}",
                    events=[{"introduced": "1.0"}, {"fixed": f"{i % 7 + 1}.5"}],
                    aliases=[cve],
                )
            )
        if i % 5 == 0:
            kev.append((cve, f"2098-01-{i % 28 + 1:02d}"))
        if i % 11 == 0:  # only a commit range: not evaluated, never clean
            records.append(
                osv_record(
                    f"GIT-2098-{i}",
                    "PyPI",
                    f"demo-pkg-{i}",
                    range_type="GIT",
                    events=[{"introduced": "0"}, {"fixed": "abc123"}],
                )
            )
        records.append(
            osv_record(
                f"GHSA-{i:04d}-npm0-0000",
                "npm",
                f"@scope/lib-{i}",
                events=[{"introduced": "0"}, {"fixed": f"{i % 3 + 1}.0.0"}],
                aliases=[f"CVE-2097-{i:05d}"],
            )
        )
        records.append(
            osv_record(
                f"GO-2098-{i:04d}",
                "Go",
                f"example.com/mod{i}",
                range_type="SEMVER",
                events=[{"introduced": "0"}, {"fixed": f"1.{i % 4}.0"}],
            )
        )
        records.append(
            osv_record(
                f"DSA-2098-{i}",
                "Debian:12",
                f"deb{i}",
                events=[{"introduced": "0"}, {"fixed": f"1.{i % 5}-1"}],
            )
        )
    return records, kev


def _purls(rng: random.Random) -> list[str | None]:
    out: list[str | None] = []
    for _ in range(4200):
        i = rng.randrange(240)
        version = rng.choice(["0.9", "1.0", "1.2", "2.0", "3.5", "4.0", "7.0", "8.1", "1.0rc1"])
        kind = rng.randrange(14)
        if kind < 5:
            spelling = rng.choice([f"demo-pkg-{i}", f"Demo_Pkg.{i}", f"DEMO.PKG-{i}", f"demo%2Dpkg-{i}"])
            out.append(f"pkg:pypi/{spelling}@{version}")
        elif kind == 5:
            out.append(f"pkg:pypi/demo-pkg-{i}@not!a!version")  # unplaceable: per-entry path
        elif kind == 6:
            scope = rng.choice(["%40scope", "@scope"])
            out.append(f"pkg:npm/{scope}/lib-{i}@{rng.choice(['0.5.0', '1.0.0', '2.5.0', '3.1.0'])}")
        elif kind == 7:
            out.append(f"pkg:golang/example.com/mod{i}@v1.{rng.randrange(5)}.{rng.randrange(3)}")
        elif kind == 8:
            out.append(f"pkg:deb/debian/deb{i}@1.{rng.randrange(6)}-1?arch=amd64&distro=debian-12")
        elif kind == 9:
            out.append(None)  # no purl
        elif kind == 10:
            out.append(rng.choice(["pkg:pypi/", "not a purl", "pkg:/x@1"]))  # invalid
        elif kind == 11:
            out.append(f"pkg:generic/thing{i}@1.0")  # a type with no OSV ecosystem
        elif kind == 12:
            out.append(f"pkg:hex/plug{i}@1.{rng.randrange(3)}.0")  # an ecosystem the database lacks
        else:
            out.append(f"pkg:pypi/demo-pkg-{i}@{version}")  # the same purl again, often
    return out


def _sbom(purls: list[str | None], tag: str) -> Sbom:
    comps = tuple(
        Component(ref=f"{tag}{n}", name=f"{tag}{n}", purl=p, version=None) for n, p in enumerate(purls)
    )
    return Sbom(format="cyclonedx", spec_version="1.6", serialization="json", components=comps)


@pytest.fixture(scope="module")
def shard_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shards")
    records, kev = _records()
    path = folder / "db.sqlite"
    build_database(path, [write_records(folder / "osv", records)], write_kev(folder / "kev.json", kev))
    return path


def _same(a: ScanResult, b: ScanResult) -> bool:
    return replace(a, database=None) == replace(b, database=None)  # the database ages move with the clock


@pytest.mark.parametrize("seed", [1, 2])
def test_a_shared_scan_reports_exactly_what_one_process_reports(shard_db: Path, seed: int) -> None:
    rng = random.Random(seed)
    sboms = [_sbom(_purls(rng), "a"), _sbom(_purls(rng), "b")]
    # Purls without a version, shipped at the components' versions: each version is checked.
    versionless = tuple(
        Component(
            ref=f"v{n}",
            name=f"v{n}",
            purl=f"pkg:pypi/demo-pkg-{n % 40}",
            version=rng.choice(["1.0", "2.0", "9.0"]),
        )
        for n in range(300)
    )
    sboms.append(Sbom(format="cyclonedx", spec_version="1.6", serialization="json", components=versionless))
    assert usable_workers(4) == 4, "the test process runs other threads: nothing would be shared"
    with open_database(shard_db) as db:
        one = scan(sboms, db)
        assert split([c for s in sboms for c in s.components], 3) is not None
        for workers in (2, 3, 4):
            assert _same(scan(sboms, db, workers=workers), one), f"{workers} processes"
    # The comparison reaches every part of the merge.
    reasons = {s.reason for s in one.skipped}
    assert reasons == {"no purl", "invalid purl", "unsupported purl type"}
    assert one.unevaluated and one.uncovered and one.unsupported
    assert any(f.exploited for f in one.findings)
    assert {f.severity for f in one.findings} >= {"critical", "high", "medium", "low", "unknown"}
    assert any(len(f.all_ids) > 1 for f in one.findings)  # folded aliases
    assert len({f.ecosystem for f in one.findings}) == 4
    versions: dict[str | None, set[str | None]] = {}
    for f in one.findings:
        if f.component.ref.startswith("v"):
            versions.setdefault(f.component.purl, set()).add(f.version)
    assert any(len(v) > 1 for v in versions.values())  # one versionless purl, findings at two versions


def test_the_children_do_the_work(shard_db: Path, tmp_path: Path) -> None:
    """Each share is matched in a process of its own (observed, not assumed)."""
    rng = random.Random(3)
    components = list(_sbom(_purls(rng), "c").components)
    assert len(components) >= MIN_SHARED

    def recording(comps: list[Component], db: Any, have: frozenset[str], progress: Any) -> OsvPass:
        (tmp_path / f"{os.getpid()}-{len(comps)}").touch()
        return _osv_pass(comps, db, have, progress)

    with open_database(shard_db) as db:
        info = db.info()
        shared = shared_pass(components, db, info, 3, recording, None)
        alone = _osv_pass(components, db, covered(info), None)
    assert shared is not None
    pids = {marker.name.split("-")[0] for marker in tmp_path.iterdir()}
    assert len(pids) == 3 and str(os.getpid()) in pids
    sizes = sorted(int(marker.name.split("-")[1]) for marker in tmp_path.iterdir())
    assert sum(sizes) == len(components) and sizes[0] > 0
    assert shared.findings == alone.findings
    assert shared.skipped == alone.skipped
    assert sorted(shared.unevaluated, key=lambda u: (u.purl, u.id)) == sorted(
        alone.unevaluated, key=lambda u: (u.purl, u.id)
    )


def test_a_share_survives_its_trip_between_processes(shard_db: Path) -> None:
    components = list(_sbom(_purls(random.Random(4)), "d").components)
    with open_database(shard_db) as db:
        found = _osv_pass(components, db, covered(db.info()), None)
    back = _decode(_encode(found, {id(c): n for n, c in enumerate(components)}), components)
    assert back == found
    assert all(a.component is b.component for a, b in zip(back.findings, found.findings, strict=True))


def test_a_database_replaced_during_the_scan_is_not_mixed_in(shard_db: Path, tmp_path: Path) -> None:
    """The file is swapped (as `db update` does) after the scan opened it: a child would open the
    new file, so it refuses, and this process redoes its share against the data it opened."""
    path = tmp_path / "db.sqlite"
    shutil.copy(shard_db, path)
    other = tmp_path / "other.sqlite"
    records, kev = _records()
    build_database(
        other, [write_records(tmp_path / "osv", records[::2])], write_kev(tmp_path / "k.json", kev)
    )
    sboms = [_sbom(_purls(random.Random(5)), "e")]
    with open_database(path) as db:
        expected = scan(sboms, db)
        os.replace(other, path)
        shared = scan(sboms, db, workers=3)
    with open_database(path) as db:
        newer = scan(sboms, db)
    assert not _same(newer, expected)  # the swap matters
    assert _same(shared, expected)


@pytest.mark.parametrize(
    "spellings",
    [
        ["pkg:pypi/Foo_Bar@1.0", "pkg:pypi/foo-bar@2.0", "pkg:pypi/foo.bar", "pkg:pypi/FOO--bar@3#sub"],
        [
            "pkg:npm/%40scope/Lib@1.0.0",
            "pkg:npm/@scope/lib@2.0.0",
            "pkg:npm/@scope/lib",
            "pkg:npm/%40scope/lib?x=1",
        ],
        [
            "pkg:golang/example.com/Mod@v1.0.0",
            "pkg:golang/example.com/mod@go1.2",
            "pkg:golang/example.com/mod",
        ],
        ["pkg:maven/org.demo/lib@1.0?type=jar", "pkg:maven/org.demo/lib@2.0", "pkg:maven/org.demo/l%69b@3"],
        # white space around, an empty segment or an empty version: the purl reader drops them,
        # and a versionless one completed with its component's version is the same package version
        [
            "pkg:pypi/django/",
            "pkg:pypi/django ",
            " pkg:pypi/Django@1.0",
            "pkg:pypi/django@",
            "pkg:pypi/django/@",
        ],
    ],
)
def test_every_spelling_of_a_package_lands_in_one_share(spellings: list[str]) -> None:
    components = [Component(ref=str(n), name=str(n), purl=p) for n, p in enumerate(spellings * 50)]
    for shares in (2, 3, 5, 8):
        placed = split(components, shares)
        assert placed is not None
        assert sum(1 for share in placed if share) == 1, spellings


def test_a_purl_naming_its_source_package_keeps_the_scan_in_one_process() -> None:
    components = [
        Component(ref="a", name="a", purl="pkg:pypi/x@1"),
        Component(ref="b", name="b", purl="pkg:deb/debian/libssl3@3.0.11-1?upstream=openssl%403.0.11-1"),
    ]
    assert split(components, 2) is None


@pytest.fixture(scope="module")
def real_sboms(shared_data: Path) -> list[Sbom]:
    found: list[Sbom] = []
    for folder in ("bom-shelter", "cyclonedx-bom-examples", "spdx-examples"):
        for path in sorted((shared_data / folder).rglob("*.json")):
            try:
                found.append(read_sbom(path))
            except CrakitError:  # the corpus holds documents that are not SBOMs, or invalid ones
                continue
    return found


def test_the_shared_corpus_scanned_in_shares_matches_one_process(
    corpus_db: Path, real_sboms: list[Sbom]
) -> None:
    """Every real SBOM of the shared corpus in one scan, against the shared OSV corpus. Their
    distribution purls name source packages (which keep a scan in one process), so a second scan
    drops the ``upstream`` qualifier to be shared as well."""
    without_upstream = [
        replace(
            sbom,
            components=tuple(msgspec.structs.replace(c, purl=_no_upstream(c.purl)) for c in sbom.components),
        )
        for sbom in real_sboms
    ]
    assert split([c for s in real_sboms for c in s.components], 2) is None
    assert split([c for s in without_upstream for c in s.components], 2) is not None
    for sboms in (real_sboms, without_upstream):
        assert sum(len(s.components) for s in sboms) >= MIN_SHARED
        with open_database(corpus_db) as db:
            one = scan(sboms, db)
            for workers in (2, 3):
                assert _same(scan(sboms, db, workers=workers), one), f"{workers} processes"
        assert one.findings and one.skipped


def _no_upstream(purl: str | None) -> str | None:
    if purl is None or "?" not in purl:
        return purl
    head, _, query = purl.partition("?")
    kept = [q for q in query.split("&") if not q.lower().startswith("upstream=")]
    return f"{head}?{'&'.join(kept)}" if kept else head


def test_scan_jobs_writes_the_same_report(
    shard_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``crakit scan --jobs N``: the JSON report is the one ``--jobs 1`` writes, and the gate agrees."""
    sbom = write_cdx(tmp_path / "big.json", _purls(random.Random(6)))
    reports = []
    for jobs in ("1", "2", "0"):
        out = tmp_path / f"report-{jobs}.json"
        code, _, err = run(
            [
                "scan",
                str(sbom),
                "--db",
                str(shard_db),
                "--format",
                "json",
                "--fail-on",
                "exploited",
                "--jobs",
                jobs,
                "-o",
                str(out),
            ],
            capsys,
        )
        assert code == 1, err  # KEV-listed findings trip the gate either way
        report = json.loads(out.read_bytes())
        report.pop("database")
        reports.append(report)
    assert reports[0]["summary"]["findings"] > 1000
    assert reports[1] == reports[0] and reports[2] == reports[0]


def test_scan_help_teaches_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["scan", "--help"], capsys)
    assert code == 0 and "--jobs" in out and "same either way" in " ".join(out.split())


def test_skipped_components_keep_their_order_when_names_repeat(shard_db: Path) -> None:
    """Skipped entries that look alike (no bom-ref, the same name; the same bom-ref twice; an
    invalid purl repeated) come back in the order of the components, not grouped."""
    pads = [Component(ref=f"p{n}", name=f"p{n}", purl=f"pkg:pypi/pad-{n}@1.0") for n in range(3200)]
    odd = [
        Component(ref="", name="zlib", purl=None),
        Component(ref="", name="musl", purl=None),
        Component(ref="libfoo", name="libfoo", purl="pkg:pypi/"),
        Component(ref="x", name="x", purl="pkg:generic/x@1"),
        Component(ref="", name="zlib", purl=None),
        Component(ref="libfoo", name="libfoo", purl="pkg:pypi/"),
        Component(ref="y", name="y", purl="pkg:generic/x@1"),  # the same unsupported purl: one entry
        Component(ref="", name="musl", purl=None),
    ]
    mixed = odd[:3] + pads[:1600] + odd[3:6] + pads[1600:] + odd[6:]
    first = Sbom(format="cyclonedx", spec_version="1.6", serialization="json", components=tuple(mixed))
    second = Sbom(format="cyclonedx", spec_version="1.6", serialization="json", components=tuple(odd))
    with open_database(shard_db) as db:
        one = scan([first, second], db)
        for workers in (2, 3, 5):
            assert _same(scan([first, second], db, workers=workers), one), f"{workers} processes"
    names = [s.name for s in one.skipped]
    assert names[:5] == ["zlib", "musl", "libfoo", "x", "zlib"]


def test_a_scan_short_of_processes_or_files_still_completes(shard_db: Path, tmp_path: Path) -> None:
    """With too few file descriptors for a pipe per share, the shares without a child are done
    in the parent: the same report, exit 0, no traceback."""
    import resource
    import subprocess

    sbom = write_cdx(tmp_path / "big.json", _purls(random.Random(7)))
    reports = []
    for jobs, limit in (("1", None), ("60", 40)):
        out = tmp_path / f"r{jobs}.json"

        def low(limit: int | None = limit) -> None:
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        done = subprocess.run(
            [sys.executable, "-m", "crakit.cli.main", "scan", str(sbom), "--db", str(shard_db), "--format",
             "json", "--max-db-age", "0", "--jobs", jobs, "-o", str(out)],
            preexec_fn=low, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        report = json.loads(out.read_bytes())
        report.pop("database")
        reports.append(report)
    assert reports[0] == reports[1]
