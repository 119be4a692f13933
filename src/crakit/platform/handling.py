"""What the coordinator CSIRT does with a notification it received (Art 16(2), 14(6)):
disseminate to other Member States' CSIRTs with TLP 2.0 and PAP markings, record a delay on a
ground of Delegated Regulation (EU) 2026/881 (ENISA informed at once), release the full
notification to ENISA after PEC, ask for an intermediate report, mark a submission invalid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.accounts import Principal
from crakit.platform import audit, webhooks
from crakit.platform.crypto import Keyring
from crakit.platform.errors import InvalidSubmission, NotAllowed, StateConflict
from crakit.platform.models import DelayRow, DisseminationRow, NotificationRow
from crakit.platform.notifications import _notify, _organisations_of, _visible, current_fields
from crakit.platform.parties import CSIRT, ENISA, View
from crakit.platform.views import present
from crakit.reporting import ReportingError, format_instant, member_state

TLP = ("clear", "green", "amber", "amber+strict", "red")  # FIRST TLP 2.0
PAP = ("clear", "green", "amber", "red")
TEXT_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class DelayGround:
    code: str
    article: str
    text: str


@cache
def delay_grounds() -> tuple[DelayGround, ...]:
    text = (
        resources.files("crakit.platform").joinpath("data", "delay_grounds.yaml").read_text(encoding="utf-8")
    )
    data: dict[str, Any] = yaml.safe_load(text)
    return tuple(DelayGround(str(g["code"]), str(g["article"]), str(g["text"])) for g in data["grounds"])


def _coordinated(session: Session, principal: Principal, public_id: str) -> tuple[NotificationRow, list[str]]:
    row, view, recipients = _visible(session, principal, public_id, lock=True)
    if view is not View.COORDINATOR:
        raise NotAllowed("only the coordinator CSIRT of this notification may do this (Art 16(2))")
    return row, recipients


def _states(codes: Sequence[Any], coordinator: str, field: str) -> list[str]:
    if not isinstance(codes, list | tuple) or not codes or len(codes) > 30:
        raise InvalidSubmission(f"{field}: a list of 1 to 30 Member State codes", field=field)
    found: list[str] = []
    for code in codes:
        if not isinstance(code, str):
            raise InvalidSubmission(f"{field}: Member State codes are text", field=field)
        try:
            csirt = member_state(code, field)
        except ReportingError as exc:
            raise InvalidSubmission(exc.message, field=field, hint=exc.hint) from None
        assert csirt is not None
        if csirt.code == coordinator:
            raise InvalidSubmission(
                f"{field}: {csirt.code} is the coordinator's own Member State", field=field
            )
        if csirt.code not in found:
            found.append(csirt.code)
    return found


def _text(value: Any, field: str, limit: int = TEXT_LIMIT) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidSubmission(f"{field}: 1 to {limit} characters", field=field)
    return value.strip()


def _shown(
    session: Session, keyring: Keyring, row: NotificationRow, recipients: list[str], now: datetime
) -> dict[str, Any]:
    return present(
        session,
        keyring,
        row=row,
        fields=current_fields(keyring, row),
        view=View.COORDINATOR,
        recipients=recipients,
        now=now,
    )


def _open(row: NotificationRow) -> None:
    if row.invalidated_at is not None:
        raise StateConflict("this notification was marked invalid")
    if row.redacted_at is not None:
        raise StateConflict("this notification was redacted under the retention policy")


def disseminate(
    session: Session,
    keyring: Keyring,
    principal: Principal,
    public_id: str,
    codes: Sequence[Any],
    *,
    tlp: str = "amber",
    pap: str = "amber",
    now: datetime,
) -> dict[str, Any]:
    """Pass the notification to the CSIRTs of other Member States (Art 16(2), first subparagraph).

    The manufacturer indicates where the product is available (Glossary field 5); a target outside
    that list is allowed (the coordinator may judge others concerned) but flagged in the audit."""
    row, recipients = _coordinated(session, principal, public_id)
    _open(row)
    if tlp.lower() not in TLP:
        raise InvalidSubmission(f"tlp: one of {', '.join(TLP)} (TLP 2.0)", field="tlp")
    if pap.lower() not in PAP:
        raise InvalidSubmission(f"pap: one of {', '.join(PAP)}", field="pap")
    targets = _states(codes, row.coordinator, "member_states")
    added = [code for code in targets if code not in recipients]
    for code in added:
        session.add(
            DisseminationRow(
                notification_id=row.id,
                organisation_id=row.organisation_id,
                member_state=code,
                at=now,
                by=principal.actor,
                tlp=tlp.lower(),
                pap=pap.lower(),
            )
        )
    session.flush()
    recipients = recipients + added
    indicated = set(row.member_states) - {row.coordinator}
    if row.pec and row.enisa_released_at is None and indicated and indicated <= set(recipients):
        # ENISA's partial view lasts until the notification is fully disseminated (Art 16(2),
        # third subparagraph): reaching every Member State the manufacturer indicated ends it.
        _release_to_enisa(
            session,
            principal,
            row,
            now,
            detail={"reason": "fully disseminated", "member_states": sorted(indicated)},
        )
    for code in added:
        webhooks.enqueue(
            session,
            _organisations_of(session, CSIRT, code),
            "notification.disseminated",
            {
                "notification": row.public_id,
                "member_state": code,
                "at": format_instant(now),
                "href": f"/api/v1/notifications/{row.public_id}",
            },
            now=now,
        )
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.disseminated",
        subject=row.public_id,
        detail={
            "member_states": added,
            "already": [c for c in targets if c not in added],
            "not_indicated_by_manufacturer": [c for c in added if c not in row.member_states],
            "tlp": tlp.lower(),
            "pap": pap.lower(),
        },
    )
    return _shown(session, keyring, row, recipients, now)


def delay(
    session: Session,
    keyring: Keyring,
    principal: Principal,
    public_id: str,
    codes: Sequence[Any],
    *,
    ground: str,
    justification: Any,
    until: datetime,
    now: datetime,
) -> dict[str, Any]:
    """Record a delay of dissemination (Art 16(2), second subparagraph; DR (EU) 2026/881):
    who decided, on which ground, until when; ENISA is informed at the same instant."""
    row, recipients = _coordinated(session, principal, public_id)
    _open(row)
    chosen = {g.code: g for g in delay_grounds()}.get(ground)
    if chosen is None:
        raise InvalidSubmission(
            f"ground: one of {', '.join(g.code for g in delay_grounds())}", field="ground"
        )
    if until <= now:
        raise InvalidSubmission("until: the expected release must lie in the future", field="until")
    states = _states(codes, row.coordinator, "member_states")
    already = [c for c in states if c in recipients]
    if already:
        raise StateConflict(f"already disseminated to {', '.join(already)}: nothing left to delay there")
    session.add(
        DelayRow(
            notification_id=row.id,
            organisation_id=row.organisation_id,
            member_states=states,
            ground=chosen.code,
            justification=_text(justification, "justification"),
            until=until,
            decided_at=now,
            decided_by=principal.actor,
            enisa_informed_at=now,
        )
    )
    session.flush()
    webhooks.enqueue(
        session,
        _organisations_of(session, ENISA),
        "dissemination.delayed",
        {
            "notification": row.public_id,
            "member_states": states,
            "ground": chosen.code,
            "until": format_instant(until),
            "at": format_instant(now),
            "href": f"/api/v1/notifications/{row.public_id}",
        },
        now=now,
    )
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="dissemination.delayed",
        subject=row.public_id,
        detail={
            "member_states": states,
            "ground": chosen.code,
            "article": chosen.article,
            "until": format_instant(until),
        },
    )
    return _shown(session, keyring, row, recipients, now)


def invalidate(
    session: Session, keyring: Keyring, principal: Principal, public_id: str, reason: Any, *, now: datetime
) -> dict[str, Any]:
    """Mark a submission invalid (e.g. sent to the wrong coordinator, not from a manufacturer)."""
    row, recipients = _coordinated(session, principal, public_id)
    if row.invalidated_at is not None:
        raise StateConflict("already marked invalid")
    row.invalidated_at, row.invalidated_by = now, principal.actor
    row.invalidation_reason = _text(reason, "reason", 2000)
    row.updated_at = now
    _notify(session, row, "notification.invalidated", now, to_owner=True)
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.invalidated",
        subject=row.public_id,
        detail={"reason": row.invalidation_reason},
    )
    return _shown(session, keyring, row, recipients, now)


def release_to_enisa(
    session: Session, keyring: Keyring, principal: Principal, public_id: str, *, now: datetime
) -> dict[str, Any]:
    """End ENISA's partial view (Art 16(2), third subparagraph)."""
    row, recipients = _coordinated(session, principal, public_id)
    if not row.pec:
        raise StateConflict("no PEC was raised: ENISA already sees the whole notification")
    if row.enisa_released_at is not None:
        raise StateConflict("already released to ENISA")
    _release_to_enisa(session, principal, row, now, detail={})
    return _shown(session, keyring, row, recipients, now)


