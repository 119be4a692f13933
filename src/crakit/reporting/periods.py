"""Periods under Regulation (EEC, Euratom) No 1182/71 (the general rules on EU time limits).

Shown next to the exact clocks as information: the latest moment a court applying
1182/71 would accept. The exact clocks stay the recommendation.

Rules applied (Art 3 of 1182/71, paraphrased):

* Art 3(1): the hour (for periods in hours) or the day (for periods in days or months)
  in which the start event happens is not counted.
* Art 3(2)(a): a period in hours starts at the beginning of the next hour and ends when
  its last hour expires.
* Art 3(2)(b): a period in days starts at the beginning of the next day and ends at the
  end (24:00) of its last day.
* Art 3(2)(c): a period in months ends at the end of the day of the last month with the
  same date as the day of the start event; when that month has no such date, at the end
  of its last day.
* Art 3(4): when the last day of a period *not* expressed in hours is a public holiday,
  Saturday or Sunday, the period ends at the end of the next working day. It never
  applies to the 24 h and 72 h periods.
* Art 3(5): a period of two days or more includes at least two working days.

"Days" are days of the legal time zone (default UTC; pass e.g. ``Europe/Brussels`` for the
coordinator CSIRT's Member State). Holidays come from a :class:`HolidayCalendar`; the
default knows weekends only, and users add their Member State's public holidays
(Art 2(1) of 1182/71 refers to the holidays of the place where the act is done).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crakit.regulation import reporting_duty
from crakit.reporting.clocks import (
    EARLY_WARNING_HOURS,
    INCIDENT_FINAL_MONTHS,
    NOTIFICATION_HOURS,
    VULNERABILITY_FINAL_DAYS,
    ClockInput,
    final_start,
)
from crakit.reporting.errors import ReportingError
from crakit.reporting.kinds import Kind


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """Saturdays and Sundays plus the listed public holidays (dates in the legal time zone)."""

    holidays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def describe(self) -> str:
        if not self.holidays:
            return "weekends only"
        return f"weekends + {len(self.holidays)} listed public holiday(s)"


def holiday_calendar(dates: Iterable[str]) -> HolidayCalendar:
    """A calendar of weekends plus ``YYYY-MM-DD`` public holidays given by the user."""
    parsed: set[date] = set()
    for text in dates:
        try:
            parsed.add(date.fromisoformat(text.strip()))
        except ValueError:
            raise ReportingError(f"holiday {text!r} is not a date", hint="use YYYY-MM-DD") from None
    return HolidayCalendar(frozenset(parsed))


def legal_zone(name: str) -> tzinfo:
    """The IANA time zone whose calendar days count (``UTC`` by default)."""
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReportingError(
            f"unknown time zone {name!r}", hint="use an IANA name like Europe/Brussels"
        ) from None


@dataclass(frozen=True, slots=True)
class PeriodRules:
    """Where days begin and which days are working days."""

    zone: tzinfo = UTC
    holidays: HolidayCalendar = field(default_factory=HolidayCalendar)


def _start_of_day(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def end_of_hours_period(event: datetime, hours: int, rules: PeriodRules) -> datetime:
    """Art 3(1), 3(2)(a): skip the hour of the event, then count whole hours. No Art 3(4) shift."""
    local = event.astimezone(rules.zone)
    hour_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return hour_start + timedelta(hours=1 + hours)


def _close_on_working_day(last_day: date, first_day: date, rules: PeriodRules) -> date:
    # Art 3(4): a last day that is not a working day moves to the next working day.
    while not rules.holidays.is_working_day(last_day):
        last_day += timedelta(days=1)
    # Art 3(5): a period of two days or more holds at least two working days.
    if (last_day - first_day).days >= 1:
        while (
            sum(
                rules.holidays.is_working_day(first_day + timedelta(days=i))
                for i in range((last_day - first_day).days + 1)
            )
            < 2
        ):
            last_day += timedelta(days=1)
            while not rules.holidays.is_working_day(last_day):
                last_day += timedelta(days=1)
    return last_day


def end_of_days_period(event: datetime, days: int, rules: PeriodRules) -> datetime:
    """Art 3(1), 3(2)(b), 3(4), 3(5): the end (24:00) of the last day, moved off non-working days."""
    event_day = event.astimezone(rules.zone).date()
    first_day = event_day + timedelta(days=1)
    last_day = _close_on_working_day(event_day + timedelta(days=days), first_day, rules)
    return _start_of_day(last_day + timedelta(days=1), rules.zone)


def end_of_months_period(event: datetime, months: int, rules: PeriodRules) -> datetime:
    """Art 3(1), 3(2)(c), 3(4), 3(5): the end of the same date ``months`` later (or that month's last day)."""
    event_day = event.astimezone(rules.zone).date()
    index = event_day.month - 1 + months
    year, month = event_day.year + index // 12, index % 12 + 1
    last_day = date(year, month, min(event_day.day, calendar.monthrange(year, month)[1]))
    last_day = _close_on_working_day(last_day, event_day + timedelta(days=1), rules)
    return _start_of_day(last_day + timedelta(days=1), rules.zone)


@dataclass(frozen=True, slots=True)
class LatestMoments:
    """Ends of the periods under 1182/71: the instant at which each period expires."""

    early_warning_latest: datetime | None
    notification_latest: datetime | None
    final_report_latest: datetime | None
    zone: str
    calendar: str


def latest_moments(clock: ClockInput, rules: PeriodRules | None = None) -> LatestMoments:
    """The 1182/71 reading of the Art 14 periods (information only; the exact clock is stricter)."""
    rules = rules or PeriodRules()
    if not reporting_duty(clock.aware_at, steward=clock.steward).applies:
        return LatestMoments(None, None, None, str(rules.zone), rules.holidays.describe())
    final: datetime | None = None
    start = final_start(clock)
    if start is not None and clock.kind is Kind.VULNERABILITY:
        final = end_of_days_period(start, VULNERABILITY_FINAL_DAYS, rules)
    elif start is not None:
        final = end_of_months_period(start, INCIDENT_FINAL_MONTHS, rules)
    return LatestMoments(
        early_warning_latest=end_of_hours_period(clock.aware_at, EARLY_WARNING_HOURS, rules),
        notification_latest=end_of_hours_period(clock.aware_at, NOTIFICATION_HOURS, rules),
        final_report_latest=final,
        zone=str(rules.zone),
        calendar=rules.holidays.describe(),
    )
