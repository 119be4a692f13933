"""Machine tokens: random, shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.accounts.errors import AccountsError, NotAuthenticated
from crakit.accounts.models import ApiTokenRow, OrganisationRow
from crakit.accounts.principal import Principal
from crakit.accounts.secrets import digest, new_secret
from crakit.accounts.tenants import to_organisation

TOKEN_PREFIX = "crk"
MAX_TOKEN_LENGTH = 200


@dataclass(frozen=True, slots=True)
class IssuedToken:
    id: int
    token: str  # the only time the secret exists outside the caller's hands
    organisation_id: int
    role: str
    label: str


def issue_token(
    session: Session, organisation_id: int, role: str, label: str, *, now: datetime
) -> IssuedToken:
    if not label.strip() or len(label) > 200:
        raise AccountsError("a token label must be 1 to 200 characters")
    secret = new_secret(TOKEN_PREFIX)
    row = ApiTokenRow(
        organisation_id=organisation_id,
        role=role,
        label=label.strip(),
        token_hash=digest(secret),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return IssuedToken(row.id, secret, organisation_id, role, row.label)


def authenticate_token(session: Session, token: str) -> Principal:
    """The principal a bearer token stands for; NotAuthenticated for unknown or revoked ones."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotAuthenticated("invalid API token")
    found = session.execute(
        select(ApiTokenRow, OrganisationRow)
        .join(OrganisationRow, OrganisationRow.id == ApiTokenRow.organisation_id)
        .where(ApiTokenRow.token_hash == digest(token))
    ).first()
    if found is None or found[0].revoked_at is not None:
        raise NotAuthenticated(
            "invalid or revoked API token",
            hint="create one with `crakit platform token create` (reporting platform) or `crakit workbench token create` (workbench)",
        )
    row, organisation = found
    return Principal(to_organisation(organisation), row.role, row.label, token_id=row.id)


def revoke_token(session: Session, token_id: int, *, now: datetime) -> None:
    row = session.get(ApiTokenRow, token_id)
    if row is None:
        raise AccountsError(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = now
