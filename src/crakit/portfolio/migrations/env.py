"""Alembic environment of the workbench's tables (own version table; driven by crakit)."""

from __future__ import annotations

from alembic import context

from crakit.portfolio.models import WorkbenchBase
from crakit.store import run_tree_migrations

run_tree_migrations(context, WorkbenchBase.metadata)
