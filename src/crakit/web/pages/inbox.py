"""The inbox: representatives follow their notifications; CSIRT and ENISA analysts filter theirs
by Member State, stage and deadline (htmx refreshes the table as filters change)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crakit.accounts import Principal
from crakit.platform import CSIRT, ENISA, MANUFACTURER, Filters, list_notifications
from crakit.reporting import csirts
from crakit.web.auth import current_principal, optional_principal
from crakit.web.platform_context import require, run
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)
DUE_WINDOWS = {
    "24h": timedelta(hours=24),
    "72h": timedelta(hours=72),
    "7d": timedelta(days=7),
    "overdue": timedelta(0),
}
STAGES = ("early-warning", "notification", "intermediate", "final")


def member_states() -> list[tuple[str, str]]:
    return sorted((code, entry.country) for code, entry in csirts().items() if entry.code == code)


@router.get("/")
def home(request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]) -> Response:
    if principal is None:
        return RedirectResponse("/login", status_code=303)
    for feature in request.app.state.features:
        return RedirectResponse(feature.home(principal), status_code=303)
    return RedirectResponse("/login", status_code=303)  # pragma: no cover


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    principal: Annotated[Principal, Depends(current_principal)],
    member_state: Annotated[str, Query(max_length=2)] = "",
    stage: Annotated[str, Query(max_length=20)] = "",
    due: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    require(principal, MANUFACTURER, CSIRT, ENISA)

    def work(session: Any, keyring: Any, now: Any) -> Any:
        window = DUE_WINDOWS.get(due)
        filters = Filters(
            member_state=member_state or None,
            stage=stage if stage in STAGES else None,
            due_before=now + window if window is not None else None,
            limit=200,
        )
        return list_notifications(session, keyring, principal, filters, now=now)

    listing = run(request, work)
    return render(
        request,
        "inbox.html",
        {
            "listing": listing,
            "filters": {"member_state": member_state, "stage": stage, "due": due},
            "member_states": member_states(),
            "stages": STAGES,
            "due_windows": list(DUE_WINDOWS),
        },
    )
