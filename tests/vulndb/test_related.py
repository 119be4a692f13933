"""The KEV join follows OSV ``related`` as well as aliases (Art 14(1): the exploited signal).

Real records name the exploited CVE only as related: GO-2023-2102 (HTTP/2 Rapid Reset in Go's
net/http and x/net, related CVE-2023-44487) and PYSEC-2023-181/182/183 (libwebp bundled in the
opencv wheels, related CVE-2023-4863). Both CVEs are in the CISA KEV catalogue.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crakit.cli.main import main
from crakit.sbom import Component, Sbom
from crakit.vulndb import open_database, scan

pytestmark = pytest.mark.corpus

CASES = [
    ("pkg:golang/golang.org/x/net@v0.10.0", "GO-2023-2102", "CVE-2023-44487"),
    ("pkg:golang/stdlib@1.21.2", "GO-2023-2102", "CVE-2023-44487"),
    ("pkg:pypi/opencv-contrib-python@4.8.0.76", "PYSEC-2023-181", "CVE-2023-4863"),
    ("pkg:pypi/opencv-contrib-python-headless@4.8.0.76", "PYSEC-2023-182", "CVE-2023-4863"),
    ("pkg:pypi/opencv-python@4.8.0.76", "PYSEC-2023-183", "CVE-2023-4863"),
]


def _exit_code(argv: list[str]) -> int:
    try:
        main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _records_say_related_only(shared_data: Path) -> None:
    for _, vid, cve in CASES:
        record = json.loads((shared_data / "osv" / f"{vid}.json").read_text())
        assert cve in record.get("related", ()) and cve not in record.get("aliases", ())


@pytest.mark.parametrize(("purl", "vid", "cve"), CASES)
def test_related_kev_cve_makes_the_finding_exploited(
    shared_data: Path, corpus_db: Path, purl: str, vid: str, cve: str
) -> None:
    _records_say_related_only(shared_data)
    kev = {
        v["cveID"]: v
        for v in json.loads((shared_data / "kev/known_exploited_vulnerabilities.json").read_text())[
            "vulnerabilities"
        ]
    }
    with open_database(corpus_db) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", (Component("c", "c", purl=purl),))], db)
    (finding,) = [f for f in result.findings if f.id == vid]
    assert finding.exploited
    (listing,) = finding.vulnerability.kev
    assert (listing.cve, listing.via, listing.link) == (cve, vid, "related")
    assert listing.date_added == kev[cve]["dateAdded"]
    assert cve in finding.kev_cves and cve not in finding.aliases  # related is not an alias


def test_fixed_versions_are_not_exploited(corpus_db: Path) -> None:
    with open_database(corpus_db) as db:
        result = scan(
            [
                Sbom(
                    "cyclonedx", "1.6", "json", (Component("c", "c", purl="pkg:pypi/opencv-python@4.8.1.78"),)
                )
            ],
            db,
        )
    assert not [f for f in result.findings if f.id == "PYSEC-2023-183"]


def test_gate_and_candidates_see_related_exploitation(
    shared_data: Path, corpus_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = tmp_path / "bom.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "version": 1,
                "components": [{"type": "library", "name": "x/net", "purl": CASES[0][0]}],
            }
        )
    )
    argv = ["scan", str(sbom), "--db", str(corpus_db), "--fail-on", "exploited", "--format", "json"]
    assert _exit_code([*argv, "--max-db-age", "0"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["gate"]["tripped"]
    (finding,) = [f for f in doc["findings"] if f["id"] == "GO-2023-2102"]
    assert finding["exploited_via"] == [
        {"cve": "CVE-2023-44487", "via": "GO-2023-2102", "link": "related", "date_added": "2023-10-10"}
    ]
    assert _exit_code(["report", "candidates", str(sbom), "--db", str(corpus_db), "--format", "json"]) == 0
    candidates = json.loads(capsys.readouterr().out)["candidates"]
    assert [(c["id"], c["cve"]) for c in candidates] == [("GO-2023-2102", "CVE-2023-44487")]


def test_bundled_examples_are_the_real_records(shared_data: Path, repo_root: Path) -> None:
    """The README demo must show the bug's fix on unedited data."""
    for name in ("GO-2023-2102", "PYSEC-2023-183"):
        bundled = json.loads((repo_root / "examples/osv" / f"{name}.json").read_text())
        assert bundled == json.loads((shared_data / "osv" / f"{name}.json").read_text())
    kev = json.loads((shared_data / "kev/known_exploited_vulnerabilities.json").read_text())[
        "vulnerabilities"
    ]
    bundled_kev = json.loads((repo_root / "examples/kev.json").read_text())["vulnerabilities"]
    assert all(entry in kev for entry in bundled_kev)
