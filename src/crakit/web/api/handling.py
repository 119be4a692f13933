"""Coordinator actions on a notification (Art 16(2), 14(6)): dissemination, delay, invalidation,
release to ENISA after PEC, a request for an intermediate report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from crakit import platform as domain
from crakit.accounts import Principal
from crakit.platform import InvalidSubmission
from crakit.web.api.notifications import NotificationId, NotificationOut
from crakit.web.auth import current_principal
from crakit.web.platform_context import run

router = APIRouter(prefix="/api/v1/notifications", tags=["coordination"])
Caller = Annotated[Principal, Depends(current_principal)]
States = Annotated[list[Annotated[str, Field(max_length=10)]], Field(min_length=1, max_length=30)]


class DisseminationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_states: States
    tlp: Literal["clear", "green", "amber", "amber+strict", "red"] = "amber"
    pap: Literal["clear", "green", "amber", "red"] = "amber"


class DelayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    member_states: States
    ground: str = Field(max_length=60, description="GET /api/v1/delay-grounds")
    justification: str = Field(min_length=1, max_length=4000)
    until: datetime = Field(description="Expected release (with a time zone)")


class InvalidationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/{notification_id}/dissemination",
    response_model=NotificationOut,
    summary="Disseminate to other Member States' CSIRTs (coordinator)",
)
def disseminate(
    request: Request, notification_id: NotificationId, body: DisseminationIn, caller: Caller
) -> Any:
    return run(
        request,
        lambda s, k, now: domain.disseminate(
            s, k, caller, notification_id, body.member_states, tlp=body.tlp, pap=body.pap, now=now
        ),
    )


@router.post(
    "/{notification_id}/delay",
    response_model=NotificationOut,
    summary="Record a delay of dissemination on a DR (EU) 2026/881 ground (coordinator)",
)
def delay(request: Request, notification_id: NotificationId, body: DelayIn, caller: Caller) -> Any:
    if body.until.tzinfo is None:
        raise InvalidSubmission("until needs a time zone", field="until")
    return run(
        request,
        lambda s, k, now: domain.delay_dissemination(
            s,
            k,
            caller,
            notification_id,
            body.member_states,
            ground=body.ground,
            justification=body.justification,
            until=body.until,
            now=now,
        ),
    )


@router.post(
    "/{notification_id}/invalidation",
    response_model=NotificationOut,
    summary="Mark the submission invalid, with a reason (coordinator)",
)
def invalidate(
    request: Request, notification_id: NotificationId, body: InvalidationIn, caller: Caller
) -> Any:
    return run(
        request, lambda s, k, now: domain.invalidate(s, k, caller, notification_id, body.reason, now=now)
    )


@router.post(
    "/{notification_id}/enisa-release",
    response_model=NotificationOut,
    summary="End ENISA's partial view after PEC (coordinator)",
)
def release(request: Request, notification_id: NotificationId, caller: Caller) -> Any:
    return run(request, lambda s, k, now: domain.release_to_enisa(s, k, caller, notification_id, now=now))


@router.post(
    "/{notification_id}/intermediate-request",
    response_model=NotificationOut,
    summary="Ask the manufacturer for an intermediate report, Art 14(6) (coordinator)",
)
def request_intermediate(request: Request, notification_id: NotificationId, caller: Caller) -> Any:
    return run(request, lambda s, k, now: domain.request_intermediate(s, k, caller, notification_id, now=now))
