"""The role of the operator who uses the manifest (Arts 13, 19-21, 24)."""

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


def decide_role(manifest: Manifest) -> RoleDecision:
    """Decide the operator's role; importers and distributors become manufacturers under Art 21."""
    market = manifest.market
    if market.steward:
        reasons = [
            Reason(
                "The operator is an open-source software steward: a legal person, not a manufacturer, that "
                "systematically supports free and open-source products intended for commercial activities. "
                "It has the Art 24 duties and performs no conformity assessment.",
                "Art 3(14), Art 24",
            )
        ]
        return RoleDecision("steward", tuple(reasons))
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
