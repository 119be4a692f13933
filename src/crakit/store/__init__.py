"""The shared workspace store: SQLAlchemy 2 models, Alembic migrations run on open,
SQLite by default (``.crakit/crakit.db``) and PostgreSQL by URL.

Domain code receives the URL; only the CLI reads ``CRAKIT_DATABASE_URL``.
"""

from crakit.store.engine import Store, default_workspace, migrate, open_store, sqlite_url, workspace_url
from crakit.store.errors import StoreError
from crakit.store.history import HistoryEntry, append, entries, verify_chain
from crakit.store.models import Base, HistoryRow, ReportCaseRow, ReportSubmissionRow
from crakit.store.trees import MigrationTree, migrate_tree, open_database, run_tree_migrations, server_engine
from crakit.store.types import UTCDateTime

__all__ = [
    "Base",
    "HistoryEntry",
    "HistoryRow",
    "MigrationTree",
    "ReportCaseRow",
    "ReportSubmissionRow",
    "Store",
    "StoreError",
    "UTCDateTime",
    "append",
    "default_workspace",
    "entries",
    "migrate",
    "migrate_tree",
    "open_database",
    "open_store",
    "run_tree_migrations",
    "server_engine",
    "sqlite_url",
    "verify_chain",
    "workspace_url",
]
