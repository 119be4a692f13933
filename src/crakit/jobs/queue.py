"""The PostgreSQL runner: a procrastinate queue in the workbench's own database.

Periodic tasks (cron) defer the monitoring run and the alert delivery; a queueing lock keeps at
most one monitoring run waiting, and the task's lock keeps two from running at once whatever
the number of workers. Job arguments are the :class:`JobConfig` as JSON.
"""

from __future__ import annotations

import asyncio
from typing import Any

import procrastinate
from sqlalchemy.engine import make_url

from crakit.jobs.functions import JobConfig, deliver_alerts, monitor

MONITOR_TASK = "crakit.monitor"
DELIVER_TASK = "crakit.deliver_alerts"


def conninfo(database_url: str) -> str:
    """libpq connection string of a SQLAlchemy PostgreSQL URL (options such as search_path kept)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("the job queue needs PostgreSQL; SQLite runs the jobs in-process")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _cron(minutes: int) -> str:
    if minutes < 60:
        return f"*/{max(1, minutes)} * * * *"
    return f"0 */{max(1, min(23, minutes // 60))} * * *"


def queue_app(config: JobConfig, *, monitor_every: int = 0) -> procrastinate.App:
    """The procrastinate app with the workbench's tasks (and their schedule when ``monitor_every``)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(config.database_url)))

    @app.task(name=MONITOR_TASK, queueing_lock="monitor", lock="monitor", pass_context=False)
    def monitor_task(config_json: dict[str, Any]) -> dict[str, Any]:
        return monitor(JobConfig.from_json(config_json)).to_json()

    @app.task(name=DELIVER_TASK, queueing_lock="deliver", lock="deliver", pass_context=False)
    def deliver_task(config_json: dict[str, Any]) -> dict[str, int]:
        report = deliver_alerts(JobConfig.from_json(config_json))
        return {"sent": report.sent, "failed": report.failed}

    if monitor_every:

        @app.periodic(cron=_cron(monitor_every), periodic_id="monitor")
        @app.task(
            name=MONITOR_TASK + ".periodic",
            queueing_lock="monitor-periodic",
            lock="monitor",
            pass_context=False,
        )
        def monitor_periodic(timestamp: int) -> dict[str, Any]:
            return monitor(config).to_json()

        @app.periodic(cron="* * * * *", periodic_id="deliver")
        @app.task(
            name=DELIVER_TASK + ".periodic",
            queueing_lock="deliver-periodic",
            lock="deliver",
            pass_context=False,
        )
        def deliver_periodic(timestamp: int) -> dict[str, int]:
            report = deliver_alerts(config)
            return {"sent": report.sent, "failed": report.failed}

    return app


async def _schema_present(app: procrastinate.App) -> bool:
    rows = await app.connector.execute_query_all_async("SELECT to_regclass('procrastinate_jobs') AS found")
    return bool(rows and rows[0]["found"])


def apply_schema(config: JobConfig) -> bool:
    """Create procrastinate's tables in the database unless they exist; True when created."""

    async def run() -> bool:
        app = queue_app(config)
        async with app.open_async():
            if await _schema_present(app):
                return False
            await app.schema_manager.apply_schema_async()
            return True

    return asyncio.run(run())


def defer_monitor(config: JobConfig) -> int | None:
    """Queue one monitoring run (None when one is already waiting)."""

    async def run() -> int | None:
        app = queue_app(config)
        async with app.open_async():
            try:
                job_id: int = await app.tasks[MONITOR_TASK].defer_async(config_json=config.to_json())
            except procrastinate.exceptions.AlreadyEnqueued:
                return None
            return job_id

    return asyncio.run(run())


def run_worker(config: JobConfig, *, workers: int = 2, monitor_every: int = 0, wait: bool = True) -> None:
    """Run a worker (``workers`` jobs at a time); ``wait=False`` returns once the queue is empty."""

    async def run() -> None:
        app = queue_app(config, monitor_every=monitor_every)
        async with app.open_async():
            await app.run_worker_async(concurrency=workers, wait=wait, install_signal_handlers=wait)

    asyncio.run(run())
