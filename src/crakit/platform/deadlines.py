"""Legal deadlines of a notification, shown to every party.

The clocks are the manufacturer side's (:func:`crakit.reporting.exact_deadlines`): 24 and 72
hours from awareness (Art 14(2)(a)/(b), 14(4)(a)/(b)), the vulnerability final report 14 days
after a fix is available (Art 14(2)(c)), the incident final report one month after the
72-hour notification (Art 14(4)(c)). The live platform's counter runs the 72 hours from the
early warning (ENISA SRP FAQ Q26); it is shown beside ours, labelled, never as the deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from crakit.platform.models import NotificationRow
from crakit.reporting import ClockInput, Kind, exact_deadlines, format_instant

SRP_COUNTER_HOURS = 48


def _stage(due: datetime | None, filed: datetime | None, now: datetime, basis: str) -> dict[str, Any]:
    return {
        "due": format_instant(due),
        "filed_at": format_instant(filed),
        "overdue": due is not None and ((filed is None and now > due) or (filed is not None and filed > due)),
        "basis": basis,
    }


def deadlines(row: NotificationRow, now: datetime) -> dict[str, Any]:
    kind = Kind(row.kind)
    due = exact_deadlines(
        ClockInput(
            kind,
            row.aware_at,
            row.fix_available_at if kind is Kind.VULNERABILITY else None,
            row.notification_at if kind is Kind.INCIDENT else None,
        )
    )
    vulnerability = kind is Kind.VULNERABILITY
    stages = {
        "early_warning": _stage(
            due.early_warning_due,
            row.early_warning_at,
            now,
            "Art 14(2)(a): awareness + 24 h" if vulnerability else "Art 14(4)(a): awareness + 24 h",
        ),
        "notification": _stage(
            due.notification_due,
            row.notification_at,
            now,
            "Art 14(2)(b): awareness + 72 h" if vulnerability else "Art 14(4)(b): awareness + 72 h",
        ),
        "final_report": _stage(
            due.final_report_due,
            row.final_at,
            now,
            "Art 14(2)(c): fix available + 14 days"
            if vulnerability
            else "Art 14(4)(c): 72-hour notification + 1 month",
        ),
    }
    # Filing a later stage first discharges the earlier one ("unless already provided").
    if row.notification_at is not None or row.final_at is not None:
        stages["early_warning"]["overdue"] = due.early_warning_due is not None and bool(
            (row.early_warning_at or row.notification_at or row.final_at or now) > due.early_warning_due
        )
    if row.final_at is not None and row.notification_at is None:
        stages["notification"]["overdue"] = (
            due.notification_due is not None and row.final_at > due.notification_due
        )
    pending = [
        (stage["due"], name)
        for name, stage in stages.items()
        if stage["due"] is not None and stage["filed_at"] is None and not _discharged(row, name)
    ]
    pending.sort()
    return {
        "aware_at": format_instant(row.aware_at),
        "stages": stages,
        "next_due": pending[0][0] if pending and row.invalidated_at is None else None,
        "next_stage": pending[0][1] if pending and row.invalidated_at is None else None,
        "live_platform_counter": {
            "notification_due": format_instant(row.early_warning_at + timedelta(hours=SRP_COUNTER_HOURS))
            if row.early_warning_at
            else None,
            "note": "ENISA's platform counts the 72-hour notification 48 h from the early warning "
            "(SRP FAQ Q26); the legal deadline above counts 72 h from awareness.",
        },
    }


def _discharged(row: NotificationRow, name: str) -> bool:
    if name == "early_warning":
        return row.notification_at is not None or row.final_at is not None
    if name == "notification":
        return row.final_at is not None
    return False


def next_due(row: NotificationRow, now: datetime) -> str | None:
    value: str | None = deadlines(row, now)["next_due"]
    return value
