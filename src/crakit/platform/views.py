"""What each party sees of a notification.

ENISA's partial view under particular exceptional circumstances (Art 16(2), third
subparagraph; ENISA PEC guidance) holds: the fact of the notification (id, track, stage,
times, coordinator, deadlines), general information about the product (manufacturer, name,
version, type, class, category) and the general nature of the exploit, and that PEC grounds
were raised (which ones). crakit reads "general nature of the exploit" as the attack vector
(Glossary field 18): the general information field v21 describes the vulnerability itself as
well and so stays hidden, as do the title and summary (free text that usually names the flaw),
the CVE/EUVD ids (they identify it) and everything else, until the coordinator releases it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.platform.crypto import Keyring, unseal
from crakit.platform.deadlines import deadlines
from crakit.platform.models import DelayRow, DisseminationRow, NotificationRow, RevisionRow
from crakit.platform.parties import View, pec_restricts_enisa
from crakit.reporting import format_instant

PARTIAL_FIELDS = (
    "manufacturer_name",
    "product_name",
    "product_version",
    "product_type",
    "product_class",
    "product_category",
    "attack_vector",
    "pec",
    "pec_grounds",
)
REDACTED_KEEP = ("manufacturer_name", "product_name", "product_version", "cve_id", "euvd_id")


def status(row: NotificationRow) -> str:
    if row.invalidated_at is not None:
        return "invalidated"
    if row.redacted_at is not None:
        return "redacted"
    return "closed" if row.stage == "final" else "open"


# Addressed to the coordinator alone (Glossary v30): not passed on by dissemination.
COORDINATOR_ONLY_FIELDS = ("csirt_info",)


def _visible_fields(view: View, fields: Mapping[str, str]) -> dict[str, str]:
    if view is View.ENISA_PARTIAL:
        return {k: v for k, v in fields.items() if k in PARTIAL_FIELDS}
    if view is View.RECIPIENT:
        return {k: v for k, v in fields.items() if k not in COORDINATOR_ONLY_FIELDS}
    return dict(fields)


def _title(view: View, fields: Mapping[str, str]) -> str:
    if view is View.ENISA_PARTIAL:
        product = " ".join(p for p in (fields.get("product_name"), fields.get("product_version")) if p)
        return f"Notification under PEC ({product or 'product'})"
    return fields.get("title") or "(untitled)"


def summary(
    keyring: Keyring, *, row: NotificationRow, fields: Mapping[str, str], view: View, now: datetime
) -> dict[str, Any]:
    due = deadlines(row, now)
    return {
        "id": row.public_id,
        "kind": row.kind,
        "stage": row.stage,
        "status": status(row),
        "title": _title(view, fields),
        "manufacturer": fields.get("manufacturer_name"),
        "product": fields.get("product_name"),
        "coordinator": row.coordinator,
        "received_at": format_instant(row.created_at),
        "updated_at": format_instant(row.updated_at),
        "next_due": due["next_due"],
        "next_stage": due["next_stage"],
        "view": view.value,
        "enisa_view": "partial" if pec_restricts_enisa(row) else "full",
        "pec": row.pec,
    }


# Fields that move the legal clocks: a change to one is shown to the coordinator with its value,
# so a late early warning cannot be made to look on time unnoticed (Art 14(2), Art 64(10)).
CLOCK_FIELDS = ("aware_at", "incident_aware_at", "fix_available_at")


def revision_context(row: NotificationRow, seq: int) -> str:
    return f"notification:{row.public_id}:revision:{seq}"


def _delays(session: Session, row: NotificationRow) -> list[dict[str, Any]]:
    return [
        {
            "member_states": list(d.member_states),
            "ground": d.ground,
            "justification": d.justification,
            "until": format_instant(d.until),
            "decided_at": format_instant(d.decided_at),
            "decided_by": d.decided_by,
            "enisa_informed_at": format_instant(d.enisa_informed_at),
        }
        for d in session.scalars(
            select(DelayRow).where(DelayRow.notification_id == row.id).order_by(DelayRow.id)
        )
    ]


def present(
    session: Session,
    keyring: Keyring,
    *,
    row: NotificationRow,
    fields: Mapping[str, str],
    view: View,
    recipients: Sequence[str],
    now: datetime,
    viewer_state: str | None = None,
) -> dict[str, Any]:
    """The notification as ``view`` sees it; ``viewer_state``: a recipient CSIRT's Member State
    (it sees its own dissemination only, Art 16(5) need-to-know)."""
    data = summary(keyring, row=row, fields=fields, view=view, now=now)
    data["deadlines"] = deadlines(row, now)
    data["fields"] = _visible_fields(view, fields)
    data["pec"] = {
        "invoked": row.pec,
        "grounds": list(row.pec_grounds),
        "released_to_enisa_at": format_instant(row.enisa_released_at),
    }
    data["invalidation"] = (
        {"at": format_instant(row.invalidated_at), "reason": row.invalidation_reason}
        if row.invalidated_at is not None
        else None
    )
    data["redacted_at"] = format_instant(row.redacted_at)
    if view is View.ENISA_PARTIAL:
        # ENISA is told of every delay with its justification and expected release (Art 16(2),
        # second subparagraph), also while it sees only the partial view.
        data["delays"] = _delays(session, row)
        return data
    data["case"] = row.case_ref if view in (View.OWNER, View.COORDINATOR) else None
    data["routing"] = dict(row.routing)
    data["member_states"] = list(row.member_states)
    data["intermediate_requested_at"] = format_instant(row.intermediate_requested_at)
    disseminations = list(
        session.scalars(
            select(DisseminationRow)
            .where(DisseminationRow.notification_id == row.id)
            .order_by(DisseminationRow.id)
        )
    )
    if view is View.RECIPIENT:
        disseminations = [d for d in disseminations if d.member_state == viewer_state]
    data["disseminations"] = [
        {"member_state": d.member_state, "at": format_instant(d.at), "tlp": d.tlp, "pap": d.pap}
        for d in disseminations
    ]
    if view in (View.COORDINATOR, View.ENISA_FULL):
        data["delays"] = _delays(session, row)
    if view is View.COORDINATOR:
        # Art 16(2): dissemination "without delay" to the Member States the manufacturer indicated;
        # those neither reached nor covered by a recorded delay are the coordinator's open task.
        delayed = {code for d in data["delays"] for code in d["member_states"]}
        data["awaiting_dissemination"] = [
            code
            for code in row.member_states
            if code != row.coordinator and code not in recipients and code not in delayed
        ]
    if view in (View.OWNER, View.COORDINATOR):
        revisions = []
        for r in session.scalars(
            select(RevisionRow).where(RevisionRow.notification_id == row.id).order_by(RevisionRow.seq)
        ):
            changed: dict[str, str] = unseal(
                keyring.version(row.organisation_id, r.key_version), r.sealed, revision_context(row, r.seq)
            )
            revisions.append(
                {
                    "seq": r.seq,
                    "stage": r.stage,
                    "submitted_at": format_instant(r.submitted_at),
                    "submitted_by": r.submitted_by,
                    "fields": sorted(changed),
                    "clocks": {k: changed[k] for k in CLOCK_FIELDS if k in changed},
                }
            )
        data["revisions"] = revisions
    return data
