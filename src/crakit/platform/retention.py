"""Retention: a configured time after the final report (or after a notification was marked
invalid), its details are redacted (a skeleton stays: product, manufacturer, identifiers,
clocks) or the whole notification is purged. Audit entries hold no content and stay.

Keeping unpatched-vulnerability details no longer than needed is a design goal the research
notes derive from recital 69 and Art 16(5) (reporting.md §2.5), not a rule the CRA states.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from crakit.platform import audit
from crakit.platform.config import PlatformConfig
from crakit.platform.crypto import Keyring
from crakit.platform.models import DelayRow, DisseminationRow, NotificationRow, RevisionRow
from crakit.platform.notifications import _store_fields, current_fields
from crakit.platform.views import REDACTED_KEEP


@dataclass(frozen=True, slots=True)
class PurgeResult:
    mode: str
    notifications: list[str]

    def to_json(self) -> dict[str, object]:
        return {"mode": self.mode, "count": len(self.notifications), "notifications": self.notifications}


def due(session: Session, config: PlatformConfig, now: datetime) -> list[NotificationRow]:
    cutoff = now - config.retention
    return list(
        session.scalars(
            select(NotificationRow)
            .where(NotificationRow.redacted_at.is_(None))
            .where(or_(NotificationRow.final_at <= cutoff, NotificationRow.invalidated_at <= cutoff))
            .order_by(NotificationRow.id)
        )
    )


def purge(
    session: Session, keyring: Keyring, config: PlatformConfig, *, actor: str, now: datetime
) -> PurgeResult:
    done = []
    for row in due(session, config, now):
        done.append(row.public_id)
        if config.retention_mode == "purge":
            for table in (RevisionRow, DisseminationRow, DelayRow):
                session.execute(delete(table).where(table.notification_id == row.id))
            session.delete(row)
        else:
            kept = {k: v for k, v in current_fields(keyring, row).items() if k in REDACTED_KEEP}
            _store_fields(row, keyring.current(row.organisation_id), kept)
            session.execute(delete(RevisionRow).where(RevisionRow.notification_id == row.id))
            row.redacted_at = row.updated_at = now
        audit.record(
            session,
            at=now,
            actor=actor,
            organisation_id=None,
            action=f"retention.{config.retention_mode}",
            subject=row.public_id,
            detail={"retention_days": config.retention.days},
        )
        session.flush()
    return PurgeResult(config.retention_mode, done)
