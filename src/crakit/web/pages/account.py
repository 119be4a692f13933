"""Sign-in, sign-out, accepting an invitation, switching organisation, choosing the language."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from crakit import accounts
from crakit.accounts import AccountsError, NotAuthenticated, Principal, Throttled
from crakit.web import auth, i18n
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # only local paths: never redirect a signed-in person to another site
    if not target or not target.startswith("/") or target.startswith("//") or urlsplit(target).netloc:
        return "/"
    return target


def _home(request: Request, principal: Principal) -> str:
    for feature in request.app.state.features:
        return str(feature.home(principal))
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    token = auth.login_csrf(request)
    response = render(request, "login.html", {"next": _safe_next(next), "error": None, "login_csrf": token})
    response.set_cookie(
        auth.LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=auth.settings_of(request).secure_cookies,
    )
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=12)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    auth.check_login_csrf(request, csrf_token)
    try:
        signed = auth.sign_in(request, email, password, code)
    except (NotAuthenticated, Throttled) as exc:
        token = auth.login_csrf(request)
        status = 429 if isinstance(exc, Throttled) else 401
        return render(
            request,
            "login.html",
            {"next": _safe_next(next), "error": exc.message, "login_csrf": token},
            status_code=status,
        )
    response = RedirectResponse(_safe_next(next) if next != "/" else "/", status_code=303)
    auth.set_session_cookie(response, auth.settings_of(request), signed)
    response.delete_cookie(auth.LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, principal: Annotated[Principal, Depends(auth.current_principal)]) -> Response:
    cookie = request.cookies.get(auth.SESSION_COOKIE, "")
    auth.transaction(request, lambda session: accounts.end_session(session, cookie))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE)
    return response


@router.post("/session/organisation")
def switch(
    request: Request,
    principal: Annotated[Principal, Depends(auth.current_principal)],
    organisation: Annotated[int, Form()],
) -> Response:
    cookie = request.cookies.get(auth.SESSION_COOKIE, "")
    auth.transaction(
        request, lambda session: accounts.switch_organisation(session, cookie, organisation, now=auth.now())
    )
    return RedirectResponse("/", status_code=303)


@router.get("/invitations/{code}", response_class=HTMLResponse)
def invitation_page(request: Request, code: str) -> Response:
    invitation = auth.transaction(
        request, lambda session: accounts.pending(session, code[:200], now=auth.now())
    )
    token = auth.login_csrf(request)
    response = render(
        request,
        "invitation.html",
        {"invitation": invitation, "code": code, "error": None, "login_csrf": token, "created": None},
    )
    response.set_cookie(
        auth.LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=auth.settings_of(request).secure_cookies,
    )
    return response


@router.post("/invitations/{code}", response_class=HTMLResponse)
def accept_invitation(
    request: Request,
    code: str,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    auth.check_login_csrf(request, csrf_token)
    try:
        created = auth.transaction(
            request, lambda session: accounts.accept(session, code[:200], name, password, now=auth.now())
        )
    except AccountsError as exc:
        invitation = auth.transaction(
            request, lambda session: accounts.pending(session, code[:200], now=auth.now())
        )
        return render(
            request,
            "invitation.html",
            {
                "invitation": invitation,
                "code": code,
                "error": exc.message,
                "login_csrf": auth.login_csrf(request),
                "created": None,
            },
            status_code=422,
        )
    return render(
        request,
        "invitation.html",
        {"invitation": None, "code": code, "error": None, "login_csrf": "", "created": created},
    )


@router.get("/language/{lang}")
def language(request: Request, lang: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if lang in auth.settings_of(request).languages:
        response.set_cookie(
            i18n.COOKIE,
            lang,
            max_age=365 * 86400,
            samesite="lax",
            secure=auth.settings_of(request).secure_cookies,
        )
    return response
