"""One query over many values, as IN lists of a bounded length."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

CHUNK = 500  # values per IN list: older SQLite builds allow at most 999 bound parameters


def rows_in(
    conn: sqlite3.Connection, sql: str, values: Iterable[Any], lead: tuple[Any, ...] = ()
) -> Iterator[Any]:
    """The rows of ``sql`` for every value of ``values``: ``sql`` holds one ``{marks}`` where the
    IN list goes, after the ``lead`` parameters; the values are sent in chunks of :data:`CHUNK`."""
    items = values if isinstance(values, list) else list(values)
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        yield from conn.execute(sql.format(marks=",".join("?" * len(chunk))), (*lead, *chunk))
