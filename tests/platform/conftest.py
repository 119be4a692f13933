"""Fixtures of the platform tests: every test here runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.platform_kit import Client, make_app, seed_tokens


@pytest.fixture
def app(database_url: str) -> Iterator[Any]:
    application = make_app(database_url)
    yield application
    application.state.store.close()


@pytest.fixture
def http(app: Any) -> Iterator[Any]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def tokens(app: Any) -> dict[str, str]:
    return seed_tokens(app)


@pytest.fixture
def as_(http: Any, tokens: dict[str, str]) -> Any:
    return lambda party: Client(http, tokens[party])
