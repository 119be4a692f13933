"""Every endpoint × every role: who may do what and who may see what.

The cases are generated from the app's route table: a route without an expectation here fails the
test, so a new endpoint cannot escape the matrix. Each cell runs on a fresh notification that the
manufacturer filed (IE coordinator, 72-hour stage under PEC) and the coordinator disseminated to DE.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from tests.platform_kit import NOTIFICATION_FIELDS, auth, early_warning

ROLES = (
    "anonymous",
    "manufacturer",
    "other_manufacturer",
    "coordinator",
    "recipient",
    "bystander",
    "enisa",
    "admin",
)
Expect = dict[str, int]


def everyone(status: int) -> Expect:
    return dict.fromkeys(ROLES, status)


def signed_in(ok: int, *, allowed: tuple[str, ...] = ROLES[1:], refused: int = 403) -> Expect:
    return {role: (401 if role == "anonymous" else ok if role in allowed else refused) for role in ROLES}


def sees(ok: int) -> Expect:
    """Visible to the filer, the coordinator, the CSIRT it was disseminated to and ENISA; 404 otherwise."""
    visible = ("manufacturer", "coordinator", "recipient", "enisa")
    return {role: 401 if role == "anonymous" else ok if role in visible else 404 for role in ROLES}


def coordinator_only(ok: int) -> Expect:
    table = sees(403)
    table["coordinator"] = ok
    return table


def owner_only(ok: int, *, others_who_see: int = 403) -> Expect:
    table = sees(others_who_see)
    table["manufacturer"] = ok
    return table


def owner_page(ok: int) -> Expect:
    # the page first checks that the caller is a manufacturer (403), then that it may see it (404)
    table = signed_in(403)
    table["manufacturer"], table["other_manufacturer"] = ok, 404
    return table


UNTIL = (datetime.now(UTC) + timedelta(days=2)).isoformat()
Body = Callable[[dict[str, Any]], dict[str, Any]]
# (method, path) -> (expectation, json body, form body)
CASES: dict[tuple[str, str], tuple[Expect, Body | None, Body | None]] = {
    ("GET", "/openapi.json"): (everyone(200), None, None),
    ("GET", "/docs"): (everyone(200), None, None),
    ("GET", "/docs/oauth2-redirect"): (everyone(200), None, None),
    ("GET", "/redoc"): (everyone(200), None, None),
    ("GET", "/api/v1/health"): (everyone(200), None, None),
    ("GET", "/login"): (everyone(200), None, None),
    ("POST", "/login"): (
        everyone(403),
        None,
        lambda c: {"email": "a@b.eu", "password": "x" * 12, "code": "123456"},
    ),
    ("POST", "/logout"): (signed_in(303), None, lambda c: {}),
    ("POST", "/session/organisation"): (everyone(401), None, lambda c: {"organisation": "1"}),
    ("GET", "/invitations/{code}"): (everyone(410), None, None),
    ("POST", "/invitations/{code}"): (everyone(403), None, lambda c: {"name": "X", "password": "x" * 12}),
    ("GET", "/language/{lang}"): (everyone(303), None, None),
    ("POST", "/api/v1/notifications"): (
        signed_in(201, allowed=("manufacturer", "other_manufacturer")),
        lambda c: early_warning(case=c["case"]),
        None,
    ),
    ("GET", "/api/v1/notifications"): (
        signed_in(
            200,
            allowed=("manufacturer", "other_manufacturer", "coordinator", "recipient", "bystander", "enisa"),
        ),
        None,
        None,
    ),
    ("GET", "/api/v1/notifications/{notification_id}"): (sees(200), None, None),
    ("POST", "/api/v1/notifications/{notification_id}/stages"): (
        owner_only(201),
        lambda c: {"stage": "intermediate", "fields": {"status_update": "Patch in QA"}},
        None,
    ),
    ("PATCH", "/api/v1/notifications/{notification_id}"): (
        owner_only(200),
        lambda c: {"fields": {"summary": "Updated summary"}},
        None,
    ),
    ("GET", "/api/v1/notifications/{notification_id}/misp"): (sees(200), None, None),
    ("POST", "/api/v1/notifications/{notification_id}/dissemination"): (
        coordinator_only(200),
        lambda c: {"member_states": ["NL"]},
        None,
    ),
    ("POST", "/api/v1/notifications/{notification_id}/delay"): (
        coordinator_only(200),
        lambda c: {
            "member_states": ["NL"],
            "ground": "dr-art3-content-risk",
            "justification": "Patch soon",
            "until": UNTIL,
        },
        None,
    ),
    ("POST", "/api/v1/notifications/{notification_id}/invalidation"): (
        coordinator_only(200),
        lambda c: {"reason": "Wrong coordinator"},
        None,
    ),
    ("POST", "/api/v1/notifications/{notification_id}/enisa-release"): (
        coordinator_only(200),
        lambda c: {},
        None,
    ),
    ("POST", "/api/v1/notifications/{notification_id}/intermediate-request"): (
        coordinator_only(200),
        lambda c: {},
        None,
    ),
    ("POST", "/api/v1/webhooks"): (
        signed_in(201, allowed=ROLES[1:7]),
        lambda c: {"url": "https://hooks.example/x"},
        None,
    ),
    ("GET", "/api/v1/webhooks"): (signed_in(200, allowed=ROLES[1:7]), None, None),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): (
        {**signed_in(404, allowed=ROLES[1:7]), "coordinator": 204},
        None,
        None,
    ),
    ("GET", "/api/v1/audit"): (signed_in(200, allowed=("admin",)), None, None),
    ("GET", "/api/v1/audit/verify"): (signed_in(200, allowed=("admin",)), None, None),
    ("GET", "/api/v1/me"): (signed_in(200), None, None),
    ("GET", "/api/v1/fields"): (signed_in(200), None, None),
    ("GET", "/api/v1/csirts"): (signed_in(200), None, None),
    ("GET", "/api/v1/delay-grounds"): (signed_in(200), None, None),
    ("POST", "/api/v1/tokens"): (
        signed_in(201, allowed=("admin",)),
        lambda c: {"role": "manufacturer", "organisation": "Initech"},
        None,
    ),
    ("GET", "/api/v1/organisations"): (signed_in(200, allowed=("admin",)), None, None),
    ("POST", "/api/v1/invitations"): (
        signed_in(201, allowed=("admin",)),
        lambda c: {"email": "new@acme.eu", "role": "backup", "organisation_id": c["acme_id"]},
        None,
    ),
    ("GET", "/"): (everyone(303), None, None),
    ("GET", "/inbox"): (signed_in(200, allowed=ROLES[1:7]), None, None),
    ("GET", "/notifications/{notification_id}"): (sees(200), None, None),
    ("POST", "/notifications/{notification_id}/disseminate"): (
        coordinator_only(303),
        None,
        lambda c: {"member_state": "NL", "tlp": "amber", "pap": "amber"},
    ),
    ("POST", "/notifications/{notification_id}/delay"): (
        coordinator_only(303),
        None,
        lambda c: {
            "member_state": "NL",
            "ground": "dr-art4-recipient-csirt",
            "justification": "x",
            "until": UNTIL[:16],
        },
    ),
    ("POST", "/notifications/{notification_id}/invalidate"): (
        coordinator_only(303),
        None,
        lambda c: {"reason": "x"},
    ),
    ("POST", "/notifications/{notification_id}/release"): (coordinator_only(303), None, lambda c: {}),
    ("POST", "/notifications/{notification_id}/request-intermediate"): (
        coordinator_only(303),
        None,
        lambda c: {},
    ),
    ("GET", "/file"): (signed_in(200, allowed=("manufacturer", "other_manufacturer")), None, None),
    ("POST", "/file"): (
        signed_in(303, allowed=("manufacturer", "other_manufacturer")),
        None,
        lambda c: {
            "kind": "vulnerability",
            "stage": "early-warning",
            "case": c["case"],
            "main_establishment": "IE",
            "f.title": "T",
            "f.summary": "S",
            "f.product_name": "P",
            "f.product_version": "1",
            "f.member_states": "IE",
            "f.aware_at": "2026-12-01T10:00",
        },
    ),
    ("GET", "/notifications/{notification_id}/stage"): (owner_page(200), None, None),
    ("POST", "/notifications/{notification_id}/stage"): (
        owner_page(303),
        None,
        lambda c: {"stage": "intermediate", "status_update": "Patch in QA"},
    ),
    ("GET", "/admin"): (signed_in(200, allowed=("admin",)), None, None),
    ("POST", "/admin/invitations"): (
        signed_in(200, allowed=("admin",)),
        None,
        lambda c: {"organisation": str(c["acme_id"]), "email": "x@acme.eu", "role": "backup"},
    ),
    ("POST", "/admin/tokens"): (
        signed_in(200, allowed=("admin",)),
        None,
        lambda c: {"role": "manufacturer", "organisation": "Umbrella"},
    ),
}


def routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for context in iter_route_contexts(app.router.routes):
        route = context.route
        methods = sorted(set(getattr(route, "methods", None) or ()) - {"HEAD"})
        found += [(method, context.path) for method in methods]
    return found


def _fresh(as_: Any, counter: list[int], template: str) -> dict[str, Any]:
    counter[0] += 1
    case = f"M-{counter[0]}"
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning(case=case))
    assert filed.status_code == 201, filed.text
    path = f"/api/v1/notifications/{filed.json()['id']}"
    pec = {**NOTIFICATION_FIELDS, "pec": "Yes", "pec_grounds": ["b"]}
    assert (
        as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": pec}).status_code
        == 201
    )
    assert as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE"]}).status_code == 200
    hook = 0
    if "{webhook_id}" in template:
        hook = as_("coordinator").post("/api/v1/webhooks", {"url": "https://hooks.example/ie"}).json()["id"]
    return {
        "notification_id": filed.json()["id"],
        "webhook_id": hook,
        "code": "inv_unknown",
        "lang": "fr",
        "case": f"{case}-new",
    }


def test_every_route_has_an_expectation(app: Any) -> None:
    table = routes(app)
    missing = [route for route in table if route not in CASES]
    assert not missing, f"routes without a role expectation: {missing}"
    stale = [case for case in CASES if case not in table]
    assert not stale, f"expectations for routes that no longer exist: {stale}"


def test_role_by_endpoint_matrix(app: Any, http: Any, tokens: dict[str, str], as_: Any) -> None:
    from crakit import accounts

    with app.state.store.transaction() as session:
        acme_id = accounts.find_organisation(session, "manufacturer", "ACME Devices").id  # type: ignore[union-attr]
    counter = [0]
    failures = []
    for method, template in routes(app):
        expect, json_body, form_body = CASES[(method, template)]
        for role in ROLES:
            context = {**_fresh(as_, counter, template), "acme_id": acme_id}
            path = template.format(**{k: v for k, v in context.items() if "{" + k + "}" in template})
            headers = {} if role == "anonymous" else auth(tokens[role])
            kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
            if json_body is not None:
                kwargs["json"] = json_body(context)
            if form_body is not None:
                kwargs["data"] = form_body(context)
            http.cookies.clear()
            reply = http.request(method, path, **kwargs)
            if reply.status_code != expect[role]:
                failures.append(
                    f"{method} {template} as {role}: {reply.status_code} != {expect[role]} {reply.text[:120]}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "asset", ["/static/crakit.css", "/static/vendor/htmx/htmx.min.js", "/static/vendor/htmx/LICENSE"]
)
def test_static_assets_are_served_by_the_app(http: Any, asset: str) -> None:
    reply = http.get(asset)
    assert reply.status_code == 200 and len(reply.content) > 100
