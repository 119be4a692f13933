"""Support period (Art 13(8), 13(19)) and the dates that follow (Art 13(9), (13), (18))."""

from __future__ import annotations

import datetime as dt

import pytest

from crakit.regulation import classify
from crakit.regulation.calendar import add_months
from tests.manifest_factory import make


def test_five_year_minimum_counted_from_placing() -> None:
    support = classify(make(**{"support.end": "2033-03", "support.expected_use_years": 5})).support_period
    assert str(support.minimum_end) == "2033-03"
    assert support.ok


def test_one_month_short_is_not_ok() -> None:
    support = classify(make(**{"support.end": "2033-02"})).support_period
    assert not support.ok
    assert any("before the minimum" in r.text and r.ref == "Art 13(8)" for r in support.reasons)


def test_four_year_expected_use_shortens_the_minimum() -> None:
    support = classify(make(**{"support.expected_use_years": 4, "support.end": "2032-03"})).support_period
    assert str(support.minimum_end) == "2032-03"
    assert support.ok
    assert support.minimum_years == 4
    too_short = classify(make(**{"support.expected_use_years": 4, "support.end": "2032-02"})).support_period
    assert not too_short.ok


def test_support_shorter_than_expected_use_is_not_ok() -> None:
    # Art 13(8): the period reflects the expected use time; five years is only the floor (Recital 60).
    support = classify(make(**{"support.expected_use_years": 10, "support.end": "2033-06"})).support_period
    assert support.ok is False
    assert str(support.expected_use_end) == "2038-03"
    assert any("expected use time" in r.text and "Art 13(8)" in r.ref for r in support.reasons)


def test_missing_end_is_not_ok() -> None:
    support = classify(make(**{"support.end": None})).support_period
    assert not support.ok
    assert any(r.ref == "Art 13(19)" for r in support.reasons)


def test_unknown_placing_date_cannot_check_minimum() -> None:
    support = classify(make(**{"market.placed_on_market": None})).support_period
    assert support.minimum_end is None
    assert support.ok is None


def test_retention_is_the_later_of_ten_years_and_support_end() -> None:
    short = classify(make()).support_period  # placed 2028-03-01, support to 2035-03
    assert short.retention_until == dt.date(2038, 3, 1)
    long = classify(make(**{"support.end": "2040-06"})).support_period
    assert long.retention_until == dt.date(2040, 6, 30)
    assert long.user_information_until == long.retention_until
    assert long.last_update_available_until == dt.date(2050, 6, 30)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 2, 29), 12, dt.date(2029, 2, 28)),
        (dt.date(2028, 3, 1), 60, dt.date(2033, 3, 1)),
        (dt.date(2028, 12, 15), 1, dt.date(2029, 1, 15)),
    ],
)
def test_add_months(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected
