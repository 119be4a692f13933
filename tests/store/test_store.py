"""The workspace store on both databases: migrations, instants, append-only hash-chained history."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from crakit.store import StoreError, append, entries, open_store, verify_chain
from crakit.store.models import ReportCaseRow

T0 = datetime(2026, 10, 2, 8, 15, tzinfo=UTC)


def test_open_migrates_and_reopen_is_idempotent(database_url):
    with open_store(database_url) as store:
        with store.transaction() as session:
            version = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version
    with open_store(database_url) as store, store.transaction() as session:
        assert session.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == version


def test_instants_round_trip_as_utc(database_url):
    cest = timezone(timedelta(hours=2))
    with open_store(database_url) as store:
        with store.transaction() as session:
            row = ReportCaseRow(
                kind="incident",
                status="open",
                title="t",
                product={},
                fields={},
                evidence={},
                aware_at=datetime(2026, 10, 2, 10, 15, 30, 123456, tzinfo=cest),
                created_at=T0,
                created_by="tester",
            )
            session.add(row)
            session.flush()
            case_id = row.id
        with store.transaction() as session:
            loaded = session.get(ReportCaseRow, case_id)
            assert loaded is not None
            assert loaded.aware_at == datetime(2026, 10, 2, 8, 15, 30, 123456, tzinfo=UTC)
            assert loaded.aware_at.utcoffset() == timedelta(0)


def test_history_is_chained_and_verifiable(database_url):
    with open_store(database_url) as store:
        with store.transaction() as session:
            append(session, "case", "1", at=T0, actor="alice", action="opened", detail={"kind": "incident"})
            append(
                session,
                "case",
                "1",
                at=T0 + timedelta(minutes=5),
                actor="bob",
                action="updated",
                detail={"field": "title", "old": None, "new": "Zoë's ünïcode"},
            )
            append(session, "case", "2", at=T0, actor="alice", action="opened", detail={})
            # an instant given with another offset still verifies after the round trip
            append(
                session,
                "case",
                "2",
                at=datetime(2026, 10, 2, 10, 15, 0, 999, tzinfo=timezone(timedelta(hours=2))),
                actor="bob",
                action="updated",
                detail={"n": 1.5, "list": [1, "x"], "none": None},
            )
        with store.transaction() as session:
            chain = entries(session, "case", "1")
        assert [(e.seq, e.actor, e.action) for e in chain] == [(1, "alice", "opened"), (2, "bob", "updated")]
        assert chain[1].prev_hash == chain[0].hash
        assert chain[1].detail["new"] == "Zoë's ünïcode"
        assert verify_chain(chain)
        forged = [chain[0], replace(chain[1], actor="mallory")]
        assert not verify_chain(forged)
        assert not verify_chain([chain[1]])
        with store.transaction() as session:
            assert verify_chain(entries(session, "case", "2"))


@pytest.mark.parametrize("statement", ["UPDATE history SET actor = 'mallory'", "DELETE FROM history"])
def test_database_refuses_to_rewrite_history(database_url, statement):
    with open_store(database_url) as store:
        with store.transaction() as session:
            append(session, "case", "1", at=T0, actor="alice", action="opened", detail={})
        with pytest.raises(StoreError), store.transaction() as session:
            session.execute(text(statement))
        with store.transaction() as session:
            assert [e.actor for e in entries(session, "case", "1")] == ["alice"]


def test_models_and_migrations_agree(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crakit.store.models import Base

    with open_store(database_url) as store, store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"model change without a migration: {diff}"


def test_bad_urls_are_input_errors(tmp_path):
    with pytest.raises(StoreError):
        open_store("nonsense://")
    with pytest.raises(StoreError):
        open_store("not a url at all")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        open_store(f"sqlite:///{blocker}/sub/crakit.db")


def test_unreachable_postgres_is_a_clean_error():
    with pytest.raises(StoreError) as info:
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "cannot open" in info.value.diagnostics()


@pytest.mark.parametrize("folder", ["a?b", "a#b", "50%41", "sp ace"])
def test_a_workspace_in_any_folder_is_stored_there(tmp_path, folder):
    # A store URL is parsed: '?', '#' and '%' in a folder name must stay part of the file name,
    # or the store lands in another file ("a", "50A") and its cases seem lost on the next run.
    from crakit.store import workspace_url

    workspace = tmp_path / folder
    store = open_store(workspace_url(workspace))
    store.engine.dispose()
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]
    assert (workspace / "crakit.db").is_file()
