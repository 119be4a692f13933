"""When the essential requirements and the reporting duty apply (Art 69, Art 71, Art 24(3))."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from crakit.manifest import Manifest
from crakit.regulation.reasons import Reason
from crakit.regulation.role import Role
from crakit.regulation.rules import key_date, rules


@dataclass(frozen=True, slots=True)
class Applicability:
    essential_requirements_apply: bool
    reporting_applies: bool
    legacy: bool  # placed on the market before the general date and not substantially modified since
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()


def decide_applicability(manifest: Manifest, role: Role) -> Applicability:
    general = key_date("general_application")
    reporting = key_date("reporting_applies")
    market = manifest.market
    placed, modified = market.placed_on_market, market.substantially_modified_on
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    legacy = placed is not None and placed < general and not (modified is not None and modified >= general)
    if legacy:
        reasons.append(
            Reason(
                f"Placed on the market on {placed} (before {general:%d %b %Y}) and not substantially modified since "
                "that date: the essential requirements and the other obligations do not apply to it. Placing on "
                "the market is per individual unit: units first placed from that date must comply.",
                "Art 69(2)",
            )
        )
    elif placed is not None and placed < general:
        reasons.append(
            Reason(
                f"Placed on the market before {general:%d %b %Y} but substantially modified on {modified}: the "
                "Regulation applies to the product as modified.",
                "Art 69(2), Art 3(30)",
            )
        )
        warnings.append(
            Reason(
                "The Regulation reaches a substantially modified legacy product only as modified: its "
                "requirements cover the parts the modification affects, and the whole product only where the "
                "modification affects the cybersecurity of the product as a whole. Record that assessment in "
                "the technical documentation.",
                "Art 69(2), Art 3(30), guidance para 124",
            )
        )
    elif placed is None:
        reasons.append(
            Reason(
                f"No placing date given: assumed to be placed on the market from {general:%d %b %Y}, when the "
                "essential requirements apply.",
                "Art 71(2)",
            )
        )
    else:
        reasons.append(
            Reason(
                f"Placed on the market on or after {general:%d %b %Y}: the essential requirements apply.",
                "Art 71(2), Art 6",
            )
        )
    if role == "steward":
        essential = False
        reasons.append(
            Reason(
                "The essential requirements bind the manufacturer; a steward has only the Art 24 duties.",
                "Art 24",
            )
        )
        reporting_applies = True
        reasons.append(
            Reason(
                f"Reporting of actively exploited vulnerabilities and severe incidents applies to the steward to "
                f"the extent it is involved, from {key_date('steward_reporting_applies'):%d %b %Y}.",
                "Art 24(3), Art 71(2)",
            )
        )
    elif role in ("importer", "distributor"):
        essential = not legacy
        # Art 69(3): Art 14 applies to every in-scope product; for this product it binds its manufacturer.
        reporting_applies = True
        reasons.append(
            Reason(
                f"Article 14 reporting applies to this product from {reporting:%d %b %Y}; it is the manufacturer's "
                f"duty, and the {role} informs the manufacturer of vulnerabilities and the authorities of "
                "significant risks.",
                "Art 14(1), Art 69(3), Art 19(5)"
                if role == "importer"
                else "Art 14(1), Art 69(3), Art 20(4)",
            )
        )
    else:
        essential = not legacy
        reporting_applies = True
        reasons.append(
            Reason(
                f"Article 14 reporting applies to every in-scope product from {reporting:%d %b %Y}, including "
                "products placed on the market before 11 Dec 2027.",
                "Art 14, Art 69(3), Art 71(2)",
            )
        )
    return Applicability(essential, reporting_applies, legacy, tuple(reasons), tuple(warnings))


@dataclass(frozen=True, slots=True)
class ReportingDuty:
    """Whether Art 14 binds for an event the reporter became aware of at a given moment."""

    applies: bool
    text: str
    ref: str

    def to_json(self) -> dict[str, str | bool]:
        return {"applies": self.applies, "text": self.text, "ref": self.ref}


def reporting_duty(aware: dt.datetime | dt.date, *, steward: bool = False) -> ReportingDuty:
    """Art 14 applies to events the manufacturer becomes aware of from 11 Sep 2026 (Art 71(2)); for an
    open-source software steward, Art 24(3) applies from 11 Dec 2027.

    The date begins at midnight in the easternmost time zone of the Union (Europe/Helsinki): an awareness
    that is already on that date anywhere in the Union counts, so crakit never tells someone they had no
    duty when a Member State's clock says they had. There is no duty to report retroactively what one was
    aware of before that date (Commission FAQ 5.3, guidance para 217).
    """
    dates = rules().dates
    start = dates.steward_reporting_applies if steward else dates.reporting_applies
    who = "an open-source software steward" if steward else "a manufacturer"
    extent = (
        " (to the extent the steward is involved in the development, and for incidents affecting the systems "
        "it provides for the development, Art 24(3))"
        if steward
        else ""
    )
    if isinstance(aware, dt.datetime):
        begins = dt.datetime.combine(start.date, dt.time(0), tzinfo=_EASTERNMOST)
        applies = aware >= begins
        shown = aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        boundary = f"{start.date:%d %b %Y} (00:00 in the Union's easternmost time zone, {begins.astimezone(dt.UTC):%Y-%m-%dT%H:%MZ})"
    else:
        applies = aware >= start.date
        shown = aware.isoformat()
        boundary = f"{start.date:%d %b %Y}"
    if not applies:
        return ReportingDuty(
            False,
            f"Awareness at {shown} is before {boundary}, when the reporting obligation starts for {who}: no "
            "Art 14 deadline runs for this event (no retroactive reporting).",
            start.ref,
        )
    return ReportingDuty(
        True,
        f"Awareness at {shown}, on or after {boundary}: the Art 14 deadlines run for {who}{extent}.",
        start.ref,
    )


_EASTERNMOST = ZoneInfo("Europe/Helsinki")  # EET/EEST: the earliest start of any calendar day in the Union
