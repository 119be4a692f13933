"""Databases made of several features' tables, each feature migrating its own Alembic tree.

The workspace store has one tree (``crakit.store/migrations``). A server such as the reporting
platform or the workbench combines trees (accounts + platform, store + accounts + workbench):
each tree keeps its own version table, so each database migrates exactly what it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from crakit.store.engine import Store, _first_line, _redacted
from crakit.store.errors import StoreError


@dataclass(frozen=True, slots=True)
class MigrationTree:
    """One feature's migrations: the package holding ``migrations/`` and its own version table."""

    package: str
    version_table: str


def run_tree_migrations(context: Any, metadata: MetaData) -> None:
    """Body of a feature's ``migrations/env.py`` (the connection and version table come from crakit)."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
        raise RuntimeError("crakit migrations run through crakit.store.open_database(url, trees)")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=config.attributes["version_table"],
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def migrate_tree(engine: Engine, tree: MigrationTree) -> None:
    """Bring one feature's tables to its newest revision (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files(tree.package).joinpath("migrations")))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several server processes may start at once on a fresh database: one migrates, the
            # others wait for it and then find the tree at head.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(804247)")
        config.attributes["connection"] = connection
        config.attributes["version_table"] = tree.version_table
        command.upgrade(config, "head")


def _sqlite_serialised(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; the driver's own transaction handling is
    # switched off so that every transaction can start with BEGIN IMMEDIATE (below): a deferred
    # transaction that reads and then writes fails at once with "database is locked" when another
    # writer got there first, instead of waiting for busy_timeout.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def server_engine(url: str) -> Engine:
    """An engine for a server shared by many threads (SQLite) or processes (PostgreSQL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "cannot parse the database URL", hint="e.g. postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        try:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create directory {Path(parsed.database).parent}: {exc.strerror}"
            ) from None
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30})
            event.listen(engine, "connect", _sqlite_serialised)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"unsupported database URL {_redacted(url)}: {exc}") from None
    return engine


def open_database(url: str, trees: Sequence[MigrationTree], *, migrate: bool = True) -> Store:
    """Open a server database and (unless told not to) migrate every tree, in order."""
    engine = server_engine(url)
    if migrate:
        try:
            for tree in trees:
                migrate_tree(engine, tree)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot migrate database {_redacted(url)}: {_first_line(exc)}") from None
    return Store(engine)
