"""The dashboard: findings over time (portfolio and per product), support periods on a timeline
and the Art 14 deadlines as a calendar, each an SVG drawn by the app."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web import charts
from crakit.web.auth import current_principal, store_of
from crakit.web.templating import render
from crakit.web.workbench_context import require

router = APIRouter(include_in_schema=False)
Caller = Annotated[Principal, Depends(current_principal)]
SVG = "image/svg+xml"


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "read")
    store = store_of(request)
    with store.transaction(write=False) as session:
        products = portfolio.list_products(session, tenant)
    deadlines = portfolio.case_deadlines(store, tenant)
    # the countdowns refresh every minute (htmx); the clocks themselves are exact (crakit.reporting)
    context = {"products": products, "deadlines": deadlines, "now": datetime.now(UTC)}
    return render(request, "dashboard.html", context)


@router.get("/charts/findings.svg")
def findings_svg(
    request: Request, caller: Caller, product: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        if product is not None:
            portfolio.get_product(session, tenant, product)  # 404 for another tenant's product
        points = portfolio.findings_over_time(session, tenant, product)
    return Response(charts.findings_chart(points, "Findings over time"), media_type=SVG)


@router.get("/charts/support.svg")
def support_svg(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        bars = portfolio.support_periods(session, tenant)
    return Response(charts.support_chart(bars, datetime.now(UTC).date(), "Support periods"), media_type=SVG)


@router.get("/charts/deadlines.svg")
def deadlines_svg(request: Request, caller: Caller) -> Response:
    tenant = require(caller, "read")
    deadlines = portfolio.case_deadlines(store_of(request), tenant)
    return Response(
        charts.deadline_calendar(deadlines, datetime.now(UTC).date(), "Art 14 deadlines"), media_type=SVG
    )
