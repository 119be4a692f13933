"""``/api/v1/audit``: the hash-chained audit log, for platform administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from crakit.accounts import Principal
from crakit.platform import ADMIN, audit_entries, verify_audit
from crakit.reporting import format_instant
from crakit.web.auth import current_principal
from crakit.web.platform_context import require, run

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
Caller = Annotated[Principal, Depends(current_principal)]


class VerificationOut(BaseModel):
    intact: bool
    entries: int
    first_broken_seq: int | None
    reason: str


class AuditEntries(BaseModel):
    entries: list[dict[str, Any]]


@router.get("", response_model=AuditEntries, summary="Audit entries after a sequence number")
def entries(
    request: Request,
    caller: Caller,
    after: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    subject: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    require(caller, ADMIN)

    def work(s: Any, k: Any, now: Any) -> Any:
        return [
            {
                "seq": r.seq,
                "at": format_instant(r.at),
                "actor": r.actor,
                "organisation_id": r.organisation_id,
                "action": r.action,
                "subject": r.subject,
                "detail": r.detail,
                "hash": r.hash,
            }
            for r in audit_entries(s, subject=subject, after_seq=after, limit=limit)
        ]

    return {"entries": run(request, work)}


@router.get("/verify", response_model=VerificationOut, summary="Check the hash chain")
def verify(request: Request, caller: Caller) -> Any:
    require(caller, ADMIN)
    return run(request, lambda s, k, now: verify_audit(s).to_json())
