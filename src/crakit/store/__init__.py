"""The shared workspace store: SQLAlchemy 2 models, Alembic migrations run on open,
SQLite by default (``.crakit/crakit.db``) and PostgreSQL by URL.

Domain code receives the URL; only the CLI reads ``CRAKIT_DATABASE_URL``.
"""

from crakit.store.engine import Store, default_workspace, migrate, open_store, workspace_url
from crakit.store.errors import StoreError
from crakit.store.history import HistoryEntry, append, entries, verify_chain
from crakit.store.models import Base, HistoryRow, ReportCaseRow, ReportSubmissionRow

__all__ = [
    "Base",
    "HistoryEntry",
    "HistoryRow",
    "ReportCaseRow",
    "ReportSubmissionRow",
    "Store",
    "StoreError",
    "append",
    "default_workspace",
    "entries",
    "migrate",
    "open_store",
    "verify_chain",
    "workspace_url",
]
