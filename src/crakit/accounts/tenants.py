"""Organisations (tenants). Which kinds exist is the feature's business (platform: manufacturer,
csirt, enisa, admin; workbench: company)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.accounts.errors import AccountsError, UnknownOrganisation
from crakit.accounts.models import OrganisationRow
from crakit.accounts.principal import Organisation, OrganisationId

NAME_LIMIT = 255


def to_organisation(row: OrganisationRow) -> Organisation:
    return Organisation(OrganisationId(row.id), row.kind, row.name, row.country)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > NAME_LIMIT or any(ord(c) < 32 for c in cleaned):
        raise AccountsError(f"organisation name must be 1 to {NAME_LIMIT} printable characters")
    return cleaned


def find_organisation(session: Session, kind: str, name: str) -> Organisation | None:
    row = session.scalar(
        select(OrganisationRow).where(OrganisationRow.kind == kind, OrganisationRow.name == _clean_name(name))
    )
    return to_organisation(row) if row else None


def ensure_organisation(
    session: Session, kind: str, name: str, *, country: str | None, now: datetime
) -> Organisation:
    """The organisation of this kind and name, created if new (a seeded CSIRT is found again)."""
    found = find_organisation(session, kind, name)
    if found is not None:
        if country and found.country != country:
            raise AccountsError(
                f"{kind} {found.name!r} already exists for {found.country or 'no country'}, not {country}"
            )
        return found
    row = OrganisationRow(kind=kind, name=_clean_name(name), country=country, created_at=now)
    session.add(row)
    session.flush()
    return to_organisation(row)


def get_organisation(session: Session, organisation_id: int) -> Organisation:
    row = session.get(OrganisationRow, organisation_id)
    if row is None:
        raise UnknownOrganisation(f"no organisation {organisation_id}")
    return to_organisation(row)


def organisations(
    session: Session, kind: str | None = None, country: str | None = None
) -> list[Organisation]:
    query = select(OrganisationRow).order_by(OrganisationRow.kind, OrganisationRow.name)
    if kind is not None:
        query = query.where(OrganisationRow.kind == kind)
    if country is not None:
        query = query.where(OrganisationRow.country == country)
    return [to_organisation(row) for row in session.scalars(query)]
