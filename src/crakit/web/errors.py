"""Domain errors → HTTP status, one JSON error shape for every failure:

``{"error": {"status": 422, "code": "invalid_submission", "message": "...", "field": "summary", "hint": null}}``

Pages get the same information as an HTML page (and a redirect to sign in on 401).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from crakit.accounts import (
    AccountConflict,
    AccountsError,
    InvitationInvalid,
    NotAuthenticated,
    PermissionDenied,
    Throttled,
    UnknownOrganisation,
)
from crakit.errors import EXIT_FINDINGS, EXIT_INPUT, CrakitError
from crakit.store import StoreError

log = logging.getLogger("crakit.web")

FOUNDATION_STATUSES: tuple[tuple[type[Exception], int], ...] = (
    (NotAuthenticated, 401),
    (PermissionDenied, 403),
    (Throttled, 429),
    (UnknownOrganisation, 404),
    (AccountConflict, 409),
    (InvitationInvalid, 410),
    (AccountsError, 422),
    (StoreError, 503),
)


class ErrorDetail(BaseModel):
    status: int
    code: str
    message: str
    field: str | None = None
    hint: str | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERROR_STATUSES = (400, 401, 403, 404, 405, 409, 410, 413, 415, 422, 429, 500, 503)
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": "Error (one JSON shape for every failure)"}
    for status in ERROR_STATUSES
}


def _code(exc: Exception) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower().strip("_")


def body(
    status: int, code: str, message: str, field: str | None = None, hint: str | None = None
) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "field": field, "hint": hint}}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def install(app: FastAPI, statuses: Sequence[tuple[type[Exception], int]]) -> None:
    table = list(statuses) + list(FOUNDATION_STATUSES)

    def status_of(exc: CrakitError) -> int:
        for cls, status in table:
            if isinstance(exc, cls):
                return status
        return 422 if exc.exit_code == EXIT_INPUT else 403 if exc.exit_code == EXIT_FINDINGS else 500

    def respond(
        request: Request, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Response:
        if wants_html(request):
            if status == 401:
                return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
            from crakit.web.templating import render

            return render(request, "error.html", {"error": payload["error"]}, status_code=status)
        return JSONResponse(payload, status_code=status, headers=headers)

    @app.exception_handler(CrakitError)
    async def crakit_error(request: Request, exc: CrakitError) -> Response:
        status = status_of(exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
        if status == 401 and not wants_html(request):
            headers = {**(headers or {}), "WWW-Authenticate": 'Bearer realm="crakit"'}
        return respond(
            request,
            status,
            body(status, _code(exc), exc.message, getattr(exc, "field", None), exc.hint),
            headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid":
            return respond(request, 400, body(400, "malformed_json", "the body is not valid JSON"))
        location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
        field = ".".join(location) or None
        message = (
            f"{field}: {first.get('msg', 'invalid')}" if field else str(first.get("msg", "invalid request"))
        )
        return respond(request, 422, body(422, "invalid_request", message[:500], field))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return respond(
            request,
            exc.status_code,
            body(exc.status_code, code, str(exc.detail)),
            getattr(exc, "headers", None),
        )

    @app.exception_handler(ClientDisconnect)
    async def gone(request: Request, exc: ClientDisconnect) -> Response:
        # The client went away, or BodyLimit already answered 413 and cut the body: nothing to
        # log as an error, and whatever is sent here is dropped.
        return respond(request, 400, body(400, "client_disconnected", "the request body did not arrive"))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return respond(request, 500, body(500, "internal_error", "internal error (logged on the server)"))
