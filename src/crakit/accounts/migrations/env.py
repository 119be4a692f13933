"""Alembic environment of the accounts tables (own version table; driven by crakit)."""

from __future__ import annotations

from alembic import context

from crakit.accounts.models import AccountsBase
from crakit.store import run_tree_migrations

run_tree_migrations(context, AccountsBase.metadata)
