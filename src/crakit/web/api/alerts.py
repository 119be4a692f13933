"""``/api/v1/alerts``: what monitoring found, "open Art 14 case" from an exploited alert, and
``/api/v1/alert-channels``: where alerts are sent (e-mail, HMAC-signed webhook)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web.auth import current_principal, store_of
from crakit.web.workbench_context import require

router = APIRouter(tags=["alerts"])
Caller = Annotated[Principal, Depends(current_principal)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class AlertOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    alert_id: int
    product: str
    purl: str
    id: str
    exploited: bool
    detected_at: str


class AlertList(BaseModel):
    alerts: list[AlertOut]


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aware_at: datetime | None = Field(
        None, description="When you became aware (default: the alert's detection time); with a time zone"
    )


class CaseOut(BaseModel):
    case_id: int
    alert_id: int
    aware_at: str
    detected_at: str


class ChannelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["email", "webhook"]
    target: str = Field(min_length=3, max_length=2000, description="E-mail address or webhook URL")


class ChannelOut(BaseModel):
    id: int
    kind: str
    target: str
    secret: str | None = Field(None, description="Webhooks: shown once; verify X-Crakit-Signature with it")


class ChannelList(BaseModel):
    channels: list[ChannelOut]


@router.get("/api/v1/alerts", response_model=AlertList, summary="Alerts, newest first")
def alerts(request: Request, caller: Caller) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        return {"alerts": [a.to_json() for a in portfolio.list_alerts(session, tenant)]}


@router.post(
    "/api/v1/alerts/{alert_id}/case",
    status_code=201,
    response_model=CaseOut,
    summary="Open an Art 14(1) case from an exploited alert (awareness: the detection time unless corrected)",
)
def open_case(request: Request, alert_id: AlertId, caller: Caller, body: CaseIn | None = None) -> Any:
    tenant = require(caller, "write")
    aware = body.aware_at if body is not None else None
    if aware is not None and aware.tzinfo is None:
        raise portfolio.PortfolioError("aware_at needs a time zone (e.g. 2026-12-03T08:00:00Z)")
    store = store_of(request)
    case_id = portfolio.open_case_from_alert(
        store, tenant, alert_id, aware_at=aware, actor=caller.actor, now=datetime.now(UTC)
    )
    with store.transaction(write=False) as session:
        alert = portfolio.get_alert(session, tenant, alert_id)
    detected = alert.detected_at
    return {
        "case_id": case_id,
        "alert_id": alert_id,
        "aware_at": (aware or detected).astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "detected_at": detected.isoformat().replace("+00:00", "Z"),
    }


@router.get("/api/v1/alert-channels", response_model=ChannelList, summary="Where alerts are sent")
def channels(request: Request, caller: Caller) -> Any:
    tenant = require(caller, "admin")
    with store_of(request).transaction(write=False) as session:
        return {"channels": [c.to_json() for c in portfolio.list_channels(session, tenant)]}


@router.post(
    "/api/v1/alert-channels", status_code=201, response_model=ChannelOut, summary="Add an alert channel"
)
def add_channel(request: Request, body: ChannelIn, caller: Caller) -> Any:
    tenant = require(caller, "admin")
    with store_of(request).transaction() as session:
        allow = bool(request.app.state.workbench_private_webhooks)
        channel = portfolio.add_channel(
            session, tenant, body.kind, body.target, now=datetime.now(UTC), allow_private=allow
        )
        return channel.to_json()
