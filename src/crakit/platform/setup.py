"""Seeding the platform's fixed tenants and issuing tokens for the command line."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from crakit.accounts import IssuedToken, Organisation, ensure_organisation, issue_token, organisations
from crakit.platform.errors import InvalidSubmission
from crakit.platform.parties import ADMIN, CSIRT, ENISA, MANUFACTURER
from crakit.reporting import ReportingError, csirts, member_state

ENISA_NAME = "ENISA"
OPERATOR_NAME = "Platform operator"


def seed(session: Session, *, now: datetime) -> list[Organisation]:
    """The 27 coordinator CSIRTs (ENISA's list, Art 14(7)), ENISA and the platform operator."""
    seeded = []
    for code, csirt in sorted(csirts().items()):
        if csirt.code != code:  # Greece is listed under GR and EL
            continue
        if not organisations(session, kind=CSIRT, country=code):
            seeded.append(ensure_organisation(session, CSIRT, csirt.name, country=code, now=now))
    if not organisations(session, kind=ENISA):
        seeded.append(ensure_organisation(session, ENISA, ENISA_NAME, country=None, now=now))
    if not organisations(session, kind=ADMIN):
        seeded.append(ensure_organisation(session, ADMIN, OPERATOR_NAME, country=None, now=now))
    return seeded


def organisation_for(
    session: Session, role: str, name: str, member_state_code: str | None, *, now: datetime
) -> Organisation:
    """The tenant a new token acts for: a CSIRT is the one of its Member State; ENISA and the
    operator are single tenants; a manufacturer is found or created by name."""
    if role == CSIRT:
        if not member_state_code:
            raise InvalidSubmission("a CSIRT token needs --member-state", field="member_state")
        try:
            found = member_state(member_state_code, "member state")
        except ReportingError as exc:
            raise InvalidSubmission(exc.message, field="member_state", hint=exc.hint) from None
        assert found is not None
        existing = organisations(session, kind=CSIRT, country=found.code)
        if existing:
            return existing[0]
        return ensure_organisation(session, CSIRT, name, country=found.code, now=now)
    if member_state_code:
        raise InvalidSubmission("--member-state belongs to CSIRT tokens", field="member_state")
    if role in (ENISA, ADMIN):
        existing = organisations(session, kind=role)
        if existing:
            return existing[0]
        return ensure_organisation(session, role, name, country=None, now=now)
    if role == MANUFACTURER:
        return ensure_organisation(session, MANUFACTURER, name, country=None, now=now)
    raise InvalidSubmission(f"role must be one of {MANUFACTURER}, {CSIRT}, {ENISA}, {ADMIN}", field="role")


def create_token(
    session: Session,
    role: str,
    name: str,
    member_state_code: str | None,
    *,
    now: datetime,
    label: str | None = None,
) -> tuple[Organisation, IssuedToken]:
    organisation = organisation_for(session, role, name, member_state_code, now=now)
    return organisation, issue_token(session, organisation.id, role, label or name, now=now)
