"""People in the browser flow over HTTP: sign-in with password + TOTP, cookie flags, CSRF on every
form, login throttling in the database, invitations, administrators."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pyotp

from crakit import accounts
from tests.platform_kit import early_warning

PASSWORD = "correct horse battery staple"


def _person(app: Any, email: str, kind: str, organisation: str, role: str, country: str | None = None) -> str:
    from crakit.platform.setup import organisation_for

    now = datetime.now(UTC)
    with app.state.store.transaction() as session:
        org = organisation_for(session, kind, organisation, country, now=now)
        made = accounts.create_person(session, email, email.split("@")[0], PASSWORD, now=now)
        accounts.add_membership(session, made.person.id, org.id, role, now=now)
    return made.totp_secret


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def sign_in(http: Any, email: str, secret: str, password: str = PASSWORD) -> Any:
    page = http.get("/login")
    return http.post(
        "/login",
        data={
            "email": email,
            "password": password,
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": _csrf(page.text),
        },
        follow_redirects=False,
    )


def test_sign_in_sets_a_secure_session_cookie_and_the_inbox_shows(app: Any, http: Any, tokens: Any) -> None:
    secret = _person(app, "ana@acme.eu", "manufacturer", "ACME Devices", "primary")
    reply = sign_in(http, "ana@acme.eu", secret)
    assert reply.status_code == 303
    cookie = reply.headers["set-cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=strict"):
        assert flag.lower() in cookie.lower()
    inbox = http.get("/inbox")
    assert inbox.status_code == 200 and "ACME Devices" in inbox.text
    assert http.get("/api/v1/me").json()["role"] == "primary"  # the API accepts the session too


def test_forms_without_the_csrf_token_are_refused(app: Any, http: Any, tokens: Any) -> None:
    secret = _person(app, "ana@acme.eu", "manufacturer", "ACME Devices", "primary")
    sign_in(http, "ana@acme.eu", secret)
    body = early_warning()
    assert http.post("/api/v1/notifications", json=body).status_code == 403  # cookie, no token
    page = http.get("/inbox").text
    ok = http.post("/api/v1/notifications", json=body, headers={"X-CSRF-Token": _csrf(page)})
    assert ok.status_code == 201
    assert http.post("/logout", data={}, follow_redirects=False).status_code == 403
    assert http.post("/logout", data={"csrf_token": _csrf(page)}, follow_redirects=False).status_code == 303
    assert http.get("/api/v1/me").status_code == 401


def test_login_form_itself_needs_its_token(app: Any, http: Any, tokens: Any) -> None:
    secret = _person(app, "ana@acme.eu", "manufacturer", "ACME Devices", "primary")
    reply = http.post(
        "/login", data={"email": "ana@acme.eu", "password": PASSWORD, "code": pyotp.TOTP(secret).now()}
    )
    assert reply.status_code == 403


def test_failed_sign_ins_are_throttled(app: Any, http: Any, tokens: Any) -> None:
    secret = _person(app, "ana@acme.eu", "manufacturer", "ACME Devices", "primary")
    for _ in range(5):
        assert sign_in(http, "ana@acme.eu", secret, password="wrong password here").status_code == 401
    locked = sign_in(http, "ana@acme.eu", secret)  # even the right password, until the window ends
    assert locked.status_code == 429
    assert "too many failed sign-in attempts" in locked.text


def test_invitation_to_account_to_session(app: Any, http: Any, tokens: Any) -> None:
    admin = _person(app, "ops@platform.eu", "admin", "Platform operator", "admin")
    sign_in(http, "ops@platform.eu", admin)
    page = http.get("/admin")
    assert page.status_code == 200 and "Hash chain intact" in page.text
    org_id = re.search(r'<option value="(\d+)">manufacturer · ACME Devices', page.text)
    assert org_id, page.text[:2000]
    made = http.post(
        "/admin/invitations",
        data={
            "organisation": org_id.group(1),
            "email": "bo@acme.eu",
            "role": "backup",
            "csrf_token": _csrf(page.text),
        },
    )
    link = re.search(r'data-testid="invitation-url">([^<]+)<', made.text)
    assert link, made.text[:2000]
    http.cookies.clear()
    form = http.get(link.group(1))
    created = http.post(
        link.group(1), data={"name": "Bo", "password": PASSWORD, "csrf_token": _csrf(form.text)}
    )
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', created.text)
    assert secret, created.text[:2000]
    assert sign_in(http, "bo@acme.eu", secret.group(1)).status_code == 303
    assert http.get("/api/v1/me").json()["role"] == "backup"
    assert http.get(link.group(1)).status_code == 410  # used


def test_administrators_see_no_notification_content(app: Any, http: Any, tokens: Any, as_: Any) -> None:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning()).json()
    admin = _person(app, "ops@platform.eu", "admin", "Platform operator", "admin")
    sign_in(http, "ops@platform.eu", admin)
    assert http.get(f"/notifications/{filed['id']}").status_code == 404
    assert "Authentication bypass" not in http.get("/admin").text
