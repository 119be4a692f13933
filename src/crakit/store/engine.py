"""Opening the workspace store: SQLite by default, PostgreSQL by URL, migrated on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, func, select
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crakit.store.errors import StoreError

DEFAULT_DIRNAME = ".crakit"
DEFAULT_FILENAME = "crakit.db"


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of the SQLite file ``path`` (made absolute). The path is escaped as a
    URL's database part: a folder named ``a?b`` or ``50%41`` is part of the file name, not a
    query or an escape (written unescaped, the store opened ``a`` or ``50A`` instead)."""
    return URL.create("sqlite", database=str(path.resolve())).render_as_string(hide_password=False)


def workspace_url(workspace: Path) -> str:
    """SQLite URL of the store in ``workspace`` (the directory that holds ``crakit.db``)."""
    return sqlite_url(workspace / DEFAULT_FILENAME)


def default_workspace(cwd: Path) -> Path:
    """``.crakit/`` in the working directory."""
    return cwd / DEFAULT_DIRNAME


# How long a writer waits for another one before giving up with a clear error. Writers hold the
# lock for milliseconds (one case change); 30 s covers a loaded machine and still never hangs.
LOCK_WAIT_MS = 30_000
# Execution option marking a session that will write (see _sqlite_begin).
_WRITE = "crakit_write"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 driver's legacy transaction control BEGINs only before INSERT/UPDATE/DELETE, so
    # a session's first SELECT ran outside any transaction: two `report update` read the same old
    # value, and the history recorded it (issue 11). SQLAlchemy's documented recipe ("Transactions
    # with SQLite and the sqlite3 driver"): switch the driver's control off here and emit BEGIN
    # ourselves in _sqlite_begin. Works on every Python (``autocommit=False`` needs 3.12).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A write transaction takes SQLite's write lock at BEGIN (IMMEDIATE), before its first read:
    # its read-modify-write then sees the latest committed data, and a second writer waits (busy
    # timeout) instead of failing with SQLITE_BUSY when a deferred read lock would need upgrading.
    # Read-only transactions stay DEFERRED so readers never queue behind each other.
    write = connection.get_execution_options().get(_WRITE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _postgres_connect(dbapi_connection: Any, _record: Any) -> None:
    # Bound every lock wait (SELECT ... FOR UPDATE, advisory locks) like SQLite's busy timeout.
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")
    dbapi_connection.commit()


class Store:
    """A migrated workspace database with short transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self._writes = sessionmaker(_writer(engine), expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session committed on success and rolled back on error; database errors become StoreError.

        A read-modify-write must happen inside one ``write`` transaction and read the rows it
        changes with ``with_for_update`` (PostgreSQL row locks; SQLite holds its write lock from
        BEGIN). ``write=False`` is for reading only: a consistent snapshot that never waits for a
        writer's lock on SQLite.
        """
        sessions = self._writes if write else self._reads
        try:
            with sessions.begin() as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(f"workspace database error: {type(exc).__name__}: {_first_line(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def _writer(engine: Engine) -> Engine:
    return engine.execution_options(**{_WRITE: True})


# pg_advisory_xact_lock key serialising migrations ("CRAKMIGR" as a 64-bit integer).
_MIGRATION_LOCK = int.from_bytes(b"CRAKMIGR", "big", signed=True)


# The newest revision of ``crakit.store/migrations``. Opening a workspace that is already current
# is what almost every command does; reading this one row first spares it importing Alembic (a
# fifth of a second of a `report` command's start). tests/store/test_migrations.py checks the
# constant against Alembic's own head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0002_case_qualification"


def _at_head(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except SQLAlchemyError:
        return False  # a new database (no version table yet): migrate
    return [row[0] for row in rows] == [HEAD_REVISION]


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent, safe to run concurrently).

    Reading the current revision and upgrading is a read-modify-write too: two first commands in a
    new workspace must not both create the tables. SQLite's write lock (BEGIN IMMEDIATE) and, on
    PostgreSQL, a transaction-scoped advisory lock make the second wait and then find the schema
    current.
    """
    if _at_head(engine):
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("crakit.store").joinpath("migrations")))
    with _writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_MIGRATION_LOCK)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_store(url: str, *, create_dirs: bool = True) -> Store:
    """Open (and migrate) the store at ``url``: ``sqlite:///path`` or ``postgresql+psycopg://...``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            "cannot parse the database URL", hint="e.g. postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database)
        if create_dirs:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create workspace directory {path.parent}: {exc.strerror}") from None
    try:
        engine = create_engine(parsed)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"unsupported database URL {_redacted(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_connect)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open workspace database {_redacted(url)}: {_first_line(exc)}") from None
    return Store(engine)
