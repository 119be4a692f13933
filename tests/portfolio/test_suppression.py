"""Rule-based suppression with expiry: a rule in force silences alerts for what it matches and marks
the findings suppressed; a revoked or expired rule does not; rules are audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from crakit.cli.main import cli
from crakit.portfolio import Rule
from tests.workbench_kit import SBOM, build_initial, make_app, manifest_yaml, new_data, token


def test_a_rule_in_force_silences_alerts_until_revoked(database_url: str, tmp_path: Path) -> None:
    vulndb = build_initial(tmp_path)
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
        client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth)
        later = (datetime.now(UTC) + timedelta(days=90)).isoformat()
        rule = client.post(
            "/api/v1/suppressions",
            json={
                "purl_prefix": "pkg:pypi/demo-pkg",
                "vulnerability": "CVE-2099-1313",
                "reason": "vendored copy is patched",
                "expires_at": later,
            },
            headers=auth,
        )
        assert rule.status_code == 201, rule.text
        osv, kev = new_data(tmp_path)
        result = CliRunner().invoke(
            cli,
            [
                "monitor",
                "run",
                "--database-url",
                database_url,
                "--vulndb",
                str(vulndb),
                "--osv",
                str(osv),
                "--kev",
                str(kev),
                "--format",
                "json",
            ],
        )
        assert json.loads(result.stdout)["alerts"] == []  # matched by alias, silenced
        [finding] = client.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"]
        assert finding["exploited"] and finding["suppressed_by"] == rule.json()["id"]
        assert client.get("/api/v1/alerts", headers=auth).json()["alerts"] == []

        assert client.delete(f"/api/v1/suppressions/{rule.json()['id']}", headers=auth).status_code == 204
        [listed] = client.get("/api/v1/suppressions", headers=auth).json()["suppressions"]
        assert listed["active"] is False and listed["revoked_at"]
        [finding] = client.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"]
        assert finding["suppressed_by"] is None

        for bad in (
            {"reason": "nothing named"},
            {"vulnerability": "X", "reason": "past", "expires_at": "2020-01-01T00:00:00Z"},
            {"purl_prefix": "npm/x", "reason": "not a purl"},
            {"vulnerability": "X", "reason": "  "},
        ):
            assert client.post("/api/v1/suppressions", json=bad, headers=auth).status_code == 422, bad
    app.state.store.close()


def test_expiry_and_matching() -> None:
    now = datetime(2026, 12, 3, tzinfo=UTC)
    rule = Rule(1, 7, "CVE-1", "pkg:npm/left-pad", "r", now + timedelta(days=1), "a", now, None)
    assert rule.active(now) and not rule.active(now + timedelta(days=1))
    assert rule.matches(7, "pkg:npm/left-pad@1.3.0", ("GHSA-x", "CVE-1"))
    assert not rule.matches(8, "pkg:npm/left-pad@1.3.0", ("CVE-1",))
    assert not rule.matches(7, "pkg:npm/right-pad@1.0", ("CVE-1",))
    assert not rule.matches(7, "pkg:npm/left-pad@1.3.0", ("CVE-2",))
