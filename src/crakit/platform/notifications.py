"""Notifications: filing the stages of Art 14(2)/(4), updates until the final report, reading
and listing under each party's view. Every read and write is one audit entry.

Domain code only: the web layer passes the database session, the caller, the keys and the time.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from crakit.accounts import Principal, organisations
from crakit.platform import audit, submission, webhooks
from crakit.platform.crypto import DataKey, Keyring, seal, unseal
from crakit.platform.errors import InvalidSubmission, NotAllowed, NotificationNotFound, StateConflict
from crakit.platform.models import DelayRow, DisseminationRow, NotificationRow, RevisionRow
from crakit.platform.parties import CSIRT, ENISA, MANUFACTURER, View, party, view_of
from crakit.platform.views import present, revision_context, summary
from crakit.reporting import Kind, ReportingError, RoutingInput, Stage, csirts, format_instant, route

CASE_REF_LIMIT = 200
LIST_LIMIT = 500
_STAGE_COLUMN = {
    Stage.EARLY_WARNING: "early_warning_at",
    Stage.NOTIFICATION: "notification_at",
    Stage.FINAL: "final_at",
}


@dataclass(frozen=True, slots=True)
class Submission:
    """One stage as the manufacturer sends it (``POST /api/v1/notifications``)."""

    stage: str
    case: str
    fields: Mapping[str, Any]
    kind: str | None = None
    main_establishment: str | None = None
    authorised_representative: str | None = None
    importer: str | None = None
    distributor: str | None = None
    most_users: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class Filed:
    """The result of filing: the notification as the filer sees it; ``replayed`` for a repeated
    idempotency key (nothing new was stored)."""

    notification: dict[str, Any]
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class Filters:
    member_state: str | None = None
    stage: str | None = None
    kind: str | None = None
    due_before: datetime | None = None
    include_invalidated: bool = True
    limit: int = 100
    offset: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)


def _context(row: NotificationRow) -> str:
    return f"notification:{row.public_id}"


def current_fields(keyring: Keyring, row: NotificationRow) -> dict[str, str]:
    value: dict[str, str] = unseal(
        keyring.version(row.organisation_id, row.key_version), row.sealed, _context(row)
    )
    return value


def _store_fields(row: NotificationRow, key: DataKey, merged: Mapping[str, str]) -> None:
    row.sealed = seal(key, dict(merged), _context(row))
    row.key_version = key.version


def _add_revision(
    session: Session,
    row: NotificationRow,
    key: DataKey,
    stage: str,
    fields: Mapping[str, str],
    actor: str,
    now: datetime,
) -> None:
    row.revision += 1
    session.add(
        RevisionRow(
            notification_id=row.id,
            organisation_id=row.organisation_id,
            seq=row.revision,
            stage=stage,
            submitted_at=now,
            submitted_by=actor,
            sealed=seal(key, dict(fields), revision_context(row, row.revision)),
            key_version=key.version,
        )
    )


def _route(sub: Submission, fields: Mapping[str, str]) -> Any:
    known = RoutingInput(
        main_establishment=sub.main_establishment or fields.get("main_establishment_ms"),
        authorised_representative=sub.authorised_representative or fields.get("authorised_representative_ms"),
        importer=sub.importer or fields.get("importer_ms"),
        distributor=sub.distributor or fields.get("distributor_ms"),
        most_users=sub.most_users or fields.get("most_users_ms"),
    )
    try:
        chosen = route(known)
    except ReportingError as exc:
        raise InvalidSubmission(exc.message, field="main_establishment", hint=exc.hint) from None
    if chosen.csirt is None:
        raise InvalidSubmission(chosen.reason, field="main_establishment")
    return chosen


def _organisations_of(session: Session, kind: str, country: str | None = None) -> list[int]:
    return [o.id for o in organisations(session, kind=kind, country=country)]


def _recipients(session: Session, row: NotificationRow) -> list[str]:
    return list(
        session.scalars(
            select(DisseminationRow.member_state).where(DisseminationRow.notification_id == row.id)
        )
    )


def _apply_clocks(row: NotificationRow, kind: Kind, merged: Mapping[str, str], now: datetime) -> None:
    anchors = submission.clocks(kind, merged, now=now)
    if row.notification_at is not None and row.notification_at < anchors.aware_at:
        raise InvalidSubmission(
            "awareness cannot be after the 72-hour notification was filed", field="aware_at"
        )
    row.aware_at = anchors.aware_at
    row.fix_available_at = anchors.fix_available_at


def _apply_pec(row: NotificationRow, stage: Stage, merged: Mapping[str, str], new: Mapping[str, str]) -> None:
    """PEC is raised in the 72-hour vulnerability notification only (Art 16(2), third subparagraph)."""
    if "pec" not in new and "pec_grounds" not in new:
        return
    if stage is not Stage.NOTIFICATION:
        raise InvalidSubmission(
            "PEC (v28/v29) is raised in the 72-hour vulnerability notification only "
            "(Art 16(2), third subparagraph)",
            field="pec",
        )
    invoked = merged.get("pec") == "Yes"
    grounds = [g for g in merged.get("pec_grounds", "").split(",") if g]
    if invoked and not grounds:
        raise InvalidSubmission(
            "PEC needs at least one of the three grounds of Art 16(2), third subparagraph",
            field="pec_grounds",
        )
    if grounds and not invoked:
        raise InvalidSubmission("PEC grounds given but PEC (v28) is not set to Yes", field="pec")
    if row.pec and not invoked:
        raise StateConflict(
            "PEC, once invoked, ends only when the coordinator releases the notification to ENISA"
        )
    row.pec, row.pec_grounds = invoked, grounds


def _notify(
    session: Session, row: NotificationRow, event: str, now: datetime, *, to_owner: bool = False
) -> None:
    targets = _organisations_of(session, CSIRT, row.coordinator) + _organisations_of(session, ENISA)
    for state in _recipients(session, row):
        targets += _organisations_of(session, CSIRT, state)
    if to_owner:
        targets.append(row.organisation_id)
    webhooks.enqueue(
        session,
        targets,
        event,
        {
            "notification": row.public_id,
            "stage": row.stage,
            "coordinator": row.coordinator,
            "at": format_instant(now),
            "href": f"/api/v1/notifications/{row.public_id}",
        },
        now=now,
    )


def file(
    session: Session, keyring: Keyring, principal: Principal, sub: Submission, *, now: datetime
) -> Filed:
    """File the first stage of a new notification (Art 14(1)/(3) via the platform, Art 16(1))."""
    if party(principal) != MANUFACTURER:
        raise NotAllowed("only a manufacturer files notifications")
    case = sub.case.strip() if isinstance(sub.case, str) else ""
    if not case or len(case) > CASE_REF_LIMIT:
        raise InvalidSubmission(f"case: 1 to {CASE_REF_LIMIT} characters (your own reference)", field="case")
    if sub.idempotency_key:
        replay = session.scalar(
            select(NotificationRow).where(
                NotificationRow.organisation_id == principal.organisation.id,
                NotificationRow.idempotency_key == sub.idempotency_key,
            )
        )
        if replay is not None:
            if replay.case_ref != case or replay.stage != submission.parse_stage(sub.stage).value:
                raise StateConflict(
                    f"Idempotency-Key {sub.idempotency_key!r} was used for another submission "
                    f"({replay.public_id}, case {replay.case_ref!r})",
                    hint="use a new key for a new submission",
                )
            return Filed(
                present(
                    session,
                    keyring,
                    row=replay,
                    fields=current_fields(keyring, replay),
                    view=View.OWNER,
                    recipients=_recipients(session, replay),
                    now=now,
                ),
                True,
            )
    stage = submission.parse_stage(sub.stage)
    submission.check_order(None, stage)
    kind = submission.kind_of(sub.kind, sub.fields)
    new = submission.clean(kind, stage, sub.fields)
    # Glossary field 4 is system-filled with the filing organisation's registered name: a
    # manufacturer cannot file under another's name (the value sent, if any, is not kept).
    new["manufacturer_name"] = principal.organisation.name
    merged = submission.merge({}, new)
    chosen = _route(sub, merged)
    coordinator = chosen.csirt.code
    merged["member_states"] = ", ".join(submission.member_states(merged, coordinator))
    submission.check_required(kind, stage, merged)
    existing = session.scalar(
        select(NotificationRow.public_id).where(
            NotificationRow.organisation_id == principal.organisation.id, NotificationRow.case_ref == case
        )
    )
    if existing is not None:
        raise StateConflict(
            f"case {case!r} was already filed as {existing}",
            hint=f"add the next stage with POST /api/v1/notifications/{existing}/stages",
        )
    row = NotificationRow(
        public_id=f"CRA-{now.year}-{secrets.token_hex(6).upper()}",
        organisation_id=principal.organisation.id,
        case_ref=case,
        idempotency_key=sub.idempotency_key,
        kind=kind.value,
        stage=stage.value,
        coordinator=coordinator,
        routing={
            "basis": chosen.basis,
            "article": chosen.article,
            "reason": chosen.reason,
            "csirt": chosen.csirt.name,
        },
        member_states=submission.member_states(merged, coordinator),
        pec=False,
        pec_grounds=[],
        sealed="",
        key_version=0,
        revision=0,
        submitted_by=principal.actor,
        created_at=now,
        updated_at=now,
    )
    _apply_clocks(row, kind, merged, now)
    _apply_pec(row, stage, merged, new)
    setattr(row, _STAGE_COLUMN[stage], now)
    key = keyring.current(principal.organisation.id)
    _store_fields(row, key, merged)
    session.add(row)
    session.flush()
    _add_revision(session, row, key, stage.value, new, principal.actor, now)
    _notify(session, row, "notification.received", now)
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.filed",
        subject=row.public_id,
        detail={"stage": stage.value, "coordinator": coordinator, "fields": sorted(new)},
    )
    return Filed(present(session, keyring, row=row, fields=merged, view=View.OWNER, recipients=[], now=now))


def _load(session: Session, public_id: str, *, lock: bool = False) -> NotificationRow:
    query = select(NotificationRow).where(NotificationRow.public_id == public_id[:40])
    if lock:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise NotificationNotFound(f"no notification {public_id[:40]}")
    return row


def _visible(
    session: Session, principal: Principal, public_id: str, *, lock: bool = False
) -> tuple[NotificationRow, View, list[str]]:
    row = _load(session, public_id, lock=lock)
    recipients = _recipients(session, row)
    view = view_of(principal, row, recipients)
    if view is None:
        raise NotificationNotFound(f"no notification {public_id[:40]}")
    return row, view, recipients


def _owned_open(session: Session, principal: Principal, public_id: str) -> NotificationRow:
    row, view, _ = _visible(session, principal, public_id, lock=True)
    if view is not View.OWNER:
        raise NotAllowed("only the filing manufacturer adds stages or updates")
    if row.invalidated_at is not None:
        raise StateConflict(
            "this notification was marked invalid; file a new one", hint=row.invalidation_reason
        )
    if row.stage == Stage.FINAL.value:
        raise StateConflict("the final report was filed: the notification is read-only")
    if row.redacted_at is not None:
        raise StateConflict("this notification was redacted under the retention policy")
    return row


def add_stage(
    session: Session,
    keyring: Keyring,
    principal: Principal,
    public_id: str,
    stage_text: str,
    raw: Mapping[str, Any],
    *,
    now: datetime,
) -> dict[str, Any]:
    """File the next stage: 72-hour notification, intermediate report (on request, Art 14(6)), final report."""
    row = _owned_open(session, principal, public_id)
    stage = submission.parse_stage(stage_text)
    submission.check_order(Stage(row.stage), stage)
    return _change(
        session, keyring, principal, row, stage, raw, now=now, action=f"notification.{stage.value}"
    )


def update(
    session: Session,
    keyring: Keyring,
    principal: Principal,
    public_id: str,
    raw: Mapping[str, Any],
    *,
    now: datetime,
) -> dict[str, Any]:
    """Change fields of the current stage (allowed until the final report, as on the live platform)."""
    row = _owned_open(session, principal, public_id)
    return _change(session, keyring, principal, row, None, raw, now=now, action="notification.updated")


def _change(
    session: Session,
    keyring: Keyring,
    principal: Principal,
    row: NotificationRow,
    stage: Stage | None,
    raw: Mapping[str, Any],
    *,
    now: datetime,
    action: str,
) -> dict[str, Any]:
    kind = Kind(row.kind)
    if "notification_type" in raw or "1" in raw:
        submission.kind_of(row.kind, raw)
    at = stage or Stage(row.stage)
    new = submission.clean(kind, at, raw)
    new.pop("manufacturer_name", None)  # field 4 stays the filing organisation's name (see file)
    if stage is None and not new:
        raise InvalidSubmission("an update needs at least one field", field="fields")
    merged = submission.merge(current_fields(keyring, row), new)
    merged["member_states"] = ", ".join(submission.member_states(merged, row.coordinator))
    submission.check_required(kind, at, merged)
    _apply_clocks(row, kind, merged, now)
    _apply_pec(row, at, merged, new)
    if stage is not None:
        row.stage = stage.value
        column = _STAGE_COLUMN.get(stage)
        if column is not None:
            setattr(row, column, now)
        if stage is Stage.INTERMEDIATE:
            row.intermediate_requested_at = None
    row.member_states = submission.member_states(merged, row.coordinator)
    row.updated_at = now
    key = keyring.current(row.organisation_id)
    _store_fields(row, key, merged)
    _add_revision(session, row, key, stage.value if stage else "update", new, principal.actor, now)
    _notify(session, row, "notification.updated" if stage is None else "notification.stage", now)
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action=action,
        subject=row.public_id,
        detail={"stage": row.stage, "fields": sorted(new)},
    )
    return present(
        session,
        keyring,
        row=row,
        fields=merged,
        view=View.OWNER,
        recipients=_recipients(session, row),
        now=now,
    )


def read(
    session: Session, keyring: Keyring, principal: Principal, public_id: str, *, now: datetime
) -> dict[str, Any]:
    """One notification as this caller may see it; 404 for anyone else. Audited."""
    row, view, recipients = _visible(session, principal, public_id)
    shown = present(
        session,
        keyring,
        row=row,
        fields=current_fields(keyring, row),
        view=view,
        recipients=recipients,
        now=now,
        viewer_state=principal.organisation.country,
    )
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.read",
        subject=row.public_id,
        detail={"view": view.value},
    )
    return shown


def visible_rows(session: Session, principal: Principal, filters: Filters) -> list[NotificationRow]:
    kind = party(principal)
    query = select(NotificationRow).order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())
    if kind == MANUFACTURER:
        query = query.where(NotificationRow.organisation_id == principal.organisation.id)
    elif kind == CSIRT:
        country = principal.organisation.country
        disseminated = select(DisseminationRow.notification_id).where(
            DisseminationRow.member_state == country
        )
        query = query.where(or_(NotificationRow.coordinator == country, NotificationRow.id.in_(disseminated)))
    elif kind != ENISA:
        raise NotAllowed("platform administrators do not see notifications (need-to-know)")
    if filters.member_state:
        wanted = filters.member_state.strip().upper()
        if wanted not in csirts():
            raise InvalidSubmission(
                f"member_state: {filters.member_state[:8]!r} is not an EU Member State code",
                field="member_state",
            )
        query = query.where(NotificationRow.coordinator == wanted)
    if filters.stage:
        query = query.where(NotificationRow.stage == filters.stage)
    if filters.kind:
        query = query.where(NotificationRow.kind == filters.kind)
    if not filters.include_invalidated:
        query = query.where(NotificationRow.invalidated_at.is_(None))
    return list(session.scalars(query.limit(LIST_LIMIT)))


def listing(
    session: Session, keyring: Keyring, principal: Principal, filters: Filters, *, now: datetime
) -> dict[str, Any]:
    """The notifications this caller may see (newest first), each as a summary. Audited."""
    from crakit.platform.deadlines import next_due

    rows = visible_rows(session, principal, filters)
    if filters.due_before is not None:
        limit = format_instant(filters.due_before) or ""
        rows = [r for r in rows if (due := next_due(r, now)) is not None and due <= limit]
    total = len(rows)
    page = rows[filters.offset : filters.offset + filters.limit]
    items = []
    for row in page:
        recipients = _recipients(session, row)
        view = view_of(principal, row, recipients)
        assert view is not None
        items.append(summary(keyring, row=row, fields=current_fields(keyring, row), view=view, now=now))
    audit.record(
        session,
        at=now,
        actor=principal.actor,
        organisation_id=principal.organisation.id,
        action="notification.list",
        subject=None,
        detail={"ids": [item["id"] for item in items]},
    )
    return {"notifications": items, "total": total, "limit": filters.limit, "offset": filters.offset}


def delays_of(session: Session, row: NotificationRow) -> Sequence[DelayRow]:
    return list(
        session.scalars(select(DelayRow).where(DelayRow.notification_id == row.id).order_by(DelayRow.id))
    )
