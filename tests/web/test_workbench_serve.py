"""The acceptance contract over real HTTP: `crakit serve` in its own process, `GET /api/v1/health`,
`crakit workbench token create`, products and SBOMs posted, `crakit monitor run` with new data,
alerts listed, a case opened; and the schedule inside `crakit serve` (the job runner beside the
web server: in-process on SQLite, procrastinate on PostgreSQL) doing the same on its own."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
from click.testing import CliRunner

from crakit.cli.main import cli
from tests.workbench_kit import SBOM, build_initial, flat_mirror, manifest_yaml, new_data, serve, token


def test_contract(database_url: str, tmp_path: Path) -> None:
    vulndb = build_initial(tmp_path)
    with serve(database_url, vulndb, "--monitor-every", "0", log=tmp_path / "serve.log") as base:
        assert httpx.get(f"{base}/api/v1/health").status_code == 200
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
            created = http.post("/api/v1/products", content=json.dumps(_manifest_json()))
            assert created.status_code == 201, created.text
            product = created.json()["id"]
            assert http.post(f"/api/v1/products/{product}/sboms", content=SBOM).status_code == 201
            assert http.get(f"/api/v1/products/{product}/findings").json() == {
                "product_id": product,
                "version": "2.1",
                "findings": [],
            }
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
                ],
            )
            assert result.exit_code == 0, result.output
            [finding] = http.get(f"/api/v1/products/{product}/findings").json()["findings"]
            assert finding["exploited"] is True and finding["id"] == "GHSA-wb13-demo-0001"
            alert = next(a for a in http.get("/api/v1/alerts").json()["alerts"] if a["exploited"])
            assert {"alert_id", "product", "purl", "id", "exploited", "detected_at"} <= set(alert)
            opened = http.post(f"/api/v1/alerts/{alert['alert_id']}/case")
            assert opened.status_code == 201 and opened.json()["case_id"] >= 1
            assert opened.json()["aware_at"] == alert["detected_at"]
            spec = http.get("/openapi.json").json()
            assert "/api/v1/alerts/{alert_id}/case" in spec["paths"]


def _manifest_json() -> dict[str, object]:
    import yaml

    return dict(yaml.safe_load(manifest_yaml()))


def test_the_schedule_inside_serve_monitors(database_url: str, tmp_path: Path) -> None:
    vulndb = build_initial(tmp_path)
    mirror = flat_mirror(tmp_path)
    with serve(database_url, vulndb, "--monitor-every", "0", log=tmp_path / "first.log") as base:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        with httpx.Client(base_url=base, headers=auth, timeout=30) as http:
            product = http.post("/api/v1/products", content=manifest_yaml()).json()["id"]
            assert http.post(f"/api/v1/products/{product}/sboms", content=SBOM).status_code == 201
            assert http.get("/api/v1/alerts").json()["alerts"] == []
    extra = ("--monitor-every", "60", "--mirror", mirror, "--workers", "2")
    alerts: list[dict[str, object]] = []
    with (
        serve(database_url, vulndb, *extra, log=tmp_path / "scheduled.log") as base,
        httpx.Client(base_url=base, headers=auth, timeout=30) as http,
    ):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not alerts:
            alerts = [a for a in http.get("/api/v1/alerts").json()["alerts"] if a["exploited"]]
            time.sleep(0.5)
    assert alerts, (tmp_path / "scheduled.log").read_text()[-3000:]
    assert alerts[0]["id"] == "GHSA-wb13-demo-0001"
    # the job runner does not outlive the server it was started beside (uvicorn re-raises SIGTERM
    # after its shutdown, so the runner follows its parent rather than waiting to be told)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _runners(database_url):
        time.sleep(0.2)
    assert not _runners(database_url)


def _runners(database_url: str) -> list[int]:
    """Pids of `python -m crakit.jobs` processes for this database (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crakit.jobs" in argv and database_url.encode() in argv:
            found.append(int(entry.name))
    return found
