"""The role of the operator who uses the manifest (Arts 3(13)-(17), 13, 19-21, 24)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crakit.manifest import Manifest
from crakit.regulation.reasons import Reason

Role = Literal["manufacturer", "importer", "distributor", "steward"]


@dataclass(frozen=True, slots=True)
class RoleDecision:
    role: Role
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()


def _steward(manifest: Manifest) -> RoleDecision:
    if manifest.market.commercial:
        # A steward is a legal person "other than a manufacturer" (Art 3(14)): whoever makes the software
        # available in the course of a commercial activity (for payment or monetised) is its manufacturer.
        return RoleDecision(
            "manufacturer",
            (
                Reason(
                    "The open-source software steward makes this software available in the course of a "
                    "commercial activity, so it is its manufacturer for the versions it makes available that "
                    "way, with the manufacturer's duties.",
                    "Art 3(13), Art 3(14), guidance para 71, guidance para 84",
                ),
            ),
            (
                Reason(
                    "Manufacturer duties for the versions made available commercially; for versions it only "
                    "supports without a commercial supply of its own, the steward keeps the Art 24 duties. "
                    "Describe those in a separate manifest with market.commercial: false.",
                    "Art 3(14), Art 24, guidance para 84",
                ),
            ),
        )
    return RoleDecision(
        "steward",
        (
            Reason(
                "The operator is an open-source software steward: a legal person, not a manufacturer, that "
                "systematically supports free and open-source products intended for commercial activities. "
                "It has the Art 24 duties and performs no conformity assessment.",
                "Art 3(14), Art 24",
            ),
        ),
    )


def decide_role(manifest: Manifest) -> RoleDecision:
    """Decide the operator's role; importers and distributors become manufacturers under Art 21."""
    market = manifest.market
    if market.steward:
        return _steward(manifest)
    operator = market.operator
    if operator in ("importer", "distributor"):
        article = "Art 19" if operator == "importer" else "Art 20"
        if market.own_brand:
            return RoleDecision(
                "manufacturer",
                (
                    Reason(
                        f"The {operator} places the product on the market under its own name or trademark and is "
                        "therefore treated as its manufacturer.",
                        "Art 21",
                    ),
                ),
            )
        if market.substantially_modified_on is not None:
            return RoleDecision(
                "manufacturer",
                (
                    Reason(
                        f"The {operator} carried out a substantial modification of the product "
                        f"(on {market.substantially_modified_on.isoformat()}) and is therefore treated as its "
                        "manufacturer.",
                        "Art 21, Art 3(30)",
                    ),
                ),
            )
        return RoleDecision(
            operator,
            (
                Reason(
                    f"The operator is the product's {operator}: it checks the manufacturer's compliance and has the "
                    f"duties of {article}.",
                    f"Art 3({16 if operator == 'importer' else 17}), {article}",
                ),
            ),
        )
    return RoleDecision(
        "manufacturer",
        (
            Reason(
                "The operator develops or manufactures the product, or has it developed, and markets it under its "
                "own name or trademark.",
                "Art 3(13), Art 13",
            ),
        ),
    )
