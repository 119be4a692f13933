"""Each product version shows how complete its conformity documents are from its manifest alone
(the same builders as `crakit docs`), with what is still to write."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.workbench_kit import build_initial, make_app, token

REPO = Path(__file__).resolve().parents[2]


def test_documents_completeness(database_url: str, tmp_path: Path) -> None:
    from crakit.documents import build_declaration
    from crakit.manifest import load_manifest

    example = REPO / "examples" / "homegate-router.yaml"
    expected = build_declaration(load_manifest(example))
    expected_missing = [i for s in expected.sections for i in s.items if i.missing]
    app = make_app(database_url, build_initial(tmp_path))
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'auditor')}"}
        admin = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=example.read_bytes(), headers=admin).json()["id"]
        [version] = client.get(f"/api/v1/products/{product}", headers=auth).json()["versions"]
        declaration = version["documents"]["declaration"]
        assert declaration["applies"] is True
        assert declaration["items"] == sum(len(s.items) for s in expected.sections)
        assert len(declaration["missing"]) == len(expected_missing) > 0
        assert declaration["missing"][0].startswith(expected_missing[0].ref)
        assert version["documents"]["technical_documentation"]["missing"]
        page = client.get(f"/products/{product}", headers=auth)
        assert 'data-testid="doc-declaration"' in page.text and "Annex V" in page.text
    app.state.store.close()
