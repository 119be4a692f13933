"""The rules engine: every Annex entry, exclusion, Art 32 branch, Art 69 both ways, roles, obligations."""

from __future__ import annotations

import pytest

from crakit.regulation import annex_entries, classify
from tests.manifest_factory import make

CLASS_I = [f"III.I.{n}" for n in range(1, 20)]
CLASS_II = [f"III.II.{n}" for n in range(1, 5)]
CRITICAL = [f"IV.{n}" for n in range(1, 4)]


def test_annexes_are_complete() -> None:
    ids = [e.id for e in annex_entries()]
    assert ids == CLASS_I + CLASS_II + CRITICAL
    assert all(e.name and e.ref for e in annex_entries())


@pytest.mark.parametrize(
    ("entry", "category"),
    [(e, "important-class-i") for e in CLASS_I]
    + [(e, "important-class-ii") for e in CLASS_II]
    + [(e, "critical") for e in CRITICAL],
)
def test_every_annex_entry_gives_its_category(entry: str, category: str) -> None:
    result = classify(make(**{"product.functions": [entry]}))
    assert result.in_scope
    assert result.category == category
    assert [e.id for e in result.annex_entries] == [entry]
    assert any(entry in r.text for r in result.reasons)


def test_no_function_is_default_and_says_integration_does_not_count() -> None:
    result = classify(make(**{"product.functions": []}))
    assert result.category == "default"
    # No scheme is specified under Art 27(9) yet: no certification route (Art 32(1)(d)).
    assert result.conformity_routes == ("module-a", "module-b+c", "module-h")
    assert any("Art 7(1)" in r.ref and "default category" in r.text for r in result.reasons)


@pytest.mark.parametrize(
    ("core", "integrated", "expected"),
    [
        ("III.I.12", ["III.II.2"], "important-class-i"),
        ("III.II.1", ["IV.3"], "important-class-ii"),
        (None, ["III.I.2"], "default"),
    ],
)
def test_integrated_functions_never_change_the_category(
    core: str | None, integrated: list[str], expected: str
) -> None:
    result = classify(
        make(**{"product.functions": [core] if core else [], "product.integrated_functions": integrated})
    )
    assert result.category == expected
    assert [e.id for e in result.integrated_entries] == integrated
    assert any(r.ref == "Art 7(1), Art 8(1)" and integrated[0] in r.text for r in result.reasons)


@pytest.mark.parametrize(
    ("overrides", "exclusion", "ref"),
    [
        ({"market.sectoral": ["medical-devices"]}, "medical-devices", "Art 2(2)(a)"),
        ({"market.sectoral": ["in-vitro-diagnostics"]}, "in-vitro-diagnostics", "Art 2(2)(b)"),
        ({"market.sectoral": ["motor-vehicles"]}, "motor-vehicles", "Art 2(2)(c)"),
        ({"market.sectoral": ["civil-aviation"]}, "civil-aviation", "Art 2(3)"),
        ({"market.sectoral": ["marine-equipment"]}, "marine-equipment", "Art 2(4)"),
        ({"market.spare_part": True}, "spare-part", "Art 2(6)"),
        ({"market.exclusive_purpose": "national-security"}, "national-security", "Art 2(7)"),
        ({"market.exclusive_purpose": "defence"}, "defence", "Art 2(7)"),
        ({"market.exclusive_purpose": "classified-information"}, "classified-information", "Art 2(7)"),
        ({"market.commercial": False}, "non-commercial", "Art 3(22)"),
        ({"market.commercial": False, "market.open_source": True}, "non-commercial", "Art 3(22)"),
        ({"market.saas_only": True}, "saas", "Art 3(1)"),
    ],
)
def test_every_exclusion(overrides: dict[str, object], exclusion: str, ref: str) -> None:
    result = classify(make(**overrides))
    assert not result.in_scope
    assert result.exclusion == exclusion
    assert result.category is None
    assert result.conformity_routes == ()
    assert not result.essential_requirements_apply
    assert not result.reporting_applies
    assert result.obligations == ()
    assert any(ref in r.ref for r in result.reasons)


def test_sectoral_act_takes_precedence_over_other_exclusions() -> None:
    result = classify(make(**{"market.sectoral": ["marine-equipment"], "market.spare_part": True}))
    assert result.exclusion == "marine-equipment"
    assert len(result.reasons) == 2  # both grounds are explained


