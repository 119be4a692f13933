"""The workspace store's migrations: the fast "already current" check agrees with Alembic."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from crakit.store import open_store
from crakit.store.engine import HEAD_REVISION


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("crakit.store").joinpath("migrations")))
    return config


def test_the_head_constant_is_alembics_head() -> None:
    assert ScriptDirectory.from_config(_config()).get_heads() == [HEAD_REVISION]


def test_a_workspace_at_an_older_revision_is_still_migrated(database_url: str) -> None:
    engine = create_engine(database_url)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "qualification" not in {c["name"] for c in inspect(engine).get_columns("report_cases")}
    engine.dispose()
    open_store(database_url).close()
    engine = create_engine(database_url)
    assert "qualification" in {c["name"] for c in inspect(engine).get_columns("report_cases")}
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == HEAD_REVISION
    engine.dispose()


def test_opening_a_current_workspace_does_not_import_alembic(database_url: str) -> None:
    open_store(database_url).close()  # creates and migrates
    probe = (
        "import sys; from crakit.store import open_store; "
        f"open_store({database_url!r}).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
