"""Exact Art 14 clocks: time zones, DST, month ends, leap years, unknown start events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crakit.reporting.clocks import ClockInput, add_calendar_months, exact_deadlines
from crakit.reporting.errors import ReportingError
from crakit.reporting.kinds import Kind
from crakit.reporting.timeparse import format_instant, parse_instant


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def deadlines(kind: Kind, aware: str, fix: str | None = None, notified: str | None = None):
    return exact_deadlines(
        ClockInput(
            kind,
            parse_instant(aware),
            parse_instant(fix) if fix else None,
            parse_instant(notified) if notified else None,
        )
    )


@pytest.mark.parametrize(
    ("aware", "early", "notification"),
    [
        ("2026-10-02T08:15:00Z", "2026-10-03T08:15:00", "2026-10-05T08:15:00"),
        # the same instant written in CEST
        ("2026-10-02T10:15:00+02:00", "2026-10-03T08:15:00", "2026-10-05T08:15:00"),
        # west of UTC, crossing the year
        ("2026-12-31T22:30:00-05:00", "2027-01-02T03:30:00", "2027-01-04T03:30:00"),
        # India's half-hour offset
        ("2026-10-02T08:15:00+05:30", "2026-10-03T02:45:00", "2026-10-05T02:45:00"),
        # spring-forward night in the EU (28 Mar 2027): 24 real hours, not 24 wall-clock hours
        ("2027-03-27T12:00:00+01:00", "2027-03-28T11:00:00", "2027-03-30T11:00:00"),
        # fall-back night in the EU (25 Oct 2026)
        ("2026-10-24T12:00:00+02:00", "2026-10-25T10:00:00", "2026-10-27T10:00:00"),
        # leap day
        ("2028-02-28T20:00:00Z", "2028-02-29T20:00:00", "2028-03-02T20:00:00"),
        # seconds are kept
        ("2026-10-02T08:15:42Z", "2026-10-03T08:15:42", "2026-10-05T08:15:42"),
    ],
)
def test_early_warning_and_notification_are_24h_and_72h_after_awareness(aware, early, notification):
    result = deadlines(Kind.VULNERABILITY, aware)
    assert result.early_warning_due == utc(early)
    assert result.notification_due == utc(notification)
    assert deadlines(Kind.INCIDENT, aware).notification_due == utc(notification)


@pytest.mark.parametrize(
    ("fix", "final"),
    [
        ("2026-10-07T10:00:00Z", "2026-10-21T10:00:00"),
        # 14 days over the end of CEST: elapsed days on UTC instants
        ("2026-10-20T09:00:00+02:00", "2026-11-03T07:00:00"),
        ("2028-02-20T00:00:00Z", "2028-03-05T00:00:00"),
        ("2027-02-20T00:00:00Z", "2027-03-06T00:00:00"),
        ("2026-12-25T18:00:00+01:00", "2027-01-08T17:00:00"),
    ],
)
def test_vulnerability_final_report_is_14_days_after_fix(fix, final):
    result = deadlines(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix=fix)
    assert result.final_report_due == utc(final)


def test_vulnerability_final_report_does_not_run_from_awareness():
    # Several templates wrongly count 14 days from awareness; without a fix there is no final due.
    assert deadlines(Kind.VULNERABILITY, "2026-10-01T00:00:00Z").final_report_due is None
    # the incident anchor is ignored for a vulnerability
    only_notified = deadlines(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", notified="2026-10-02T00:00:00Z")
    assert only_notified.final_report_due is None


@pytest.mark.parametrize(
    ("notified", "final"),
    [
        ("2026-10-05T14:30:00Z", "2026-11-05T14:30:00"),
        ("2027-01-31T10:00:00Z", "2027-02-28T10:00:00"),  # no 31 Feb: last day
        ("2028-01-31T10:00:00Z", "2028-02-29T10:00:00"),  # leap year
        ("2028-01-29T10:00:00Z", "2028-02-29T10:00:00"),
        ("2027-01-29T10:00:00Z", "2027-02-28T10:00:00"),
        ("2028-02-29T10:00:00Z", "2028-03-29T10:00:00"),
        ("2027-03-31T23:00:00Z", "2027-04-30T23:00:00"),
        ("2026-12-15T08:00:00Z", "2027-01-15T08:00:00"),  # over the year end
        # the UTC instant decides the day: 31 Aug 23:30 at -02:00 is 1 Sep 01:30 UTC
        ("2027-08-31T23:30:00-02:00", "2027-10-01T01:30:00"),
        # ... and 1 Oct 00:30 CEST is 30 Sep 22:30 UTC
        ("2026-10-01T00:30:00+02:00", "2026-10-30T22:30:00"),
    ],
)
def test_incident_final_report_is_one_calendar_month_after_notification(notified, final):
    # awareness on the first day Art 14 applies (Art 71(2)); the notification follows
    result = deadlines(Kind.INCIDENT, "2026-09-11T00:00:00Z", notified=notified)
    assert result.final_report_due == utc(final)


def test_incident_final_unknown_until_notified_and_ignores_fix():
    result = deadlines(Kind.INCIDENT, "2026-10-01T00:00:00Z", fix="2026-10-02T00:00:00Z")
    assert result.final_report_due is None


def test_notification_before_awareness_is_refused():
    with pytest.raises(ReportingError):
        deadlines(Kind.INCIDENT, "2026-10-02T00:00:00Z", notified="2026-10-01T23:00:00Z")


@pytest.mark.parametrize("text", ["2026-10-02T08:15:00", "2026-10-02", "yesterday", "", "2026-13-02T08:15Z"])
def test_times_without_zone_or_garbage_are_refused(text):
    with pytest.raises(ReportingError) as info:
        parse_instant(text, "--aware-at")
    assert "--aware-at" in info.value.diagnostics()


def test_naive_time_error_says_how_to_fix():
    with pytest.raises(ReportingError) as info:
        parse_instant("2026-10-02T08:15:00")
    assert "Z" in info.value.diagnostics() and "+02:00" in info.value.diagnostics()


def test_lowercase_z_and_space_separator_are_accepted():
    assert parse_instant("2026-10-02 08:15:00z") == utc("2026-10-02T08:15:00")


def test_format_instant_is_utc_with_z():
    assert format_instant(parse_instant("2026-10-02T10:15:00+02:00")) == "2026-10-02T08:15:00Z"
    assert format_instant(None) is None


def test_month_arithmetic_over_every_day_of_two_years():
    # Property: the result is in the next month, never after its last day, and the same day
    # whenever that day exists.
    import calendar
    from datetime import timedelta

    day = utc("2027-01-01T06:07:08")
    while day.year < 2029:
        result = add_calendar_months(day, 1)
        assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == 1
        last = calendar.monthrange(result.year, result.month)[1]
        assert result.day == min(day.day, last)
        assert result.time() == day.time()
        day += timedelta(days=1)
