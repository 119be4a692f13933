"""Every scan output format from one enum; the streamed JSON is the documented finding contract."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from crakit.formats import ScanFormat, finding_to_json, iter_sarif, scan_to_vdr, write_scan
from crakit.sbom import Component, Sbom
from crakit.vex import VexStatement, apply_statements
from crakit.vex.model import ProductRef
from crakit.vulndb import evaluate_gate, open_database, scan

PURLS = ["pkg:pypi/demo-pkg@1.2", "pkg:pypi/demo-pkg@2.1", "pkg:npm/unrelated@0.5.0", "pkg:pypi/Demo.Pkg@1.2"]


def _result(db_path: Path):  # type: ignore[no-untyped-def]
    components = tuple(Component(str(i), "c", purl=p) for i, p in enumerate(PURLS))
    with open_database(db_path) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", components)], db)
    triage = VexStatement(
        "PYSEC-2099-2",
        (),
        (ProductRef(purls=("pkg:pypi/demo-pkg@2.1",)),),
        (),
        "not_affected",
        "vulnerable_code_not_present",
        None,
        "triage.json",
    )
    return apply_statements(result, [triage])


def test_streamed_json_is_the_finding_contract(small_db: Path) -> None:
    result = _result(small_db)
    out = io.BytesIO()
    write_scan(result, ScanFormat.JSON, out, gate=evaluate_gate(result, "exploited"), show_suppressed=True)
    doc = json.loads(out.getvalue())
    assert doc["findings"] == [finding_to_json(f) for f in result.findings]
    assert len(doc["findings"]) == len(result.findings) >= 3
    triaged = [f for f in doc["findings"] if f["status"] == "not_affected"]
    assert triaged and triaged[0]["vex_source"] == "triage.json"
    assert doc["summary"]["suppressed"] == 1
    # suppressed findings are left out unless asked for
    out = io.BytesIO()
    write_scan(result, ScanFormat.JSON, out)
    assert len(json.loads(out.getvalue())["findings"]) == len(result.findings) - 1


@pytest.mark.parametrize("fmt", [f for f in ScanFormat if f is not ScanFormat.TABLE])
def test_every_machine_format_is_valid_json(small_db: Path, fmt: ScanFormat) -> None:
    out = io.BytesIO()
    write_scan(_result(small_db), fmt, out, show_suppressed=True)
    assert json.loads(out.getvalue())


def test_sarif_has_one_rule_per_vulnerability_and_one_result_per_finding(small_db: Path) -> None:
    result = _result(small_db)
    sarif = json.loads(b"".join(iter_sarif(result, show_suppressed=True)))
    run = sarif["runs"][0]
    assert len(run["results"]) == len(result.findings)
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {f.id for f in result.findings}
    assert [r for r in run["results"] if "suppressions" in r]


def test_vdr_groups_components_under_each_vulnerability(small_db: Path) -> None:
    result = _result(small_db)
    vdr = scan_to_vdr(result)
    affects = sum(len(v["affects"]) for v in vdr["vulnerabilities"])
    assert affects == len(result.findings)
    assert {c["purl"] for c in vdr["components"]} == {f.purl for f in result.findings}


def test_table_is_the_terminal_s(small_db: Path) -> None:
    with pytest.raises(ValueError):
        write_scan(_result(small_db), ScanFormat.TABLE, io.BytesIO())


def test_two_versions_under_one_versionless_purl_stay_apart_in_every_format(small_db: Path) -> None:
    # The SBOM names pkg:pypi/demo-pkg without a version, shipped as 1.2 and 2.1: each format
    # identifies each finding by its version (SARIF fingerprint and location, the VDR's
    # component, the OpenVEX product), so triaging one version never touches the other.
    components = (
        Component("a", "demo-pkg", "1.2", purl="pkg:pypi/demo-pkg"),
        Component("b", "demo-pkg", "2.1", purl="pkg:pypi/demo-pkg"),
    )
    with open_database(small_db) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", components)], db)
    wanted = {"pkg:pypi/demo-pkg@1.2", "pkg:pypi/demo-pkg@2.1"}
    assert {f.purl for f in result.findings} == wanted
    sarif = json.loads(b"".join(iter_sarif(result)))["runs"][0]["results"]
    assert len({r["partialFingerprints"]["crakit/v1"] for r in sarif}) == len(sarif) == 2
    vdr = scan_to_vdr(result)
    assert {(c["bom-ref"], c["version"]) for c in vdr["components"]} == {
        ("pkg:pypi/demo-pkg@1.2", "1.2"),
        ("pkg:pypi/demo-pkg@2.1", "2.1"),
    }
    out = io.BytesIO()
    write_scan(result, ScanFormat.OPENVEX, out)
    products = {p["@id"] for s in json.loads(out.getvalue())["statements"] for p in s["products"]}
    assert products == wanted
