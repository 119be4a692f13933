"""One view of a case's clocks: the exact due instants plus the 1182/71 information."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crakit.reporting.clocks import ClockInput, Deadlines, exact_deadlines
from crakit.reporting.kinds import Kind
from crakit.reporting.periods import LatestMoments, PeriodRules, latest_moments
from crakit.reporting.timeparse import format_instant

BASIS = {
    Kind.VULNERABILITY: {
        "early_warning_due": "CRA Art 14(2)(a): awareness + 24 hours",
        "notification_due": "CRA Art 14(2)(b): awareness + 72 hours",
        "final_report_due": "CRA Art 14(2)(c): corrective or mitigating measure available + 14 days",
    },
    Kind.INCIDENT: {
        "early_warning_due": "CRA Art 14(4)(a): awareness + 24 hours",
        "notification_due": "CRA Art 14(4)(b): awareness + 72 hours",
        "final_report_due": "CRA Art 14(4)(c): notification submitted + one month",
    },
}


@dataclass(frozen=True, slots=True)
class Schedule:
    """The exact deadlines of a case and, as information, the 1182/71 latest moments."""

    clock: ClockInput
    deadlines: Deadlines
    latest: LatestMoments

    @property
    def applies(self) -> bool:
        return self.deadlines.applies

    def basis(self) -> dict[str, str]:
        basis = dict(BASIS[self.clock.kind])
        if self.deadlines.final_from_awareness:
            basis["final_report_due"] = (
                "CRA Art 14(2)(c): the fix predates awareness; 14 days counted from awareness, since no duty "
                "runs before it"
            )
            if self.deadlines.final_literal_due is not None:
                basis["final_report_due"] += (
                    f"; read literally (fix + 14 days) it would be {format_instant(self.deadlines.final_literal_due)}:"
                    " filing by then is the cautious choice"
                )
        return basis

    def to_json(self) -> dict[str, Any]:
        """The ``report clock --format json`` contract (times ISO 8601 UTC with ``Z``)."""
        duty = self.deadlines.duty
        return {
            "kind": self.clock.kind.value,
            # False: no Art 14 duty for this awareness date (Art 71(2), Art 24(3)); every deadline is null.
            "applies": duty.applies,
            "applicability": {"text": duty.text, "ref": duty.ref},
            "steward": self.clock.steward,
            "aware_at": format_instant(self.clock.aware_at),
            "fix_available_at": format_instant(self.clock.fix_available_at),
            "notified_at": format_instant(self.clock.notified_at),
            "early_warning_due": format_instant(self.deadlines.early_warning_due),
            "notification_due": format_instant(self.deadlines.notification_due),
            "final_report_due": format_instant(self.deadlines.final_report_due),
            "basis": self.basis(),
            "final_report_from_awareness": self.deadlines.final_from_awareness,
            # the literal reading (fix + 14 days) when the fix predates awareness and that date is later
            "final_report_due_literal": format_instant(self.deadlines.final_literal_due),
            "regulation_1182_71": {
                "early_warning_latest": format_instant(self.latest.early_warning_latest),
                "notification_latest": format_instant(self.latest.notification_latest),
                "final_report_latest": format_instant(self.latest.final_report_latest),
                "time_zone": self.latest.zone,
                "holiday_calendar": self.latest.calendar,
                "note": (
                    "Information only: the instant each period expires under Regulation (EEC, Euratom) "
                    "No 1182/71 Art 3 (event hour/day not counted; day and month periods end at 24:00 and "
                    "move off weekends and listed holidays; hour periods never move). File by the *_due times."
                ),
            },
        }


def schedule(clock: ClockInput, rules: PeriodRules | None = None) -> Schedule:
    """Compute the exact clocks (Art 14(2)/(4)) and the 1182/71 latest moments for ``clock``."""
    return Schedule(clock, exact_deadlines(clock), latest_moments(clock, rules))


# The name the package face exports (the module is called ``schedule`` too).
build_schedule = schedule
