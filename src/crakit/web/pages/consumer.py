"""The public consumer page of a product version (Art 13(19)): end of support to the month, the
single point of contact, where advisories are published, a QR code pointing at the page (segno)
and the OpenEoX document. No sign-in, no script: the page can be saved and served as static files."""

from __future__ import annotations

import io
from datetime import date
from typing import Annotated

import segno
from babel.dates import format_date
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from crakit import portfolio
from crakit.web import i18n
from crakit.web.auth import store_of
from crakit.web.templating import render

router = APIRouter(include_in_schema=False)
PublicId = Annotated[str, Path(min_length=8, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


def _page(request: Request, public_id: str) -> portfolio.ConsumerPage:
    with store_of(request).transaction(write=False) as session:
        return portfolio.consumer_page(session, public_id)


@router.get("/p/{public_id}", response_class=HTMLResponse)
def page(request: Request, public_id: PublicId) -> Response:
    found = _page(request, public_id)
    lang = i18n.negotiate(request, request.app.state.settings.languages)
    end = found.support_end_day
    month = format_date(date(end.year, end.month, 1), "MMMM yyyy", locale=lang) if end else None
    return render(request, "consumer.html", {"page": found, "support_month": month})


@router.get("/p/{public_id}/qr.svg")
def qr(request: Request, public_id: PublicId) -> Response:
    found = _page(request, public_id)
    address = str(request.url_for("page", public_id=found.public_id))
    out = io.BytesIO()
    segno.make(address, error="m").save(out, kind="svg", scale=4, dark="#0f2a55", xmldecl=False)
    return Response(out.getvalue(), media_type="image/svg+xml")


@router.get("/p/{public_id}/openeox.json")
def openeox(request: Request, public_id: PublicId) -> Response:
    return JSONResponse(_page(request, public_id).openeox())
