"""Every OSV range rule (osv-schema docs/schema.md "Evaluation") on hand-made entries."""

from __future__ import annotations

import pytest

from crakit.vulndb.ranges import evaluate, has_only_git
from crakit.vulndb.records import AffectedEntry, Range


def entry(
    *events: tuple[str, str], eco: str = "PyPI", kind: str = "ECOSYSTEM", versions: tuple[str, ...] = ()
) -> AffectedEntry:
    ranges = (Range(kind, tuple(events)),) if events else ()
    return AffectedEntry(eco, "pkg", ranges, versions)


@pytest.mark.parametrize(
    ("version", "affected"),
    [("0.1", True), ("1.0", True), ("1.4.9", True), ("1.5.0", False), ("1.5", False), ("2.0", False)],
)
def test_introduced_zero_and_fixed_is_exclusive(version: str, affected: bool) -> None:
    assert evaluate(entry(("introduced", "0"), ("fixed", "1.5.0")), version).affected is affected


@pytest.mark.parametrize(
    ("version", "affected"), [("0.9", False), ("1.0", True), ("1.2", True), ("1.3", False)]
)
def test_introduced_is_inclusive(version: str, affected: bool) -> None:
    assert evaluate(entry(("introduced", "1.0"), ("fixed", "1.3")), version).affected is affected


@pytest.mark.parametrize(
    ("version", "affected"), [("2.1", True), ("2.1.0", True), ("2.1.1", False), ("1.9", False)]
)
def test_last_affected_is_inclusive(version: str, affected: bool) -> None:
    assert evaluate(entry(("introduced", "2.0"), ("last_affected", "2.1")), version).affected is affected


def test_introduced_without_end_affects_everything_after() -> None:
    e = entry(("introduced", "3.0"))
    assert evaluate(e, "99.0").affected
    assert not evaluate(e, "2.9").affected


def test_events_are_sorted_by_version_not_by_position() -> None:
    # Written out of order; the spec sorts events before walking them.
    e = entry(("fixed", "2.0"), ("introduced", "1.5"), ("fixed", "1.2"), ("introduced", "1.0"))
    assert [evaluate(e, v).affected for v in ("0.9", "1.0", "1.2", "1.4", "1.5", "1.9", "2.0")] == [
        False,
        True,
        False,
        False,
        True,
        True,
        False,
    ]


def test_multiple_ranges_are_or_ed() -> None:
    e = AffectedEntry(
        "npm",
        "pkg",
        (
            Range("SEMVER", (("introduced", "1.0.0"), ("fixed", "1.0.5"))),
            Range("SEMVER", (("introduced", "2.0.0"), ("fixed", "2.0.1"))),
        ),
        (),
    )
    assert evaluate(e, "1.0.4").affected and evaluate(e, "2.0.0").affected
    assert not evaluate(e, "1.5.0").affected and not evaluate(e, "2.0.1").affected


@pytest.mark.parametrize(
    ("version", "affected"), [("1.5", True), ("2.0", False), ("2.5", False), ("0.5", False)]
)
def test_limit_bounds_the_range(version: str, affected: bool) -> None:
    e = entry(("introduced", "1.0"), ("limit", "2.0"))
    assert evaluate(e, version).affected is affected


def test_limit_star_is_infinity_and_any_limit_suffices() -> None:
    assert evaluate(entry(("introduced", "1.0"), ("limit", "*")), "9.9").affected
    e = entry(("introduced", "1.0"), ("limit", "1.5"), ("limit", "3.0"))
    assert evaluate(e, "2.0").affected  # below the second limit
    assert not evaluate(e, "3.0").affected


def test_versions_list_compares_by_the_ecosystem_order() -> None:
    e = entry(versions=("1.0", "1.1"))
    assert evaluate(e, "1.1").affected
    assert evaluate(e, "1.1.0").affected  # PEP 440: 1.1 == 1.1.0
    assert not evaluate(e, "1.2").affected


def test_git_ranges_alone_are_not_evaluated() -> None:
    e = entry(("introduced", "0"), ("fixed", "abc123"), kind="GIT")
    assert has_only_git(e)
    verdict = evaluate(e, "1.0")
    assert not verdict.affected and not verdict.evaluated
    # With a versions list the GIT range is moot: the list decides.
    assert not has_only_git(entry(("introduced", "0"), kind="GIT", versions=("1.0",)))


def test_semver_range_ignores_the_ecosystem_order() -> None:
    # PEP 440 says 1.0.0-rc1 == 1.0.0rc1 < 1.0.0; SemVer agrees, but "1.0.0-1" is a PEP 440 post
    # release (> 1.0.0) and a SemVer pre-release (< 1.0.0): the range type decides.
    semver = entry(("introduced", "0"), ("fixed", "1.0.0"), kind="SEMVER")
    eco = entry(("introduced", "0"), ("fixed", "1.0.0"))
    assert evaluate(semver, "1.0.0-1").affected
    assert not evaluate(eco, "1.0.0-1").affected


