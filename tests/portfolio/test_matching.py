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


def test_a_component_stored_without_version_in_its_purl_is_matched_at_its_stored_version(
    database_url: str, tmp_path: Path
) -> None:
    # Rows stored before versionless purls were completed keep the bare purl as their key, with
    # the component's version beside it: re-matching reads the key at that version.
    from datetime import UTC, datetime

    from sqlalchemy import delete, select, update

    from crakit.portfolio.matching import rematch
    from crakit.portfolio.models import ComponentRow, FindingRow
    from crakit.store import open_database
    from crakit.vulndb import build_database
    from crakit.vulndb import open_database as open_vulndb

    vulndb = build_initial(tmp_path)
    osv, kev = new_data(tmp_path)
    build_database(vulndb, [osv], kev)
    app = make_app(database_url, vulndb)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
            product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
            sbom = cyclonedx([("demo-pkg", "1.0", "pkg:pypi/demo-pkg")])
            assert (
                client.post(f"/api/v1/products/{product}/sboms", content=sbom, headers=auth).status_code
                == 201
            )
    finally:
        app.state.store.close()
    with open_database(database_url, [], migrate=False) as store, store.transaction() as session:
        row = session.scalars(select(ComponentRow).where(ComponentRow.purl == "pkg:pypi/demo-pkg@1.0")).one()
        version_id = row.version_id
        # as such a row was stored: the bare purl, and no finding (it was never matched)
        session.execute(
            update(ComponentRow).where(ComponentRow.id == row.id).values(purl="pkg:pypi/demo-pkg")
        )
        session.execute(delete(FindingRow).where(FindingRow.version_id == version_id))
    with (
        open_database(database_url, [], migrate=False) as store,
        store.transaction() as session,
        open_vulndb(vulndb) as db,
    ):
        rematch(session, db, {version_id: ["pkg:pypi/demo-pkg"]}, now=datetime.now(UTC))
        found = session.execute(
            select(FindingRow.purl, FindingRow.vuln_id).where(FindingRow.version_id == version_id)
        ).all()
    assert [tuple(f) for f in found] == [("pkg:pypi/demo-pkg", "GHSA-wb13-demo-0001")]
