"""Request body size limit and security headers, as plain ASGI middleware (no state between requests)."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


class BodyLimit:
    """Refuse bodies over ``limit`` bytes with 413, whether or not a Content-Length is sent,
    so that no request can make the server hold an unbounded body in memory."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or ())
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0
        started = False
        refused = False

        async def limited_receive() -> Message:
            nonlocal seen, started, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Answer 413 now and tell the app the client went away: whatever the app then
                    # tries to send is dropped (it may not turn this into a 400 of its own).
                    refused = True
                    if not started:
                        started = True
                        await _too_large(send, self.limit)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)


async def _too_large(send: Send, limit: int) -> None:
    await _refuse(send, 413, "body_too_large", f"request body over {limit} bytes")


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    payload = json.dumps(
        {"error": {"status": status, "code": code, "message": message, "field": None, "hint": None}}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra: list[Any] = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                ]
                if not scope["path"].startswith(("/docs", "/redoc")):
                    extra.append((b"content-security-policy", CSP.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)


TEXT_TYPES = (b"application/json", b"application/x-www-form-urlencoded")
NUL_MARKERS = (b"\x00", b"\\u0000", b"%00")


class NoNul:
    """Refuse NUL characters in the query and in JSON or form bodies (422): PostgreSQL text cannot
    hold them, and no field of a notification needs one. Binary uploads are left alone.

    A JSON string holding a backslash followed by the text ``u0000`` is refused too; that is the
    price of checking the raw bytes as they stream in, without buffering or parsing twice."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query or "\x00" in scope.get("path", ""):
            await _refuse(send, 422, "nul_character", "NUL characters are not accepted")
            return
        content_type = dict(scope.get("headers") or ()).get(b"content-type", b"").split(b";")[0].strip()
        if content_type not in TEXT_TYPES:
            await self.app(scope, receive, send)
            return
        tail = b""
        refused = False

        async def checked_receive() -> Message:
            nonlocal tail, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                window = tail + message.get("body", b"")
                if any(marker in window for marker in NUL_MARKERS):
                    refused = True
                    await _refuse(send, 422, "nul_character", "NUL characters are not accepted")
                    return {"type": "http.disconnect"}
                tail = window[-6:]
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, checked_receive, guarded_send)
