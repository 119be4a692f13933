"""Alerts: a shipped version became affected by, or known exploited through, a vulnerability.

Each (version, component, vulnerability, kind) alerts once (de-duplicated by a unique key, so a
second monitoring run or a re-upload never repeats it). An alert is shown in the app and goes
to every channel of its organisation through an outbox (one delivery row per alert and channel,
sent at most once): e-mail over SMTP and HMAC-SHA256-signed webhooks. An exploited alert carries
the moment crakit detected it, which is the earliest provable awareness for the Art 14(1) clock;
"open Art 14 case" starts the case there (the user may correct it; the history keeps both).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session

from crakit.platform import private_webhook_target
from crakit.portfolio.errors import Conflict, NotFound, PortfolioError
from crakit.portfolio.models import AlertRow, ChannelRow, DeliveryRow, ProductRow, VersionRow

SIGNATURE_HEADER = "X-Crakit-Signature"


def record_alerts(session: Session, alerts: list[dict[str, Any]]) -> list[int]:
    """Insert new alerts (the caller de-duplicated them; a unique key guards it) and queue one
    delivery per channel of each alert's organisation. Returns the new alert ids."""
    if not alerts:
        return []
    rows = session.execute(
        insert(AlertRow).returning(AlertRow.id, AlertRow.organisation_id, sort_by_parameter_order=True),
        alerts,
    ).all()
    organisations = sorted({org for _, org in rows})
    channels: dict[int, list[int]] = {}
    for channel_id, org in session.execute(
        select(ChannelRow.id, ChannelRow.organisation_id).where(ChannelRow.organisation_id.in_(organisations))
    ):
        channels.setdefault(org, []).append(channel_id)
    deliveries = [
        {"alert_id": alert_id, "channel_id": channel_id, "status": "pending", "attempts": 0}
        for alert_id, org in rows
        for channel_id in channels.get(org, ())
    ]
    if deliveries:
        session.execute(insert(DeliveryRow), deliveries)
    return [alert_id for alert_id, _ in rows]


@dataclass(frozen=True, slots=True)
class Alert:
    alert_id: int
    kind: str
    product_id: int
    product: str
    version_id: int
    version: str
    purl: str
    id: str
    aliases: tuple[str, ...]
    kev: tuple[str, ...]
    detected_at: datetime
    case_id: int | None

    @property
    def exploited(self) -> bool:
        return self.kind == "exploited"

    def to_json(self) -> dict[str, Any]:
        return {
            "alert_id": self.alert_id,
            "kind": self.kind,
            "product": self.product,
            "product_id": self.product_id,
            "version": self.version,
            "purl": self.purl,
            "id": self.id,
            "aliases": list(self.aliases),
            "kev": list(self.kev),
            "exploited": self.exploited,
            "detected_at": self.detected_at.isoformat().replace("+00:00", "Z"),
            "case_id": self.case_id,
        }


def _alerts(session: Session, where: Any) -> list[Alert]:
    query = (
        select(AlertRow, VersionRow.version, ProductRow.id, ProductRow.name)
        .join(VersionRow, VersionRow.id == AlertRow.version_id)
        .join(ProductRow, ProductRow.id == VersionRow.product_id)
        .where(where)
        .order_by(AlertRow.detected_at.desc(), AlertRow.id.desc())
    )
    return [
        Alert(
            a.id,
            a.kind,
            pid,
            pname,
            a.version_id,
            version,
            a.purl,
            a.vuln_id,
            tuple(a.aliases),
            tuple(a.kev),
            a.detected_at,
            a.case_id,
        )
        for a, version, pid, pname in session.execute(query).all()
    ]


def list_alerts(session: Session, organisation_id: int, *, limit: int = 1000) -> list[Alert]:
    return _alerts(session, AlertRow.organisation_id == organisation_id)[:limit]


