"""Every read and write goes to the hash-chained audit_log; verification finds edits and deletions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from crakit.platform import audit_entries, verify_audit
from tests.platform_kit import early_warning


def _verify(app: Any) -> Any:
    with app.state.store.transaction() as session:
        return verify_audit(session)


def _seed_log(as_: Any) -> str:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning()).json()
    path = f"/api/v1/notifications/{filed['id']}"
    as_("coordinator").get(path)
    as_("enisa").get(path)
    as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE"]})
    as_("recipient").get(path)
    as_("enisa").get("/api/v1/notifications")
    return str(filed["id"])


def test_every_read_and_write_is_recorded(app: Any, as_: Any) -> None:
    notification = _seed_log(as_)
    as_("bystander").get(f"/api/v1/notifications/{notification}")  # a 404 reads nothing: not recorded
    with app.state.store.transaction() as session:
        actions = [(e.action, e.actor.split()[0]) for e in audit_entries(session, subject=notification)]
    assert [a for a, _ in actions] == [
        "notification.filed",
        "notification.read",
        "notification.read",
        "notification.disseminated",
        "notification.read",
    ]
    assert _verify(app).intact and _verify(app).entries == 6
    log = as_("admin").get("/api/v1/audit").json()["entries"]
    assert log[0]["action"] == "notification.filed" and len(log) == 6
    assert as_("admin").get("/api/v1/audit/verify").json()["intact"] is True
    assert as_("coordinator").get("/api/v1/audit").status_code == 403


def test_an_edited_entry_breaks_the_chain_at_that_entry(app: Any, as_: Any) -> None:
    _seed_log(as_)
    with app.state.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3"))
    result = _verify(app)
    assert not result.intact and result.first_broken == 3 and "altered" in result.reason


def test_a_deleted_entry_breaks_the_chain(app: Any, as_: Any) -> None:
    _seed_log(as_)
    with app.state.store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    result = _verify(app)
    assert not result.intact and result.first_broken == 2 and "missing" in result.reason


def test_deleting_the_newest_entries_is_noticed(app: Any, as_: Any) -> None:
    _seed_log(as_)
    with app.state.store.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= 5"))
    result = _verify(app)
    assert not result.intact and result.first_broken == 5


def test_rehashing_a_forged_entry_still_breaks_the_link(app: Any, as_: Any) -> None:
    _seed_log(as_)
    with app.state.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 2"), {"h": "f" * 64})
    result = _verify(app)
    assert not result.intact and result.first_broken == 2
