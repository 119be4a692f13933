"""Conformity-assessment routes allowed by Art 32 for a product's category."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.regulation.law import Category
from crakit.regulation.reasons import Reason
from crakit.regulation.role import Role
from crakit.regulation.rules import rules

# Canonical order for output.
ROUTE_ORDER = ("module-a", "module-b+c", "module-h", "eucc")


@dataclass(frozen=True, slots=True)
class RouteDecision:
    routes: tuple[str, ...]
    reasons: tuple[Reason, ...]


def _full_application(manifest: Manifest) -> bool:
    """Art 32(2): harmonised standards, common specifications or a certificate at 'substantial' or above."""
    standards = manifest.standards
    return standards.harmonised_applied_in_full or standards.eucc_level in ("substantial", "high")


def _names(routes: tuple[str, ...]) -> str:
    table = rules()["route_names"]
    return "; ".join(str(table[r]) for r in routes)


def decide_routes(manifest: Manifest, category: Category, role: Role) -> RouteDecision:
    """Routes under Art 32(1)-(5). A steward performs no conformity assessment (Art 24)."""
    table = rules()["routes"]
    if role == "steward":
        return RouteDecision(
            (),
            (
                Reason(
                    "An open-source software steward does not carry out a conformity assessment; its duties are "
                    "those of Art 24.",
                    "Art 24, Art 32",
                ),
            ),
        )
    reasons: list[Reason] = []
    key: str = category
    if category == "important-class-i" and _full_application(manifest):
        key = "important-class-i-full"
        basis = (
            "harmonised standards or common specifications applied in full"
            if manifest.standards.harmonised_applied_in_full
            else f"a European cybersecurity certificate at assurance level '{manifest.standards.eucc_level}'"
        )
        reasons.append(
            Reason(
                f"Class I with {basis}: internal control (module A) is allowed as for the default category.",
                "Art 32(2), Art 27",
            )
        )
    elif category == "important-class-i":
        reasons.append(
            Reason(
                "Class I without harmonised standards, common specifications or a certificate at 'substantial' "
                "applied in full: a notified body must be involved (module B+C or module H).",
                "Art 32(2)",
            )
        )
    elif category == "critical":
        reasons.append(
            Reason(
                "Critical product: no delegated act under Art 8(1) requiring a European certificate is recorded, so "
                "the Class II procedures apply.",
                "Art 32(4), Art 8(1), Art 32(3)",
            )
        )
    routes = tuple(table[key]["routes"])
    ref = str(table[key]["ref"])
    open_source_route = (
        manifest.market.open_source
        and category in ("important-class-i", "important-class-ii")
        and role == "manufacturer"
    )
    if open_source_route and manifest.market.public_technical_documentation:
        routes = tuple(table["all_32_1"])
        ref = "Art 32(5), Art 32(1)"
        reasons.append(
            Reason(
                "Free and open-source Annex III product whose technical documentation is public: any Art 32(1) "
                "procedure may be used, internal control included.",
                "Art 32(5)",
            )
        )
    elif open_source_route:
        reasons.append(
            Reason(
                "Free and open-source Annex III product: publishing the technical documentation when placing it on "
                "the market would open every Art 32(1) procedure, internal control included.",
                "Art 32(5)",
            )
        )
    routes = tuple(r for r in ROUTE_ORDER if r in routes)
    reasons.append(Reason(f"Allowed conformity-assessment routes: {_names(routes)}.", ref))
    if role in ("importer", "distributor"):
        reasons.append(
            Reason(
                f"As {role}, check that the manufacturer carried out one of these procedures.",
                "Art 19(2)(a)" if role == "importer" else "Art 20(2)",
            )
        )
    return RouteDecision(routes, tuple(reasons))