def get_alert(session: Session, organisation_id: int, alert_id: int) -> Alert:
    found = _alerts(session, AlertRow.id == alert_id)
    row = session.get(AlertRow, alert_id)
    if not found or row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no alert {alert_id}")
    return found[0]


def link_case(session: Session, organisation_id: int, alert_id: int, case_id: int) -> None:
    row = session.get(AlertRow, alert_id, with_for_update=True)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no alert {alert_id}")
    if row.case_id is not None:
        raise Conflict(f"alert {alert_id} already opened Art 14 case {row.case_id}")
    row.case_id = case_id


# --- channels ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Channel:
    id: int
    kind: str
    target: str
    secret: str | None  # shown once, when a webhook is added

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "target": self.target, "secret": self.secret}


def add_channel(
    session: Session,
    organisation_id: int,
    kind: str,
    target: str,
    *,
    now: datetime,
    allow_private: bool = False,
) -> Channel:
    """Add an e-mail or webhook channel. A webhook must not turn the workbench into a proxy towards
    its own network (SSRF): https only and no loopback, private or link-local address, unless the
    operator allows it (``allow_private``: tests, closed networks) — the reporting platform's rule."""
    target = target.strip()
    if kind == "email":
        if "@" not in target or any(c in target for c in "\r\n ,;<>") or len(target) > 320:
            raise PortfolioError(f"not an e-mail address: {target[:80]!r}")
    elif kind == "webhook":
        parts = urlsplit(target)
        if parts.scheme not in ("https", "http") or not parts.hostname or any(c in target for c in "\r\n "):
            raise PortfolioError("a webhook URL is an https:// address")
        if not allow_private:
            if parts.scheme != "https":
                raise PortfolioError("a webhook URL must use https")
            problem = private_webhook_target(parts.hostname, resolve=False)
            if problem:
                raise PortfolioError(f"a webhook URL must not point at {problem}")
    else:
        raise PortfolioError("a channel is 'email' or 'webhook'")
    exists = session.scalar(
        select(ChannelRow).where(
            ChannelRow.organisation_id == organisation_id,
            ChannelRow.kind == kind,
            ChannelRow.target == target,
        )
    )
    if exists is not None:
        raise Conflict(f"this {kind} channel exists already (id {exists.id})")
    secret = secrets.token_urlsafe(32) if kind == "webhook" else None
    row = ChannelRow(organisation_id=organisation_id, kind=kind, target=target, secret=secret, created_at=now)
    session.add(row)
    session.flush()
    return Channel(row.id, kind, target, secret)


def list_channels(session: Session, organisation_id: int) -> list[Channel]:
    rows = session.scalars(
        select(ChannelRow).where(ChannelRow.organisation_id == organisation_id).order_by(ChannelRow.id)
    )
    return [Channel(r.id, r.kind, r.target, None) for r in rows]


# --- delivery ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MailSettings:
    """SMTP relay for alert e-mail (plain SMTP on loopback, or STARTTLS with a login)."""

    host: str
    port: int = 25
    sender: str = "crakit-workbench@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body under the channel's secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def alert_payload(alert: Alert) -> bytes:
    data = alert.to_json()
    data["event"] = f"alert.{alert.kind}"
    data["ref"] = "Art 14(1)" if alert.exploited else "Annex I Part I(2)(a)"
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _message(alert: Alert, sender: str, to: str) -> EmailMessage:
    message = EmailMessage()
    what = "known exploited" if alert.exploited else "affected"
    message["Subject"] = f"[crakit] {alert.product} {alert.version} is {what}: {alert.id}"
    message["From"] = sender
    message["To"] = to
    message["X-Crakit-Alert"] = str(alert.alert_id)
    lines = [
        f"{alert.product} {alert.version} ships {alert.purl}, {what} by {alert.id}"
        + (f" ({', '.join(alert.aliases)})" if alert.aliases else "")
        + ".",
        f"Detected at {alert.detected_at.isoformat()}.",
    ]
    if alert.exploited:
        lines.append(
            f"Listed in CISA KEV as {', '.join(alert.kev)}: an actively exploited vulnerability starts "
            "the Art 14(1) clock (early warning within 24 hours of awareness). Open an Art 14 case from "
            "the alert in the workbench; its awareness time defaults to the detection time above."
        )
    message.set_content("\n\n".join(lines) + "\n")
    return message


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int
    failed: int