def test_class_i_without_standards_needs_a_notified_body() -> None:
    result = classify(make())
    assert result.conformity_routes == ("module-b+c", "module-h")
    assert any(r.ref == "Art 32(2), Art 27" for r in result.reasons)


@pytest.mark.parametrize(
    "overrides",
    [
        {"standards.harmonised_applied_in_full": True},
        {"standards.eucc_level": "substantial"},
        {"standards.eucc_level": "high"},
    ],
)
def test_class_i_claims_without_a_published_basis_do_not_open_module_a(overrides: dict[str, object]) -> None:
    # Art 32(2) needs harmonised standards published in the OJ, common specifications or a scheme
    # specified under Art 27(9); none exists as of the rules' date, so a claim opens nothing.
    result = classify(make(**overrides))
    assert result.conformity_routes == ("module-b+c", "module-h")
    assert result.warnings


def test_class_i_with_basic_certificate_is_not_enough() -> None:
    assert classify(make(**{"standards.eucc_level": "basic"})).conformity_routes == ("module-b+c", "module-h")


@pytest.mark.parametrize("entry", ["III.II.2", "IV.1"])
def test_class_ii_and_critical_never_allow_module_a(entry: str) -> None:
    result = classify(make(**{"product.functions": [entry], "standards.harmonised_applied_in_full": True}))
    assert result.conformity_routes == ("module-b+c", "module-h")


@pytest.mark.parametrize("entry", ["III.I.11", "III.II.1"])
def test_open_source_route_with_public_documentation(entry: str) -> None:
    result = classify(
        make(
            **{
                "product.functions": [entry],
                "market.open_source": True,
                "market.public_technical_documentation": True,
            }
        )
    )
    assert result.conformity_routes == ("module-a", "module-b+c", "module-h")
    assert any(r.ref == "Art 32(5)" for r in result.reasons)


def test_open_source_route_needs_public_documentation() -> None:
    result = classify(make(**{"market.open_source": True}))
    assert result.conformity_routes == ("module-b+c", "module-h")
    assert any(r.ref == "Art 32(5)" for r in result.reasons)  # the missed opportunity is explained


def test_open_source_route_does_not_cover_annex_iv() -> None:
    result = classify(
        make(
            **{
                "product.functions": ["IV.3"],
                "market.open_source": True,
                "market.public_technical_documentation": True,
            }
        )
    )
    assert "module-a" not in result.conformity_routes


def test_art_69_legacy_product_only_reports() -> None:
    result = classify(make(**{"market.placed_on_market": "2027-06-01"}))
    assert result.in_scope
    assert not result.essential_requirements_apply
    assert result.reporting_applies
    ids = {o.id for o in result.obligations}
    assert ids == {"report-exploited-vulnerability", "report-severe-incident", "inform-users"}
    assert result.support_period.applies is False  # Art 13(8) does not bind a legacy product
    assert isinstance(result.support_period.ok, bool)
    assert any("Art 69(2)" in r.ref for r in result.reasons)
    assert any("Art 69(3)" in r.ref for r in result.reasons)


def test_art_69_substantial_modification_brings_legacy_product_in() -> None:
    result = classify(
        make(**{"market.placed_on_market": "2026-01-10", "market.substantially_modified_on": "2028-02-01"})
    )
    assert result.essential_requirements_apply
    assert "conformity-assessment" in {o.id for o in result.obligations}


def test_art_69_modification_before_general_date_does_not() -> None:
    result = classify(
        make(**{"market.placed_on_market": "2026-01-10", "market.substantially_modified_on": "2027-12-10"})
    )
    assert not result.essential_requirements_apply


def test_art_69_boundary_day_is_inside() -> None:
    assert classify(make(**{"market.placed_on_market": "2027-12-11"})).essential_requirements_apply
    assert not classify(make(**{"market.placed_on_market": "2027-12-10"})).essential_requirements_apply


