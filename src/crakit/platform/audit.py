"""The append-only, hash-chained ``audit_log``: every read and write of a notification.

One chain for the whole platform: each entry's SHA-256 covers its content and the previous
entry's hash; ``audit_head`` holds the newest (seq, hash). Appending locks the head row, which
serialises writers across processes (PostgreSQL ``SELECT ... FOR UPDATE``; SQLite transactions
are serialised anyway). :func:`verify` finds the first entry that was edited, removed or
reordered, and notices removal of the newest entries by comparing with the head.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crakit.platform.models import AuditHeadRow, AuditRow

GENESIS = "0" * 64
BATCH = 2000


def _digest(
    seq: int,
    at: datetime,
    actor: str,
    organisation_id: int | None,
    action: str,
    subject: str | None,
    detail: Any,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [seq, at.astimezone(UTC).isoformat(), actor, organisation_id, action, subject, detail, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    *,
    at: datetime,
    actor: str,
    organisation_id: int | None,
    action: str,
    subject: str | None,
    detail: dict[str, Any],
) -> int:
    """Append one entry; returns its sequence number. Call late in the transaction: the head lock
    is held until commit."""
    head = session.scalar(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update())
    if head is None:  # pragma: no cover - the migration creates it
        raise RuntimeError("audit_head row missing")
    # Exactly what the database will hand back: JSON-normalised detail, microsecond UTC instant.
    stored = json.loads(json.dumps(detail, default=str))
    at = at.astimezone(UTC)
    seq = head.seq + 1
    digest = _digest(seq, at, actor, organisation_id, action, subject, stored, head.hash)
    session.add(
        AuditRow(
            seq=seq,
            at=at,
            actor=actor[:300],
            organisation_id=organisation_id,
            action=action,
            subject=subject,
            detail=stored,
            prev_hash=head.hash,
            hash=digest,
        )
    )
    head.seq, head.hash = seq, digest
    session.flush()
    return seq


@dataclass(frozen=True, slots=True)
class Verification:
    intact: bool
    entries: int
    first_broken: int | None  # seq of the first broken entry (or where one is missing)
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "entries": self.entries,
            "first_broken_seq": self.first_broken,
            "reason": self.reason,
        }


def verify(session: Session) -> Verification:
    """Walk the chain in order, in batches (bounded memory on any size of log)."""
    expected_seq, prev, checked, last_id = 1, GENESIS, 0, 0
    while True:
        rows = list(
            session.scalars(select(AuditRow).where(AuditRow.id > last_id).order_by(AuditRow.id).limit(BATCH))
        )
        if not rows:
            break
        for row in rows:
            last_id = row.id
            if row.seq != expected_seq:
                if row.seq > expected_seq:
                    return Verification(
                        False, checked, expected_seq, f"entry {expected_seq} is missing (deleted)"
                    )
                return Verification(
                    False, checked, row.seq, f"entry {row.seq} is out of order (row id {row.id})"
                )
            if row.prev_hash != prev:
                return Verification(
                    False, checked, row.seq, f"entry {row.seq} does not link to entry {row.seq - 1}"
                )
            digest = _digest(
                row.seq,
                row.at,
                row.actor,
                row.organisation_id,
                row.action,
                row.subject,
                row.detail,
                row.prev_hash,
            )
            if digest != row.hash:
                return Verification(False, checked, row.seq, f"entry {row.seq} was altered (row id {row.id})")
            prev, expected_seq, checked = row.hash, expected_seq + 1, checked + 1
    head = session.get(AuditHeadRow, 1)
    if head is None or head.seq != checked or head.hash != prev:
        missing = checked + 1
        return Verification(
            False,
            checked,
            missing,
            f"entries from {missing} on are missing (the head records {head.seq if head else '?'})",
        )
    return Verification(True, checked, None, "intact")


def entries(
    session: Session, *, subject: str | None = None, after_seq: int = 0, limit: int = 100
) -> list[AuditRow]:
    query = select(AuditRow).where(AuditRow.seq > after_seq).order_by(AuditRow.seq).limit(limit)
    if subject is not None:
        query = query.where(AuditRow.subject == subject)
    return list(session.scalars(query))


def size(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditRow)) or 0)
