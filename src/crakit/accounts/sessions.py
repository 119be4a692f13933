"""Server-side sessions for people, in the database (every server process sees the same ones)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crakit.accounts.errors import NotAuthenticated, PermissionDenied
from crakit.accounts.models import MembershipRow, OrganisationRow, PersonRow, SessionRow
from crakit.accounts.principal import Principal
from crakit.accounts.secrets import digest, new_secret
from crakit.accounts.tenants import to_organisation


@dataclass(frozen=True, slots=True)
class StartedSession:
    cookie: str  # the secret cookie value; only its digest is stored
    csrf_token: str
    expires_at: datetime


def start_session(
    session: Session, person_id: int, organisation_id: int, *, now: datetime, lifetime: timedelta
) -> StartedSession:
    member = session.scalar(
        select(MembershipRow.id).where(
            MembershipRow.person_id == person_id, MembershipRow.organisation_id == organisation_id
        )
    )
    if member is None:
        raise PermissionDenied("this person does not act for that organisation")
    cookie = new_secret("ses")
    csrf = secrets.token_urlsafe(32)
    session.add(
        SessionRow(
            token_hash=digest(cookie),
            person_id=person_id,
            organisation_id=organisation_id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + lifetime,
        )
    )
    # Expired sessions are removed as new ones start; no background job needed.
    session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
    return StartedSession(cookie, csrf, now + lifetime)


def session_principal(session: Session, cookie: str, *, now: datetime) -> Principal:
    if not cookie or len(cookie) > 200:
        raise NotAuthenticated("not signed in")
    found = session.execute(
        select(SessionRow, PersonRow, OrganisationRow, MembershipRow.role)
        .join(PersonRow, PersonRow.id == SessionRow.person_id)
        .join(OrganisationRow, OrganisationRow.id == SessionRow.organisation_id)
        .join(
            MembershipRow,
            (MembershipRow.person_id == SessionRow.person_id)
            & (MembershipRow.organisation_id == SessionRow.organisation_id),
        )
        .where(SessionRow.token_hash == digest(cookie))
    ).first()
    if found is None:
        raise NotAuthenticated("not signed in")
    row, person, organisation, role = found
    if row.expires_at <= now or person.disabled:
        raise NotAuthenticated("the session has expired; sign in again")
    return Principal(
        to_organisation(organisation),
        role,
        person.name,
        person_id=person.id,
        session_id=row.id,
        csrf_token=row.csrf_token,
    )


def switch_organisation(session: Session, cookie: str, organisation_id: int, *, now: datetime) -> None:
    """A representative acting for several manufacturers switches between them."""
    current = session_principal(session, cookie, now=now)
    member = session.scalar(
        select(MembershipRow.id).where(
            MembershipRow.person_id == current.person_id, MembershipRow.organisation_id == organisation_id
        )
    )
    if member is None:
        raise PermissionDenied("you do not act for that organisation")
    row = session.scalar(select(SessionRow).where(SessionRow.token_hash == digest(cookie)))
    assert row is not None
    row.organisation_id = organisation_id


def end_session(session: Session, cookie: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.token_hash == digest(cookie)))
