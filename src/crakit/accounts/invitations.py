"""Invitations to act for an organisation; they expire (the live platform: after 7 days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.accounts.errors import InvitationInvalid
from crakit.accounts.models import InvitationRow
from crakit.accounts.people import NewPerson, add_membership, create_person, normalise_email
from crakit.accounts.secrets import digest, new_secret

DEFAULT_VALIDITY = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    organisation_id: int
    email: str
    role: str
    expires_at: datetime
    code: str | None = None  # only when just issued


def invite(
    session: Session,
    organisation_id: int,
    email: str,
    role: str,
    *,
    invited_by: str,
    now: datetime,
    validity: timedelta = DEFAULT_VALIDITY,
) -> Invitation:
    code = new_secret("inv")
    row = InvitationRow(
        organisation_id=organisation_id,
        email=normalise_email(email),
        role=role,
        token_hash=digest(code),
        created_by=invited_by,
        created_at=now,
        expires_at=now + validity,
    )
    session.add(row)
    session.flush()
    return Invitation(row.id, organisation_id, row.email, role, row.expires_at, code)


def pending(session: Session, code: str, *, now: datetime) -> Invitation:
    row = session.scalar(select(InvitationRow).where(InvitationRow.token_hash == digest(code)))
    if row is None or row.accepted_at is not None:
        raise InvitationInvalid("this invitation does not exist or was already used")
    if row.expires_at <= now:
        raise InvitationInvalid("this invitation has expired", hint="ask for a new one")
    return Invitation(row.id, row.organisation_id, row.email, row.role, row.expires_at)


def accept(session: Session, code: str, name: str, password: str, *, now: datetime) -> NewPerson:
    """Create the invited person and the membership; the invitation cannot be used twice."""
    invitation = pending(session, code, now=now)
    person = create_person(session, invitation.email, name, password, now=now)
    add_membership(session, person.person.id, invitation.organisation_id, invitation.role, now=now)
    row = session.get(InvitationRow, invitation.id)
    assert row is not None
    row.accepted_at = now
    return person
