"""The Regulation 1182/71 reading of the Art 14 periods (information shown beside the exact clock)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crakit.reporting.clocks import ClockInput
from crakit.reporting.errors import ReportingError
from crakit.reporting.kinds import Kind
from crakit.reporting.periods import PeriodRules, holiday_calendar, latest_moments, legal_zone
from crakit.reporting.timeparse import parse_instant


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def latest(kind, aware, fix=None, notified=None, rules=None):
    clock = ClockInput(
        kind,
        parse_instant(aware),
        parse_instant(fix) if fix else None,
        parse_instant(notified) if notified else None,
    )
    return latest_moments(clock, rules)


def test_hour_periods_skip_the_event_hour():
    result = latest(Kind.VULNERABILITY, "2026-10-02T08:15:00Z")
    assert result.early_warning_latest == utc("2026-10-03T09:00:00")
    assert result.notification_latest == utc("2026-10-05T09:00:00")


def test_event_on_the_hour_still_skips_that_hour():
    assert latest(Kind.VULNERABILITY, "2026-10-02T08:00:00Z").early_warning_latest == utc(
        "2026-10-03T09:00:00"
    )


def test_hour_periods_never_move_off_weekends():
    # Friday 2 Oct 2026 + 24 h ends on Saturday: Art 3(4) excludes periods in hours.
    result = latest(Kind.INCIDENT, "2026-10-02T12:30:00Z")
    assert result.early_warning_latest == utc("2026-10-03T13:00:00")
    assert result.notification_latest == utc("2026-10-05T13:00:00")


def test_day_period_ends_at_midnight_after_last_day():
    # fix on Wed 7 Oct; day 14 = Wed 21 Oct; ends at its 24:00
    result = latest(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix="2026-10-07T10:00:00Z")
    assert result.final_report_latest == utc("2026-10-22T00:00:00")


def test_day_period_ending_on_saturday_moves_to_monday():
    # fix on Sat 3 Oct; day 14 = Sat 17 Oct -> Mon 19 Oct, 24:00
    result = latest(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix="2026-10-03T10:00:00Z")
    assert result.final_report_latest == utc("2026-10-20T00:00:00")


def test_listed_public_holiday_moves_the_end():
    rules = PeriodRules(holidays=holiday_calendar(["2026-10-21"]))
    result = latest(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix="2026-10-07T10:00:00Z", rules=rules)
    assert result.final_report_latest == utc("2026-10-23T00:00:00")
    assert "1 listed" in result.calendar


def test_month_period_end_of_february_on_saturday():
    # notified 31 Jan 2032 -> 29 Feb 2032 is a Sunday -> Monday 1 Mar, 24:00
    result = latest(Kind.INCIDENT, "2032-01-30T00:00:00Z", notified="2032-01-31T10:00:00Z")
    assert result.final_report_latest == utc("2032-03-02T00:00:00")


def test_month_period_leap_year():
    # notified 31 Jan 2028 -> 29 Feb 2028 (Tuesday), 24:00
    result = latest(Kind.INCIDENT, "2028-01-30T00:00:00Z", notified="2028-01-31T10:00:00Z")
    assert result.final_report_latest == utc("2028-03-01T00:00:00")


def test_legal_time_zone_decides_the_day():
    # 23:30 UTC on 7 Oct is 01:30 on 8 Oct in Brussels: the period counts from 9 Oct local,
    # last day Thu 22 Oct, ending at 24:00 CEST = 22:00 UTC.
    rules = PeriodRules(zone=legal_zone("Europe/Brussels"))
    result = latest(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix="2026-10-07T23:30:00Z", rules=rules)
    assert result.final_report_latest == utc("2026-10-22T22:00:00")


def test_legal_time_zone_across_dst_end():
    # fix 20 Oct (CEST) + 14 days = Tue 3 Nov, which ends at 24:00 CET = 23:00 UTC
    rules = PeriodRules(zone=legal_zone("Europe/Brussels"))
    result = latest(Kind.VULNERABILITY, "2026-10-01T00:00:00Z", fix="2026-10-20T09:00:00+02:00", rules=rules)
    assert result.final_report_latest == utc("2026-11-03T23:00:00")


def test_unknown_final_anchor_gives_none():
    assert latest(Kind.INCIDENT, "2026-10-01T00:00:00Z").final_report_latest is None


def test_bad_zone_and_holiday_are_input_errors():
    with pytest.raises(ReportingError):
        legal_zone("Mars/Olympus")
    with pytest.raises(ReportingError):
        holiday_calendar(["31/12/2026"])


def test_latest_is_never_before_exact_due():
    from datetime import timedelta

    from crakit.reporting.clocks import exact_deadlines

    start = utc("2026-09-11T00:17:00")
    for step in range(0, 24 * 400, 37):
        event = start + timedelta(hours=step)
        clock = ClockInput(Kind.INCIDENT, event, notified_at=event + timedelta(hours=50))
        exact = exact_deadlines(clock)
        info = latest_moments(clock, PeriodRules(zone=legal_zone("Europe/Berlin")))
        assert info.early_warning_latest >= exact.early_warning_due
        assert info.notification_latest >= exact.notification_due
        assert exact.final_report_due is not None and info.final_report_latest is not None
        # The exact month counts UTC days, 1182/71 the legal zone's days: near midnight they may fall on
        # different days (see test_clock_properties); never more than that apart.
        assert info.final_report_latest > exact.final_report_due - timedelta(days=1, hours=14)
