"""Which Member State's coordinator CSIRT receives Art 14 notifications (Art 14(7)).

One implementation for ``classify`` (``csirt_route``) and for the reporting commands, which add the
CSIRT's contact data to the Member State chosen here.

* Main establishment in the Union (where cybersecurity decisions are predominantly taken, else the
  establishment with the most employees in the Union): that Member State (first and second subparagraphs).
* None in the Union: the first known of (a) the authorised representative acting for most of the
  manufacturer's products, (b) the importer placing most of them, (c) the distributor making most of them
  available, (d) the Member State with the most users of its products (third subparagraph). Each is judged
  over all the manufacturer's products, not one product, so crakit never infers (d) from one product's
  markets. Under (d) later notifications may keep going to the same CSIRT (fourth subparagraph).
"""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.manifest.countries import EEA_EFTA_STATES, EU_MEMBER_STATES
from crakit.regulation.reasons import Reason

# Art 14(7) speaks of a main establishment "in the Union". The CRA is marked EEA-relevant, but crakit
# has no record of its incorporation into the EEA Agreement, and the reporting platform lists the
# coordinator CSIRTs of the 27 EU Member States: an establishment in Iceland, Liechtenstein or
# Norway is outside the Union here and the fallbacks of points (a)-(d) apply (route_warnings says so).
_MEMBER_STATES = EU_MEMBER_STATES
_ALIASES = {"EL": "GR"}


@dataclass(frozen=True, slots=True)
class RoutingFacts:
    """What is known about the manufacturer's establishments and operators (ISO 3166-1 alpha-2)."""

    main_establishment: str | None = None
    registered_office: str | None = None  # only to explain a main establishment outside the Union
    authorised_representative: str | None = None
    importer: str | None = None
    distributor: str | None = None
    most_users: str | None = None


@dataclass(frozen=True, slots=True)
class CsirtRoute:
    member_state: str | None
    basis: (
        str  # main establishment | authorised representative | importer | distributor | most users | unknown
    )
    ref: str
    reason: str

    def to_json(self) -> dict[str, str | None]:
        return {
            "member_state": self.member_state,
            "basis": self.basis,
            "ref": self.ref,
            "reason": self.reason,
        }


_FALLBACK = (
    ("authorised_representative", "authorised representative", "a", "the Member State of the authorised representative acting for most of the manufacturer's products"),
    ("importer", "importer", "b", "the Member State of the importer placing most of the manufacturer's products on the market"),
    ("distributor", "distributor", "c", "the Member State of the distributor making most of the manufacturer's products available"),
    ("most_users", "most users", "d", "the Member State with the most users of the manufacturer's products"),
)  # fmt: skip


def _code(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    upper = value.strip().upper()
    return _ALIASES.get(upper, upper)


def decide_csirt_route(facts: RoutingFacts) -> CsirtRoute:
    """Choose the Member State under Art 14(7)."""
    main = _code(facts.main_establishment)
    prefix = ""
    if main is not None and main not in _MEMBER_STATES:
        prefix = f"The main establishment is outside the Union ({main}). "
        main = None
    if main is not None:
        return CsirtRoute(
            main,
            "main establishment",
            "Art 14(7), first and second subparagraphs",
            f"The manufacturer's main establishment in the Union is in {main}: notify through the coordinator "
            "CSIRT of that Member State.",
        )
    office = _code(facts.registered_office)
    if not prefix and office is not None and office not in _MEMBER_STATES:
        prefix = f"The registered office is outside the Union ({office}). "
    for attribute, basis, point, wording in _FALLBACK:
        found = _code(getattr(facts, attribute))
        if found is None:
            continue
        reason = f"{prefix}No main establishment in the Union: the first applicable fallback is {wording} ({found})."
        if attribute == "most_users":
            reason += " Later notifications may keep going to this CSIRT (Art 14(7), fourth subparagraph)."
        return CsirtRoute(found, basis, f"Art 14(7)({point})", reason)
    return CsirtRoute(
        None,
        "unknown",
        "Art 14(7)",
        f"{prefix}No main establishment in the Union and no authorised representative, importer, distributor "
        "or most-users Member State recorded: set one before filing (a wrong CSIRT can invalidate the "
        "notification).",
    )


def routing_facts(manifest: Manifest) -> RoutingFacts:
    """The Art 14(7) facts a manifest gives (docs/manifest.md)."""
    mf, market = manifest.manufacturer, manifest.market
    return RoutingFacts(
        main_establishment=mf.main_establishment,
        registered_office=mf.country,
        authorised_representative=mf.authorised_representative,
        importer=market.importer_member_state,
        distributor=market.distributor_member_state,
        most_users=market.most_users_member_state,
    )


def route_warnings(manifest: Manifest, route: CsirtRoute) -> tuple[Reason, ...]:
    """What to check about the Art 14(7) route (not errors)."""
    mf, market = manifest.manufacturer, manifest.market
    warnings: list[Reason] = []
    eea = (mf.main_establishment if mf.main_establishment in EEA_EFTA_STATES else None) or (
        mf.country if mf.country in EEA_EFTA_STATES and not mf.main_establishment_declared else None
    )
    if eea:
        warnings.append(
            Reason(
                f"{eea} is an EEA state outside the EU: Art 14(7) speaks of a main establishment in the Union, "
                "crakit has no record of the CRA's incorporation into the EEA Agreement, and the reporting "
                "platform lists the coordinator CSIRTs of the 27 EU Member States. Set manufacturer."
                "main_establishment to an EU Member State if you have one there; otherwise the fallbacks apply.",
                "Art 14(7), Art 3(51)",
            )
        )
    if route.member_state is None:
        hint = ""
        if len(market.member_states) == 1:
            hint = (
                f" If most users of all your products are in {market.member_states[0]}, set "
                "market.most_users_member_state."
            )
        warnings.append(Reason(route.reason + hint, route.ref))
    return tuple(warnings)
