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


def test_components_stored_without_version_in_their_purl_are_matched_at_their_stored_versions(
    database_url: str, tmp_path: Path
) -> None:
    # Rows stored before versionless purls were completed keep the bare purl as their key, with
    # the component's version beside it; two products stored the same bare purl at 1.0 and 3.0.
    # Re-matching reads each row at its own version: 1.0 is affected, 3.0 is not.
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
            for name, version in (("Old box", "1.0"), ("New box", "3.0")):
                product = client.post("/api/v1/products", content=manifest_yaml(name), headers=auth).json()[
                    "id"
                ]
                sbom = cyclonedx([("demo-pkg", version, "pkg:pypi/demo-pkg")])
                assert (
                    client.post(f"/api/v1/products/{product}/sboms", content=sbom, headers=auth).status_code
                    == 201
                )
    finally:
        app.state.store.close()
    with open_database(database_url, [], migrate=False) as store, store.transaction() as session:
        rows = session.scalars(
            select(ComponentRow).where(ComponentRow.purl.like("pkg:pypi/demo-pkg@%"))
        ).all()
        at = {row.version_id: row.version for row in rows}
        assert sorted(at.values()) == ["1.0", "3.0"]
        # as such rows were stored: the bare purl, and no finding (they were never matched)
        session.execute(
            update(ComponentRow).where(ComponentRow.version_id.in_(at)).values(purl="pkg:pypi/demo-pkg")
        )
        session.execute(delete(FindingRow).where(FindingRow.version_id.in_(at)))
    with (
        open_database(database_url, [], migrate=False) as store,
        store.transaction() as session,
        open_vulndb(vulndb) as db,
    ):
        rematch(session, db, {vid: ["pkg:pypi/demo-pkg"] for vid in at}, now=datetime.now(UTC))
        found = session.execute(select(FindingRow.version_id, FindingRow.purl, FindingRow.vuln_id)).all()
    assert sorted((at[vid], purl, vuln) for vid, purl, vuln in found if vid in at) == [
        ("1.0", "pkg:pypi/demo-pkg", "GHSA-wb13-demo-0001")
    ]


def test_an_sbom_with_a_nul_character_is_refused_with_a_clear_error(
    database_url: str, tmp_path: Path
) -> None:
    # A NUL is in no name, version or purl, and the server database cannot store one: refused
    # whole (422), saying which component and field, instead of a store error.
    vulndb = build_initial(tmp_path)
    app = make_app(database_url, vulndb)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
            product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
            for comp in (
                ("demo-pkg", "1.0", "pkg:pypi/demo-pkg\u0000"),
                ("demo\u0000pkg", "1.0", "pkg:pypi/demo-pkg@1.0"),
            ):
                sbom = cyclonedx([comp])  # the JSON holds the escape \u0000
                refused = client.post(
                    f"/api/v1/products/{product}/sboms",
                    content=sbom,
                    headers={**auth, "Content-Type": "application/vnd.cyclonedx+json"},
                )
                assert refused.status_code == 422, refused.text
                assert "NUL character" in refused.text and "component 1" in refused.text
            listed = client.get(f"/api/v1/products/{product}/findings", headers=auth)
            assert listed.status_code == 200
    finally:
        app.state.store.close()
