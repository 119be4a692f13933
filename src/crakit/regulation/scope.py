"""Scope of the CRA (Art 2) and the exclusions a manifest can express."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.regulation.reasons import Reason
from crakit.regulation.rules import rules


@dataclass(frozen=True, slots=True)
class ScopeDecision:
    in_scope: bool
    exclusion: str | None  # first exclusion that applies, in the order of rules.yaml
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()


def _exclusion_candidates(manifest: Manifest) -> list[str]:
    market = manifest.market
    found: list[str] = []
    # Sectoral acts first: they are the lex specialis (Art 2(2)-(5)).
    found += [
        e.id
        for e in rules().exclusions
        if e.id in market.sectoral and not (e.id == "l-category-vehicles" and market.l1e_designed_to_pedal)
    ]
    if market.exclusive_purpose:
        found.append(market.exclusive_purpose)
    if market.spare_part:
        found.append("spare-part")
    if market.saas_only:
        found.append("saas")
    # A steward supports FOSS intended for commercial activities (Art 3(14)); its own supply may be
    # non-commercial and still fall under Art 24, so non-commercial supply excludes only non-stewards.
    if not market.commercial and not market.steward:
        found.append("non-commercial")
    return found


def _steward_question(manifest: Manifest) -> Reason | None:
    """Free software published outside a commercial activity by someone who may be its steward."""
    market = manifest.market
    if market.commercial or market.steward or not market.open_source:
        return None
    if manifest.manufacturer.legal_person is False:
        return None  # a steward is a legal person (Art 3(14))
    return Reason(
        "Free and open-source software supplied outside a commercial activity is not made available on the "
        "market by you. If you are a legal person that systematically and sustainably supports it while it is "
        "intended for commercial activities (for example a community edition you sustain for commercial use), "
        "you are its open-source software steward with the Art 24 duties: set market.steward: true.",
        "Art 3(14), Art 24",
    )


def decide_scope(manifest: Manifest) -> ScopeDecision:
    """Decide whether the CRA applies to the product at all (Art 2, Art 3(1), Art 3(22))."""
    candidates = _exclusion_candidates(manifest)
    reasons = [Reason(rules().exclusion(c).text, rules().exclusion(c).ref) for c in candidates]
    question = _steward_question(manifest)
    warnings = (question,) if question else ()
    if candidates:
        return ScopeDecision(False, candidates[0], tuple(reasons), warnings)
    connected = f"{manifest.product.kind} product"
    reasons.append(
        Reason(
            f"A {connected} with digital elements made available on the Union market in the course of a "
            "commercial activity, with a data connection to a device or network, and no exclusion applies.",
            "Art 2(1), Art 3(1), Art 3(22)",
        )
    )
    if "l-category-vehicles" in manifest.market.sectoral and manifest.market.l1e_designed_to_pedal:
        reasons.append(
            Reason(
                "An L1e vehicle designed to pedal is not excluded: the exclusion of L-category vehicles under "
                "Regulation (EU) No 168/2013 leaves it out.",
                "Art 2(5), Delegated Regulation (EU) 2025/1535",
            )
        )
    if manifest.product.remote_data_processing:
        reasons.append(
            Reason(
                "The product's remote data processing solution is part of the product: the essential "
                "requirements and the vulnerability handling cover it too.",
                "Art 3(1), Art 3(2)",
            )
        )
    if manifest.market.steward and not manifest.market.commercial:
        reasons.append(
            Reason(
                "Supplied by an open-source software steward: in scope for the steward's duties even without "
                "a commercial supply of its own.",
                "Art 3(14), Art 24",
            )
        )
    return ScopeDecision(True, None, tuple(reasons), warnings)