def _release_to_enisa(
    session: Session, principal: Principal, row: NotificationRow, now: datetime, *, detail: dict[str, Any]
) -> None:
    row.enisa_released_at, row.enisa_released_by, row.updated_at = now, principal.actor, now
    webhooks.enqueue(
        session,
        _organisations_of(session, ENISA),
        "notification.released",
        {
            "notification": row.public_id,
            "at": format_instant(now),
            "href": f"/api/v1/notifications/{row.public_id}",
        },
        now=now,
    )
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.released_to_enisa",
        subject=row.public_id,
        detail=detail,
    )


def request_intermediate(
    session: Session, keyring: Keyring, principal: Principal, public_id: str, *, now: datetime
) -> dict[str, Any]:
    """Ask the manufacturer for an intermediate report with status updates (Art 14(6))."""
    row, recipients = _coordinated(session, principal, public_id)
    _open(row)
    if row.stage not in ("notification", "intermediate"):
        raise StateConflict(
            "an intermediate report can be requested after the 72-hour notification and before the final report"
        )
    row.intermediate_requested_at, row.updated_at = now, now
    webhooks.enqueue(
        session,
        [row.organisation_id],
        "intermediate.requested",
        {
            "notification": row.public_id,
            "at": format_instant(now),
            "href": f"/api/v1/notifications/{row.public_id}",
        },
        now=now,
    )
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="intermediate.requested",
        subject=row.public_id,
        detail={},
    )
    return _shown(session, keyring, row, recipients, now)


def pending_delays(session: Session, row: NotificationRow, now: datetime) -> list[DelayRow]:
    return [
        d
        for d in session.scalars(select(DelayRow).where(DelayRow.notification_id == row.id))
        if d.until > now
    ]
