"""Compare two versions (components, findings, triage added/removed) and the portfolio export
(one row per product version, CSV and JSON; CSV cells that a spreadsheet would run are quoted)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.workbench_kit import build_initial, cyclonedx, make_app, manifest_yaml, new_data, token

OLD = cyclonedx(
    [("demo-pkg", "1.0", "pkg:pypi/demo-pkg@1.0"), ("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0")]
)
NEW = cyclonedx(
    [("demo-pkg", "2.0", "pkg:pypi/demo-pkg@2.0"), ("requests", "2.31.0", "pkg:pypi/requests@2.31.0")]
)


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], int]]:
    from crakit.vulndb import build_database

    vulndb = build_initial(tmp_path)
    osv, kev = new_data(tmp_path)
    build_database(vulndb, [osv], kev)
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(version="2.1"), headers=auth).json()[
            "id"
        ]
        client.post(f"/api/v1/products/{product}/sboms", content=OLD, headers=auth)
        client.post(
            f"/api/v1/products/{product}/triage",
            json={
                "purl": "pkg:pypi/demo-pkg@1.0",
                "id": "GHSA-wb13-demo-0001",
                "state": "exploitable",
                "response": "update",
            },
            headers=auth,
        )
        client.post("/api/v1/products", content=manifest_yaml(version="2.2"), headers=auth)
        client.post(f"/api/v1/products/{product}/sboms?version=2.2", content=NEW, headers=auth)
        yield client, auth, product
    app.state.store.close()


def test_compare_two_versions(api: tuple[TestClient, dict[str, str], int]) -> None:
    client, auth, product = api
    diff = client.get(f"/api/v1/products/{product}/compare?base=2.1&head=2.2", headers=auth).json()
    assert diff["components"] == {
        "added": ["pkg:pypi/demo-pkg@2.0", "pkg:pypi/requests@2.31.0"],
        "removed": ["pkg:npm/left-pad@1.3.0", "pkg:pypi/demo-pkg@1.0"],
    }
    assert diff["findings"] == {
        "added": [],
        "removed": [{"id": "GHSA-wb13-demo-0001", "purl": "pkg:pypi/demo-pkg@1.0"}],
    }
    assert diff["triage"]["removed"] == [
        {"id": "GHSA-wb13-demo-0001", "purl": "pkg:pypi/demo-pkg@1.0", "state": "exploitable"}
    ]
    assert client.get(f"/api/v1/products/{product}/compare?base=2.1&head=9", headers=auth).status_code == 404


def test_portfolio_export(api: tuple[TestClient, dict[str, str], int], database_url: str) -> None:
    client, auth, _ = api
    client.post("/api/v1/products", content=manifest_yaml(name='=HYPERLINK("x")', version="1"), headers=auth)
    rows = client.get("/api/v1/portfolio", headers=auth).json()["versions"]
    homegate = [r for r in rows if r["product"] == "HomeGate AX3000"]
    assert [
        (r["version"], r["components"], r["findings"], r["exploited"], r["open_exploited_alerts"])
        for r in homegate
    ] == [
        ("2.1", 2, 1, 1, 1),
        ("2.2", 2, 0, 0, 0),
    ]
    assert homegate[0]["support_end"] == "2035-03"
    reply = client.get("/api/v1/portfolio?format=csv", headers=auth)
    assert reply.headers["content-type"].startswith("text/csv")
    parsed = list(csv.DictReader(io.StringIO(reply.text)))
    assert [
        (r["product"], r["version"], r["exploited"]) for r in parsed if r["product"] == "HomeGate AX3000"
    ] == [
        ("HomeGate AX3000", "2.1", "1"),
        ("HomeGate AX3000", "2.2", "0"),
    ]
    assert any(r["product"] == '\'=HYPERLINK("x")' for r in parsed)
    other = {"Authorization": f"Bearer {token(database_url, 'auditor', organisation='Other')}"}
    assert client.get("/api/v1/portfolio", headers=other).json() == {"versions": []}


def test_spdx_sboms_are_read_too(api: tuple[TestClient, dict[str, str], int]) -> None:
    import json

    client, auth, product = api
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "homegate-2.3",
        "documentNamespace": "https://example.com/spdx/homegate-2.3",
        "creationInfo": {"created": "2026-12-01T00:00:00Z", "creators": ["Tool: test"]},
        "packages": [
            {
                "SPDXID": "SPDXRef-demo",
                "name": "demo-pkg",
                "versionInfo": "1.0",
                "downloadLocation": "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:pypi/demo-pkg@1.0",
                    }
                ],
            }
        ],
    }
    client.post("/api/v1/products", content=manifest_yaml(version="2.3"), headers=auth)
    reply = client.post(
        f"/api/v1/products/{product}/sboms?version=2.3", content=json.dumps(spdx), headers=auth
    )
    assert reply.status_code == 201, reply.text
    [finding] = client.get(f"/api/v1/products/{product}/findings?version=2.3", headers=auth).json()[
        "findings"
    ]
    assert finding["id"] == "GHSA-wb13-demo-0001" and finding["exploited"] is True
