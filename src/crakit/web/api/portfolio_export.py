"""``/api/v1/portfolio``: the whole portfolio, one row per product version, as JSON or CSV."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from crakit import portfolio
from crakit.accounts import Principal
from crakit.web.auth import current_principal, store_of
from crakit.web.workbench_context import require

router = APIRouter(prefix="/api/v1/portfolio", tags=["portfolio"])
Caller = Annotated[Principal, Depends(current_principal)]


@router.get(
    "",
    summary="The portfolio, one row per product version (support end, findings, known exploited)",
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def export(
    request: Request, caller: Caller, format: Annotated[Literal["json", "csv"], Query()] = "json"
) -> Any:
    tenant = require(caller, "read")
    with store_of(request).transaction(write=False) as session:
        rows = portfolio.portfolio_rows(session, tenant)
    if format == "csv":
        return Response(
            portfolio.portfolio_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="portfolio.csv"'},
        )
    return {"versions": rows}
