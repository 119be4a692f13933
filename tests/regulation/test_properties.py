"""Invariants of the rules engine over generated manifests (hypothesis)."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crakit.manifest import parse_manifest
from crakit.regulation import CATEGORY_RANK, annex_entries, annex_index, classify
from tests.manifest_factory import manifest_dict

IDS = [e.id for e in annex_entries()]
dates = st.dates().filter(lambda d: 2020 <= d.year <= 2040).map(lambda d: d.isoformat())

manifests = st.fixed_dictionaries(
    {
        "product.functions": st.lists(st.sampled_from(IDS), max_size=1),
        "product.integrated_functions": st.lists(st.sampled_from(IDS), max_size=3, unique=True),
        "market.operator": st.sampled_from(["manufacturer", "importer", "distributor"]),
        "market.commercial": st.booleans(),
        "market.open_source": st.booleans(),
        "market.steward": st.booleans(),
        "market.own_brand": st.booleans(),
        "market.placed_on_market": st.none() | dates,
        "market.substantially_modified_on": st.none() | dates,
        "market.sectoral": st.lists(
            st.sampled_from(
                [
                    "medical-devices",
                    "in-vitro-diagnostics",
                    "motor-vehicles",
                    "civil-aviation",
                    "marine-equipment",
                ]
            ),
            max_size=1,
        ),
        "market.exclusive_purpose": st.none() | st.sampled_from(["national-security", "defence"]),
        "market.spare_part": st.booleans(),
        "market.saas_only": st.booleans(),
        "market.public_technical_documentation": st.booleans(),
        "manufacturer.size": st.sampled_from(["micro", "small", "medium", "large"]),
        "support.expected_use_years": st.integers(1, 15),
        "support.end": st.none()
        | st.dates().filter(lambda d: 2025 <= d.year <= 2050).map(lambda d: d.strftime("%Y-%m")),
        "standards.harmonised_applied_in_full": st.booleans(),
        "standards.eucc_level": st.none() | st.sampled_from(["basic", "substantial", "high"]),
    }
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests)
def test_classification_invariants(overrides: dict[str, Any]) -> None:
    if overrides["market.steward"]:
        overrides["market.open_source"] = True  # a steward supports FOSS (Art 3(14)); else exit 2
    core = overrides["product.functions"]
    overrides["product.integrated_functions"] = [
        f for f in overrides["product.integrated_functions"] if f not in core
    ]
    manifest = parse_manifest(orjson.dumps(manifest_dict(**overrides)))
    result = classify(manifest)
    data = result.to_json()
    assert orjson.loads(orjson.dumps(data)) == data  # JSON-serialisable as documented
    assert all(r["ref"] for r in data["reasons"])
    if not result.in_scope:
        assert result.exclusion is not None and result.category is None
        assert not result.reporting_applies and not result.obligations
        return
    assert result.exclusion is None
    index = annex_index()
    # Only the one core functionality decides; integrated functions never do (Art 7(1)).
    expected_rank = max((CATEGORY_RANK[index[f].category] for f in manifest.product.functions), default=0)
    assert result.category is not None and CATEGORY_RANK[result.category] == expected_rank
    assert set(result.conformity_routes) <= {"module-a", "module-b+c", "module-h", "eucc"}
    if result.role == "steward":
        assert result.conformity_routes == ()
        assert all(o.penalty_tier == "none" for o in result.obligations)
    else:
        assert result.conformity_routes
    # Nothing opens the certification route or module A for Class I while the rules list no harmonised
    # standard, common specification or Art 27(9) scheme (Art 27, Art 32(2)).
    assert "eucc" not in result.conformity_routes
    if "module-a" in result.conformity_routes:
        open_route = manifest.market.open_source and manifest.market.public_technical_documentation
        assert result.category == "default" or (
            result.category in ("important-class-i", "important-class-ii")
            and open_route
            and result.role == "manufacturer"
        )
    assert result.reporting_applies  # Art 69(3): every in-scope product
    for obligation in result.obligations:
        assert obligation.ref.startswith(("Art", "Annex"))
