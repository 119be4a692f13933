"""Every store test runs on SQLite, and on PostgreSQL when CRAKIT_TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from crakit.store.testing import TEST_URL_VARIABLE, isolated_postgres_url, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    base = os.environ.get(TEST_URL_VARIABLE)
    if not base:
        pytest.skip(f"{TEST_URL_VARIABLE} is not set (CI sets it; see .ci/postgres.sh)")
    with isolated_postgres_url(base) as url:
        yield url
