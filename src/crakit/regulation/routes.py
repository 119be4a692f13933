"""Conformity-assessment routes allowed by Art 32 for a product's category.

Module A for Class I and the certification route are opened only by what the law has actually made
available: harmonised standards whose references are published in the OJ for the CRA, common
specifications, or a certification scheme specified by a delegated act under Art 27(9). Those lists are
data (``rules.yaml``, ``presumption``), dated; a manifest's claim alone opens nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crakit.manifest import Manifest, Standards
from crakit.regulation.law import Category
from crakit.regulation.reasons import Reason
from crakit.regulation.role import Role
from crakit.regulation.rules import Presumption, RouteRule, rules

# Canonical order for output.
ROUTE_ORDER = ("module-a", "module-b+c", "module-h", "eucc")
_LEVELS = ("basic", "substantial", "high")


@dataclass(frozen=True, slots=True)
class RouteDecision:
    routes: tuple[str, ...]
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class _Presumption:
    """What of the manifest's standards and certificates the law recognises (Art 27)."""

    full_basis: str | None  # why module A is open for Class I, or None
    scheme_available: bool  # a scheme is specified under Art 27(9): the eucc route exists
    warnings: tuple[Reason, ...]


def _assess(standards: Standards, presumption: Presumption) -> _Presumption:
    as_of = _day(presumption.as_of)
    warnings: list[Reason] = []
    cited = standards.harmonised + standards.common_specifications
    unknown_hs = [r for r in standards.harmonised if presumption.harmonised(r) is None]
    unknown_cs = [r for r in standards.common_specifications if presumption.common_specification(r) is None]
    for ref in unknown_hs:
        warnings.append(
            Reason(
                f"{ref} is not a harmonised standard whose reference is published in the Official Journal under "
                f"the CRA (crakit's list as of {as_of} holds {_count(presumption.harmonised_standards)}): it gives "
                "no presumption of conformity and does not open module A.",
                "Art 27(1), Art 32(2)",
            )
        )
    for ref in unknown_cs:
        warnings.append(
            Reason(
                f"{ref} is not a common specification adopted under the CRA (crakit's list as of {as_of} holds "
                f"{_count(presumption.common_specifications)}): it does not open module A.",
                "Art 27(2), Art 32(2)",
            )
        )
    if standards.harmonised_applied_in_full and not cited:
        warnings.append(
            Reason(
                "standards.harmonised_applied_in_full is true but no harmonised standard or common specification "
                "is cited: name them in standards.harmonised or standards.common_specifications; the claim alone "
                "does not open module A.",
                "Art 27(1), Art 27(2), Art 32(2)",
            )
        )
    recognised = bool(cited) and not unknown_hs and not unknown_cs
    basis: str | None = None
    if recognised and standards.harmonised_applied_in_full:
        basis = f"applies in full {', '.join(cited)}, recognised under Art 27"
    scheme = presumption.scheme(standards.certification_scheme) if standards.eucc_level else None
    if standards.eucc_level and scheme is None:
        warnings.append(
            Reason(
                f"A certificate at assurance level '{standards.eucc_level}' counts only under a European "
                "cybersecurity certification scheme specified by a delegated act under Art 27(9); crakit knows of "
                f"none as of {as_of}, so it opens neither module A nor the certification route.",
                "Art 27(9), Art 32(2)",
            )
        )
    elif scheme is not None and basis is None and standards.eucc_level in _LEVELS[1:]:
        minimum = scheme.level or "substantial"
        if _LEVELS.index(standards.eucc_level) >= _LEVELS.index(minimum):
            basis = f"holds a certificate at '{standards.eucc_level}' under {scheme.reference}"
    return _Presumption(basis, bool(presumption.certification_schemes), tuple(warnings))


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _count(items: tuple[object, ...]) -> str:
    return "none" if not items else f"{len(items)} other(s)"


def _names(routes: tuple[str, ...]) -> str:
    return "; ".join(rules().routes.name(r) for r in routes)


def decide_routes(
    manifest: Manifest, category: Category, role: Role, presumption: Presumption | None = None
) -> RouteDecision:
    """Routes under Art 32(1)-(5). A steward performs no conformity assessment (Art 24)."""
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
    table = rules().routes
    presumption = presumption or rules().presumption
    assessed = _assess(manifest.standards, presumption)
    reasons: list[Reason] = []
    rule: RouteRule = {
        "default": table.default,
        "important-class-i": table.class_i,
        "important-class-ii": table.class_ii,
        "critical": table.critical,
    }[category]
    if category == "important-class-i" and assessed.full_basis:
        rule = table.class_i_full
        reasons.append(
            Reason(
                f"Class I and the manufacturer {assessed.full_basis}: internal control (module A) is allowed as "
                "for the default category.",
                "Art 32(2), Art 27",
            )
        )
    elif category == "important-class-i":
        reasons.append(
            Reason(
                "Class I without harmonised standards published in the Official Journal, common specifications "
                "or a certificate under a scheme specified under Art 27(9) applied in full: a notified body must "
                "be involved (module B+C or module H).",
                "Art 32(2), Art 27",
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
    routes, ref = rule.routes, rule.ref
    open_source_route = (
        manifest.market.open_source
        and category in ("important-class-i", "important-class-ii")
        and role == "manufacturer"
    )
    if open_source_route and manifest.market.public_technical_documentation:
        routes, ref = table.open_source_annex_iii.routes, table.open_source_annex_iii.ref
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
    # The certification route exists only once a scheme is specified (Art 32(1)(d), 32(3)(c), 27(9)); Class I
    # without full application is limited to B+C and H (Art 32(2)).
    certification_allowed = not (category == "important-class-i" and "module-a" not in routes)
    if assessed.scheme_available and certification_allowed:
        routes = (*routes, "eucc")
    else:
        reasons.append(
            Reason(
                "No European cybersecurity certification scheme is specified by a delegated act under Art 27(9) "
                f"(crakit's list as of {_day(presumption.as_of)}): the certification route is not offered.",
                "Art 27(9), Art 32(1)(d), Art 32(3)(c)",
            )
            if not assessed.scheme_available
            else Reason(
                "Class I without full application: certification is not one of the routes.", "Art 32(2)"
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
    return RouteDecision(routes, tuple(reasons), assessed.warnings)
