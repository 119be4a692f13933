"""Worker processes for the concurrency tests (importable by ``multiprocessing``'s spawn start method).

Each worker does what one ``crakit report ...`` command does: open the store (migrating it), make
one change in one transaction, close the store; then repeats.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)


def update_summary(url: str, case_id: int, worker: int, count: int, start: Any) -> None:
    """``count`` updates of the ``summary`` field, each value unique to (worker, step)."""
    from crakit.reporting import update_case
    from crakit.store import open_store

    start.wait()
    for step in range(count):
        with open_store(url) as store:
            update_case(store, case_id, [("summary", f"w{worker}-{step}")], actor=f"w{worker}", now=NOW)


def record_events(url: str, case_id: int, worker: int, count: int, start: Any) -> None:
    """``count`` evidence entries (no row change: only the history chain is contended)."""
    from crakit.reporting.cases import record_event
    from crakit.store import open_store

    start.wait()
    for step in range(count):
        with open_store(url) as store:
            record_event(store, case_id, "drafted", {"step": step}, actor=f"e{worker}", now=NOW)


def close_case(url: str, case_id: int, start: Any, results: Any) -> None:
    """Try to close the case; report "closed" or the error class name."""
    from crakit.reporting import close_case as close
    from crakit.store import open_store

    start.wait()
    try:
        with open_store(url) as store:
            close(store, case_id, actor="closer", now=NOW)
        results.put("closed")
    except Exception as exc:
        results.put(type(exc).__name__)


def open_cases(url: str, worker: int, count: int, start: Any) -> None:
    """Open ``count`` cases; the first open of a new workspace migrates it."""
    from crakit.reporting import Kind, NewCase, open_case
    from crakit.store import open_store

    start.wait()
    for _ in range(count):
        with open_store(url) as store:
            open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=NOW), actor=f"w{worker}", now=NOW)
