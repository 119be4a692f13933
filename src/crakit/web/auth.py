"""Who is calling: ``Authorization: Bearer <token>`` for machines, a server-side session cookie
for people (password + TOTP), CSRF tokens on every state-changing request made with a cookie,
per-token rate limits and login throttling kept in the database (shared by all processes).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from crakit import accounts
from crakit.accounts import NotAuthenticated, PermissionDenied, Principal
from crakit.store import Store
from crakit.web.settings import WebSettings

SESSION_COOKIE = "crakit_session"
LOGIN_CSRF_COOKIE = "crakit_login_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
RATE_WINDOW = timedelta(minutes=1)
T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def transaction(request: Request, work: Callable[[Any], T]) -> T:
    """Run ``work(session)`` in one committed transaction: the commit happens before the caller
    answers, so a 2xx response means the data is on disk."""
    with store_of(request).transaction() as session:
        return work(session)


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return None


def _authenticate(request: Request) -> Principal | None:
    settings = settings_of(request)
    token = _bearer(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and not cookie:
        return None
    moment = now()
    with store_of(request).transaction() as session:
        if token is not None:
            found = accounts.authenticate_token(session, token)
            key = f"rate:token:{found.token_id}"
        else:
            found = accounts.session_principal(session, cookie or "", now=moment)
            key = f"rate:session:{found.session_id}"
        accounts.rate_limit(session, key, settings.rate_limit, now=moment, window=RATE_WINDOW)
    return found


async def _check_csrf(request: Request, found: Principal) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not found.csrf_token or not secrets.compare_digest(sent, found.csrf_token):
        raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")


async def optional_principal(request: Request) -> Principal | None:
    found = await run_in_threadpool(_authenticate, request)
    if found is not None and found.is_person and request.method not in SAFE_METHODS:
        await _check_csrf(request, found)
    request.state.principal = found
    return found


async def current_principal(request: Request) -> Principal:
    found = await optional_principal(request)
    if found is None:
        raise NotAuthenticated("sign in, or send Authorization: Bearer <token>")
    return found


# --- people ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SignedIn:
    cookie: str
    expires_at: datetime


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def sign_in(request: Request, email: str, password: str, code: str) -> SignedIn:
    """Password + TOTP; failures count per account and per client address, in the database."""
    settings, store, moment = settings_of(request), store_of(request), now()
    account_key = f"login:account:{email.strip().lower()[:150]}"
    address_key = f"login:address:{_client(request)}"
    window = settings.login_window
    with store.transaction() as session:
        accounts.check_allowed(session, account_key, settings.login_failures, now=moment, window=window)
        accounts.check_allowed(session, address_key, settings.login_failures * 10, now=moment, window=window)
    try:
        with store.transaction() as session:
            person = accounts.verify_login(session, email, password, code, now=moment)
            member_of = accounts.memberships(session, person.id)
            if not member_of:
                raise PermissionDenied("this account acts for no organisation yet")
            started = accounts.start_session(
                session, person.id, member_of[0][0].id, now=moment, lifetime=settings.session_lifetime
            )
    except NotAuthenticated:
        with store.transaction() as session:
            accounts.hit(session, account_key, now=moment, window=window)
            accounts.hit(session, address_key, now=moment, window=window)
        raise
    return SignedIn(started.cookie, started.expires_at)


def set_session_cookie(response: Response, settings: WebSettings, signed: SignedIn) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        signed.cookie,
        max_age=int(settings.session_lifetime.total_seconds()),
        httponly=True,
        secure=settings.secure_cookies,
        samesite="strict",
        path="/",
    )


def login_csrf(request: Request) -> str:
    """Double-submit token for the sign-in form (there is no session yet to bind one to)."""
    existing = request.cookies.get(LOGIN_CSRF_COOKIE)
    token = existing if existing and len(existing) < 100 else secrets.token_urlsafe(32)
    request.state.login_csrf = token
    return token


def check_login_csrf(request: Request, sent: str | None) -> None:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not sent or not secrets.compare_digest(cookie, sent):
        raise PermissionDenied("missing or wrong CSRF token; reload the page and try again")
