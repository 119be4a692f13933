"""Firmware SBOMs in the workbench (issues 13 and 15): components named by a CPE, or by a name and
version only, are kept, matched against NVD data and re-matched by monitoring; a component nothing
can match is counted as not checked, never shown as clean (found by the acceptance check: such an
SBOM showed "0 components, 0 findings")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crakit.cli.main import cli
from tests.vulndb.helpers import write_kev
from tests.workbench_kit import make_app, manifest_yaml, token

CVE = "CVE-2099-4242"
# One NVD API 2.0 page, in the real shape: acme fwlib before 2.0 is vulnerable.
NVD_PAGE = {
    "resultsPerPage": 1,
    "startIndex": 0,
    "totalResults": 1,
    "format": "NVD_CVE",
    "version": "2.0",
    "timestamp": "2026-12-01T00:00:00.000",
    "vulnerabilities": [
        {
            "cve": {
                "id": CVE,
                "sourceIdentifier": "cve@mitre.org",
                "published": "2026-11-01T00:00:00.000",
                "lastModified": "2026-11-02T00:00:00.000",
                "vulnStatus": "Analyzed",
                "descriptions": [{"lang": "en", "value": "Buffer overflow in acme fwlib before 2.0."}],
                "metrics": {},
                "configurations": [
                    {
                        "nodes": [
                            {
                                "operator": "OR",
                                "negate": False,
                                "cpeMatch": [
                                    {
                                        "vulnerable": True,
                                        "criteria": "cpe:2.3:a:acme:fwlib:*:*:*:*:*:*:*:*",
                                        "versionEndExcluding": "2.0",
                                        "matchCriteriaId": "00000000-0000-0000-0000-000000000001",
                                    }
                                ],
                            }
                        ]
                    }
                ],
                "references": [],
            }
        }
    ],
}
FIRMWARE = json.dumps(
    {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "library",
                "bom-ref": "fwlib",
                "name": "fwlib",
                "version": "1.5",
                "cpe": "cpe:2.3:a:acme:fwlib:1.5:*:*:*:*:*:*:*",
            },
            {"type": "library", "bom-ref": "blob", "name": "vendor-blob"},  # nothing to match it by
        ],
    }
).encode()


@pytest.fixture
def vulndb(tmp_path: Path) -> Path:
    from crakit.vulndb import build_database

    page = tmp_path / "nvd" / "page.json"
    page.parent.mkdir()
    page.write_text(json.dumps(NVD_PAGE), encoding="utf-8")
    db = tmp_path / "vulndb.sqlite"
    build_database(db, [], write_kev(tmp_path / "kev0.json", []), nvd=[page.parent])
    return db


@pytest.fixture
def http(database_url: str, vulndb: Path) -> Iterator[TestClient]:
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        yield client
    app.state.store.close()


def test_cpe_components_are_matched_and_monitored(
    database_url: str, vulndb: Path, http: TestClient, tmp_path: Path
) -> None:
    auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
    product = http.post("/api/v1/products", content=manifest_yaml("Camera", "1.0"), headers=auth).json()["id"]
    uploaded = http.post(f"/api/v1/products/{product}/sboms", content=FIRMWARE, headers=auth)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["components"] == 1 and uploaded.json()["skipped_components"] == 1
    findings = http.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"]
    assert [(f["purl"], f["id"], f["exploited"]) for f in findings] == [
        ("cpe:2.3:a:acme:fwlib:1.5:*:*:*:*:*:*:*", CVE, False)
    ]
    kev = write_kev(tmp_path / "kev1.json", [(CVE, "2026-12-02")])
    result = CliRunner().invoke(
        cli,
        [
            "monitor",
            "run",
            "--database-url",
            database_url,
            "--vulndb",
            str(vulndb),
            "--kev",
            str(kev),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    alerts: list[dict[str, Any]] = http.get("/api/v1/alerts", headers=auth).json()["alerts"]
    exploited = [a for a in alerts if a["exploited"]]
    assert [(a["purl"], a["id"]) for a in exploited] == [("cpe:2.3:a:acme:fwlib:1.5:*:*:*:*:*:*:*", CVE)]
    case = http.post(f"/api/v1/alerts/{exploited[0]['alert_id']}/case", headers=auth)
    assert case.status_code == 201, case.text
