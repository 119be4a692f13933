"""SBOM components stored and matched in the workbench (portfolio/matching.py)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.workbench_kit import build_initial, cyclonedx, make_app, manifest_yaml, new_data, token


def test_a_purl_without_version_is_matched_at_each_version_shipped(database_url: str, tmp_path: Path) -> None:
    # Two components name pkg:pypi/demo-pkg without a version, shipped as 1.0 and 3.0; the
    # advisory affects demo-pkg before 2.0. The 1.0 must be found (the component's version
    # completes its purl), the 3.0 must not, and neither hides the other.
    from crakit.vulndb import build_database

    vulndb = build_initial(tmp_path)
    osv, kev = new_data(tmp_path)
    build_database(vulndb, [osv], kev)
    sbom = cyclonedx([("demo-pkg", "1.0", "pkg:pypi/demo-pkg"), ("demo-pkg", "3.0", "pkg:pypi/demo-pkg")])
    app = make_app(database_url, vulndb)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
            product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
            uploaded = client.post(f"/api/v1/products/{product}/sboms", content=sbom, headers=auth)
            assert uploaded.status_code == 201, uploaded.text
            assert uploaded.json()["components"] == 2
            findings = client.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"]
    finally:
        app.state.store.close()
    assert [(f["purl"], f["id"], f["exploited"]) for f in findings] == [
        ("pkg:pypi/demo-pkg@1.0", "GHSA-wb13-demo-0001", True)
    ]
