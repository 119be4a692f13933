"""Alembic environment: always driven by crakit with a live connection (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from crakit.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI by hand
    raise RuntimeError("crakit migrations run through crakit.store.open_store(url)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite can only alter tables by copying them; batch mode does that for us.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
