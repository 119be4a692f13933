"""Fixtures shared by every test package."""

from __future__ import annotations

import os
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
