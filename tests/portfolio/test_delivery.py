"""The alert outbox: a webhook that fails is retried by the next run and then sent once; two
runners delivering at the same moment never send one alert twice; with no SMTP server configured
an e-mail delivery waits rather than disappears."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from crakit.portfolio import deliver_pending
from tests.workbench_kit import (
    SBOM,
    build_initial,
    make_app,
    manifest_yaml,
    new_data,
    token,
    webhook_receiver,
)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Any]:
    from crakit.vulndb import build_database

    vulndb = build_initial(tmp_path)
    osv, kev = new_data(tmp_path)
    build_database(vulndb, [osv], kev)
    application = make_app(database_url, vulndb)
    yield application
    application.state.store.close()


def _portfolio(client: TestClient, auth: dict[str, str], target: str) -> None:
    assert (
        client.post(
            "/api/v1/alert-channels", json={"kind": "webhook", "target": target}, headers=auth
        ).status_code
        == 201
    )
    assert (
        client.post(
            "/api/v1/alert-channels", json={"kind": "email", "target": "a@example.com"}, headers=auth
        ).status_code
        == 201
    )
    product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
    assert client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth).json()[
        "alerts"
    ]  # two alerts


def test_failed_webhook_is_retried_then_sent_once(app: Any, database_url: str) -> None:
    store = app.state.store
    with webhook_receiver() as hook, TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        _portfolio(client, auth, hook.url + "/down")
        import httpx

        class Failing(httpx.BaseTransport):
            def handle_request(self, request: httpx.Request) -> httpx.Response:
                return httpx.Response(503)

        with httpx.Client(transport=Failing()) as down:
            first = deliver_pending(
                store.transaction, None, now=datetime.now(UTC), http=down, allow_private=True
            )
        assert (first.sent, first.failed) == (0, 4)  # 2 webhooks refused, 2 e-mails without a server
        second = deliver_pending(store.transaction, None, now=datetime.now(UTC), allow_private=True)
        assert second.sent == 2 and len(hook.received) == 2  # the webhooks, on retry
        third = deliver_pending(store.transaction, None, now=datetime.now(UTC), allow_private=True)
        assert third.sent == 0 and len(hook.received) == 2  # never twice


def test_two_runners_at_once_send_each_alert_once(app: Any, database_url: str) -> None:
    store = app.state.store
    with webhook_receiver() as hook, TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        _portfolio(client, auth, hook.url)
        start = threading.Barrier(2)
        reports: list[Any] = []

        def run() -> None:
            start.wait()
            reports.append(
                deliver_pending(store.transaction, None, now=datetime.now(UTC), allow_private=True)
            )

        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sum(r.sent for r in reports) == 2
        assert len(hook.received) == 2
        assert len({h["x-crakit-delivery"] for h, _ in hook.received}) == 2


def test_webhooks_to_private_addresses_are_refused(database_url: str, tmp_path: Path) -> None:
    """No SSRF by default: https only, no loopback/private/link-local literal at registration, and
    the host resolved again before each delivery (the reporting platform's rule)."""
    application = make_app(database_url, build_initial(tmp_path), private_webhooks=False)
    with TestClient(application, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        for url in (
            "http://example.com/hook",
            "https://127.0.0.1/hook",
            "https://169.254.169.254/x",
            "https://localhost/x",
        ):
            reply = client.post(
                "/api/v1/alert-channels", json={"kind": "webhook", "target": url}, headers=auth
            )
            assert reply.status_code == 422, url
        assert (
            client.post(
                "/api/v1/alert-channels",
                json={"kind": "webhook", "target": "https://hooks.example.com/x"},
                headers=auth,
            ).status_code
            == 201
        )
    application.state.store.close()


def test_delivery_refuses_a_name_that_resolves_to_loopback(app: Any, database_url: str) -> None:
    store = app.state.store
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        _portfolio(client, auth, "https://localhost.localdomain/hook")
    report = deliver_pending(store.transaction, None, now=datetime.now(UTC))
    assert report.sent == 0  # nothing sent: the webhooks resolve to loopback, the e-mails have no server
    from sqlalchemy import text

    with store.transaction(write=False) as session:
        errors = [
            e
            for (e,) in session.execute(text("SELECT last_error FROM wb_deliveries"))
            if e and "refused" in e
        ]
    assert len(errors) == 2
