"""The pictures (SVG drawn by the app): findings over time from the daily snapshots a monitoring
run takes, support periods on a timeline, and the Art 14 deadlines of a case opened from an alert
on a calendar."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import etree

from crakit.cli.main import cli
from tests.workbench_kit import SBOM, build_initial, make_app, manifest_yaml, new_data, token

SVG = "{http://www.w3.org/2000/svg}"


def test_charts(database_url: str, tmp_path: Path) -> None:
    vulndb = build_initial(tmp_path)
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
        client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth)
        empty = etree.fromstring(client.get("/charts/findings.svg", headers=auth).content)
        assert not empty.findall(f"{SVG}polyline")  # no monitoring run yet: no points
        osv, kev = new_data(tmp_path)
        args = ["monitor", "run", "--database-url", database_url, "--vulndb", str(vulndb)]
        assert CliRunner().invoke(cli, [*args, "--osv", str(osv), "--kev", str(kev)]).exit_code == 0

        chart = client.get(f"/charts/findings.svg?product={product}", headers=auth)
        assert chart.headers["content-type"] == "image/svg+xml"
        svg = etree.fromstring(chart.content)
        lines = svg.findall(f"{SVG}polyline")
        assert len(lines) == 2  # findings and known exploited
        labels = [t.text for t in svg.iter(f"{SVG}text")]
        assert "1" in labels  # the y axis reaches the one finding

        support = etree.fromstring(client.get("/charts/support.svg", headers=auth).content)
        texts = [t.text for t in support.iter(f"{SVG}text")]
        assert "HomeGate AX3000 2.1" in texts and "2035-03" in texts

        alert = next(a for a in client.get("/api/v1/alerts", headers=auth).json()["alerts"] if a["exploited"])
        client.post(f"/api/v1/alerts/{alert['alert_id']}/case", headers=auth)
        calendar = etree.fromstring(client.get("/charts/deadlines.svg", headers=auth).content)
        titles = [t.text or "" for t in calendar.iter(f"{SVG}title")]
        from datetime import datetime

        detected = datetime.fromisoformat(alert["detected_at"].replace("Z", "+00:00"))
        due = detected + timedelta(hours=24)  # Art 14(2)(a)
        assert any(f"early warning due {due:%H:%M} UTC" in t for t in titles), titles
        page = client.get("/dashboard", headers=auth)
        assert page.status_code == 200 and "/charts/deadlines.svg" in page.text
        assert 'data-testid="countdown"' in page.text and "early warning" in page.text
        assert "23 h" in page.text or "24 h" in page.text  # the early warning is due 24 h after detection
    app.state.store.close()
