"""Retention (redact / purge), HMAC-signed webhooks to a loopback receiver, MISP export with TLP 2.0."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

from crakit.platform import Keyring, PlatformConfig, claim_deliveries, purge_expired, verify_signature
from tests.platform_kit import FINAL_FIELDS, MASTER, NOTIFICATION_FIELDS, early_warning


def _closed(as_: Any) -> str:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning()).json()
    path = f"/api/v1/notifications/{filed['id']}"
    as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": NOTIFICATION_FIELDS})
    assert (
        as_("manufacturer").post(f"{path}/stages", {"stage": "final", "fields": FINAL_FIELDS}).status_code
        == 201
    )
    return path


def _purge(app: Any, mode: str, days: int, later: timedelta) -> Any:
    config = PlatformConfig(MASTER, retention=timedelta(days=days), retention_mode=mode)
    now = datetime.now(UTC) + later
    with app.state.store.transaction() as session:
        return purge_expired(session, Keyring(session, MASTER, now), config, actor="test", now=now)


def test_redaction_after_the_retention_time_keeps_a_skeleton(app: Any, as_: Any) -> None:
    path = _closed(as_)
    assert _purge(app, "redact", 30, timedelta(days=29)).notifications == []
    assert len(_purge(app, "redact", 30, timedelta(days=31)).notifications) == 1
    seen = as_("coordinator").get(path).json()
    assert seen["status"] == "redacted"
    assert set(seen["fields"]) == {"manufacturer_name", "product_name", "product_version", "cve_id"}
    assert "revisions" in seen and seen["revisions"] == []


def test_purge_deletes_the_notification_but_not_the_audit_log(app: Any, as_: Any) -> None:
    path = _closed(as_)
    assert len(_purge(app, "purge", 1, timedelta(days=2)).notifications) == 1
    assert as_("coordinator").get(path).status_code == 404
    assert as_("admin").get("/api/v1/audit/verify").json()["intact"] is True


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def test_webhooks_are_signed_and_carry_no_content(app: Any, as_: Any) -> None:
    _Receiver.received = []
    httpd = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
        registered = as_("coordinator").post("/api/v1/webhooks", {"url": url})
        assert registered.status_code == 201
        secret = registered.json()["secret"]
        assert (
            as_("coordinator").get("/api/v1/webhooks").json()["webhooks"][0]["secret"] is None
        )  # shown once
        as_("manufacturer").post("/api/v1/notifications", early_warning())
        for task in app.state.features[0].background:
            task(app.state.store)
        assert len(_Receiver.received) == 1
        headers, body = _Receiver.received[0]
        event = json.loads(body)
        assert event["event"] == "notification.received" and event["coordinator"] == "IE"
        assert "Authentication bypass" not in body.decode()
        assert verify_signature(secret, headers["X-Crakit-Signature"], body, now=datetime.now(UTC))
        assert not verify_signature("whsec_wrong", headers["X-Crakit-Signature"], body, now=datetime.now(UTC))
        assert not verify_signature(secret, headers["X-Crakit-Signature"], body + b" ", now=datetime.now(UTC))
        for task in app.state.features[0].background:  # delivered once: nothing left to send
            task(app.state.store)
        assert len(_Receiver.received) == 1
    finally:
        httpd.shutdown()


def test_failed_deliveries_are_retried_later(app: Any, as_: Any) -> None:
    as_("enisa").post("/api/v1/webhooks", {"url": "http://127.0.0.1:9/unreachable"})
    as_("manufacturer").post("/api/v1/notifications", early_warning())
    for task in app.state.features[0].background:
        task(app.state.store)
    with app.state.store.transaction() as session:
        now = datetime.now(UTC)
        assert claim_deliveries(session, Keyring(session, MASTER, now), now=now) == []  # backing off
        later = now + timedelta(minutes=5)
        assert len(claim_deliveries(session, Keyring(session, MASTER, later), now=later)) == 1


def test_misp_event_has_tlp_2_and_pap_tags_and_the_vulnerability_object(as_: Any) -> None:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning(cve_id="CVE-2026-9")).json()
    event = (
        as_("coordinator")
        .get(f"/api/v1/notifications/{filed['id']}/misp", params={"tlp": "amber+strict", "pap": "red"})
        .json()["Event"]
    )
    tags = {t["name"] for t in event["Tag"]}
    assert {"tlp:amber+strict", "PAP:RED"} <= tags
    vulnerability = event["Object"][0]
    assert vulnerability["template_uuid"] == "81650945-f186-437b-8945-9f31715d32da"
    values = {(a["object_relation"], a["value"]) for a in vulnerability["Attribute"]}
    assert ("id", "CVE-2026-9") in values and ("state", "Embargo") in values
    assert event["distribution"] == "0" and event["published"] is False
    assert (
        as_("coordinator")
        .get(f"/api/v1/notifications/{filed['id']}/misp", params={"tlp": "white"})
        .status_code
        == 422
    )
