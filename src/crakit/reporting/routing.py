"""Which coordinator CSIRT receives the notification (CRA Art 14(7)).

* Main establishment in the EU (where cybersecurity decisions are mainly taken, else
  the establishment with the most EU employees): that Member State's coordinator CSIRT.
* No main establishment in the EU: the first Member State known in this order:
  authorised representative, importer, distributor, the Member State with the most users.

The 27 coordinator CSIRTs come from ``data/csirts.yaml`` (ENISA's list as of 10 Sep 2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from crakit.reporting.errors import ReportingError


@dataclass(frozen=True, slots=True)
class Csirt:
    """A CSIRT designated as coordinator (NIS2 Art 12(1)) for one Member State."""

    code: str
    country: str
    name: str
    contact_url: str
    srp_host: str
    confidence: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RoutingInput:
    """What the manufacturer knows about its establishments and operators (ISO 3166-1 alpha-2)."""

    main_establishment: str | None = None
    authorised_representative: str | None = None
    importer: str | None = None
    distributor: str | None = None
    most_users: str | None = None
    registered_office: str | None = None  # any country; only explains a route without an EU establishment


@dataclass(frozen=True, slots=True)
class Route:
    """The coordinator CSIRT chosen and why."""

    csirt: Csirt | None
    basis: str
    article: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "member_state": self.csirt.code if self.csirt else None,
            "csirt": self.csirt.name if self.csirt else None,
            "country": self.csirt.country if self.csirt else None,
            "contact_url": self.csirt.contact_url if self.csirt else None,
            "srp_host": self.csirt.srp_host if self.csirt else None,
            "confidence": self.csirt.confidence if self.csirt else None,
            "basis": self.basis,
            "article": self.article,
            "reason": self.reason,
            "enisa": "ENISA receives the notification at the same time through the platform (Art 14(1), 14(7)).",
        }


@cache
def csirts() -> dict[str, Csirt]:
    """The 27 coordinator CSIRTs by ISO code (Greece also under its EU code EL)."""
    text = resources.files("crakit.reporting").joinpath("data", "csirts.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    table: dict[str, Csirt] = {}
    for item in data["csirts"]:
        entry = Csirt(
            code=str(item["code"]),
            country=str(item["country"]),
            name=str(item["csirt"]),
            contact_url=str(item["contact_url"]),
            srp_host=str(item["srp_host"]),
            confidence=str(item["confidence"]),
            note=item.get("note"),
        )
        table[entry.code] = entry
        if item.get("eu_code"):
            table[str(item["eu_code"])] = entry
    return table


def member_state(code: str | None, what: str) -> Csirt | None:
    """The CSIRT of an EU Member State code; ``None`` for no code; error for a non-EU code."""
    if code is None or not code.strip():
        return None
    wanted = code.strip().upper()
    table = csirts()
    if wanted not in table:
        raise ReportingError(
            f"{what}: {code!r} is not an EU Member State code", hint="use ISO 3166-1 alpha-2, e.g. BE"
        )
    return table[wanted]


def _outside_union(code: str | None) -> str | None:
    """A real country code that is not an EU/EEA Member State (a manufacturer established in CH, US, ...)."""
    from crakit.manifest.countries import ALIASES, EEA_EFTA_STATES, ISO_3166_ALPHA2

    if code is None or not code.strip():
        return None
    wanted = ALIASES.get(code.strip().upper(), code.strip().upper())
    outside = wanted in ISO_3166_ALPHA2 and wanted not in csirts() and wanted not in EEA_EFTA_STATES
    return wanted if outside else None


def route(known: RoutingInput) -> Route:
    """Choose the coordinator CSIRT under Art 14(7): the Member State comes from
    :func:`crakit.regulation.decide_csirt_route` (the one rule, shared with ``classify``); this adds the
    CSIRT of that Member State."""
    from crakit.regulation import RoutingFacts, decide_csirt_route

    main = known.main_establishment
    if _outside_union(main) is None and main is not None and main.strip() and not _eea(main):
        member_state(main, "main establishment")  # a code that is no country at all is refused
    for attribute, what in (
        ("authorised_representative", "authorised representative"),
        ("importer", "importer"),
        ("distributor", "distributor"),
        ("most_users", "most users"),
    ):
        member_state(getattr(known, attribute), what)  # points (a)-(d) name EU Member States
    decided = decide_csirt_route(
        RoutingFacts(
            main_establishment=main,
            registered_office=known.registered_office,
            authorised_representative=known.authorised_representative,
            importer=known.importer,
            distributor=known.distributor,
            most_users=known.most_users,
        )
    )
    if decided.member_state is None:
        return Route(None, decided.basis, decided.ref, decided.reason)
    csirt = csirts().get(decided.member_state)
    reason = decided.reason
    if csirt is None:
        reason += (
            f" crakit's list of coordinator CSIRTs holds the 27 EU Member States only: find the one of "
            f"{decided.member_state} before filing."
        )
    return Route(csirt, decided.basis, decided.ref, reason)


def _eea(code: str) -> bool:
    from crakit.manifest.countries import EEA_EFTA_STATES

    return code.strip().upper() in EEA_EFTA_STATES
