"""The job runners: procrastinate on PostgreSQL (schema in the same database, a deferred
monitoring run executed by a worker) and the in-process runner on SQLite run the same job
functions, and both turn new data into alerts."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crakit import jobs
from tests.workbench_kit import SBOM, build_initial, flat_mirror, make_app, manifest_yaml, token


def _portfolio(database_url: str, vulndb: Path) -> tuple[dict[str, str], int]:
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'admin')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
        assert client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth).status_code == 201
    app.state.store.close()
    return auth, product


def _exploited(database_url: str, vulndb: Path, auth: dict[str, str]) -> list[dict[str, object]]:
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        alerts = client.get("/api/v1/alerts", headers=auth).json()["alerts"]
    app.state.store.close()
    return [a for a in alerts if a["exploited"]]


@pytest.mark.postgres
def test_procrastinate_worker_runs_a_deferred_monitoring_run(tmp_path: Path) -> None:
    from crakit.store.testing import TEST_URL_VARIABLE, isolated_postgres_url

    base = os.environ.get(TEST_URL_VARIABLE)
    if not base:
        pytest.skip(f"{TEST_URL_VARIABLE} is not set (CI sets it; see .ci/postgres.sh)")
    with isolated_postgres_url(base) as url:
        vulndb = build_initial(tmp_path)
        auth, _ = _portfolio(url, vulndb)
        config = jobs.JobConfig(url, vulndb, mirror=flat_mirror(tmp_path))
        assert jobs.apply_schema(config) is True
        assert jobs.apply_schema(config) is False  # idempotent
        assert jobs.defer_monitor(config) is not None
        assert jobs.defer_monitor(config) is None  # the queueing lock: one run waits at most
        assert _exploited(url, vulndb, auth) == []
        jobs.run_worker(config, workers=2, wait=False)
        [alert] = _exploited(url, vulndb, auth)
        assert alert["id"] == "GHSA-wb13-demo-0001"


def test_in_process_runner_runs_the_same_job(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'wb.db'}"
    vulndb = build_initial(tmp_path)
    auth, _ = _portfolio(url, vulndb)
    stop = threading.Event()
    config = jobs.JobConfig(url, vulndb, mirror=flat_mirror(tmp_path))
    runner = threading.Thread(
        target=jobs.run_in_process,
        args=(config,),
        kwargs={"monitor_every": 3600, "stop": stop, "first_now": True},
    )
    runner.start()
    try:
        for _ in range(600):  # the first run starts at once; wait for its alert (at most a minute)
            if _exploited(url, vulndb, auth):
                break
            stop.wait(0.1)
    finally:
        stop.set()
        runner.join(timeout=60)
    [alert] = _exploited(url, vulndb, auth)
    assert alert["id"] == "GHSA-wb13-demo-0001"
