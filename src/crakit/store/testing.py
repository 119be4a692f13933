"""Helpers for test suites that must run against SQLite and PostgreSQL alike.

Each PostgreSQL test gets a schema of its own (dropped afterwards), so tests stay
isolated on one shared server without needing a database per test.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

TEST_URL_VARIABLE = "CRAKIT_TEST_DATABASE_URL"


@contextmanager
def isolated_postgres_url(base_url: str) -> Iterator[str]:
    """Yield ``base_url`` pointed at a fresh schema (via ``search_path``); drop it on exit."""
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def sqlite_url(directory: Path) -> str:
    """The URL of a test store in ``directory``."""
    from crakit.store.engine import sqlite_url as file_url

    return file_url(directory / "crakit.db")
