"""Tables of the reporting platform. Every change needs a migration in ``migrations/``.

Tenant-scoped rows carry the tenant (``organisation_id``: the filing manufacturer). Form
fields are stored only sealed (AES-GCM under the tenant's data key, :mod:`crypto`); the
clear columns hold what routing, deadlines and dissemination need.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crakit.store import UTCDateTime


class PlatformBase(DeclarativeBase):
    """Declarative base of the platform tables (their own metadata and Alembic tree)."""


class TenantKeyRow(PlatformBase):
    """A tenant's data key, wrapped (encrypted) by the master key; versions change on rotation."""

    __tablename__ = "tenant_keys"
    __table_args__ = (UniqueConstraint("organisation_id", "version", name="uq_tenant_keys_org_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    wrapped: Mapped[str] = mapped_column(Text)
    master_key_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NotificationRow(PlatformBase):
    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("organisation_id", "case_ref", name="uq_notifications_org_case"),
        UniqueConstraint("organisation_id", "idempotency_key", name="uq_notifications_org_idempotency"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    case_ref: Mapped[str] = mapped_column(String(200))
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20), index=True)
    coordinator: Mapped[str] = mapped_column(String(2), index=True)
    routing: Mapped[dict[str, Any]] = mapped_column(JSON)
    member_states: Mapped[list[str]] = mapped_column(JSON)
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fix_available_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    early_warning_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    notification_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    intermediate_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    pec: Mapped[bool] = mapped_column(Boolean, default=False)
    pec_grounds: Mapped[list[str]] = mapped_column(JSON)
    enisa_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    enisa_released_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    invalidated_by: Mapped[str | None] = mapped_column(String(300), nullable=True)
    invalidation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    sealed: Mapped[str] = mapped_column(Text)
    key_version: Mapped[int] = mapped_column(Integer)
    revision: Mapped[int] = mapped_column(Integer)
    submitted_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class RevisionRow(PlatformBase):
    """Each stage filed and each update: an immutable revision of the notification."""

    __tablename__ = "notification_revisions"
    __table_args__ = (UniqueConstraint("notification_id", "seq", name="uq_revisions_notification_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(20))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by: Mapped[str] = mapped_column(String(300))
    sealed: Mapped[str] = mapped_column(Text)
    key_version: Mapped[int] = mapped_column(Integer)


class DisseminationRow(PlatformBase):
    """The coordinator passed the notification to another Member State's CSIRT (Art 16(2))."""

    __tablename__ = "disseminations"
    __table_args__ = (UniqueConstraint("notification_id", "member_state", name="uq_disseminations_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    member_state: Mapped[str] = mapped_column(String(2), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(300))
    tlp: Mapped[str] = mapped_column(String(20))
    pap: Mapped[str] = mapped_column(String(10))


class DelayRow(PlatformBase):
    """A decision to delay dissemination (Art 16(2) second subparagraph; DR (EU) 2026/881)."""

    __tablename__ = "dissemination_delays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    member_states: Mapped[list[str]] = mapped_column(JSON)
    ground: Mapped[str] = mapped_column(String(40))
    justification: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str] = mapped_column(String(300))
    enisa_informed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditRow(PlatformBase):
    """Append-only, hash-chained record of every read and write of a notification."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(PlatformBase):
    """The newest entry's sequence number and hash: locked to serialise appends, and compared by
    ``audit verify`` so that deleting the newest entries is noticed too."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class WebhookRow(PlatformBase):
    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    url: Mapped[str] = mapped_column(Text)
    secret_sealed: Mapped[str] = mapped_column(Text)
    key_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DeliveryRow(PlatformBase):
    """Outbox of webhook deliveries: written in the same transaction as the event, sent later."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    event: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