def test_fixed_versions_reported_from_the_matching_range() -> None:
    verdict = evaluate(entry(("introduced", "0"), ("fixed", "1.5.0")), "1.0")
    assert verdict.fixed == ("1.5.0",)


@pytest.mark.parametrize(
    ("eco", "events", "inside", "outside"),
    [
        ("Go", (("introduced", "0"), ("fixed", "1.2.3")), "v1.2.2", "v1.2.3"),
        (
            "Go",
            (("introduced", "0"), ("fixed", "0.0.0-20220101000000-abcdefabcdef")),
            "v0.0.0-20211231000000-abcdefabcdef",
            "v0.0.1",
        ),
        ("npm", (("introduced", "1.0.0-beta.2"), ("fixed", "1.0.0")), "1.0.0-beta.11", "1.0.0-beta.1"),
        ("crates.io", (("introduced", "0.5.0"), ("fixed", "0.5.4")), "0.5.3", "0.5.4"),
        ("Maven", (("introduced", "2.0-alpha1"), ("fixed", "2.10.0.1")), "2.10.0", "2.10.0.1"),
        ("Maven", (("introduced", "0"), ("fixed", "1.0")), "1.0-rc1", "1.0-sp1"),
        ("RubyGems", (("introduced", "0"), ("fixed", "1.2.0")), "1.2.0.pre1", "1.2.0"),
        ("NuGet", (("introduced", "0"), ("fixed", "4.1.0")), "4.1.0-preview2", "4.1.0.0"),
        ("Packagist", (("introduced", "0"), ("fixed", "5.4.0")), "5.4.0-RC1", "v5.4.0"),
        ("Debian:12", (("introduced", "0"), ("fixed", "3.0.11-1~deb12u2")), "3.0.11-1~deb12u1", "3.0.11-1"),
        ("Alpine:v3.18", (("introduced", "0"), ("fixed", "1.2.3-r1")), "1.2.3-r0", "1.2.3_p1-r0"),
        ("Red Hat", (("introduced", "0"), ("fixed", "1:1.0-2.el9")), "1:1.0-1.el9", "2:0.1-1"),
        ("Hex", (("introduced", "1.0.0"), ("fixed", "1.0.3")), "1.0.2", "1.1.0"),
        ("Pub", (("introduced", "0"), ("fixed", "1.2.3")), "1.2.3-dev", "1.2.3+1"),
        ("PyPI", (("introduced", "0"), ("fixed", "2.0")), "2.0rc1", "2.0.post1"),
        ("PyPI", (("introduced", "1!0"), ("fixed", "1!2.0")), "1!1.0", "3.0"),
    ],
)
def test_every_ecosystem_orders_its_boundaries(
    eco: str, events: tuple[tuple[str, str], ...], inside: str, outside: str
) -> None:
    kind = "SEMVER" if eco in ("Go", "npm", "crates.io", "Hex") else "ECOSYSTEM"
    e = AffectedEntry(eco, "pkg", (Range(kind, events),), ())
    assert evaluate(e, inside).affected, inside
    assert not evaluate(e, outside).affected, outside


def test_events_at_the_same_version_keep_the_record_order() -> None:
    # PYSEC-2022-42972 (apache-iotdb) writes introduced 0.13.0 before fixed 0.13.0: the sweep meets
    # them in that order, so 0.13.x is not affected -- which is what osv.dev's own enumerated
    # `versions` list for that record says (0.12.2 ... 0.12.6 only).
    e = entry(("introduced", "0.13.0"), ("fixed", "0.14.0rc1"), ("introduced", "0.12.2"), ("fixed", "0.13.0"))
    assert evaluate(e, "0.12.6").affected
    assert not evaluate(e, "0.13.0.post1").affected
    # PYSEC-2022-236 (pyspark) writes fixed 3.1.1 before introduced 3.1.1: 3.1.1 and 3.1.2 are
    # affected, again as osv.dev lists them.
    e = entry(
        ("introduced", "0"),
        ("fixed", "3.1.1"),
        ("introduced", "3.2.0"),
        ("fixed", "3.2.2"),
        ("introduced", "3.1.1"),
        ("fixed", "3.1.3"),
    )
    assert evaluate(e, "3.1.2").affected and evaluate(e, "3.1.1").affected
    assert not evaluate(e, "3.1.3").affected


def test_invalid_pep440_events_sort_below_valid_versions() -> None:
    # PYSEC-2021-371 fixes binderhub in "0.2.0-n653", a pre-PEP 440 version: pip's legacy order puts
    # it below every valid version, so valid versions are past the fix.
    e = entry(("introduced", "0"), ("fixed", "0.2.0-n653"))
    assert not evaluate(e, "0.14").affected
