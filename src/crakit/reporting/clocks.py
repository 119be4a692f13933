"""The exact Article 14 clocks, computed on UTC instants.

* early warning: awareness + 24 hours (Art 14(2)(a), 14(4)(a));
* notification: awareness + 72 hours (Art 14(2)(b), 14(4)(b));
* final report, vulnerability: corrective or mitigating measure available + 14 days (Art 14(2)(c));
* final report, incident: notification submitted + one calendar month (Art 14(4)(c)).

These are elapsed-time deadlines: daylight-saving changes never move them, because
the arithmetic is done on UTC instants. The ENISA platform's own 72-hour counter is
known to start from the early warning instead (ENISA SRP FAQ Q26); do not trust it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from crakit.reporting.errors import ReportingError
from crakit.reporting.kinds import Kind
from crakit.reporting.timeparse import ensure_utc

EARLY_WARNING_HOURS = 24
NOTIFICATION_HOURS = 72
VULNERABILITY_FINAL_DAYS = 14
INCIDENT_FINAL_MONTHS = 1


@dataclass(frozen=True, slots=True)
class ClockInput:
    """The start events of a case's clocks; the later ones may still be unknown."""

    kind: Kind
    aware_at: datetime
    fix_available_at: datetime | None = None
    notified_at: datetime | None = None

    def __post_init__(self) -> None:
        aware = ensure_utc(self.aware_at, "aware-at")
        object.__setattr__(self, "aware_at", aware)
        if self.fix_available_at is not None:
            object.__setattr__(
                self, "fix_available_at", ensure_utc(self.fix_available_at, "fix-available-at")
            )
        if self.notified_at is not None:
            notified = ensure_utc(self.notified_at, "notified-at")
            if notified < aware:
                # A notification cannot be filed about something one was not yet aware of.
                raise ReportingError(
                    "notified-at is before aware-at", hint="check both times and their offsets"
                )
            object.__setattr__(self, "notified_at", notified)


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Due instants (UTC); ``None`` where the start event is not known yet."""

    early_warning_due: datetime
    notification_due: datetime
    final_report_due: datetime | None


def add_calendar_months(start: datetime, months: int) -> datetime:
    """Same time on the same day ``months`` later; the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def exact_deadlines(clock: ClockInput) -> Deadlines:
    """The exact due instants of Art 14(2) (vulnerabilities) or 14(4) (incidents)."""
    final: datetime | None = None
    if clock.kind is Kind.VULNERABILITY and clock.fix_available_at is not None:
        final = clock.fix_available_at + timedelta(days=VULNERABILITY_FINAL_DAYS)
    elif clock.kind is Kind.INCIDENT and clock.notified_at is not None:
        final = add_calendar_months(clock.notified_at, INCIDENT_FINAL_MONTHS)
    return Deadlines(
        early_warning_due=clock.aware_at + timedelta(hours=EARLY_WARNING_HOURS),
        notification_due=clock.aware_at + timedelta(hours=NOTIFICATION_HOURS),
        final_report_due=final,
    )
