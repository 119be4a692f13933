"""Properties of the clocks over many instants and offsets (bounded hypothesis runs)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from crakit.reporting.clocks import ClockInput, exact_deadlines
from crakit.reporting.kinds import Kind
from crakit.reporting.periods import PeriodRules, holiday_calendar, latest_moments, legal_zone
from crakit.reporting.timeparse import format_instant, parse_instant

# Art 14 clocks exist only for awareness from 11 Sep 2026 (Art 71(2)), counted from midnight in the Union's
# easternmost time zone (21:00 UTC on 10 Sep); before it every deadline is null.
instants = st.datetimes(
    min_value=datetime(2026, 9, 11), max_value=datetime(2099, 12, 1), timezones=st.just(UTC)
)
before = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2026, 9, 10, 23, 59), timezones=st.just(UTC)
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
zones = st.sampled_from(["UTC", "Europe/Brussels", "Europe/Helsinki", "Europe/Lisbon", "America/New_York"])


@settings(max_examples=150, deadline=None)
@given(instants, offsets)
def test_written_with_any_offset_the_clocks_are_24_and_72_elapsed_hours(aware, offset):
    text = aware.astimezone(offset).isoformat()
    parsed = parse_instant(text)
    assert parsed == aware and format_instant(parsed).endswith("Z")
    result = exact_deadlines(ClockInput(Kind.INCIDENT, parsed))
    assert (result.early_warning_due - aware) == timedelta(hours=24)
    assert (result.notification_due - aware) == timedelta(hours=72)


@settings(max_examples=150, deadline=None)
@given(instants, st.integers(min_value=0, max_value=10_000))
def test_incident_final_is_one_calendar_month_after_the_notification(aware, minutes_later):
    notified = aware + timedelta(minutes=minutes_later)
    due = exact_deadlines(ClockInput(Kind.INCIDENT, aware, notified_at=notified)).final_report_due
    assert due is not None
    assert due.time() == notified.time()
    assert (due.year * 12 + due.month) - (notified.year * 12 + notified.month) == 1
    assert due.day == min(notified.day, calendar.monthrange(due.year, due.month)[1])


@settings(max_examples=100, deadline=None)
@given(instants, st.integers(min_value=0, max_value=60 * 24 * 30), zones, st.booleans())
def test_1182_71_latest_is_never_earlier_than_the_exact_due(aware, minutes, zone, with_holiday):
    fix = aware + timedelta(minutes=minutes)
    holidays = holiday_calendar([(fix + timedelta(days=14)).date().isoformat()] if with_holiday else [])
    rules = PeriodRules(legal_zone(zone), holidays)
    for clock in (
        ClockInput(Kind.VULNERABILITY, aware, fix_available_at=fix),
        ClockInput(Kind.INCIDENT, aware, notified_at=fix),
    ):
        exact, info = exact_deadlines(clock), latest_moments(clock, rules)
        assert exact.final_report_due is not None and info.final_report_latest is not None
        assert info.early_warning_latest - exact.early_warning_due <= timedelta(hours=1)
        assert info.early_warning_latest > exact.early_warning_due
        if zone == "UTC":
            assert info.final_report_latest > exact.final_report_due
        else:
            # The exact clock counts calendar months on UTC days (the contract); 1182/71 counts them on
            # the legal zone's days, so near midnight the two may fall on different days.
            assert info.final_report_latest > exact.final_report_due - timedelta(days=1, hours=14)
        # the period ends at a local midnight that is a working day's end
        local_end = info.final_report_latest.astimezone(rules.zone)
        assert (local_end.hour, local_end.minute) == (0, 0)
        assert rules.holidays.is_working_day(local_end.date() - timedelta(days=1))


@settings(max_examples=100, deadline=None)
@given(before, st.integers(min_value=0, max_value=10_000), st.booleans())
def test_no_clock_runs_for_awareness_before_art_14_applies(aware, minutes_later, steward):
    later = aware + timedelta(minutes=minutes_later)
    for clock in (
        ClockInput(Kind.VULNERABILITY, aware, fix_available_at=later, steward=steward),
        ClockInput(Kind.INCIDENT, aware, notified_at=later, steward=steward),
    ):
        result = exact_deadlines(clock)
        assert not result.applies
        assert (result.early_warning_due, result.notification_due, result.final_report_due) == (
            None,
            None,
            None,
        )
        info = latest_moments(clock)
        assert (info.early_warning_latest, info.notification_latest, info.final_report_latest) == (
            None,
            None,
            None,
        )


@settings(max_examples=100, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2026, 9, 11), max_value=datetime(2027, 12, 10, 21, 59), timezones=st.just(UTC)
    )
)
def test_a_steward_has_no_clock_before_11_dec_2027(aware):
    # Art 24(3) applies from the general date (Art 71(2)); a manufacturer's clock already runs.
    assert not exact_deadlines(ClockInput(Kind.VULNERABILITY, aware, steward=True)).applies
    assert exact_deadlines(ClockInput(Kind.VULNERABILITY, aware)).applies