def test_steward_is_in_scope_without_conformity_assessment() -> None:
    result = classify(
        make(**{"market.steward": True, "market.open_source": True, "market.commercial": False})
    )
    assert result.in_scope
    assert result.role == "steward"
    assert result.conformity_routes == ()
    assert result.reporting_applies
    assert not result.essential_requirements_apply
    reporting = next(o for o in result.obligations if o.id == "steward-reporting")
    assert reporting.applies_from.isoformat() == "2027-12-11"
    assert all(o.penalty_tier == "none" for o in result.obligations)  # Art 64(10)(b)


@pytest.mark.parametrize("operator", ["importer", "distributor"])
def test_importer_and_distributor(operator: str) -> None:
    result = classify(make(**{"market.operator": operator}))
    assert result.role == operator
    # Art 69(3): Art 14 applies to every in-scope product; it binds the manufacturer, not this operator.
    assert result.reporting_applies
    assert not any(o.id.startswith("report-") for o in result.obligations)
    assert result.conformity_routes == ("module-b+c", "module-h")  # what they must check was used
    prefix = "importer-" if operator == "importer" else "distributor-"
    assert result.obligations and all(o.id.startswith(prefix) for o in result.obligations)
    assert all(o.penalty_ref == "Art 64(3)" for o in result.obligations)


@pytest.mark.parametrize("operator", ["importer", "distributor"])
def test_importer_or_distributor_becomes_manufacturer(operator: str) -> None:
    modified = classify(
        make(**{"market.operator": operator, "market.substantially_modified_on": "2028-05-01"})
    )
    assert modified.role == "manufacturer"
    assert modified.reporting_applies
    assert any(r.ref.startswith("Art 21") for r in modified.reasons)
    branded = classify(make(**{"market.operator": operator, "market.own_brand": True}))
    assert branded.role == "manufacturer"


def test_small_enterprise_early_warning_relief() -> None:
    small = classify(make(**{"manufacturer.size": "micro"}))
    large = classify(make(**{"manufacturer.size": "large"}))
    note = next(o for o in small.obligations if o.id == "report-exploited-vulnerability").notes
    assert note and "64(10)(a)" in note[0]
    assert not next(o for o in large.obligations if o.id == "report-exploited-vulnerability").notes


def test_obligations_carry_article_dates_and_tiers() -> None:
    result = classify(make())
    by_id = {o.id: o for o in result.obligations}
    assert by_id["technical-documentation"].due is not None
    assert by_id["technical-documentation"].due.isoformat() == "2028-03-01"
    assert by_id["report-exploited-vulnerability"].applies_from.isoformat() == "2026-09-11"
    assert by_id["conformity-assessment"].penalty_ref == "Art 64(3)"
    assert by_id["annex-i-part-i"].penalty_ref == "Art 64(2)"
    assert by_id["documentation-retention"].until is not None
    assert all(o.ref.startswith(("Art", "Annex")) for o in result.obligations)


def test_json_contract_fields() -> None:
    data = classify(make()).to_json()
    for key in (
        "in_scope",
        "exclusion",
        "role",
        "category",
        "annex_entries",
        "conformity_routes",
        "essential_requirements_apply",
        "reporting_applies",
        "support_period",
        "obligations",
        "reasons",
    ):
        assert key in data
    assert set(data["support_period"]) >= {"end", "minimum_end", "ok", "reasons"}
    assert all(set(o) >= {"id", "text", "ref", "due"} for o in data["obligations"])
    assert all(set(r) == {"text", "ref"} for r in data["reasons"])


def test_no_functions_shows_suggestions_but_decides_default() -> None:
    result = classify(
        make(
            **{
                "product.functions": [],
                "product.description": "Tri-band mesh Wi-Fi 6E router system for homes",
            }
        )
    )
    assert result.category == "default"
    assert result.suggestions and result.suggestions[0].entry == "III.I.12"
    assert result.to_json()["suggestions"][0]["entry"] == "III.I.12"
    assert all("III.I.12" not in r.text for r in result.reasons)


def test_declared_functions_show_no_suggestions() -> None:
    assert classify(make()).suggestions == ()


def test_steward_must_be_open_source() -> None:
    from crakit.manifest import ManifestError

    with pytest.raises(ManifestError, match="Art 3\\(14\\)"):
        make(**{"market.steward": True, "market.open_source": False})


def test_out_of_scope_support_is_not_assessed() -> None:
    support = classify(make(**{"market.spare_part": True})).support_period
    assert support.applies is False and support.ok is True
