"""``classify``: every CRA decision about one product, each with its article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crakit import __version__
from crakit.manifest import Manifest
from crakit.regulation.applicability import decide_applicability
from crakit.regulation.category import decide_category
from crakit.regulation.csirt_route import CsirtRoute, decide_csirt_route, route_warnings, routing_facts
from crakit.regulation.law import AnnexEntry, Category
from crakit.regulation.obligations import Obligation, obligations_for
from crakit.regulation.reasons import Reason
from crakit.regulation.role import Role, decide_role
from crakit.regulation.routes import decide_routes
from crakit.regulation.rules import rules_version
from crakit.regulation.scope import decide_scope
from crakit.regulation.suggest import Suggestion, suggest, suggestion_to_json
from crakit.regulation.support import SupportDecision, decide_support, support_warnings


@dataclass(frozen=True, slots=True)
class Classification:
    """The result of :func:`classify`; ``to_json`` is the documented contract (docs/classify.md)."""

    manifest: Manifest
    in_scope: bool
    exclusion: str | None
    role: Role
    category: Category | None
    annex_entries: tuple[AnnexEntry, ...]
    conformity_routes: tuple[str, ...]
    essential_requirements_apply: bool
    reporting_applies: bool
    support_period: SupportDecision
    obligations: tuple[Obligation, ...]
    reasons: tuple[Reason, ...]
    # Ranked from product.description when product.functions is empty; never the decision.
    suggestions: tuple[Suggestion, ...] = ()
    # What the law calls for that is not an error: claims that open nothing, questions to answer.
    warnings: tuple[Reason, ...] = ()
    integrated_entries: tuple[AnnexEntry, ...] = ()
    csirt_route: CsirtRoute | None = None  # Art 14(7); None when the CRA does not apply

    def to_json(self) -> dict[str, Any]:
        product = self.manifest.product
        return {
            "crakit_version": __version__,
            "rules_version": rules_version(),
            "product": {"name": product.name, "version": product.version},
            "in_scope": self.in_scope,
            "exclusion": self.exclusion,
            "role": self.role,
            "category": self.category,
            "annex_entries": [e.id for e in self.annex_entries],
            "integrated_entries": [e.id for e in self.integrated_entries],
            "conformity_routes": list(self.conformity_routes),
            "essential_requirements_apply": self.essential_requirements_apply,
            "reporting_applies": self.reporting_applies,
            "support_period": self.support_period.to_json(),
            "obligations": [o.to_json() for o in self.obligations],
            "reasons": [r.to_json() for r in self.reasons],
            "warnings": [w.to_json() for w in self.warnings],
            "csirt_route": self.csirt_route.to_json() if self.csirt_route else None,
            "suggestions": [suggestion_to_json(s) for s in self.suggestions],
        }


def classify(manifest: Manifest) -> Classification:
    """Decide scope (Art 2), role (Arts 13, 19-21, 24), category (Arts 7-8, Annexes III-IV),
    conformity routes (Art 32), applicability (Arts 69, 71), support period (Art 13(8)) and obligations."""
    scope = decide_scope(manifest)
    role = decide_role(manifest)
    reasons: list[Reason] = list(scope.reasons)
    suggestions: tuple[Suggestion, ...] = ()
    if not manifest.product.functions and manifest.product.description:
        suggestions = tuple(suggest(manifest.product.description))
    if not scope.in_scope:
        support = decide_support(
            manifest,
            Reason("The product is outside the CRA: no support period is required.", "Art 2, Art 13(8)"),
        )
        return Classification(
            manifest=manifest,
            in_scope=False,
            exclusion=scope.exclusion,
            role=role.role,
            category=None,
            annex_entries=(),
            conformity_routes=(),
            essential_requirements_apply=False,
            reporting_applies=False,
            support_period=support,
            obligations=(),
            reasons=tuple(reasons),
            suggestions=suggestions,
            warnings=(*scope.warnings, *role.warnings),
        )
    category = decide_category(manifest)
    routes = decide_routes(manifest, category.category, role.role)
    applicability = decide_applicability(manifest, role.role)
    if role.role == "steward":
        waived: Reason | None = Reason(
            "The support-period duty binds manufacturers; a steward has only the Art 24 duties.",
            "Art 13(8), Art 24",
        )
    elif applicability.legacy:
        waived = Reason(
            "Legacy product (Art 69(2)): the support-period duty does not apply unless it is substantially modified.",
            "Art 69(2), Art 13(8)",
        )
    else:
        waived = None
    support = decide_support(manifest, waived)
    reasons += [*role.reasons, *category.reasons, *routes.reasons, *applicability.reasons, *support.reasons]
    warnings = (
        *scope.warnings,
        *role.warnings,
        *category.warnings,
        *routes.warnings,
        *applicability.warnings,
        *support_warnings(manifest, support),
    )
    route = decide_csirt_route(routing_facts(manifest))
    warnings = (*warnings, *route_warnings(manifest, route))
    return Classification(
        manifest=manifest,
        in_scope=True,
        exclusion=None,
        role=role.role,
        category=category.category,
        annex_entries=category.entries,
        conformity_routes=routes.routes,
        essential_requirements_apply=applicability.essential_requirements_apply,
        reporting_applies=applicability.reporting_applies,
        support_period=support,
        obligations=obligations_for(manifest, role.role, applicability, support),
        reasons=tuple(reasons),
        suggestions=suggestions,
        warnings=warnings,
        integrated_entries=category.integrated,
        csirt_route=route,
    )
