"""Alembic environment of the reporting platform's tables (own version table; driven by crakit)."""

from __future__ import annotations

from alembic import context

from crakit.platform.models import PlatformBase
from crakit.store import run_tree_migrations

run_tree_migrations(context, PlatformBase.metadata)
