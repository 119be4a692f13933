"""The exact Article 14 clocks, computed on UTC instants.

* early warning: awareness + 24 hours (Art 14(2)(a), 14(4)(a));
* notification: awareness + 72 hours (Art 14(2)(b), 14(4)(b));
* final report, vulnerability: corrective or mitigating measure available + 14 days (Art 14(2)(c)); a
  measure available before awareness starts the 14 days at awareness (the duty cannot run before it);
* final report, incident: notification submitted + one calendar month (Art 14(4)(c)).

No clock runs for an event the reporter became aware of before the reporting obligation applied to it:
11 Sep 2026 (Art 71(2)), or for an open-source software steward 11 Dec 2027 (Art 24(3), Art 71(2)).
The rule is :func:`crakit.regulation.reporting_duty`, shared with ``classify``.

These are elapsed-time deadlines: daylight-saving changes never move them, because
the arithmetic is done on UTC instants. The ENISA platform's own 72-hour counter is
known to start from the early warning instead (ENISA SRP FAQ Q26); do not trust it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

from crakit.regulation import ReportingDuty, reporting_duty
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
    steward: bool = False  # an open-source software steward reports under Art 24(3)

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
    """Due instants (UTC); ``None`` where the start event is not known yet or no duty applies."""

    early_warning_due: datetime | None
    notification_due: datetime | None
    final_report_due: datetime | None
    duty: ReportingDuty
    final_from_awareness: bool = False  # the measure was available before awareness (Art 14(2)(c))
    # The literal "fix + 14 days" when the fix came first but that date is still after awareness: shown so
    # that a cautious reporter can file by it (it is earlier than the due time crakit counts).
    final_literal_due: datetime | None = None

    @property
    def applies(self) -> bool:
        return self.duty.applies


def add_calendar_months(start: datetime, months: int) -> datetime:
    """Same time on the same day ``months`` later; the month's last day when it has no such day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def final_start(clock: ClockInput) -> datetime | None:
    """When the final-report period starts: the fix (vulnerability, never before awareness) or the
    notification filed (incident)."""
    if clock.kind is Kind.VULNERABILITY and clock.fix_available_at is not None:
        return max(clock.fix_available_at, clock.aware_at)
    if clock.kind is Kind.INCIDENT and clock.notified_at is not None:
        return clock.notified_at
    return None


def exact_deadlines(clock: ClockInput) -> Deadlines:
    """The exact due instants of Art 14(2) (vulnerabilities) or 14(4) (incidents); none when the
    obligation did not yet apply at awareness (Art 71(2), Art 24(3))."""
    duty = reporting_duty(clock.aware_at, steward=clock.steward)
    if not duty.applies:
        return Deadlines(None, None, None, duty)
    start = final_start(clock)
    final: datetime | None = None
    if start is not None and clock.kind is Kind.VULNERABILITY:
        final = start + timedelta(days=VULNERABILITY_FINAL_DAYS)
    elif start is not None:
        final = add_calendar_months(start, INCIDENT_FINAL_MONTHS)
    early = clock.fix_available_at is not None and clock.fix_available_at < clock.aware_at
    literal = None
    if early and clock.fix_available_at is not None and clock.kind is Kind.VULNERABILITY:
        candidate = clock.fix_available_at + timedelta(days=VULNERABILITY_FINAL_DAYS)
        literal = candidate if candidate > clock.aware_at else None
    return Deadlines(
        early_warning_due=clock.aware_at + timedelta(hours=EARLY_WARNING_HOURS),
        notification_due=clock.aware_at + timedelta(hours=NOTIFICATION_HOURS),
        final_report_due=final,
        duty=duty,
        final_from_awareness=early and clock.kind is Kind.VULNERABILITY,
        final_literal_due=literal,
    )
