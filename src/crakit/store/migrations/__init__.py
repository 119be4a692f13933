"""Alembic migrations of the workspace store (run programmatically by :func:`crakit.store.open_store`)."""
