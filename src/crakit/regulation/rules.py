"""Typed access to ``data/rules.yaml``: key dates, exclusions, routes, presumption sources, support,
penalties and obligations.

The YAML is read once into frozen dataclasses; the decision modules use attributes, never string keys
into raw dictionaries, so a renamed or missing entry fails here at load time, not in the middle of a
decision. Bump ``version`` in the YAML on every change of meaning.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from crakit.regulation.law import load_data


class RulesDataError(RuntimeError):
    """The packaged rules data does not have the expected shape (a bug in crakit, exit 3)."""


@dataclass(frozen=True, slots=True)
class KeyDate:
    date: dt.date
    ref: str


@dataclass(frozen=True, slots=True)
class KeyDates:
    """The dates of Art 69 and Art 71 (and Art 24(3) for stewards)."""

    entry_into_force: KeyDate
    notified_bodies_apply: KeyDate
    reporting_applies: KeyDate
    general_application: KeyDate
    steward_reporting_applies: KeyDate
    other_certificates_valid_until: KeyDate

    def named(self, name: str) -> KeyDate:
        """The date an obligation in the data refers to by name (``applies: general_application``)."""
        if name not in self.__dataclass_fields__:
            raise RulesDataError(f"rules.yaml: unknown date {name!r}")
        value: KeyDate = getattr(self, name)
        return value


@dataclass(frozen=True, slots=True)
class Exclusion:
    id: str
    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class RouteRule:
    routes: tuple[str, ...]
    ref: str


@dataclass(frozen=True, slots=True)
class RouteTable:
    """Art 32 routes per category; ``eucc`` is added by the routes module only where a scheme exists."""

    default: RouteRule
    class_i_full: RouteRule
    class_i: RouteRule
    class_ii: RouteRule
    critical: RouteRule
    open_source_annex_iii: RouteRule
    names: Mapping[str, str]

    def name(self, route: str) -> str:
        if route not in self.names:
            raise RulesDataError(f"rules.yaml: no name for route {route!r}")
        return self.names[route]


@dataclass(frozen=True, slots=True)
class PresumptionSource:
    """A harmonised standard, common specification or certification scheme the law recognises."""

    reference: str  # "EN 40000-1-2:2026", a scheme name
    title: str
    published: dt.date | None  # OJ publication of the reference (standards) or of the act
    ref: str
    level: str | None = None  # certification schemes: lowest assurance level the scheme gives


@dataclass(frozen=True, slots=True)
class Note:
    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class Presumption:
    """What gives a presumption of conformity under Art 27 and so opens module A for Class I (Art 32(2))."""

    as_of: dt.date
    ref: str
    harmonised_standards: tuple[PresumptionSource, ...]
    common_specifications: tuple[PresumptionSource, ...]
    certification_schemes: tuple[PresumptionSource, ...]
    delegated_act_art_8_1: str | None
    notes: tuple[Note, ...]

    def harmonised(self, reference: str) -> PresumptionSource | None:
        wanted = _reference_key(reference)
        return next((s for s in self.harmonised_standards if _reference_key(s.reference) == wanted), None)

    def common_specification(self, reference: str) -> PresumptionSource | None:
        wanted = _reference_key(reference)
        return next((s for s in self.common_specifications if _reference_key(s.reference) == wanted), None)

    def scheme(self, name: str | None) -> PresumptionSource | None:
        """The specified scheme of that name, or the only one when ``name`` is None."""
        if name is None:
            return self.certification_schemes[0] if len(self.certification_schemes) == 1 else None
        wanted = _reference_key(name)
        return next((s for s in self.certification_schemes if _reference_key(s.reference) == wanted), None)


def _reference_key(text: str) -> str:
    # "EN 40000-1-2:2026" and "en 40000-1-2 : 2026" name the same standard.
    return "".join(text.split()).upper()


@dataclass(frozen=True, slots=True)
class SupportRules:
    minimum_years: int  # Art 13(8)
    ref: str
    documentation_years: int  # Art 13(13), 13(18)
    update_availability_years: int  # Art 13(9)


@dataclass(frozen=True, slots=True)
class Penalty:
    tier: str
    ref: str
    text: str


@dataclass(frozen=True, slots=True)
class ObligationRule:
    id: str
    ref: str
    text: str
    penalty: str  # a Penalty.tier
    applies: str  # a KeyDates field name
    due: str | None  # placing | support-end | retention | updates | event
    needs_essential: bool
    early_warning: bool


@dataclass(frozen=True, slots=True)
class Rules:
    version: str
    act: str
    dates: KeyDates
    exclusions: tuple[Exclusion, ...]  # in the order they are tested
    routes: RouteTable
    presumption: Presumption
    support: SupportRules
    penalties: tuple[Penalty, ...]
    sme_relief: Note
    obligations: Mapping[str, tuple[ObligationRule, ...]]  # by role

    def exclusion(self, exclusion_id: str) -> Exclusion:
        for item in self.exclusions:
            if item.id == exclusion_id:
                return item
        raise RulesDataError(f"rules.yaml: unknown exclusion {exclusion_id!r}")

    def penalty(self, tier: str) -> Penalty:
        for item in self.penalties:
            if item.tier == tier:
                return item
        raise RulesDataError(f"rules.yaml: unknown penalty tier {tier!r}")

    def obligations_for(self, role: str) -> tuple[ObligationRule, ...]:
        return self.obligations.get(role, ())


# --- reading -----------------------------------------------------------------------------------------
# The helpers below are the only places that touch the raw YAML.


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise RulesDataError(f"rules.yaml: {where}: {value!r} is not a date") from None


def _key_date(raw: Mapping[str, Any], name: str) -> KeyDate:
    item = raw[name]
    return KeyDate(_date(item["date"], f"dates.{name}"), str(item["ref"]))


def _rule(raw: Mapping[str, Any]) -> RouteRule:
    return RouteRule(tuple(str(r) for r in raw["routes"]), str(raw["ref"]))


def _sources(raw: Any) -> tuple[PresumptionSource, ...]:
    return tuple(
        PresumptionSource(
            reference=str(s["reference"]),
            title=str(s.get("title", "")),
            published=_date(s["published"], "presumption") if s.get("published") else None,
            ref=str(s.get("ref", "Art 27")),
            level=str(s["level"]) if s.get("level") else None,
        )
        for s in raw or ()
    )


def _obligation(raw: Mapping[str, Any]) -> ObligationRule:
    return ObligationRule(
        id=str(raw["id"]),
        ref=str(raw["ref"]),
        text=str(raw["text"]),
        penalty=str(raw["penalty"]),
        applies=str(raw["applies"]),
        due=str(raw["due"]) if raw.get("due") else None,
        needs_essential=bool(raw.get("needs_essential", False)),
        early_warning=bool(raw.get("early_warning", False)),
    )


def parse_rules(data: Mapping[str, Any]) -> Rules:
    """Build :class:`Rules` from the decoded YAML; every later lookup is typed."""
    try:
        dates_raw = data["dates"]
        dates = KeyDates(**{name: _key_date(dates_raw, name) for name in KeyDates.__dataclass_fields__})
        routes_raw = data["routes"]
        routes = RouteTable(
            default=_rule(routes_raw["default"]),
            class_i_full=_rule(routes_raw["important-class-i-full"]),
            class_i=_rule(routes_raw["important-class-i"]),
            class_ii=_rule(routes_raw["important-class-ii"]),
            critical=_rule(routes_raw["critical"]),
            open_source_annex_iii=_rule(routes_raw["open-source-annex-iii"]),
            names={str(k): str(v) for k, v in data["route_names"].items()},
        )
        pres = data["presumption"]
        presumption = Presumption(
            as_of=_date(pres["as_of"], "presumption.as_of"),
            ref=str(pres["ref"]),
            harmonised_standards=_sources(pres.get("harmonised_standards")),
            common_specifications=_sources(pres.get("common_specifications")),
            certification_schemes=_sources(pres.get("certification_schemes")),
            delegated_act_art_8_1=pres.get("delegated_act_art_8_1"),
            notes=tuple(Note(str(n["ref"]), str(n["text"])) for n in pres.get("notes") or ()),
        )
        support_raw = data["support"]
        support = SupportRules(
            minimum_years=int(support_raw["minimum_years"]),
            ref=str(support_raw["ref"]),
            documentation_years=int(support_raw["documentation_years"]),
            update_availability_years=int(support_raw["update_availability_years"]),
        )
        relief = data["sme_early_warning_relief"]
        rules = Rules(
            version=str(data["version"]),
            act=str(data["act"]),
            dates=dates,
            exclusions=tuple(
                Exclusion(str(k), str(v["ref"]), str(v["text"])) for k, v in data["exclusions"].items()
            ),
            routes=routes,
            presumption=presumption,
            support=support,
            penalties=tuple(
                Penalty(str(k), str(v["ref"]), str(v["text"])) for k, v in data["penalties"].items()
            ),
            sme_relief=Note(str(relief["ref"]), str(relief["text"])),
            obligations={
                str(role): tuple(_obligation(item) for item in items)
                for role, items in data["obligations"].items()
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesDataError(f"rules.yaml does not have the expected shape: {exc!r}") from None
    for items in rules.obligations.values():
        for item in items:
            rules.dates.named(item.applies)
            rules.penalty(item.penalty)
    return rules


@cache
def rules() -> Rules:
    """The packaged rules (``data/rules.yaml``), read once."""
    data: Mapping[str, Any] = load_data("rules.yaml")
    return parse_rules(data)


def rules_version() -> str:
    return rules().version


def key_date(name: str) -> dt.date:
    """A key date by its name in the data (public helper for other packages)."""
    return rules().dates.named(name).date


def sme_early_warning_relief() -> Note:
    """Art 64(10)(a): no fines for micro and small enterprises that miss the 24-hour early warning."""
    return rules().sme_relief


def presumption() -> Presumption:
    """What the law recognises under Art 27 as of the rules' date (harmonised standards, schemes)."""
    return rules().presumption
