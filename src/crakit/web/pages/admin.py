"""Platform administration: tenants, invitations, machine tokens, the audit chain's state.
Administrators never see notification content (need-to-know)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from crakit import accounts
from crakit.accounts import AccountsError, Principal
from crakit.platform import ADMIN, PERSON_ROLES, PlatformError, create_token, verify_audit
from crakit.web.auth import current_principal
from crakit.web.platform_context import require, run
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)
Caller = Annotated[Principal, Depends(current_principal)]


def _page(request: Request, extra: dict[str, Any], status_code: int = 200) -> Response:
    def work(s: Any, k: Any, now: Any) -> Any:
        return accounts.organisations(s), verify_audit(s)

    organisations, verification = run(request, work)
    context = {
        "organisations": organisations,
        "verification": verification,
        "roles": PERSON_ROLES,
        "invitation": None,
        "token": None,
        "error": None,
    }
    return render(request, "admin.html", {**context, **extra}, status_code=status_code)


@router.get("/admin", response_class=HTMLResponse)
def admin_page(request: Request, principal: Caller) -> Response:
    require(principal, ADMIN)
    return _page(request, {})


@router.post("/admin/invitations", response_class=HTMLResponse)
def invite(
    request: Request,
    principal: Caller,
    organisation: Annotated[int, Form(ge=1, le=2**31 - 1)],
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=40)],
) -> Response:
    require(principal, ADMIN)

    def work(s: Any, k: Any, now: Any) -> Any:
        target = accounts.get_organisation(s, organisation)
        if role not in PERSON_ROLES.get(target.kind, ()):
            raise AccountsError(
                f"role for a {target.kind}: one of {', '.join(PERSON_ROLES.get(target.kind, ()))}"
            )
        return accounts.invite(s, target.id, email, role, invited_by=principal.actor, now=now)

    try:
        made = run(request, work)
    except AccountsError as exc:
        return _page(request, {"error": exc.message}, status_code=422)
    return _page(request, {"invitation": made})


@router.post("/admin/tokens", response_class=HTMLResponse)
def token(
    request: Request,
    principal: Caller,
    role: Annotated[str, Form(max_length=20)],
    organisation: Annotated[str, Form(max_length=255)],
    member_state: Annotated[str, Form(max_length=2)] = "",
) -> Response:
    require(principal, ADMIN)
    try:
        made = run(
            request, lambda s, k, now: create_token(s, role, organisation, member_state or None, now=now)
        )
    except (AccountsError, PlatformError) as exc:
        return _page(request, {"error": exc.message}, status_code=422)
    return _page(request, {"token": made[1], "token_organisation": made[0]})
