"""Background work of the workbench: the job functions (monitor, deliver alerts) and their two
runners. On PostgreSQL a procrastinate queue in the same database carries the jobs to any
number of workers (periodic deferral by cron, one monitoring run at a time by a queueing lock);
on SQLite the same functions run in one process on a timer. ``crakit serve`` starts a runner as
``python -m crakit.jobs`` beside the web server; nothing here imports the CLI or the web layer.
"""

from crakit.jobs.functions import JobConfig, deliver_alerts, monitor
from crakit.jobs.inprocess import run_in_process
from crakit.jobs.queue import apply_schema, conninfo, defer_monitor, queue_app, run_worker

__all__ = [
    "JobConfig",
    "apply_schema",
    "conninfo",
    "defer_monitor",
    "deliver_alerts",
    "monitor",
    "queue_app",
    "run_in_process",
    "run_worker",
]
