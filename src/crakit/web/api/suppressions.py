"""``/api/v1/suppressions``: rule-based suppression with expiry (no alerts for what a rule in
force matches; findings shown as suppressed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web.auth import current_principal, store_of
from crakit.web.workbench_context import require

router = APIRouter(prefix="/api/v1/suppressions", tags=["suppressions"])
Caller = Annotated[Principal, Depends(current_principal)]
RuleId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    product_id: int | None = Field(None, ge=1, le=2**31 - 1, description="Default: every product")
    vulnerability: str | None = Field(None, max_length=200, description="An advisory id or alias")
    purl_prefix: str | None = Field(
        None, max_length=2000, description="e.g. pkg:npm/left-pad (every version)"
    )
    reason: str = Field(min_length=1, max_length=4000)
    expires_at: datetime | None = Field(None, description="With a time zone; default: until revoked")


class RuleOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: int
    active: bool


class RuleList(BaseModel):
    suppressions: list[RuleOut]


@router.get("", response_model=RuleList, summary="Suppression rules (active and past)")
def listed(request: Request, caller: Caller) -> Any:
    tenant = require(caller, "read")
    now = datetime.now(UTC)
    with store_of(request).transaction(write=False) as session:
        return {"suppressions": [r.to_json(now) for r in portfolio.list_rules(session, tenant)]}


@router.post("", status_code=201, response_model=RuleOut, summary="Add a suppression rule")
def create(request: Request, body: RuleIn, caller: Caller) -> Any:
    tenant = require(caller, "write")
    now = datetime.now(UTC)
    with store_of(request).transaction() as session:
        rule = portfolio.add_rule(
            session,
            tenant,
            product_id=body.product_id,
            vuln_id=body.vulnerability,
            purl_prefix=body.purl_prefix,
            reason=body.reason,
            expires_at=body.expires_at,
            actor=caller.actor,
            now=now,
        )
        return rule.to_json(now)


@router.delete("/{rule_id}", status_code=204, summary="Revoke a suppression rule")
def revoke(request: Request, rule_id: RuleId, caller: Caller) -> Response:
    tenant = require(caller, "write")
    with store_of(request).transaction() as session:
        portfolio.revoke_rule(session, tenant, rule_id, actor=caller.actor, now=datetime.now(UTC))
    return Response(status_code=204)
