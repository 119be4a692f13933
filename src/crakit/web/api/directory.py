"""Who am I, the form's fields, the coordinator CSIRTs, delay grounds; tenants, tokens and
invitations (administrators; a manufacturer's primary representative invites backups)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from crakit import accounts
from crakit.accounts import PermissionDenied, Principal
from crakit.platform import (
    ADMIN,
    MANUFACTURER,
    MAX_BACKUP_REPRESENTATIVES,
    PERSON_ROLES,
    create_token,
    delay_grounds,
    party,
)
from crakit.reporting import csirts, format_instant, glossary
from crakit.web.auth import current_principal, transaction
from crakit.web.platform_context import require, run

router = APIRouter(prefix="/api/v1", tags=["directory"])
Caller = Annotated[Principal, Depends(current_principal)]


class Me(BaseModel):
    organisation: str
    organisation_kind: str
    member_state: str | None
    role: str
    person: bool


@router.get("/me", response_model=Me, summary="The caller")
def me(caller: Caller) -> Any:
    return Me(
        organisation=caller.organisation.name,
        organisation_kind=caller.organisation.kind,
        member_state=caller.organisation.country,
        role=caller.role,
        person=caller.is_person,
    )


@router.get(
    "/fields", response_model=dict[str, Any], summary="The form: ENISA Glossary v1.3 fields per stage"
)
def fields(caller: Caller) -> Any:
    spec = glossary()
    return {
        "spec": spec.spec,
        "version": spec.version,
        "date": spec.date,
        "stages": ["early-warning", "notification", "final"],
        "fields": [
            {
                "number": f.number,
                "key": f.key,
                "name": f.name,
                "track": f.track,
                "status": list(f.status),
                "limit": f.limit,
                "type": f.type,
                "choices": list(f.choices),
                "cra": f.cra,
            }
            for f in spec.fields
        ],
        "pec_grounds": [
            {"code": g.code, "key": g.key, "text": g.text, "cra": g.cra} for g in spec.pec_grounds
        ],
    }


@router.get("/csirts", response_model=dict[str, Any], summary="Coordinator CSIRTs (Art 14(7))")
def coordinator_csirts(caller: Caller) -> Any:
    seen = {}
    for code, entry in sorted(csirts().items()):
        if entry.code == code:
            seen[code] = {"member_state": code, "country": entry.country, "csirt": entry.name}
    return {"csirts": list(seen.values())}


@router.get("/delay-grounds", response_model=dict[str, Any], summary="Grounds to delay dissemination")
def grounds(caller: Caller) -> Any:
    return {"grounds": [{"code": g.code, "article": g.article, "text": g.text} for g in delay_grounds()]}


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["manufacturer", "csirt", "enisa", "admin"]
    organisation: str = Field(min_length=1, max_length=255)
    member_state: str | None = Field(None, max_length=2)


class TokenOut(BaseModel):
    token: str
    organisation: str
    role: str


@router.post(
    "/tokens", status_code=201, response_model=TokenOut, summary="Issue a machine token (administrator)"
)
def issue(request: Request, body: TokenIn, caller: Caller) -> Any:
    require(caller, ADMIN)

    def work(s: Any, k: Any, now: Any) -> Any:
        organisation, token = create_token(s, body.role, body.organisation, body.member_state, now=now)
        return TokenOut(token=token.token, organisation=organisation.name, role=token.role)

    return run(request, work)


class OrganisationOut(BaseModel):
    id: int
    kind: str
    name: str
    member_state: str | None


@router.get("/organisations", response_model=list[OrganisationOut], summary="Tenants (administrator)")
def organisation_list(request: Request, caller: Caller) -> Any:
    require(caller, ADMIN)
    return transaction(
        request,
        lambda s: [
            OrganisationOut(id=o.id, kind=o.kind, name=o.name, member_state=o.country)
            for o in accounts.organisations(s)
        ],
    )


class InvitationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=320)
    role: str = Field(max_length=40)
    organisation_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Administrators only; others invite to their own"
    )


class InvitationOut(BaseModel):
    email: str
    role: str
    expires_at: str
    url: str


@router.post(
    "/invitations",
    status_code=201,
    response_model=InvitationOut,
    summary="Invite a person (administrator; a manufacturer's primary representative for backups)",
)
def invite(request: Request, body: InvitationIn, caller: Caller) -> Any:
    def work(s: Any, k: Any, now: Any) -> Any:
        if party(caller) == ADMIN:
            target = accounts.get_organisation(s, body.organisation_id or caller.organisation.id)
        elif party(caller) == MANUFACTURER and caller.is_person and caller.role == "primary":
            target = caller.organisation
            if body.role != "backup":
                raise PermissionDenied("a primary representative invites backup representatives")
            if accounts.count_members(s, target.id, "backup") >= MAX_BACKUP_REPRESENTATIVES:
                raise accounts.AccountConflict(f"at most {MAX_BACKUP_REPRESENTATIVES} backup representatives")
        else:
            raise PermissionDenied("only administrators and primary representatives invite people")
        if body.role not in PERSON_ROLES.get(target.kind, ()):
            raise accounts.AccountsError(
                f"role for a {target.kind}: one of {', '.join(PERSON_ROLES.get(target.kind, ()))}"
            )
        made = accounts.invite(s, target.id, body.email, body.role, invited_by=caller.actor, now=now)
        return InvitationOut(
            email=made.email,
            role=made.role,
            expires_at=format_instant(made.expires_at) or "",
            url=f"/invitations/{made.code}",
        )

    return run(request, work)
