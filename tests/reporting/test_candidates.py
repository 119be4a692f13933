"""Candidates: only known exploited (KEV) findings in shipped versions; severity alone never counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.reporting.candidates import find_candidates


def finding(id_, *, exploited, severity="critical", status="affected", kev=None, aliases=()):
    return {
        "purl": "pkg:pypi/demo@1.0",
        "id": id_,
        "aliases": list(aliases),
        "severity": severity,
        "fixed": ["1.1"],
        "exploited": exploited,
        "kev_date_added": kev,
        "status": status,
        "component": {"ref": "demo", "name": "demo", "version": "1.0"},
    }


def test_high_severity_alone_is_never_a_candidate():
    report = find_candidates(
        [
            finding("GHSA-1", exploited=False, severity="critical"),
            finding("GHSA-2", exploited=True, severity="low", kev="2026-09-01", aliases=["CVE-2026-2"]),
            finding("GHSA-3", exploited=True, status="not_affected", kev="2026-09-02"),
            finding("GHSA-4", exploited=True, status="fixed", kev="2026-09-03"),
        ]
    )
    assert [c.id for c in report.candidates] == ["GHSA-2"]
    assert report.candidates[0].cve == "CVE-2026-2"
    assert report.candidates[0].kev_date_added == "2026-09-01"
    assert (report.considered, report.not_exploited, report.suppressed) == (4, 1, 2)


def test_newest_listing_first_and_duplicates_folded():
    report = find_candidates(
        [
            finding("A", exploited=True, kev="2025-01-01"),
            finding("B", exploited=True, kev="2026-01-01"),
            finding("B", exploited=True, kev="2026-01-01"),
        ]
    )
    assert [c.id for c in report.candidates] == ["B", "A"]


def test_cli_with_findings_file(tmp_path):
    path = tmp_path / "scan.json"
    path.write_text(
        json.dumps(
            {"findings": [finding("X", exploited=True, kev="2026-10-01"), finding("Y", exploited=False)]}
        )
    )
    result = CliRunner().invoke(cli, ["report", "candidates", "--findings", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["candidates"]] == ["X"]
    assert data["candidates"][0]["kev_date_added"] == "2026-10-01"


def test_cli_rejects_bad_findings_file(tmp_path):
    path = tmp_path / "scan.json"
    path.write_text("{not json")
    from crakit.cli.main import main

    with pytest.raises(SystemExit) as info:
        main(["report", "candidates", "--findings", str(path)])
    assert info.value.code == 2


@pytest.mark.corpus
def test_scan_of_an_sbom_against_osv_and_kev(shared_data: Path, tmp_path: Path):
    from crakit.vulndb import build_database

    records = sorted((shared_data / "osv").glob("PYSEC-*.json"))
    airflow = [p for p in records if '"apache-airflow"' in p.read_text(encoding="utf-8")]
    assert airflow, "corpus changed: no apache-airflow records"
    db = tmp_path / "vuln.db"
    build_database(db, airflow, shared_data / "kev" / "known_exploited_vulnerabilities.json", fresh=True)
    sbom = tmp_path / "bom.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "components": [
                    {
                        "type": "library",
                        "bom-ref": "af",
                        "name": "apache-airflow",
                        "version": "1.10.10",
                        "purl": "pkg:pypi/apache-airflow@1.10.10",
                    }
                ],
            }
        )
    )
    result = CliRunner().invoke(cli, ["report", "candidates", "--db", str(db), str(sbom), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cves = {c["cve"] for c in data["candidates"]}
    # CVE-2020-11978 (KEV since 2022-01-18) affects airflow before 1.10.11
    assert "CVE-2020-11978" in cves
    assert all(c["kev_date_added"] for c in data["candidates"])
    # many other airflow advisories match 1.10.10 but are not known exploited
    assert data["considered"] > len(data["candidates"])
    # a version past every fix has no candidates
    sbom.write_text(sbom.read_text().replace("1.10.10", "99.0.0"))
    again = CliRunner().invoke(cli, ["report", "candidates", "--db", str(db), str(sbom), "--format", "json"])
    assert json.loads(again.stdout)["candidates"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("status", {}), ("purl", {}), ("severity", 9), ("aliases", "CVE-1"), ("fixed", [1]), ("component", "x")],
)
def test_a_findings_file_with_wrong_types_is_refused(tmp_path: Path, field: str, value: object) -> None:
    # A field of the scan contract holding another JSON type is refused with the finding and the
    # field named (exit 2): it crashed (a dict as a status) or was shown as "{}" (a dict as a purl).
    from crakit.reporting.errors import ReportingError
    from crakit.reporting.evidence import load_findings

    path = tmp_path / "scan.json"
    path.write_text(json.dumps({"findings": [{"id": "CVE-2021-1", "exploited": True, field: value}]}))
    with pytest.raises(ReportingError, match=rf'finding #1 has a "{field}"'):
        load_findings(path)
