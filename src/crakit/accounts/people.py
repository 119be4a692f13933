"""People: argon2id password hashes (argon2-cffi), TOTP second factor (pyotp), memberships.

Personal accounts with a second factor mirror the live platform, where each natural person
signs in with EU Login and MFA is mandatory (ENISA SRP FAQ Q9).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.accounts.errors import AccountConflict, AccountsError, NotAuthenticated
from crakit.accounts.models import MembershipRow, OrganisationRow, PersonRow
from crakit.accounts.principal import Organisation
from crakit.accounts.tenants import to_organisation

_HASHER = PasswordHasher()
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # argon2 hashes anything, but an unbounded body is a denial of service
ISSUER = "crakit"


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    email: str
    name: str


@dataclass(frozen=True, slots=True)
class NewPerson:
    """A person just created: the TOTP secret is returned once, for the authenticator app."""

    person: Person
    totp_secret: str

    @property
    def provisioning_uri(self) -> str:
        return pyotp.TOTP(self.totp_secret).provisioning_uri(name=self.person.email, issuer_name=ISSUER)


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 320 or any(c.isspace() for c in cleaned):
        raise AccountsError(f"{email!r} is not an e-mail address")
    return cleaned


def check_password_strength(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise AccountsError(f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def create_person(
    session: Session, email: str, name: str, password: str, *, now: datetime, totp_secret: str | None = None
) -> NewPerson:
    email = normalise_email(email)
    check_password_strength(password)
    if session.scalar(select(PersonRow.id).where(PersonRow.email == email)) is not None:
        raise AccountConflict(f"a person with e-mail {email} already exists")
    secret = totp_secret or pyotp.random_base32()
    row = PersonRow(
        email=email,
        name=(name.strip() or email)[:200],
        password_hash=_HASHER.hash(password),
        totp_secret=secret,
        disabled=False,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return NewPerson(Person(row.id, row.email, row.name), secret)


def add_membership(
    session: Session, person_id: int, organisation_id: int, role: str, *, now: datetime
) -> None:
    existing = session.scalar(
        select(MembershipRow).where(
            MembershipRow.person_id == person_id, MembershipRow.organisation_id == organisation_id
        )
    )
    if existing is not None:
        existing.role = role
        return
    session.add(
        MembershipRow(person_id=person_id, organisation_id=organisation_id, role=role, created_at=now)
    )
    session.flush()


def count_members(session: Session, organisation_id: int, role: str) -> int:
    rows = session.scalars(
        select(MembershipRow.id).where(
            MembershipRow.organisation_id == organisation_id, MembershipRow.role == role
        )
    )
    return len(list(rows))


def memberships(session: Session, person_id: int) -> list[tuple[Organisation, str]]:
    rows = session.execute(
        select(OrganisationRow, MembershipRow.role)
        .join(MembershipRow, MembershipRow.organisation_id == OrganisationRow.id)
        .where(MembershipRow.person_id == person_id)
        .order_by(OrganisationRow.name)
    )
    return [(to_organisation(org), role) for org, role in rows]


def verify_login(session: Session, email: str, password: str, code: str, *, now: datetime) -> Person:
    """Password (argon2id) and the current TOTP code (one step of drift either way).

    Failures say only "wrong e-mail, password or code": which one was wrong is not disclosed.
    """
    failure = NotAuthenticated("wrong e-mail, password or code")
    if len(password) > MAX_PASSWORD or len(code) > 12:
        raise failure
    try:
        wanted = normalise_email(email)
    except AccountsError:
        raise failure from None
    row = session.scalar(select(PersonRow).where(PersonRow.email == wanted))
    if row is None or row.disabled:
        _HASHER.hash(password)  # same work as a real check: no timing hint that the address is unknown
        raise failure
    try:
        _HASHER.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    if not pyotp.TOTP(row.totp_secret).verify(code.strip(), for_time=now, valid_window=1):
        raise failure
    if _HASHER.check_needs_rehash(row.password_hash):
        row.password_hash = _HASHER.hash(password)
    return Person(row.id, row.email, row.name)
