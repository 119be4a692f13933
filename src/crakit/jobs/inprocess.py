"""The SQLite runner: the job functions on a timer in one process (SQLite has one writer at a
time, so a queue would add nothing but a second copy of the schedule)."""

from __future__ import annotations

import logging
import threading
import time

from crakit.jobs.functions import JobConfig, deliver_alerts, monitor

log = logging.getLogger("crakit.jobs")


def run_in_process(
    config: JobConfig,
    *,
    monitor_every: float,
    deliver_every: float = 30.0,
    stop: threading.Event | None = None,
    first_now: bool = False,
) -> None:
    """Monitor every ``monitor_every`` seconds (0: never; the first run at once when ``first_now``,
    else after one interval) and deliver every ``deliver_every`` seconds, until ``stop`` is set. A
    failing run is logged; the next one still happens."""
    stop = stop or threading.Event()
    start = time.monotonic()
    next_monitor = (start if first_now else start + monitor_every) if monitor_every else float("inf")
    next_deliver = time.monotonic()
    while not stop.is_set():
        moment = time.monotonic()
        try:
            if moment >= next_monitor:
                next_monitor = moment + monitor_every
                monitor(config)
            elif moment >= next_deliver:
                next_deliver = moment + deliver_every
                deliver_alerts(config)
        except Exception:  # a failing run must not end the schedule
            log.exception("background job failed")
        stop.wait(max(0.5, min(next_monitor, next_deliver) - time.monotonic()))
