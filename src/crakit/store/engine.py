"""Opening the workspace store: SQLite by default, PostgreSQL by URL, migrated on open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from crakit.store.errors import StoreError

DEFAULT_DIRNAME = ".crakit"
DEFAULT_FILENAME = "crakit.db"


def workspace_url(workspace: Path) -> str:
    """SQLite URL of the store in ``workspace`` (the directory that holds ``crakit.db``)."""
    return f"sqlite:///{(workspace / DEFAULT_FILENAME).resolve()}"


def default_workspace(cwd: Path) -> Path:
    """``.crakit/`` in the working directory."""
    return cwd / DEFAULT_DIRNAME


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Store:
    """A migrated workspace database with short transactions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error; database errors become StoreError."""
        try:
            with self._sessions.begin() as session:
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


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("crakit.store").joinpath("migrations")))
    with engine.begin() as connection:
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
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open workspace database {_redacted(url)}: {_first_line(exc)}") from None
    return Store(engine)
