"""The support period (Art 13(8), 13(19)) and the dates that follow from it (Art 13(9), (13), (18))."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crakit.manifest import Manifest, YearMonth
from crakit.regulation.calendar import add_months
from crakit.regulation.reasons import Reason
from crakit.regulation.rules import rules


@dataclass(frozen=True, slots=True)
class SupportDecision:
    end: YearMonth | None
    minimum_end: YearMonth | None
    expected_use_end: YearMonth | None  # placing + expected use time, when both are known
    ok: bool | None  # the declared end against Art 13(8); None: no placing date to count from
    applies: bool  # whether Art 13(8) binds here (not for out-of-scope or legacy products, nor stewards)
    minimum_years: float
    retention_until: dt.date | None  # Art 13(13): documentation and declaration
    user_information_until: dt.date | None  # Art 13(18)
    last_update_available_until: dt.date | None  # Art 13(9) for an update released on the last day of support
    reasons: tuple[Reason, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "end": str(self.end) if self.end else None,
            "minimum_end": str(self.minimum_end) if self.minimum_end else None,
            "expected_use_end": str(self.expected_use_end) if self.expected_use_end else None,
            "ok": self.ok,
            "applies": self.applies,
            "minimum_years": self.minimum_years,
            "documentation_retention_until": _iso(self.retention_until),
            "user_information_until": _iso(self.user_information_until),
            "security_update_availability": (
                "each security update stays available for 10 years after its release or until the end of the "
                "support period, whichever is later (Art 13(9))"
            ),
            "last_update_available_until": _iso(self.last_update_available_until),
            "reasons": [r.to_json() for r in self.reasons],
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _years_text(years: float) -> str:
    return f"{years:g} year" + ("" if years == 1 else "s")


def decide_support(manifest: Manifest, not_applicable: Reason | None = None) -> SupportDecision:
    """Check the declared end of support against Art 13(8), counted from placing on the market.

    At least five years (Recital 60); a shorter expected use time makes that the minimum; and the period
    must reflect the expected use time, so an end before placing + expected use is not ok either.
    ``not_applicable`` explains why Art 13(8) does not bind here (out of scope, Art 69(2) legacy product,
    steward); the check is still made and reported (``ok``), with ``applies`` false.
    """
    cfg = rules().support
    minimum_years: float = float(cfg.minimum_years)
    expected = manifest.support.expected_use_years
    end = manifest.support.end
    placed = manifest.market.placed_on_market
    reasons: list[Reason] = []
    if expected is not None and expected < minimum_years:
        minimum_years = float(expected)
        reasons.append(
            Reason(
                f"The product is expected to be in use for {_years_text(expected)}, less than five years: the "
                "support period may equal the expected use time.",
                "Art 13(8)",
            )
        )
    minimum_end: YearMonth | None = None
    expected_end: YearMonth | None = None
    if placed is not None:
        minimum_end = YearMonth.of(add_months(placed, round(minimum_years * 12)))
        if expected is not None:
            expected_end = YearMonth.of(add_months(placed, round(expected * 12)))
    ok: bool | None = True
    if end is None:
        ok = False
        reasons.append(
            Reason(
                "No end of the support period is declared; it must be shown to at least month and year at the time "
                "of purchase.",
                "Art 13(19)",
            )
        )
    elif minimum_end is None:
        ok = None
        reasons.append(
            Reason(
                f"Support declared until {end}; it cannot be checked without a placing-on-the-market date.",
                "Art 13(8)",
            )
        )
    elif end < minimum_end:
        ok = False
        reasons.append(
            Reason(
                f"Support ends {end}, before the minimum {minimum_end} ({_years_text(minimum_years)} from placing on "
                f"the market on {placed}).",
                "Art 13(8)",
            )
        )
    elif expected is not None and expected_end is not None and end < expected_end:
        ok = False
        reasons.append(
            Reason(
                f"Support ends {end}, before the end of the expected use time of {_years_text(expected)} "
                f"({expected_end}): the support period must reflect the time the product is expected to be in "
                "use, not only the five-year minimum.",
                "Art 13(8), Recital 60",
            )
        )
    else:
        reasons.append(
            Reason(
                f"Support until {end} meets the minimum of {_years_text(minimum_years)} from placing on the market "
                f"({minimum_end})"
                + (f" and covers the expected use time ({expected_end})." if expected_end else "."),
                "Art 13(8), Art 13(19)",
            )
        )
    if not_applicable is not None:
        reasons = [not_applicable, *reasons]
    years = cfg.documentation_years
    end_day = end.last_day() if end else None
    retention = None
    if placed is not None:
        retention = add_months(placed, years * 12)
        if end_day and end_day > retention:
            retention = end_day
    last_update = add_months(end_day, cfg.update_availability_years * 12) if end_day else None
    return SupportDecision(
        end=end,
        minimum_end=minimum_end,
        expected_use_end=expected_end,
        ok=ok,
        minimum_years=minimum_years,
        applies=not_applicable is None,
        retention_until=retention,
        user_information_until=retention,
        last_update_available_until=last_update,
        reasons=tuple(reasons),
    )


def support_warnings(manifest: Manifest, support: SupportDecision) -> tuple[Reason, ...]:
    """What the support-period check could not establish, or what to document (not errors)."""
    if not support.applies:
        return ()
    end, expected_end, minimum_end = support.end, support.expected_use_end, support.minimum_end
    if support.ok is False and end is not None:
        # Every document that states the support period carries this, not only the technical
        # documentation (found by review: the declaration and user information were silent).
        return (
            Reason(
                f"The support period ends {end}, before the minimum the law asks for ({minimum_end}): it must be "
                "at least five years, or the expected use time where that is shorter.",
                "Art 13(8)",
            ),
        )
    if manifest.support.expected_use_years is None:
        return (
            Reason(
                "support.expected_use_years is not given: the support period must reflect the time the product "
                "is expected to be in use, and crakit checked only the five-year minimum.",
                "Art 13(8)",
            ),
        )
    if (
        end is not None
        and expected_end is not None
        and minimum_end is not None
        and minimum_end <= end < expected_end
    ):
        return (
            Reason(
                f"The support period ends {end}, before the expected use time ends ({expected_end}): lengthen it, "
                "or record in the technical documentation why a shorter period is proportionate (the information "
                "used to set the support period).",
                "Art 13(8), Annex VII point 4",
            ),
        )
    return ()
