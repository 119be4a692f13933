"""Key rotation for the whole platform: new data keys, every sealed row re-sealed, optional new master key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.platform import webhooks
from crakit.platform.crypto import DataKey, RotationResult, rotate, seal, unseal
from crakit.platform.models import NotificationRow, RevisionRow


def _reseal_notifications(session: Session, organisation_id: int, old: DataKey, new: DataKey) -> int:
    count = 0
    for row in session.scalars(
        select(NotificationRow).where(
            NotificationRow.organisation_id == organisation_id, NotificationRow.key_version == old.version
        )
    ):
        context = f"notification:{row.public_id}"
        row.sealed, row.key_version = seal(new, unseal(old, row.sealed, context), context), new.version
        count += 1
        for revision in session.scalars(
            select(RevisionRow).where(
                RevisionRow.notification_id == row.id, RevisionRow.key_version == old.version
            )
        ):
            rcontext = f"{context}:revision:{revision.seq}"
            revision.sealed = seal(new, unseal(old, revision.sealed, rcontext), rcontext)
            revision.key_version = new.version
            count += 1
    # revisions whose notification was already re-sealed under an older rotation
    for revision in session.scalars(
        select(RevisionRow).where(
            RevisionRow.organisation_id == organisation_id, RevisionRow.key_version == old.version
        )
    ):
        parent = session.get(NotificationRow, revision.notification_id)
        assert parent is not None
        rcontext = f"notification:{parent.public_id}:revision:{revision.seq}"
        revision.sealed = seal(new, unseal(old, revision.sealed, rcontext), rcontext)
        revision.key_version = new.version
        count += 1
    return count + webhooks.reseal(session, organisation_id, old, new)


def rotate_keys(
    session: Session, old_master: bytes, new_master: bytes | None, *, now: datetime
) -> RotationResult:
    """Run in one transaction: either every row is under the new keys, or nothing changed."""
    return rotate(
        session,
        old_master,
        new_master or old_master,
        now=now,
        reseal_tenant=lambda org, old, new: _reseal_notifications(session, org, old, new),
    )
