"""One notification: fields, deadlines, revisions; the coordinator's actions (disseminate, delay,
invalidate, release to ENISA, ask for an intermediate report) as forms with CSRF tokens."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crakit import platform as domain
from crakit.accounts import Principal
from crakit.platform import InvalidSubmission, StateConflict, delay_grounds
from crakit.reporting import glossary
from crakit.web.auth import current_principal
from crakit.web.pages.inbox import member_states
from crakit.web.platform_context import run
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)
Caller = Annotated[Principal, Depends(current_principal)]
NotificationId = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$")]


def field_labels() -> dict[str, tuple[str, str]]:
    labels = {f.key: (f.number, f.name) for f in glossary().fields}
    labels["status_update"] = ("notes", "Status update (Art 14(6))")
    return labels


def field_rows(fields: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(number, name, type, value) in the Glossary's order; crakit's extra fields last."""
    rows = [(f.number, f.name, f.type, fields[f.key]) for f in glossary().fields if f.key in fields]
    known = {f.key for f in glossary().fields}
    labels = field_labels()
    for key, value in fields.items():
        if key not in known:
            number, name = labels.get(key, ("", key))
            rows.append((number, name, "text", value))
    return rows


def show(
    request: Request,
    principal: Principal,
    notification_id: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    shown = run(
        request, lambda s, k, now: domain.read_notification(s, k, principal, notification_id, now=now)
    )
    return render(
        request,
        "notification.html",
        {
            "n": shown,
            "rows": field_rows(shown["fields"]),
            "member_states": [(c, n) for c, n in member_states() if c != shown["coordinator"]],
            "grounds": delay_grounds(),
            "error": error,
            "done": request.query_params.get("done", ""),
        },
        status_code=status_code,
    )


@router.get("/notifications/{notification_id}", response_class=HTMLResponse)
def detail(request: Request, notification_id: NotificationId, principal: Caller) -> Response:
    return show(request, principal, notification_id)


def _act(request: Request, principal: Principal, notification_id: str, done: str, work: Any) -> Response:
    try:
        run(request, work)
    except InvalidSubmission as exc:
        return show(request, principal, notification_id, error=exc.message, status_code=422)
    except StateConflict as exc:
        return show(request, principal, notification_id, error=exc.message, status_code=409)
    return RedirectResponse(f"/notifications/{notification_id}?done={done}", status_code=303)


@router.post("/notifications/{notification_id}/disseminate")
def disseminate(
    request: Request,
    notification_id: NotificationId,
    principal: Caller,
    member_state: Annotated[list[str], Form(max_length=30)],
    tlp: Annotated[str, Form(max_length=20)] = "amber",
    pap: Annotated[str, Form(max_length=10)] = "amber",
) -> Response:
    return _act(
        request,
        principal,
        notification_id,
        "disseminated",
        lambda s, k, now: domain.disseminate(
            s, k, principal, notification_id, member_state, tlp=tlp, pap=pap, now=now
        ),
    )


@router.post("/notifications/{notification_id}/delay")
def delay(
    request: Request,
    notification_id: NotificationId,
    principal: Caller,
    member_state: Annotated[list[str], Form(max_length=30)],
    ground: Annotated[str, Form(max_length=60)],
    justification: Annotated[str, Form(max_length=4000)],
    until: Annotated[str, Form(max_length=40)],
) -> Response:
    try:
        moment = datetime.fromisoformat(until).replace(tzinfo=UTC)  # the form asks for UTC
    except ValueError:
        return show(request, principal, notification_id, error="until: not a date and time", status_code=422)
    return _act(
        request,
        principal,
        notification_id,
        "delayed",
        lambda s, k, now: domain.delay_dissemination(
            s,
            k,
            principal,
            notification_id,
            member_state,
            ground=ground,
            justification=justification,
            until=moment,
            now=now,
        ),
    )


@router.post("/notifications/{notification_id}/invalidate")
def invalidate(
    request: Request,
    notification_id: NotificationId,
    principal: Caller,
    reason: Annotated[str, Form(max_length=2000)],
) -> Response:
    return _act(
        request,
        principal,
        notification_id,
        "invalidated",
        lambda s, k, now: domain.invalidate(s, k, principal, notification_id, reason, now=now),
    )


@router.post("/notifications/{notification_id}/release")
def release(request: Request, notification_id: NotificationId, principal: Caller) -> Response:
    return _act(
        request,
        principal,
        notification_id,
        "released",
        lambda s, k, now: domain.release_to_enisa(s, k, principal, notification_id, now=now),
    )


@router.post("/notifications/{notification_id}/request-intermediate")
def request_intermediate(request: Request, notification_id: NotificationId, principal: Caller) -> Response:
    return _act(
        request,
        principal,
        notification_id,
        "requested",
        lambda s, k, now: domain.request_intermediate(s, k, principal, notification_id, now=now),
    )
