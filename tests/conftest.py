"""Fixtures shared by every test package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The third-party corpora live beside the project (never copied into it).
SHARED_DATA = Path(os.environ.get("CRAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))
SHARED_CRA = SHARED_DATA.parent / "cra"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data; skips the test (with the reason) on a user's fresh clone."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"third-party corpus not present at {SHARED_DATA} (CI always has it)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every workspace-store test runs on SQLite, and on PostgreSQL when CRAKIT_TEST_DATABASE_URL is set."""
    from crakit.store.testing import TEST_URL_VARIABLE, isolated_postgres_url, sqlite_url

    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    base = os.environ.get(TEST_URL_VARIABLE)
    if not base:
        pytest.skip(f"{TEST_URL_VARIABLE} is not set (CI sets it; see .ci/postgres.sh)")
    with isolated_postgres_url(base) as url:
        yield url
