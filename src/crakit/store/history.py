"""The append-only, hash-chained history every feature uses for its evidence trail.

Each entry's hash covers its content and the previous entry's hash, so any edit or
deletion made behind crakit's back (the database also refuses both) shows up in
:func:`verify_chain`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crakit.store.models import HistoryRow

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One recorded change: who did what, when, with the details."""

    subject_type: str
    subject_id: str
    seq: int
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def _digest(
    subject_type: str,
    subject_id: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [subject_type, subject_id, seq, at.isoformat(), actor, action, detail, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _entry(row: HistoryRow) -> HistoryEntry:
    return HistoryEntry(
        row.subject_type,
        row.subject_id,
        row.seq,
        row.at,
        row.actor,
        row.action,
        dict(row.detail),
        row.prev_hash,
        row.hash,
    )


def append(
    session: Session,
    subject_type: str,
    subject_id: str,
    *,
    at: datetime,
    actor: str,
    action: str,
    detail: dict[str, Any],
) -> HistoryEntry:
    """Record one change of ``subject`` (never updates or deletes earlier entries)."""
    if at.tzinfo is None:
        raise ValueError("history times must carry a time zone")
    # Hash the instant exactly as it is read back (UTC), or verification would fail later.
    at = at.astimezone(UTC)
    _lock_subject(session, subject_type, subject_id)
    last = session.execute(
        select(HistoryRow.seq, HistoryRow.hash)
        .where(HistoryRow.subject_type == subject_type, HistoryRow.subject_id == subject_id)
        .order_by(HistoryRow.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    # Round-trip the detail through JSON so the hash covers exactly what is stored.
    stored = json.loads(json.dumps(detail, default=str))
    digest = _digest(subject_type, subject_id, seq, at, actor, action, stored, prev)
    row = HistoryRow(
        subject_type=subject_type,
        subject_id=subject_id,
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        detail=stored,
        prev_hash=prev,
        hash=digest,
    )
    session.add(row)
    session.flush()
    return _entry(row)


def _lock_subject(session: Session, subject_type: str, subject_id: str) -> None:
    """Serialise appends to one subject's chain until the transaction ends.

    The previous entry's hash must be read under the same lock as the new entry is written, or two
    writers chain onto the same predecessor (the unique (subject, seq) constraint then refuses one).
    PostgreSQL: a transaction-scoped advisory lock keyed by the subject, so any caller is safe, even
    one that locked no row. SQLite: the store's write transactions hold the database write lock from
    BEGIN IMMEDIATE (crakit.store.engine), which already serialises every writer.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    name = f"crakit-history\0{subject_type}\0{subject_id}".encode()
    key = int.from_bytes(hashlib.sha256(name).digest()[:8], "big", signed=True)
    session.execute(select(func.pg_advisory_xact_lock(key)))


def entries(session: Session, subject_type: str, subject_id: str) -> list[HistoryEntry]:
    """All entries of a subject, oldest first."""
    rows = session.scalars(
        select(HistoryRow)
        .where(HistoryRow.subject_type == subject_type, HistoryRow.subject_id == subject_id)
        .order_by(HistoryRow.seq)
    )
    return [_entry(row) for row in rows]


def count(session: Session, subject_type: str) -> int:
    return int(session.scalar(select(func.count()).where(HistoryRow.subject_type == subject_type)) or 0)


def verify_chain(chain: list[HistoryEntry]) -> bool:
    """True when every entry's hash matches its content and links to its predecessor."""
    prev = GENESIS
    for position, item in enumerate(chain, start=1):
        if item.seq != position or item.prev_hash != prev:
            return False
        expected = _digest(
            item.subject_type,
            item.subject_id,
            item.seq,
            item.at,
            item.actor,
            item.action,
            item.detail,
            item.prev_hash,
        )
        if expected != item.hash:
            return False
        prev = item.hash
    return True
