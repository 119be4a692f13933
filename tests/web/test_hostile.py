"""Hostile bodies and floods get a 4xx in the one error shape, never a 5xx or a trace, and accepted
data stays intact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.platform_kit import auth, early_warning, make_app, seed_tokens


def _shape(reply: Any, status: int) -> dict[str, Any]:
    assert reply.status_code == status, reply.text[:300]
    error = reply.json()["error"]
    assert error["status"] == status and error["message"] and "Traceback" not in reply.text
    return dict(error)


def test_malformed_json_is_400(as_: Any, http: Any, tokens: Any) -> None:
    for raw in (
        b"{bad",
        b"",
        b"\xff\xfe",
        b"[1,2",
        b'{"stage": "early-warning", "case": "x", "fields": {"a": NaN}',
    ):
        reply = http.post(
            "/api/v1/notifications",
            content=raw,
            headers={**auth(tokens["manufacturer"]), "Content-Type": "application/json"},
        )
        assert reply.status_code in (400, 422), (raw, reply.status_code)
        assert reply.json()["error"]["status"] == reply.status_code


def test_wrong_shapes_are_422_naming_the_field(as_: Any) -> None:
    owner = as_("manufacturer")
    _shape(owner.post("/api/v1/notifications", [1, 2, 3]), 422)
    assert (
        _shape(owner.post("/api/v1/notifications", {**early_warning(), "stage": "later"}), 422)["field"]
        == "stage"
    )
    assert (
        _shape(owner.post("/api/v1/notifications", {**early_warning(), "extra": 1}), 422)["field"] == "extra"
    )
    nested = early_warning()
    nested["fields"]["title"] = {"deep": {"deeper": [1]}}
    assert _shape(owner.post("/api/v1/notifications", nested), 422)["field"].startswith("fields")
    many = early_warning()
    many["fields"].update({f"k{i}": "v" for i in range(200)})
    _shape(owner.post("/api/v1/notifications", many), 422)
    assert (
        _shape(owner.post("/api/v1/notifications", early_warning(aware_at="yesterday")), 422)["field"]
        == "aware_at"
    )
    assert (
        _shape(owner.post("/api/v1/notifications", early_warning(aware_at="2999-01-01T00:00:00Z")), 422)[
            "field"
        ]
        == "aware_at"
    )
    assert (
        _shape(owner.post("/api/v1/notifications", early_warning(member_states=["IE", "XX"])), 422)["field"]
        == "member_states"
    )
    weird = early_warning(title="Null \u0000 byte and emoji \U0001f525 and RTL \u202e")
    assert owner.post("/api/v1/notifications", weird).status_code in (201, 422)


def test_oversized_bodies_are_413_with_or_without_content_length(http: Any, tokens: Any) -> None:
    big = b'{"stage": "early-warning", "case": "x", "fields": {"summary": "' + b"a" * 2_000_000 + b'"}}'
    headers = {**auth(tokens["manufacturer"]), "Content-Type": "application/json"}
    _shape(http.post("/api/v1/notifications", content=big, headers=headers), 413)

    def chunks() -> Iterator[bytes]:
        for _ in range(300):
            yield b"a" * 10_000

    _shape(http.post("/api/v1/notifications", content=chunks(), headers=headers), 413)


def test_unknown_routes_methods_and_ids(as_: Any, http: Any) -> None:
    _shape(http.get("/api/v1/nothing-here"), 404)
    _shape(http.put("/api/v1/notifications"), 405)
    _shape(as_("enisa").get("/api/v1/notifications/CRA-2026-000000000000"), 404)
    _shape(as_("enisa").get("/api/v1/notifications/../../etc"), 404)
    _shape(as_("enisa").get("/api/v1/notifications/" + "A" * 500), 422)


def test_bad_tokens_are_401(http: Any) -> None:
    for value in ("Bearer ", "Bearer nope", "Bearer " + "x" * 5000, "Basic abc", "bearer\u00e9"):
        reply = http.get("/api/v1/notifications", headers={"Authorization": value.encode("utf-8")})
        assert reply.status_code == 401, value


@pytest.fixture
def limited(database_url: str) -> Iterator[tuple[Any, dict[str, str]]]:
    app = make_app(database_url, rate_limit=5)
    with TestClient(app, base_url="https://testserver") as client:
        yield client, seed_tokens(app)


def test_rate_limit_per_token(limited: tuple[Any, dict[str, str]]) -> None:
    http, tokens = limited
    statuses = [http.get("/api/v1/me", headers=auth(tokens["coordinator"])).status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = http.get("/api/v1/me", headers=auth(tokens["coordinator"]))
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert http.get("/api/v1/me", headers=auth(tokens["enisa"])).status_code == 200  # per token


def test_security_headers(http: Any) -> None:
    reply = http.get("/login")
    assert "default-src 'self'" in reply.headers["content-security-policy"]
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["x-frame-options"] == "DENY"


def test_nul_characters_are_refused_before_they_reach_the_database(as_: Any, http: Any, tokens: Any) -> None:
    _shape(as_("admin").get("/api/v1/audit", params={"subject": "a\x00b"}), 422)
    _shape(as_("manufacturer").post("/api/v1/notifications", early_warning(title="a\x00b")), 422)
    login = http.post("/login", data={"email": "a\x00@b.eu", "password": "x", "code": "1"})
    _shape(login, 422)
    assert as_("manufacturer").post("/api/v1/notifications", early_warning(title="plain")).status_code == 201
