"""VEX in (OpenVEX, CycloneDX VEX, CSAF VEX) on the published examples, and VEX out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crakit.cli.main import main
from crakit.sbom import read_sbom
from crakit.vex import read_vex
from crakit.vex.errors import VexError
from crakit.vulndb import build_database, open_database
from tests.vex.helpers import scan_with_vex
from tests.vulndb.helpers import osv_record, write_cdx, write_kev, write_records

pytestmark = pytest.mark.corpus

# Advisories for the components the published VEX examples talk about.
RECORDS = [
    osv_record(
        "GHSA-288c-cq4h-88gq",
        "Maven",
        "com.fasterxml.jackson.core:jackson-databind",
        events=[{"introduced": "2.10.0"}, {"fixed": "2.10.5.1"}],
        aliases=["CVE-2020-25649"],
    ),
    osv_record(
        "GHSA-jfh8-c2jp-5v3q",
        "Maven",
        "org.apache.logging.log4j:log4j-core",
        events=[{"introduced": "2.0-beta9"}, {"fixed": "2.15.0"}],
        aliases=["CVE-2021-44228"],
    ),
    osv_record(
        "CGA-0000-0001",
        "Wolfi",
        "bash",
        events=[{"introduced": "0"}, {"fixed": "2.0.0"}],
        aliases=["CVE-9876-54321"],
    ),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite"
    kev = write_kev(tmp_path / "kev.json", [("CVE-2021-44228", "2021-12-10")])
    build_database(path, [write_records(tmp_path / "osv", RECORDS)], kev)
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_cyclonedx_vex_suppresses_with_justification(
    shared_data: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_data / "cyclonedx-bom-examples" / "VEX"
    args = ["scan", str(folder / "bom.json"), "--db", str(db), "--format", "json"]
    code, out, _ = run(args, capsys)
    (finding,) = json.loads(out)["findings"]
    assert finding["id"] == "GHSA-288c-cq4h-88gq" and finding["status"] == "affected"

    code, out, _ = run([*args, "--vex", str(folder / "vex.json"), "--fail-on", "any"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["findings"] == [] and doc["summary"]["suppressed"] == 1

    code, out, _ = run([*args, "--vex", str(folder / "vex.json"), "--show-suppressed"], capsys)
    (finding,) = json.loads(out)["findings"]
    assert finding["status"] == "not_affected" and finding["justification"] == "code_not_reachable"
    assert finding["vex_source"].endswith("vex.json")


def test_cyclonedx_vex_for_a_product_applies_to_its_components(
    shared_data: Path, db: Path, tmp_path: Path
) -> None:
    vex = shared_data / "cyclonedx-bom-examples" / "VEX" / "Use-Cases" / "Case-13" / "vex.json"
    jackson = "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0"
    one = read_sbom(
        write_cdx(
            tmp_path / "p1.json", [jackson], product=("Acme Product 1", "1"), product_ref="acme-product-1"
        )
    )
    three = read_sbom(
        write_cdx(
            tmp_path / "p3.json", [jackson], product=("Acme Product 3", "1"), product_ref="acme-product-3"
        )
    )
    with open_database(db) as database:
        r1 = scan_with_vex([one], database, [vex])
        r3 = scan_with_vex([three], database, [vex])
    assert [f.status for f in r1.findings] == ["not_affected"]
    assert [f.status for f in r3.findings] == ["affected"]  # the "exploitable" statement
    # The statements about products not scanned are reported, not silently ignored.
    assert [n.products for n in r3.vex_unmatched] == [("acme-product-1", "acme-product-2")]


@pytest.mark.parametrize(
    ("name", "status"), [("v020-1.vex.json", "under_investigation"), ("v001-1.vex.json", None)]
)
def test_openvex_versions(shared_data: Path, db: Path, tmp_path: Path, name: str, status: str | None) -> None:
    vex = shared_data / "openvex-go-vex" / "pkg" / "vex" / "testdata" / name
    bom = read_sbom(write_cdx(tmp_path / "bom.json", ["pkg:apk/wolfi/bash@1.0.0"]))
    with open_database(db) as database:
        result = scan_with_vex([bom], database, [vex])
    (finding,) = result.findings
    if status:
        assert finding.status == status and not result.vex_unmatched
    else:
        # v0.0.1 document speaks of CVE-1234-5678, which this finding is not: reported as unmatched.
        assert finding.status == "affected"
        assert [n.vulnerability for n in result.vex_unmatched] == ["CVE-1234-5678"]


def test_csaf_vex_product_name_and_version(
    shared_data: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vex = (
        shared_data
        / "csaf-oasis"
        / "csaf_2.0"
        / "examples"
        / "csaf"
        / "csaf_vex"
        / "2022-evd-uc-01-na-001.json"
    )
    log4j = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    bom = write_cdx(tmp_path / "abc.json", [log4j], product=("ABC", "4.2"))
    base = ["scan", str(bom), "--db", str(db), "--fail-on", "exploited"]
    code, _, err = run(base, capsys)
    assert code == 1 and "Annex I Part I(2)(a)" in err  # log4shell is in KEV
    code, _, _ = run([*base, "--vex", str(vex)], capsys)
    assert code == 0  # triaged as not affected: the gate passes
    other = write_cdx(tmp_path / "abc41.json", [log4j], product=("ABC", "4.1"))
    code, _, err = run(
        ["scan", str(other), "--db", str(db), "--fail-on", "exploited", "--vex", str(vex)], capsys
    )
    assert code == 1 and "matched no finding" in err


def test_every_published_vex_example_reads(shared_data: Path) -> None:
    files = [
        *sorted((shared_data / "cyclonedx-bom-examples" / "VEX").rglob("vex.json")),
        *sorted((shared_data / "openvex-go-vex" / "pkg" / "vex" / "testdata").glob("v0*.json")),
        *sorted((shared_data / "csaf-oasis" / "csaf_2.0" / "examples" / "csaf" / "csaf_vex").glob("*.json")),
    ]
    assert len(files) >= 20
    statuses = set()
    for path in files:
        statements = read_vex(path)
        assert statements, path
        statuses.update(s.status for s in statements)
    assert statuses == {"affected", "not_affected", "fixed", "under_investigation"}


@pytest.mark.parametrize(
    "content", [b"[]", b'{"statements": "x"}', b'{"bomFormat": "CycloneDX"}', b"{not json", b'{"a": 1}']
)
def test_bad_vex_is_a_clean_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(VexError):
        read_vex(path)


def test_openvex_template_round_trips(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bom = write_cdx(tmp_path / "bom.json", ["pkg:apk/wolfi/bash@1.0.0"])
    code, out, _ = run(["scan", str(bom), "--db", str(db), "--format", "openvex"], capsys)
    assert code == 0
    template = json.loads(out)
    template["statements"][0].update(status="not_affected", justification="vulnerable_code_not_present")
    vex = tmp_path / "triage.vex.json"
    vex.write_text(json.dumps(template), encoding="utf-8")
    _, out, _ = run(
        ["scan", str(bom), "--db", str(db), "--vex", str(vex), "--format", "json", "--show-suppressed"],
        capsys,
    )
    (finding,) = json.loads(out)["findings"]
    assert finding["status"] == "not_affected" and finding["justification"] == "vulnerable_code_not_present"


def test_several_files_after_one_vex_flag(
    shared_data: Path, db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--vex A B SBOM``: click hands B to the SBOM list; it is recognised as VEX, not rejected."""
    folder = shared_data / "cyclonedx-bom-examples" / "VEX"
    other = shared_data / "openvex-go-vex" / "pkg" / "vex" / "testdata" / "v020-1.vex.json"
    code, out, err = run(
        [
            "scan",
            "--db",
            str(db),
            "--format",
            "json",
            "--vex",
            str(other),
            str(folder / "vex.json"),
            str(folder / "bom.json"),
        ],
        capsys,
    )
    assert code == 0 and "applied as --vex" in err
    doc = json.loads(out)
    assert doc["findings"] == [] and doc["summary"]["suppressed"] == 1


def test_only_vex_inputs_is_a_usage_error(
    shared_data: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vex = shared_data / "cyclonedx-bom-examples" / "VEX" / "vex.json"
    code, _, err = run(["scan", "--db", str(db), str(vex)], capsys)
    assert code == 2 and "no SBOM" in err
