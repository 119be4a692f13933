"""The workbench's pages: the portfolio (one row per product, a version switcher), a product
version's findings with VEX triage, and the alerts with "open Art 14 case"."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web.auth import current_principal, optional_principal, store_of
from crakit.web.templating import render
from crakit.web.workbench_context import require, vulndb_path

router = APIRouter(include_in_schema=False)
Caller = Annotated[Principal, Depends(current_principal)]
ProductId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AlertId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_UPLOAD = 100 * 1024 * 1024


def _now() -> datetime:
    return datetime.now(UTC)


@router.get("/")
def home(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Response:
    return RedirectResponse("/products" if principal is not None else "/login", status_code=303)


@router.get("/products", response_class=HTMLResponse)
def products(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        listing = portfolio.list_products(session, tenant)
    return render(
        request, "products.html", {"products": listing, "can_write": portfolio.allowed(caller.role, "write")}
    )


async def _file(request: Request, name: str) -> bytes:
    form = await request.form(max_part_size=MAX_UPLOAD)
    item = form.get(name)
    if not isinstance(item, UploadFile):
        raise portfolio.PortfolioError("choose a file to upload")
    return await item.read(MAX_UPLOAD + 1)


@router.post("/products")
async def upload_manifest(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "write")
    data = await _file(request, "manifest")

    def work() -> portfolio.Added:
        with store_of(request).transaction() as session:
            return portfolio.add_manifest(session, tenant, data, now=_now())

    added = await run_in_threadpool(work)
    return RedirectResponse(f"/products/{added.product_id}", status_code=303)


@router.get("/products/{product_id}", response_class=HTMLResponse)
def product(
    request: Request,
    product_id: ProductId,
    caller: Caller,
    version: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        view = portfolio.get_product(session, tenant, product_id)
        row = portfolio.version_row(session, tenant, product_id, version or None)
        findings = portfolio.findings_of(session, row)
        facts = dict(row.facts)
        public_id = row.public_id
    return render(
        request,
        "product.html",
        {
            "product": view,
            "version": row.version,
            "public_id": public_id,
            "facts": facts,
            "findings": findings,
            "states": portfolio.STATES,
            "justifications": portfolio.JUSTIFICATIONS,
            "responses": portfolio.RESPONSES,
            "can_write": portfolio.allowed(caller.role, "write"),
        },
    )


@router.post("/products/{product_id}/sboms")
async def upload_sbom(request: Request, product_id: ProductId, caller: Caller) -> Response:
    tenant = require(caller, "write")
    form = await request.form(max_part_size=MAX_UPLOAD)
    version = str(form.get("version") or "") or None
    data = await _file(request, "sbom")

    def work() -> str:
        from crakit.vulndb import open_database

        sbom = portfolio.parse_upload(data)
        with open_database(vulndb_path(request)) as db, store_of(request).transaction() as session:
            row = portfolio.version_row(session, tenant, product_id, version)
            portfolio.add_sbom(session, db, row, sbom, actor=caller.actor, now=_now())
            return row.version

    chosen = await run_in_threadpool(work)
    return RedirectResponse(f"/products/{product_id}?version={chosen}", status_code=303)


@router.post("/products/{product_id}/triage")
async def triage(request: Request, product_id: ProductId, caller: Caller) -> Response:
    tenant = require(caller, "write")
    form = await request.form()

    def text(name: str, limit: int) -> str | None:
        value = str(form.get(name) or "").strip()
        if len(value) > limit:
            raise portfolio.PortfolioError(f"{name} is limited to {limit} characters")
        return value or None

    version, purl, vuln = text("version", 200), text("purl", 2000), text("id", 200)
    if not purl or not vuln:
        raise portfolio.PortfolioError("the form names no finding")
    decision = portfolio.Decision(
        text("state", 40) or "", text("justification", 80), text("response", 80), text("detail", 4000)
    )
    with store_of(request).transaction() as session:
        row = portfolio.version_row(session, tenant, product_id, version)
        portfolio.set_triage(session, row, purl, vuln, decision, actor=caller.actor, now=_now())
    return RedirectResponse(f"/products/{product_id}?version={row.version}", status_code=303)


@router.get("/alerts", response_class=HTMLResponse)
def alerts(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        listing = portfolio.list_alerts(session, tenant, limit=500)
    return render(
        request, "alerts.html", {"alerts": listing, "can_write": portfolio.allowed(caller.role, "write")}
    )


@router.post("/alerts/{alert_id}/case")
async def open_case(request: Request, alert_id: AlertId, caller: Caller) -> Response:
    tenant = require(caller, "write")
    form = await request.form()
    given = str(form.get("aware_at") or "").strip()
    aware: datetime | None = None
    if given:
        try:
            aware = datetime.fromisoformat(given.replace("Z", "+00:00"))
        except ValueError:
            raise portfolio.PortfolioError("the awareness time is not a date and time") from None
        if aware.tzinfo is None:
            aware = aware.replace(tzinfo=UTC)  # the form's field is in UTC, as the legal clocks are

    def work() -> Any:
        return portfolio.open_case_from_alert(
            store_of(request), tenant, alert_id, aware_at=aware, actor=caller.actor, now=_now()
        )

    await run_in_threadpool(work)
    return RedirectResponse("/alerts", status_code=303)


@router.get("/products/{product_id}/compare", response_class=HTMLResponse)
def compare(
    request: Request,
    product_id: ProductId,
    caller: Caller,
    base: Annotated[str, Query(max_length=200)],
    head: Annotated[str, Query(max_length=200)],
) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        view = portfolio.get_product(session, tenant, product_id)
        old = portfolio.version_row(session, tenant, product_id, base)
        new = portfolio.version_row(session, tenant, product_id, head)
        diff = portfolio.compare_versions(session, old, new)
    return render(request, "compare.html", {"product": view, "diff": diff})
