"""Issue 13, end to end on SQLite and PostgreSQL: a product version whose SBOM was clean becomes
known exploited when new data arrives; one `crakit monitor run` re-matches only the touched
package, and the alert appears in the app, by e-mail (a real SMTP server on loopback) and by an
HMAC-signed webhook, once; the Art 14 case opened from it starts at the detection time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crakit.cli.main import cli
from tests.workbench_kit import (
    SBOM,
    build_initial,
    make_app,
    manifest_yaml,
    new_data,
    smtp_server,
    token,
    webhook_receiver,
)


@pytest.fixture
def vulndb(tmp_path: Path) -> Path:
    return build_initial(tmp_path)


@pytest.fixture
def http(database_url: str, vulndb: Path) -> Iterator[TestClient]:
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        yield client
    app.state.store.close()


def _monitor(database_url: str, vulndb: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli,
        [
            "monitor",
            "run",
            "--database-url",
            database_url,
            "--vulndb",
            str(vulndb),
            *extra,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_clean_version_becomes_known_exploited(
    database_url: str, vulndb: Path, http: TestClient, tmp_path: Path
) -> None:
    auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
    created = http.post(
        "/api/v1/products", content=manifest_yaml(), headers={**auth, "Content-Type": "application/yaml"}
    )
    assert created.status_code == 201, created.text
    product = created.json()["id"]
    other = http.post("/api/v1/products", content=manifest_yaml("Other box", "1.0"), headers=auth).json()[
        "id"
    ]
    assert http.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth).status_code == 201
    # a second product ships requests only: new demo-pkg data must not re-match it
    from tests.workbench_kit import cyclonedx

    only_requests = cyclonedx([("requests", "2.31.0", "pkg:pypi/requests@2.31.0")])
    assert (
        http.post(f"/api/v1/products/{other}/sboms", content=only_requests, headers=auth).status_code == 201
    )
    assert http.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"] == []

    with smtp_server() as mailbox, webhook_receiver() as hook:
        assert (
            http.post(
                "/api/v1/alert-channels", json={"kind": "email", "target": "psirt@example.com"}, headers=auth
            ).status_code
            == 201
        )
        added = http.post(
            "/api/v1/alert-channels", json={"kind": "webhook", "target": hook.url}, headers=auth
        )
        secret = added.json()["secret"]
        osv, kev = new_data(tmp_path)
        smtp = ["--smtp-host", mailbox.host, "--smtp-port", str(mailbox.port), "--private-webhooks"]
        before = datetime.now(UTC)
        report = _monitor(database_url, str(vulndb), "--osv", str(osv), "--kev", str(kev), *smtp)  # type: ignore[arg-type]
        after = datetime.now(UTC)
        # only the package the new advisory names was re-matched: one component of one version
        assert report["changed_advisories"] == 1 and report["changed_kev"] == 1
        assert report["touched_packages"] == 1
        assert report["rematched_components"] == 1 and report["versions"] == 1
        assert report["deliveries"] == {"sent": 4, "failed": 0}  # affected + exploited, two channels

        findings = http.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"]
        assert [(f["purl"], f["id"], f["aliases"], f["exploited"]) for f in findings] == [
            ("pkg:pypi/demo-pkg@1.0", "GHSA-wb13-demo-0001", ["CVE-2099-1313"], True)
        ]
        alerts = http.get("/api/v1/alerts", headers=auth).json()["alerts"]
        exploited = [a for a in alerts if a["exploited"]]
        assert len(exploited) == 1 and len(alerts) == 2
        alert = exploited[0]
        assert alert["product"] == "HomeGate AX3000" and alert["purl"] == "pkg:pypi/demo-pkg@1.0"
        assert alert["id"] == "GHSA-wb13-demo-0001"
        detected = datetime.fromisoformat(alert["detected_at"].replace("Z", "+00:00"))
        assert before <= detected <= after

        subjects = sorted(m["Subject"] for m in mailbox.messages)
        assert len(subjects) == 2 and any(
            "known exploited" in s and "GHSA-wb13-demo-0001" in s for s in subjects
        )
        assert all(m["To"] == "psirt@example.com" for m in mailbox.messages)
        assert len(hook.received) == 2
        from crakit.portfolio import sign

        for headers, body in hook.received:
            assert headers["x-crakit-signature"] == sign(secret, body)
        events = {json.loads(body)["event"] for _, body in hook.received}
        assert events == {"alert.affected", "alert.exploited"}

        # the same data again: nothing changed, nothing re-matched, nothing sent twice
        again = _monitor(database_url, str(vulndb), "--osv", str(osv), "--kev", str(kev), *smtp)  # type: ignore[arg-type]
        assert again["changed_advisories"] == 0 and again["rematched_components"] == 0
        assert again["alerts"] == [] and again["deliveries"] == {"sent": 0, "failed": 0}
        assert len(mailbox.messages) == 2 and len(hook.received) == 2

    # open the Art 14 case from the alert: awareness is the detection time
    opened = http.post(f"/api/v1/alerts/{alert['alert_id']}/case", headers=auth)
    assert opened.status_code == 201, opened.text
    case_id = opened.json()["case_id"]
    assert opened.json()["aware_at"] == alert["detected_at"]
    from crakit import reporting
    from crakit.store import open_database

    store = open_database(database_url, [], migrate=False)
    try:
        case = reporting.get_case(store, case_id)
        assert case.aware_at == detected and case.is_open
        assert case.evidence["detected_at"] == detected.isoformat()
        deadlines = reporting.exact_deadlines(case.clock())
        assert deadlines.early_warning_due == detected + timedelta(hours=24)  # Art 14(2)(a)
    finally:
        store.close()
    assert http.post(f"/api/v1/alerts/{alert['alert_id']}/case", headers=auth).status_code == 409
    assert http.get("/api/v1/alerts", headers=auth).json()["alerts"][0]["case_id"] in (case_id, None)


def test_corrected_awareness_keeps_both_times(
    database_url: str, vulndb: Path, http: TestClient, tmp_path: Path
) -> None:
    auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
    product = http.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
    http.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth)
    osv, kev = new_data(tmp_path)
    _monitor(database_url, vulndb, "--osv", str(osv), "--kev", str(kev))  # type: ignore[arg-type]
    alert = next(a for a in http.get("/api/v1/alerts", headers=auth).json()["alerts"] if a["exploited"])
    earlier = datetime.now(UTC) - timedelta(hours=3)
    opened = http.post(
        f"/api/v1/alerts/{alert['alert_id']}/case", json={"aware_at": earlier.isoformat()}, headers=auth
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["detected_at"] == alert["detected_at"]
    from crakit import reporting
    from crakit.store import open_database

    store = open_database(database_url, [], migrate=False)
    try:
        case = reporting.get_case(store, opened.json()["case_id"])
        history = reporting.case_history(store, case.id)
    finally:
        store.close()
    assert case.aware_at == earlier.replace(microsecond=case.aware_at.microsecond)
    assert case.evidence["aware_at_corrected"] is True
    assert history.intact and history.entries[0].detail["evidence"]["detected_at"].startswith(
        alert["detected_at"][:19]
    )
    # an affected (not exploited) alert opens no Art 14(1) case
    affected = next(
        a for a in http.get("/api/v1/alerts", headers=auth).json()["alerts"] if not a["exploited"]
    )
    assert http.post(f"/api/v1/alerts/{affected['alert_id']}/case", headers=auth).status_code == 422
