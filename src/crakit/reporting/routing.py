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


_FALLBACK = (
    (
        "authorised_representative",
        "authorised representative",
        "a",
        "the Member State of the authorised representative acting for the most of the manufacturer's products",
    ),
    (
        "importer",
        "importer",
        "b",
        "the Member State of the importer placing the most of the manufacturer's products",
    ),
    (
        "distributor",
        "distributor",
        "c",
        "the Member State of the distributor making the most of the manufacturer's products available",
    ),
    ("most_users", "most users", "d", "the Member State with the highest number of users of the product"),
)


def _outside_union(code: str | None) -> str | None:
    """A real country code that is not an EU Member State (a manufacturer established in CH, US, ...)."""
    from crakit.manifest.countries import ALIASES, ISO_3166_ALPHA2

    if code is None or not code.strip():
        return None
    wanted = ALIASES.get(code.strip().upper(), code.strip().upper())
    return wanted if wanted in ISO_3166_ALPHA2 and wanted not in csirts() else None


def route(known: RoutingInput) -> Route:
    """Choose the coordinator CSIRT under CRA Art 14(7)."""
    abroad = _outside_union(known.main_establishment)
    main = None if abroad else member_state(known.main_establishment, "main establishment")
    prefix = f"The main establishment is outside the Union ({abroad}). " if abroad else ""
    if main is not None:
        return Route(
            main,
            "main establishment",
            "Art 14(7), first and second subparagraphs",
            f"The manufacturer's main establishment in the Union is in {main.country}.",
        )
    for attribute, basis, point, wording in _FALLBACK:
        found = member_state(getattr(known, attribute), basis)
        if found is not None:
            reason = (
                f"{prefix}No main establishment in the Union: the first applicable fallback is {wording} "
                f"({found.country})."
            )
            if attribute == "most_users":
                reason += (
                    " Later notifications may keep going to this CSIRT (Art 14(7), fourth subparagraph)."
                )
            return Route(found, basis, f"Art 14(7), third subparagraph, point ({point})", reason)
    return Route(
        None,
        "unknown",
        "Art 14(7)",
        f"{prefix}No main establishment in the Union and no authorised representative, importer, distributor "
        "or most-users Member State recorded: set one before filing (a wrong CSIRT can invalidate the "
        "notification).",
    )
