"""Fixed-window counters in the database: login throttling and per-token rate limits.

Kept in a table (one atomic upsert per hit) rather than in memory, so that several server
processes on one PostgreSQL count together and a restart forgets nothing.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from crakit.accounts.errors import Throttled
from crakit.accounts.models import CounterRow


def _window_start(now: datetime, window: timedelta) -> datetime:
    seconds = window.total_seconds()
    epoch = now.timestamp()
    return datetime.fromtimestamp(math.floor(epoch / seconds) * seconds, tz=now.tzinfo)


def hit(session: Session, key: str, *, now: datetime, window: timedelta) -> int:
    """Count one event under ``key`` in the current window; returns the count including it."""
    start = _window_start(now, window)
    full_key = f"{key}@{int(start.timestamp())}"[:200]
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(CounterRow)
        .values(key=full_key, window_start=start, count=1)
        .on_conflict_do_update(index_elements=[CounterRow.key], set_={"count": CounterRow.count + 1})
        .returning(CounterRow.count)
    )
    return int(session.execute(statement).scalar_one())


def count(session: Session, key: str, *, now: datetime, window: timedelta) -> int:
    start = _window_start(now, window)
    value = session.scalar(
        select(CounterRow.count).where(CounterRow.key == f"{key}@{int(start.timestamp())}"[:200])
    )
    return int(value or 0)


def check_allowed(session: Session, key: str, limit: int, *, now: datetime, window: timedelta) -> None:
    """Refuse when ``key`` already reached ``limit`` in this window (login throttling)."""
    if count(session, key, now=now, window=window) >= limit:
        raise Throttled(
            "too many failed sign-in attempts; wait before trying again",
            retry_after=_retry_after(now, window),
        )


def rate_limit(session: Session, key: str, limit: int, *, now: datetime, window: timedelta) -> None:
    """Count a request and refuse it when it is over ``limit`` in this window."""
    if hit(session, key, now=now, window=window) > limit:
        raise Throttled(
            f"rate limit of {limit} requests per {int(window.total_seconds())} s reached",
            retry_after=_retry_after(now, window),
        )


def _retry_after(now: datetime, window: timedelta) -> int:
    end = _window_start(now, window) + window
    return max(1, math.ceil((end - now).total_seconds()))


def forget_old(session: Session, *, now: datetime, keep: timedelta) -> None:
    session.execute(delete(CounterRow).where(CounterRow.window_start < now - keep))
