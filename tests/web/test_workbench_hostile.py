"""Hostile bodies on the workbench API: one clear JSON error with a 4xx status, never a traceback,
and nothing stored; `crakit monitor run` with a bad file: one line, exit 2, the database unchanged."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.workbench_kit import SBOM, build_initial, make_app, manifest_yaml, token


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], int]]:
    app = make_app(database_url, build_initial(tmp_path))
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
        yield client, auth, product
    app.state.store.close()


MANIFESTS = {
    "empty": b"",
    "not yaml": b"{{{{",
    "alias bomb": b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
    "wrong shape": b"[1, 2, 3]",
    "no version": b"crakit: 1\nproduct:\n  name: X\n",
    "binary": bytes(range(256)),
}
SBOMS = {
    "empty": b"",
    "not an sbom": b'{"hello": "world"}',
    "truncated": SBOM[: len(SBOM) // 2],
    "binary": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("kind", list(MANIFESTS))
def test_bad_manifests(api: tuple[TestClient, dict[str, str], int], kind: str) -> None:
    client, auth, _ = api
    reply = client.post("/api/v1/products", content=MANIFESTS[kind], headers=auth)
    assert reply.status_code == 422, reply.text
    error = reply.json()["error"]
    assert error["message"] and "\n" not in error["message"] and "Traceback" not in reply.text
    assert len(client.get("/api/v1/products", headers=auth).json()["products"]) == 1


@pytest.mark.parametrize("kind", list(SBOMS))
def test_bad_sboms(api: tuple[TestClient, dict[str, str], int], kind: str) -> None:
    client, auth, product = api
    reply = client.post(f"/api/v1/products/{product}/sboms", content=SBOMS[kind], headers=auth)
    assert reply.status_code == 422, reply.text
    assert "Traceback" not in reply.text
    [listed] = client.get("/api/v1/products", headers=auth).json()["products"]
    assert listed["versions"][0]["components"] == 0


def test_other_hostile_requests(api: tuple[TestClient, dict[str, str], int]) -> None:
    client, auth, product = api
    assert client.post("/api/v1/products/999999/sboms", content=SBOM, headers=auth).status_code == 404
    assert client.get(f"/api/v1/products/{product}/findings?version=9.9", headers=auth).status_code == 404
    assert client.post("/api/v1/alerts/424242/case", headers=auth).status_code == 404
    naive = client.post("/api/v1/alerts/1/case", json={"aware_at": "2026-12-01T08:00:00"}, headers=auth)
    assert naive.status_code in (404, 422)
    for body in (
        {"kind": "email", "target": "nobody"},
        {"kind": "webhook", "target": "ftp://x"},
        {"kind": "sms", "target": "1"},
    ):
        assert client.post("/api/v1/alert-channels", json=body, headers=auth).status_code == 422
    huge = b"x" * 60_000_000
    assert client.post(f"/api/v1/products/{product}/sboms", content=huge, headers=auth).status_code == 413
    bad_json = client.post(
        f"/api/v1/products/{product}/triage",
        content=b"{",
        headers={**auth, "Content-Type": "application/json"},
    )
    assert bad_json.status_code == 400


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"vulnerabilities": 3}', bytes(range(256))])
def test_monitor_with_a_bad_kev_file(tmp_path: Path, content: bytes) -> None:
    vulndb = build_initial(tmp_path)
    before = vulndb.read_bytes()
    bad = tmp_path / "kev.json"
    bad.write_bytes(content)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "monitor",
            "run",
            "--database-url",
            f"sqlite:///{tmp_path / 'wb.db'}",
            "--vulndb",
            str(vulndb),
            "--kev",
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert vulndb.read_bytes() == before
    assert not list(tmp_path.glob("*.monitor-previous"))


def test_an_oversized_streamed_body_is_413_and_no_server_error(
    api: tuple[TestClient, dict[str, str], int], caplog: pytest.LogCaptureFixture
) -> None:
    """Without a Content-Length the limit cuts the body mid-stream: the client gets 413 and the
    server logs no internal error (the acceptance check saw a traceback for each)."""
    client, auth, product = api

    def chunks() -> Iterator[bytes]:
        for _ in range(70):
            yield b"x" * 1_000_000

    with caplog.at_level("ERROR"):
        reply = client.post(f"/api/v1/products/{product}/sboms", content=chunks(), headers=auth)
    assert reply.status_code == 413
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
