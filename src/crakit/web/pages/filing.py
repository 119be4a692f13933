"""Filing a notification and its later stages from the browser (manufacturer representatives).

The form is built from the same Glossary v1.3 data the API validates against: the fields of the
chosen track and stage, required ones marked, with their limits; htmx swaps the field set when
the track or stage changes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams

from crakit.accounts import Principal
from crakit.platform import (
    MANUFACTURER,
    InvalidSubmission,
    StateConflict,
    Submission,
    add_stage,
    file_notification,
    read_notification,
)
from crakit.reporting import FormField, Kind, Stage, glossary
from crakit.web.auth import current_principal
from crakit.web.pages.inbox import member_states
from crakit.web.pages.notification import NotificationId
from crakit.web.platform_context import require, run
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)
Caller = Annotated[Principal, Depends(current_principal)]
SYSTEM_FIELDS = ("notification_type", "manufacturer_name")
PREFIX = "f."


def form_fields(kind: Kind, stage: Stage) -> list[tuple[FormField, bool]]:
    """(field, required) for the stage's form, in Glossary order."""
    out = []
    for item in glossary().for_kind(kind):
        if item.key in SYSTEM_FIELDS or item.status_at(stage) == "-":
            continue
        out.append((item, item.required_at(stage)))
    return out


def _values(form: FormData | QueryParams, kind: Kind, stage: Stage) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item, _required in form_fields(kind, stage):
        name = PREFIX + item.key
        if item.type in ("countries", "grounds"):
            chosen = [v for v in form.getlist(name) if isinstance(v, str)]
            if chosen:
                values[item.key] = chosen
            continue
        raw = form.get(name)
        if not isinstance(raw, str) or not raw.strip():
            continue
        if item.type == "datetime" and len(raw) <= 16:
            raw = f"{raw}:00Z" if len(raw) == 16 else raw  # datetime-local inputs are asked in UTC
        values[item.key] = raw
    if stage is Stage.INTERMEDIATE:
        update = form.get("status_update")
        if isinstance(update, str) and update.strip():
            values["status_update"] = update
    return values


def _page(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> Response:
    kind, stage = context["kind"], context["stage"]
    fields = form_fields(kind, stage)
    optional = [item for item, required in fields if not required]
    values = context.get("values") or {}
    base = {
        "required_fields": [item for item, required in fields if required],
        "optional_fields": optional,
        # open the optional block when it holds a value the person gave or the field in error
        "open_optional": any(
            item.key in values or item.key == context.get("error_field") for item in optional
        ),
        "member_states": member_states(),
        "grounds": glossary().pec_grounds,
        "prefix": PREFIX,
        "values": {},
        "error": None,
        "error_field": None,
    }
    return render(request, template, {**base, **context}, status_code=status_code)


def _kind(text: str | None) -> Kind:
    return Kind.INCIDENT if text == "incident" else Kind.VULNERABILITY


def _stage(text: str | None, default: Stage = Stage.EARLY_WARNING) -> Stage:
    try:
        return Stage(text) if text else default
    except ValueError:
        return default


@router.get("/file", response_class=HTMLResponse)
def file_form(
    request: Request, principal: Caller, kind: str = "vulnerability", stage: str = "early-warning"
) -> Response:
    require(principal, MANUFACTURER)
    chosen = _stage(stage)
    if chosen is Stage.INTERMEDIATE:
        chosen = Stage.EARLY_WARNING
    # htmx re-asks for the form when the track or stage changes, sending what was typed so far
    typed = _values(request.query_params, _kind(kind), chosen)
    return _page(
        request,
        "file.html",
        {"kind": _kind(kind), "stage": chosen, "case": "", "main_establishment": "", "values": typed},
    )


@router.post("/file", response_class=HTMLResponse)
async def file_submit(request: Request, principal: Caller) -> Response:
    require(principal, MANUFACTURER)
    form = await request.form()
    kind = _kind(str(form.get("kind", "")))
    stage = _stage(str(form.get("stage", "")))
    case = str(form.get("case", ""))[:200]
    main = str(form.get("main_establishment", ""))[:2]
    values = _values(form, kind, stage)
    submission = Submission(
        stage=stage.value, case=case, kind=kind.value, main_establishment=main or None, fields=values
    )
    try:
        filed = await run_in_threadpool(
            run, request, lambda s, k, now: file_notification(s, k, principal, submission, now=now)
        )
    except (InvalidSubmission, StateConflict) as exc:
        return _page(
            request,
            "file.html",
            {
                "kind": kind,
                "stage": stage,
                "case": case,
                "main_establishment": main,
                "values": values,
                "error": exc.message,
                "error_field": getattr(exc, "field", None),
            },
            status_code=422,
        )
    return RedirectResponse(f"/notifications/{filed.notification['id']}?done=filed", status_code=303)


NEXT = {
    "early-warning": ("notification", "final"),
    "notification": ("intermediate", "final"),
    "intermediate": ("intermediate", "final"),
}


@router.get("/notifications/{notification_id}/stage", response_class=HTMLResponse)
def stage_form(
    request: Request, notification_id: NotificationId, principal: Caller, stage: str = ""
) -> Response:
    require(principal, MANUFACTURER)
    shown = run(request, lambda s, k, now: read_notification(s, k, principal, notification_id, now=now))
    allowed = NEXT.get(shown["stage"], ())
    if not allowed:
        raise StateConflict("the final report was filed: the notification is read-only")
    chosen = _stage(stage, Stage(allowed[0])) if stage in allowed else Stage(allowed[0])
    return _page(
        request,
        "stage.html",
        {
            "kind": Kind(shown["kind"]),
            "stage": chosen,
            "n": shown,
            "allowed": allowed,
            "values": {**shown["fields"], **_values(request.query_params, Kind(shown["kind"]), chosen)},
        },
    )


@router.post("/notifications/{notification_id}/stage", response_class=HTMLResponse)
async def stage_submit(request: Request, notification_id: NotificationId, principal: Caller) -> Response:
    require(principal, MANUFACTURER)
    form = await request.form()
    shown = await run_in_threadpool(
        run, request, lambda s, k, now: read_notification(s, k, principal, notification_id, now=now)
    )
    kind = Kind(shown["kind"])
    stage = _stage(str(form.get("stage", "")), Stage.NOTIFICATION)
    values = _values(form, kind, stage)
    try:
        await run_in_threadpool(
            run,
            request,
            lambda s, k, now: add_stage(s, k, principal, notification_id, stage.value, values, now=now),
        )
    except (InvalidSubmission, StateConflict) as exc:
        return _page(
            request,
            "stage.html",
            {
                "kind": kind,
                "stage": stage,
                "n": shown,
                "allowed": NEXT.get(shown["stage"], ()),
                "values": {**shown["fields"], **values},
                "error": exc.message,
                "error_field": getattr(exc, "field", None),
            },
            status_code=422,
        )
    return RedirectResponse(f"/notifications/{notification_id}?done=stage", status_code=303)
