"""``/api/v1/notifications``: file, follow, update and read Art 14 notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from crakit import platform as domain
from crakit.accounts import Principal
from crakit.platform import CSIRT, ENISA, MANUFACTURER, Filters, Submission
from crakit.web.auth import current_principal
from crakit.web.platform_context import require, run

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])
Caller = Annotated[Principal, Depends(current_principal)]
FieldValue = str | bool | int | float | list[str] | None
NotificationId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$")]
StageName = Literal["early-warning", "notification", "intermediate", "final"]


class NotificationIn(BaseModel):
    """The first stage of a notification. ``fields`` uses the ENISA Glossary v1.3 keys (or numbers);
    see ``GET /api/v1/fields``."""

    model_config = ConfigDict(extra="forbid")
    stage: StageName
    case: str = Field(min_length=1, max_length=200, description="Your own reference for the case")
    kind: Literal["vulnerability", "incident"] | None = None
    main_establishment: str | None = Field(None, max_length=10, description="ISO code (Art 14(7))")
    authorised_representative: str | None = Field(None, max_length=10)
    importer: str | None = Field(None, max_length=10)
    distributor: str | None = Field(None, max_length=10)
    most_users: str | None = Field(None, max_length=10)
    fields: dict[str, FieldValue] = Field(default_factory=dict, max_length=100)


class StageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stage: StageName
    fields: dict[str, FieldValue] = Field(default_factory=dict, max_length=100)


class UpdateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: dict[str, FieldValue] = Field(max_length=100)


class NotificationSummary(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    stage: str
    status: str
    coordinator: str
    view: str
    enisa_view: str
    next_due: str | None


class NotificationOut(NotificationSummary):
    deadlines: dict[str, Any]
    fields: dict[str, str]


class NotificationList(BaseModel):
    notifications: list[NotificationSummary]
    total: int
    limit: int
    offset: int


@router.post(
    "", status_code=201, response_model=NotificationOut, summary="File a new notification (manufacturer)"
)
def file_notification(
    request: Request,
    response: Response,
    body: NotificationIn,
    caller: Caller,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    require(caller, MANUFACTURER)
    submission = Submission(
        stage=body.stage,
        case=body.case,
        fields=body.fields,
        kind=body.kind,
        main_establishment=body.main_establishment,
        authorised_representative=body.authorised_representative,
        importer=body.importer,
        distributor=body.distributor,
        most_users=body.most_users,
        idempotency_key=idempotency_key,
    )
    filed = run(request, lambda s, k, now: domain.file_notification(s, k, caller, submission, now=now))
    response.headers["Location"] = f"/api/v1/notifications/{filed.notification['id']}"
    if filed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return filed.notification


@router.get("", response_model=NotificationList, summary="The notifications this caller may see")
def list_notifications(
    request: Request,
    caller: Caller,
    member_state: Annotated[str | None, Query(max_length=2, description="Coordinator's Member State")] = None,
    stage: StageName | None = None,
    kind: Literal["vulnerability", "incident"] | None = None,
    due_before: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Any:
    require(caller, MANUFACTURER, CSIRT, ENISA)
    if due_before is not None and due_before.tzinfo is None:
        from crakit.platform import InvalidSubmission

        raise InvalidSubmission("due_before needs a time zone", field="due_before")
    filters = Filters(
        member_state=member_state, stage=stage, kind=kind, due_before=due_before, limit=limit, offset=offset
    )
    return run(request, lambda s, k, now: domain.list_notifications(s, k, caller, filters, now=now))


@router.get(
    "/{notification_id}",
    response_model=NotificationOut,
    summary="One notification, as this caller may see it",
)
def read_notification(request: Request, notification_id: NotificationId, caller: Caller) -> Any:
    return run(request, lambda s, k, now: domain.read_notification(s, k, caller, notification_id, now=now))


@router.post(
    "/{notification_id}/stages",
    response_model=NotificationOut,
    status_code=201,
    summary="File the next stage (filing manufacturer)",
)
def add_stage(request: Request, notification_id: NotificationId, body: StageIn, caller: Caller) -> Any:
    return run(
        request,
        lambda s, k, now: domain.add_stage(s, k, caller, notification_id, body.stage, body.fields, now=now),
    )


@router.patch(
    "/{notification_id}", response_model=NotificationOut, summary="Update fields until the final report"
)
def update_notification(
    request: Request, notification_id: NotificationId, body: UpdateIn, caller: Caller
) -> Any:
    return run(
        request,
        lambda s, k, now: domain.update_notification(s, k, caller, notification_id, body.fields, now=now),
    )


@router.get(
    "/{notification_id}/misp",
    response_model=dict[str, Any],
    summary="Export as a MISP event (TLP 2.0, PAP tags)",
)
def export_misp(
    request: Request,
    notification_id: NotificationId,
    caller: Caller,
    tlp: Literal["clear", "green", "amber", "amber+strict", "red"] = "amber+strict",
    pap: Literal["clear", "green", "amber", "red"] = "amber",
) -> Any:
    def work(s: Any, k: Any, now: Any) -> Any:
        shown = domain.read_notification(s, k, caller, notification_id, now=now)
        return domain.misp_event(shown, tlp=tlp, pap=pap)

    return run(request, work)
