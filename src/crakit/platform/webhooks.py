"""HMAC-signed webhooks, so that a national CSIRT (or ENISA, or a manufacturer) can federate its
own system with the platform.

Deliveries go into an outbox table in the same transaction as the event, and are sent later
by whichever server process claims them (no in-process queue: a crash loses nothing).
Payloads carry no notification content, only the event, the notification id and where to
fetch it: the receiver pulls with its own token, so the usual visibility rules and the audit
log apply (need-to-know, recital 69).

Signature: ``X-Crakit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.platform.crypto import Keyring, seal, unseal
from crakit.platform.errors import InvalidSubmission, NotificationNotFound
from crakit.platform.models import DeliveryRow, WebhookRow
from crakit.reporting import format_instant

MAX_ATTEMPTS = 10
LEASE = timedelta(seconds=60)
MAX_PER_TENANT = 10
SIGNATURE_HEADER = "X-Crakit-Signature"


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    url: str
    created_at: datetime
    secret: str | None = None  # only when just registered

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "url": self.url, "created_at": format_instant(self.created_at)}
        if self.secret is not None:
            data["secret"] = self.secret
        return data


def _check_url(url: str, *, allow_private: bool) -> str:
    """A webhook must not turn the platform into a proxy towards its own network (SSRF): https
    only, and no loopback, private or link-local address (cloud metadata services live there).
    ``allow_private`` lifts both, for tests and closed national networks (an operator's choice)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or len(url) > 2000:
        raise InvalidSubmission("a webhook URL must be an http(s) address", field="url")
    if not allow_private:
        if parts.scheme != "https":
            raise InvalidSubmission("a webhook URL must use https", field="url")
        problem = private_target(parts.hostname, resolve=False)
        if problem:
            raise InvalidSubmission(f"a webhook URL must not point at {problem}", field="url")
    return url.strip()


def private_target(host: str, *, resolve: bool) -> str | None:
    """Why ``host`` is not a public destination (``None`` when it is, or cannot be resolved yet).

    At registration only the literal is judged (a name may not resolve from here); before each
    delivery the name is resolved and every address it gives must be public."""
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return "the loopback host"
    try:
        addresses = [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        if not resolve:
            return None
        try:
            found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            return None  # the delivery itself fails and is retried
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    for address in addresses:
        if not address.is_global:
            return f"a non-public address ({address})"
    return None


def register(
    session: Session,
    keyring: Keyring,
    organisation_id: int,
    url: str,
    *,
    now: datetime,
    allow_private: bool = False,
) -> Webhook:
    active = list(
        session.scalars(
            select(WebhookRow.id).where(
                WebhookRow.organisation_id == organisation_id, WebhookRow.disabled_at.is_(None)
            )
        )
    )
    if len(active) >= MAX_PER_TENANT:
        raise InvalidSubmission(f"at most {MAX_PER_TENANT} webhooks per organisation", field="url")
    secret = "whsec_" + secrets.token_urlsafe(32)
    key = keyring.current(organisation_id)
    row = WebhookRow(
        organisation_id=organisation_id,
        url=_check_url(url, allow_private=allow_private),
        secret_sealed=seal(key, secret, f"webhook:{organisation_id}"),
        key_version=key.version,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return Webhook(row.id, row.url, row.created_at, secret)


def listed(session: Session, organisation_id: int) -> list[Webhook]:
    rows = session.scalars(
        select(WebhookRow)
        .where(WebhookRow.organisation_id == organisation_id, WebhookRow.disabled_at.is_(None))
        .order_by(WebhookRow.id)
    )
    return [Webhook(r.id, r.url, r.created_at) for r in rows]


def disable(session: Session, organisation_id: int, webhook_id: int, *, now: datetime) -> None:
    row = session.get(WebhookRow, webhook_id)
    if row is None or row.organisation_id != organisation_id or row.disabled_at is not None:
        raise NotificationNotFound(f"no webhook {webhook_id}")
    row.disabled_at = now


def enqueue(
    session: Session, organisation_ids: Iterable[int], event: str, payload: dict[str, Any], *, now: datetime
) -> int:
    """One delivery per active webhook of each organisation (written with the event itself)."""
    targets = sorted(set(organisation_ids))
    if not targets:
        return 0
    hooks = session.scalars(
        select(WebhookRow.id).where(WebhookRow.organisation_id.in_(targets), WebhookRow.disabled_at.is_(None))
    )
    count = 0
    for hook_id in hooks:
        session.add(
            DeliveryRow(
                webhook_id=hook_id,
                event=event,
                payload={"event": event, **payload},
                created_at=now,
                attempts=0,
                next_attempt_at=now,
                status="pending",
            )
        )
        count += 1
    return count


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, now: datetime, tolerance: int = 300) -> bool:
    """For receivers: the signature matches and is no older than ``tolerance`` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now.timestamp() - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, body, timestamp), f"t={timestamp},v1={parts.get('v1', '')}")


@dataclass(frozen=True, slots=True)
class Outgoing:
    delivery_id: int
    url: str
    body: bytes
    headers: dict[str, str]


Sender = Callable[[Outgoing], None]  # raises on failure


def claim(session: Session, keyring: Keyring, *, now: datetime, limit: int = 20) -> list[Outgoing]:
    """Take due deliveries for LEASE (another process skips them meanwhile) and sign them."""
    query = (
        select(DeliveryRow, WebhookRow)
        .join(WebhookRow, WebhookRow.id == DeliveryRow.webhook_id)
        .where(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now)
        .order_by(DeliveryRow.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=DeliveryRow)
    out = []
    for delivery, hook in session.execute(query).all():
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        if hook.disabled_at is not None:
            delivery.status = "cancelled"
            continue
        secret = unseal(
            keyring.version(hook.organisation_id, hook.key_version),
            hook.secret_sealed,
            f"webhook:{hook.organisation_id}",
        )
        body = json.dumps(delivery.payload, sort_keys=True, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Crakit-Event": delivery.event,
            "X-Crakit-Delivery": str(delivery.id),
            SIGNATURE_HEADER: sign(secret, body, int(now.timestamp())),
        }
        out.append(Outgoing(delivery.id, hook.url, body, headers))
    return out


def settle(session: Session, delivery_id: int, error: str | None, *, now: datetime) -> None:
    row = session.get(DeliveryRow, delivery_id)
    if row is None:
        return
    if error is None:
        row.status, row.delivered_at, row.last_error = "delivered", now, None
        return
    row.last_error = error[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.next_attempt_at = now + min(timedelta(minutes=2 ** (row.attempts - 1)), timedelta(hours=6))


def reseal(session: Session, organisation_id: int, old: Any, new: Any) -> int:
    count = 0
    for row in session.scalars(
        select(WebhookRow).where(
            WebhookRow.organisation_id == organisation_id, WebhookRow.key_version == old.version
        )
    ):
        context = f"webhook:{organisation_id}"
        row.secret_sealed = seal(new, unseal(old, row.secret_sealed, context), context)
        row.key_version = new.version
        count += 1
    return count
