"""CycloneDX VEX ``affects[].versions[]`` (``version`` / ``range`` as vers): a statement reaches
only the versions it names, so a triage of 1.x never suppresses the same flaw in 2.x."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crakit.sbom import Component, read_sbom
from crakit.vex import read_vex
from crakit.vex.cyclonedx import VersionedProductRef
from crakit.vex.errors import VexError
from crakit.vulndb import build_database, open_database
from tests.vex.helpers import scan_with_vex
from tests.vulndb.helpers import osv_record, write_cdx, write_records

VULN = "GHSA-vers-test-0001"
PKG = "pkg:npm/left-pad"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite"
    record = osv_record(VULN, "npm", "left-pad", events=[{"introduced": "0"}, {"fixed": "9.0.0"}])
    build_database(path, [write_records(tmp_path / "osv", [record])], None)
    return path


def write_vex(
    path: Path, versions: list[dict[str, Any]] | None, *, state: str | None = "not_affected"
) -> Path:
    affects: dict[str, Any] = {"ref": PKG}
    if versions is not None:
        affects["versions"] = versions
    vuln: dict[str, Any] = {"id": VULN, "affects": [affects]}
    if state:
        vuln["analysis"] = {"state": state, "justification": "code_not_reachable"}
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "vulnerabilities": [vuln]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def statuses(db: Path, tmp_path: Path, vex: Path, versions: list[str]) -> dict[str, str]:
    bom = read_sbom(write_cdx(tmp_path / "bom.json", [f"{PKG}@{v}" for v in versions]))
    with open_database(db) as database:
        result = scan_with_vex([bom], database, [vex])
    return {f.version: f.status for f in result.findings}


def test_explicit_versions_limit_the_statement(db: Path, tmp_path: Path) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"version": "1.0.0"}, {"version": "1.2.0"}])
    got = statuses(db, tmp_path, vex, ["1.0.0", "1.1.0", "1.2.0"])
    assert got == {"1.0.0": "not_affected", "1.1.0": "affected", "1.2.0": "not_affected"}


def test_without_versions_every_version_is_covered(db: Path, tmp_path: Path) -> None:
    vex = write_vex(tmp_path / "vex.json", None)
    assert set(statuses(db, tmp_path, vex, ["1.0.0", "3.0.0"]).values()) == {"not_affected"}


def test_range_is_read_as_canonical_vers(tmp_path: Path) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"range": "VERS:npm/<2.0.0|>=1.0.0"}, {"version": "5.0.0"}])
    (st,) = read_vex(vex)
    (prod,) = st.products
    assert isinstance(prod, VersionedProductRef)
    assert prod.ranges == ("vers:npm/>=1.0.0|<2.0.0",) and prod.versions == ("5.0.0",)
    assert "vers:npm/>=1.0.0|<2.0.0" in prod.label()


@pytest.mark.parametrize(
    ("purl", "version", "covered"),
    [
        (f"{PKG}@1.5.0", None, True),
        (f"{PKG}@2.0.0", None, False),
        (f"{PKG}@0.9.9", None, False),
        (f"{PKG}@5.0.0", None, True),
        (None, "1.0.0", False),  # no purl: not the target at all
        (PKG, "1.2.3", True),  # versionless purl: the component's own version is used
        (PKG, None, False),  # no version anywhere: a range cannot be shown to cover it
        ("pkg:npm/other@1.5.0", None, False),
    ],
)
def test_range_covers(tmp_path: Path, purl: str | None, version: str | None, covered: bool) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"range": "vers:npm/>=1.0.0|<2.0.0"}, {"version": "5.0.0"}])
    (st,) = read_vex(vex)
    (prod,) = st.products
    assert isinstance(prod, VersionedProductRef)
    assert prod.covers(Component(ref="x", name="left-pad", version=version, purl=purl)) is covered


def test_ranged_statement_never_reaches_versions_outside_it(db: Path, tmp_path: Path) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"range": "vers:npm/>=1.0.0|<2.0.0"}])
    got = statuses(db, tmp_path, vex, ["0.5.0", "2.0.0", "3.1.0"])
    assert got == {"0.5.0": "affected", "2.0.0": "affected", "3.1.0": "affected"}


def test_ranged_statement_suppresses_versions_inside_it(db: Path, tmp_path: Path) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"range": "vers:npm/>=1.0.0|<2.0.0"}])
    got = statuses(db, tmp_path, vex, ["0.5.0", "1.0.0", "1.9.9", "2.0.0"])
    assert got == {"0.5.0": "affected", "1.0.0": "not_affected", "1.9.9": "not_affected", "2.0.0": "affected"}


def test_vdr_unaffected_versions_are_not_claims(tmp_path: Path) -> None:
    vex = write_vex(
        tmp_path / "vdr.json",
        [{"version": "1.0.0", "status": "affected"}, {"version": "1.0.1", "status": "unaffected"}],
        state=None,
    )
    (st,) = read_vex(vex)
    assert st.status == "affected"
    assert [p.purls for p in st.products] == [(f"{PKG}@1.0.0",)]


@pytest.mark.parametrize(
    "bad", ["vers:npm/>=1.0.0| <2.0.0", "npm/>=1.0.0", "vers:npm/=1.0", "vers:npm/1.0%2G"]
)
def test_invalid_range_is_a_clear_input_error(tmp_path: Path, bad: str) -> None:
    vex = write_vex(tmp_path / "vex.json", [{"range": bad}])
    with pytest.raises(VexError, match=r"affects\[\]\.versions\[\]\.range"):
        read_vex(vex)
