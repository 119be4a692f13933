"""Accounts on SQLite and PostgreSQL: hashed tokens, argon2id + TOTP, invitations that expire,
memberships in several organisations, database-backed sessions and counters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import text

from crakit import accounts
from crakit.store import Store, open_database

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_database(database_url, [accounts.MIGRATIONS])
    yield opened
    opened.close()


def test_tokens_are_stored_as_digests_and_can_be_revoked(store: Store) -> None:
    with store.transaction() as session:
        org = accounts.ensure_organisation(session, "manufacturer", "ACME", country=None, now=NOW)
        issued = accounts.issue_token(session, org.id, "manufacturer", "CI", now=NOW)
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM api_tokens")).scalar_one()
    assert issued.token not in stored and len(stored) == 64
    with store.transaction() as session:
        assert accounts.authenticate_token(session, issued.token).organisation.name == "ACME"
        with pytest.raises(accounts.NotAuthenticated):
            accounts.authenticate_token(session, issued.token + "x")
        accounts.revoke_token(session, issued.id, now=NOW)
    with store.transaction() as session, pytest.raises(accounts.NotAuthenticated):
        accounts.authenticate_token(session, issued.token)


def test_password_and_totp_are_both_required(store: Store) -> None:
    with store.transaction() as session:
        made = accounts.create_person(session, "Ana@Example.EU", "Ana", PASSWORD, now=NOW)
    code = pyotp.TOTP(made.totp_secret).at(NOW)
    with store.transaction() as session:
        assert accounts.verify_login(session, "ana@example.eu", PASSWORD, code, now=NOW).name == "Ana"
        for password, otp in ((PASSWORD, "000000"), ("wrong password!!", code), (PASSWORD, "")):
            with pytest.raises(accounts.NotAuthenticated, match="wrong e-mail, password or code"):
                accounts.verify_login(session, "ana@example.eu", password, otp, now=NOW)
        with pytest.raises(accounts.NotAuthenticated):
            accounts.verify_login(session, "nobody@example.eu", PASSWORD, code, now=NOW)
        stale = pyotp.TOTP(made.totp_secret).at(NOW - timedelta(minutes=5))
        with pytest.raises(accounts.NotAuthenticated):
            accounts.verify_login(session, "ana@example.eu", PASSWORD, stale, now=NOW)
    with store.engine.connect() as connection:
        assert (
            connection.execute(text("SELECT password_hash FROM people")).scalar_one().startswith("$argon2id$")
        )
    with store.transaction() as session, pytest.raises(accounts.AccountsError, match="12"):
        accounts.create_person(session, "b@example.eu", "B", "short", now=NOW)


def test_invitations_expire_and_are_single_use(store: Store) -> None:
    with store.transaction() as session:
        org = accounts.ensure_organisation(session, "manufacturer", "ACME", country=None, now=NOW)
        sent = accounts.invite(session, org.id, "bo@example.eu", "backup", invited_by="test", now=NOW)
        late = accounts.invite(session, org.id, "cy@example.eu", "backup", invited_by="test", now=NOW)
    assert sent.code and sent.expires_at == NOW + timedelta(days=7)
    with store.transaction() as session:
        made = accounts.accept(session, sent.code, "Bo", PASSWORD, now=NOW + timedelta(days=6))
        assert [(o.name, role) for o, role in accounts.memberships(session, made.person.id)] == [
            ("ACME", "backup")
        ]
    with store.transaction() as session, pytest.raises(accounts.InvitationInvalid, match="already used"):
        accounts.accept(session, sent.code, "Bo", PASSWORD, now=NOW)
    assert late.code
    with store.transaction() as session, pytest.raises(accounts.InvitationInvalid, match="expired"):
        accounts.accept(session, late.code, "Cy", PASSWORD, now=NOW + timedelta(days=7, seconds=1))


def test_sessions_live_in_the_database_and_follow_memberships(store: Store) -> None:
    with store.transaction() as session:
        first = accounts.ensure_organisation(session, "manufacturer", "ACME", country=None, now=NOW)
        second = accounts.ensure_organisation(session, "manufacturer", "Initech", country=None, now=NOW)
        outsider = accounts.ensure_organisation(session, "manufacturer", "Globex", country=None, now=NOW)
        person = accounts.create_person(session, "rep@example.eu", "Rep", PASSWORD, now=NOW).person
        accounts.add_membership(session, person.id, first.id, "primary", now=NOW)
        accounts.add_membership(session, person.id, second.id, "backup", now=NOW)
        started = accounts.start_session(session, person.id, first.id, now=NOW, lifetime=timedelta(hours=1))
    with store.transaction() as session:
        who = accounts.session_principal(session, started.cookie, now=NOW)
        assert (who.organisation.name, who.role, who.csrf_token) == ("ACME", "primary", started.csrf_token)
        accounts.switch_organisation(session, started.cookie, second.id, now=NOW)
        assert accounts.session_principal(session, started.cookie, now=NOW).role == "backup"
        with pytest.raises(accounts.PermissionDenied):
            accounts.switch_organisation(session, started.cookie, outsider.id, now=NOW)
        with pytest.raises(accounts.NotAuthenticated, match="expired"):
            accounts.session_principal(session, started.cookie, now=NOW + timedelta(hours=2))
        accounts.end_session(session, started.cookie)
        with pytest.raises(accounts.NotAuthenticated):
            accounts.session_principal(session, started.cookie, now=NOW)


def test_counters_are_shared_windows(store: Store) -> None:
    window = timedelta(minutes=1)
    with store.transaction() as session:
        for _ in range(3):
            accounts.rate_limit(session, "rate:token:1", 3, now=NOW, window=window)
        with pytest.raises(accounts.Throttled) as refused:
            accounts.rate_limit(session, "rate:token:1", 3, now=NOW + timedelta(seconds=10), window=window)
        assert 1 <= refused.value.retry_after <= 60
        accounts.rate_limit(session, "rate:token:1", 3, now=NOW + window, window=window)  # a new window
        accounts.forget_old(session, now=NOW + timedelta(hours=2), keep=timedelta(hours=1))
        assert accounts.hit(session, "rate:token:1", now=NOW, window=window) == 1
