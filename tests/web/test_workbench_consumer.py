"""The consumer page of a product version (Art 13(19)): public, in EN/FR/NL/DE, end of support to
the month, the single point of contact, a QR code (segno) that points at the page, and the OpenEoX
core document with the end of security support."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from lxml import etree

from tests.manifest_factory import manifest_dict
from tests.workbench_kit import build_initial, make_app, token


@pytest.mark.parametrize(
    ("lang", "month"), [("en", "March 2035"), ("fr", "mars 2035"), ("nl", "maart 2035"), ("de", "März 2035")]
)
def test_consumer_page(database_url: str, tmp_path: Path, lang: str, month: str) -> None:
    app = make_app(database_url, build_initial(tmp_path))
    manifest = manifest_dict()
    manifest["security_contact"] = {
        "contact": ["mailto:psirt@example.com"],
        "csaf": "https://example.com/.well-known/csaf/provider-metadata.json",
    }
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=yaml.safe_dump(manifest), headers=auth).json()["id"]
        [version] = client.get(f"/api/v1/products/{product}", headers=auth).json()["versions"]
        address = version["public_page"]
        assert address.startswith("/p/") and len(address) > 20  # a random id, not the product id
        anonymous = TestClient(app, base_url="https://testserver")
        page = anonymous.get(address, params={"lang": lang})
        assert page.status_code == 200
        assert month in page.text and "mailto:psirt@example.com" in page.text
        assert "provider-metadata.json" in page.text and "<script" not in page.text
        qr = anonymous.get(f"{address}/qr.svg")
        assert qr.headers["content-type"] == "image/svg+xml"
        assert etree.fromstring(qr.content).tag == "{http://www.w3.org/2000/svg}svg"  # renders as an image
        eox = anonymous.get(f"{address}/openeox.json").json()
        assert eox["$schema"] == "https://docs.oasis-open.org/openeox/v1.0/schema/core.json"
        assert (
            eox["end_of_security_support"] == "2035-03-31T23:59:59Z"
        )  # the support period ends with its month
        assert eox["end_of_life"] == "tba" and eox["last_updated"].endswith("Z")
        assert set(eox) == {"$schema", "end_of_life", "end_of_security_support", "last_updated"}
        assert anonymous.get("/p/notapageatall").status_code == 404