def deliver_pending(
    session_factory: Any,
    mail: MailSettings | None,
    *,
    now: datetime,
    http: Any = None,
    limit: int = 200,
    allow_private: bool = False,
) -> DeliveryReport:
    """Send queued deliveries (``session_factory``: the store's ``transaction``). A failed one stays
    pending for the next run, up to five attempts; a sent one is never sent again.

    Deliveries are claimed first (status ``sending``, rows locked with SKIP LOCKED on PostgreSQL;
    SQLite's writer lock serialises the claim), so two runners at once never send one twice. A claim
    older than ten minutes (a runner killed while sending) is taken over."""
    import httpx

    stale = now - timedelta(minutes=10)
    with session_factory() as session:
        claimed = list(
            session.scalars(
                select(DeliveryRow)
                .where(
                    or_(
                        DeliveryRow.status == "pending",
                        (DeliveryRow.status == "sending") & (DeliveryRow.claimed_at < stale),
                    )
                )
                .order_by(DeliveryRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        for claim in claimed:
            claim.status, claim.claimed_at = "sending", now
        session.flush()
        rows = (
            list(
                session.execute(
                    select(
                        DeliveryRow.id,
                        DeliveryRow.alert_id,
                        ChannelRow.kind,
                        ChannelRow.target,
                        ChannelRow.secret,
                    )
                    .join(ChannelRow, ChannelRow.id == DeliveryRow.channel_id)
                    .where(DeliveryRow.id.in_([c.id for c in claimed]))
                    .order_by(DeliveryRow.id)
                ).all()
            )
            if claimed
            else []
        )
        alerts = (
            {a.alert_id: a for a in _alerts(session, AlertRow.id.in_([r[1] for r in rows]))} if rows else {}
        )
    sent = failed = 0
    client = http or httpx.Client(timeout=10, follow_redirects=False)
    try:
        for delivery_id, alert_id, kind, target, secret in rows:
            alert = alerts[alert_id]
            error: str | None = None
            try:
                if kind == "email":
                    if mail is None:
                        error = "no SMTP server configured"
                    else:
                        _send_mail(mail, _message(alert, mail.sender, target))
                elif not allow_private and (
                    refused := private_webhook_target(urlsplit(target).hostname or "", resolve=True)
                ):
                    error = f"refused: the webhook host resolves to {refused}"  # checked at each delivery
                else:
                    body = alert_payload(alert)
                    reply = client.post(
                        target,
                        content=body,
                        headers={
                            "Content-Type": "application/json",
                            SIGNATURE_HEADER: sign(secret or "", body),
                            "X-Crakit-Event": f"alert.{alert.kind}",
                            "X-Crakit-Delivery": str(delivery_id),
                        },
                    )
                    if reply.status_code >= 300:
                        error = f"HTTP {reply.status_code}"
            except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            with session_factory() as session:
                row = session.get(DeliveryRow, delivery_id, with_for_update=True)
                if row is None or row.status != "sending":
                    continue
                row.attempts += 1
                if error is None:
                    row.status, row.sent_at, row.last_error = "sent", now, None
                    sent += 1
                else:
                    row.last_error = error
                    row.status = "failed" if row.attempts >= 5 else "pending"
                    failed += 1
    finally:
        if http is None:
            client.close()
    return DeliveryReport(sent, failed)


def _send_mail(mail: MailSettings, message: EmailMessage) -> None:
    with smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout) as smtp:
        if mail.starttls:
            smtp.starttls()
        if mail.username:
            smtp.login(mail.username, mail.password or "")
        smtp.send_message(message)
