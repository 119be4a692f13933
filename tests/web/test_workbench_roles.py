"""Every workbench endpoint × every role (issue 13: admin, product owner, auditor read-only), on
SQLite and PostgreSQL. The cells are generated from the app's route table: a workbench route
without an expectation here fails the test, so a new endpoint cannot escape the matrix. The
foundation's own routes (sign-in, health, OpenAPI) are covered by tests/web/test_role_matrix.py.

Each cell runs on a fresh product of the admin's organisation whose SBOM already carries a known
exploited vulnerability (so it has a finding and an exploited alert); ``other`` is the admin of
another organisation, which must not see it (404)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from tests.workbench_kit import SBOM, build_initial, make_app, manifest_yaml, new_data, token

ROLES = ("anonymous", "admin", "product_owner", "auditor", "other")
Expect = dict[str, int]


def read(ok: int = 200, other: int = 404) -> Expect:
    return {"anonymous": 401, "admin": ok, "product_owner": ok, "auditor": ok, "other": other}


def write(ok: int, other: int = 404) -> Expect:
    return {"anonymous": 401, "admin": ok, "product_owner": ok, "auditor": 403, "other": other}


def everyone(status: int) -> Expect:
    """Public pages (the consumer page, Art 13(19))."""
    return dict.fromkeys(ROLES, status)


def admin(ok: int) -> Expect:
    return {"anonymous": 401, "admin": ok, "product_owner": 403, "auditor": 403, "other": ok}


Fixture = dict[str, Any]
Call = Callable[[TestClient, dict[str, str], Fixture], Any]


def _triage_json(f: Fixture) -> dict[str, str]:
    return {"purl": "pkg:pypi/demo-pkg@1.0", "id": "GHSA-wb13-demo-0001", "state": "in_triage"}


# (method, path) -> (expectation, how to call it)
CASES: dict[tuple[str, str], tuple[Expect, Call]] = {
    ("POST", "/api/v1/products"): (
        write(201, other=201),
        lambda c, h, f: c.post("/api/v1/products", content=manifest_yaml("Fresh " + f["name"]), headers=h),
    ),
    ("GET", "/api/v1/products"): (read(other=200), lambda c, h, f: c.get("/api/v1/products", headers=h)),
    ("GET", "/api/v1/products/{product_id}"): (
        read(),
        lambda c, h, f: c.get(f"/api/v1/products/{f['product']}", headers=h),
    ),
    ("POST", "/api/v1/products/{product_id}/sboms"): (
        write(201),
        lambda c, h, f: c.post(f"/api/v1/products/{f['product']}/sboms", content=SBOM, headers=h),
    ),
    ("GET", "/api/v1/products/{product_id}/findings"): (
        read(),
        lambda c, h, f: c.get(f"/api/v1/products/{f['product']}/findings", headers=h),
    ),
    ("POST", "/api/v1/products/{product_id}/triage"): (
        write(200),
        lambda c, h, f: c.post(f"/api/v1/products/{f['product']}/triage", json=_triage_json(f), headers=h),
    ),
    ("GET", "/api/v1/products/{product_id}/openvex"): (
        read(),
        lambda c, h, f: c.get(f"/api/v1/products/{f['product']}/openvex", headers=h),
    ),
    ("GET", "/api/v1/products/{product_id}/cyclonedx-vex"): (
        read(),
        lambda c, h, f: c.get(f"/api/v1/products/{f['product']}/cyclonedx-vex", headers=h),
    ),
    ("GET", "/api/v1/products/{product_id}/compare"): (
        read(),
        lambda c, h, f: c.get(f"/api/v1/products/{f['product']}/compare?base=2.1&head=2.1", headers=h),
    ),
    ("GET", "/api/v1/portfolio"): (
        read(other=200),
        lambda c, h, f: c.get("/api/v1/portfolio?format=csv", headers=h),
    ),
    ("GET", "/api/v1/suppressions"): (
        read(other=200),
        lambda c, h, f: c.get("/api/v1/suppressions", headers=h),
    ),
    ("POST", "/api/v1/suppressions"): (
        write(201),  # another tenant may not name this tenant's product
        lambda c, h, f: c.post(
            "/api/v1/suppressions",
            json={"product_id": f["product"], "vulnerability": "GHSA-none", "reason": "test"},
            headers=h,
        ),
    ),
    ("DELETE", "/api/v1/suppressions/{rule_id}"): (
        write(204),
        lambda c, h, f: c.delete(f"/api/v1/suppressions/{f['rule']}", headers=h),
    ),
    ("GET", "/api/v1/alerts"): (read(other=200), lambda c, h, f: c.get("/api/v1/alerts", headers=h)),
    ("POST", "/api/v1/alerts/{alert_id}/case"): (
        write(201),
        lambda c, h, f: c.post(f"/api/v1/alerts/{f['alert']}/case", headers=h),
    ),
    ("GET", "/api/v1/alert-channels"): (
        admin(200),
        lambda c, h, f: c.get("/api/v1/alert-channels", headers=h),
    ),
    ("POST", "/api/v1/alert-channels"): (
        admin(201),
        lambda c, h, f: c.post(
            "/api/v1/alert-channels", json={"kind": "email", "target": f"{f['name']}@example.com"}, headers=h
        ),
    ),
    ("GET", "/"): (
        {"anonymous": 303, "admin": 303, "product_owner": 303, "auditor": 303, "other": 303},
        lambda c, h, f: c.get("/", headers=h, follow_redirects=False),
    ),
    ("GET", "/products"): (read(other=200), lambda c, h, f: c.get("/products", headers=h)),
    ("POST", "/products"): (
        write(303, other=303),
        lambda c, h, f: c.post(
            "/products",
            files={"manifest": ("m.yaml", manifest_yaml("Page " + f["name"]))},
            headers=h,
            follow_redirects=False,
        ),
    ),
    ("GET", "/products/{product_id}"): (
        read(),
        lambda c, h, f: c.get(f"/products/{f['product']}", headers=h),
    ),
    ("POST", "/products/{product_id}/sboms"): (
        write(303),
        lambda c, h, f: c.post(
            f"/products/{f['product']}/sboms",
            files={"sbom": ("b.json", SBOM)},
            headers=h,
            follow_redirects=False,
        ),
    ),
    ("POST", "/products/{product_id}/triage"): (
        write(303),
        lambda c, h, f: c.post(
            f"/products/{f['product']}/triage", data=_triage_json(f), headers=h, follow_redirects=False
        ),
    ),
    ("GET", "/products/{product_id}/compare"): (
        read(),
        lambda c, h, f: c.get(f"/products/{f['product']}/compare?base=2.1&head=2.1", headers=h),
    ),
    ("GET", "/p/{public_id}"): (everyone(200), lambda c, h, f: c.get(f"/p/{f['public']}", headers=h)),
    ("GET", "/p/{public_id}/qr.svg"): (
        everyone(200),
        lambda c, h, f: c.get(f"/p/{f['public']}/qr.svg", headers=h),
    ),
    ("GET", "/p/{public_id}/openeox.json"): (
        everyone(200),
        lambda c, h, f: c.get(f"/p/{f['public']}/openeox.json", headers=h),
    ),
    ("GET", "/dashboard"): (read(other=200), lambda c, h, f: c.get("/dashboard", headers=h)),
    ("GET", "/charts/findings.svg"): (
        read(),
        lambda c, h, f: c.get(f"/charts/findings.svg?product={f['product']}", headers=h),
    ),
    ("GET", "/charts/support.svg"): (
        read(other=200),
        lambda c, h, f: c.get("/charts/support.svg", headers=h),
    ),
    ("GET", "/charts/deadlines.svg"): (
        read(other=200),
        lambda c, h, f: c.get("/charts/deadlines.svg", headers=h),
    ),
    ("GET", "/alerts"): (read(other=200), lambda c, h, f: c.get("/alerts", headers=h)),
    ("POST", "/alerts/{alert_id}/case"): (
        write(303),
        lambda c, h, f: c.post(f"/alerts/{f['alert']}/case", data={}, headers=h, follow_redirects=False),
    ),
}


def _workbench_routes(app: Any) -> set[tuple[str, str]]:
    from crakit.web.api import alerts, portfolio_export, products, suppressions
    from crakit.web.pages import consumer, dashboard, portfolio

    modules = {
        m.__name__ for m in (products, alerts, portfolio_export, suppressions, portfolio, consumer, dashboard)
    }
    found = set()
    for context in iter_route_contexts(app.router.routes):
        route = context.route
        endpoint = getattr(route, "endpoint", None)
        if getattr(endpoint, "__module__", None) in modules:
            found |= {
                (method, context.path) for method in set(getattr(route, "methods", None) or ()) - {"HEAD"}
            }
    return found


def test_every_route_for_every_role(database_url: str, tmp_path: Path) -> None:
    vulndb = build_initial(tmp_path)
    osv, kev = new_data(tmp_path)
    from crakit.vulndb import build_database

    build_database(vulndb, [osv], kev)  # the data is there before the uploads: uploads alert
    app = make_app(database_url, vulndb)
    tokens = {role: token(database_url, role) for role in ("admin", "product_owner", "auditor")}
    tokens["other"] = token(database_url, "admin", organisation="Other tenant")
    routes = _workbench_routes(app)
    assert routes == set(CASES), f"routes without expectations: {sorted(routes - set(CASES))}"
    wrong = []
    with TestClient(app, base_url="https://testserver") as client:
        admin_h = {"Authorization": f"Bearer {tokens['admin']}"}
        for n, ((method, path), (expect, call)) in enumerate(sorted(CASES.items())):
            for m, role in enumerate(ROLES):
                name = f"p{n}-{m}"
                product = client.post(
                    "/api/v1/products", content=manifest_yaml(name), headers=admin_h
                ).json()["id"]
                client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=admin_h)
                alert = next(
                    a["alert_id"]
                    for a in client.get("/api/v1/alerts", headers=admin_h).json()["alerts"]
                    if a["product"] == name and a["exploited"]
                )
                rule = client.post(
                    "/api/v1/suppressions",
                    json={"product_id": product, "vulnerability": "GHSA-none", "reason": "setup"},
                    headers=admin_h,
                ).json()["id"]
                public = client.get(f"/api/v1/products/{product}", headers=admin_h).json()["versions"][0][
                    "public_page"
                ]
                headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[role]}"}
                reply = call(
                    client,
                    headers,
                    {
                        "product": product,
                        "alert": alert,
                        "name": name,
                        "rule": rule,
                        "public": public.removeprefix("/p/"),
                    },
                )
                if reply.status_code != expect[role]:
                    wrong.append(f"{method} {path} as {role}: {reply.status_code} (expected {expect[role]})")
    app.state.store.close()
    assert not wrong, "\n".join(wrong)
