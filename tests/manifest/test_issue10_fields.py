"""Manifest fields added for issue 10: one core functionality, integrated functions, the Art 14(7) facts,
remote data processing and the standards actually applied (docs/manifest.md)."""

from __future__ import annotations

import pytest

from crakit.manifest import SCHEMA, ManifestError, parse_manifest
from crakit.manifest.template import template_text
from tests.manifest_factory import make


@pytest.mark.parametrize(
    ("overrides", "main"),
    [
        ({"manufacturer.country": "AT"}, "AT"),  # left out: an EU registered office stands for it
        ({"manufacturer.country": "AT", "manufacturer.main_establishment": None}, None),  # none in the Union
        ({"manufacturer.country": "US", "manufacturer.main_establishment": "ie"}, "IE"),
        ({"manufacturer.country": "CH"}, None),
        ({"manufacturer.country": "NO"}, None),  # EEA EFTA: not "in the Union" (Art 14(7))
        ({"manufacturer.country": "el"}, "GR"),
    ],
)
def test_main_establishment_is_resolved_at_load_time(overrides: dict[str, object], main: str | None) -> None:
    manifest = make(**overrides)
    assert manifest.manufacturer.main_establishment == main
    assert manifest.manufacturer.main_establishment_declared == (
        "manufacturer.main_establishment" in overrides
    )


def test_fallback_member_states_must_be_member_states() -> None:
    with pytest.raises(ManifestError, match=r"market\.importer_member_state"):
        make(**{"market.importer_member_state": "US"})
    manifest = make(
        **{"manufacturer.authorised_representative": "lu", "market.most_users_member_state": "EL"}
    )
    assert manifest.manufacturer.authorised_representative == "LU"
    assert manifest.market.most_users_member_state == "GR"


def test_more_than_one_core_functionality_is_refused_with_one_line() -> None:
    with pytest.raises(ManifestError) as caught:
        make(**{"product.functions": ["III.I.12", "III.II.2"]})
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith("test.json: product.functions: 2 entries; a product has one core")


def test_integrated_functions_and_standards_are_read() -> None:
    manifest = make(
        **{
            "product.integrated_functions": ["III.II.2", "III.II.2", "IV.3"],
            "standards.harmonised": ["EN 40000-1-2:2027"],
            "standards.common_specifications": ["CS-1"],
            "standards.certification_scheme": "EUCC",
            "product.remote_data_processing": True,
            "manufacturer.legal_person": True,
            "market.sectoral": ["l-category-vehicles"],
            "market.l1e_designed_to_pedal": True,
        }
    )
    assert manifest.product.integrated_functions == ("III.II.2", "IV.3")
    assert manifest.product.core_function == "III.I.12"
    assert manifest.standards.harmonised == ("EN 40000-1-2:2027",)
    assert manifest.standards.common_specifications == ("CS-1",)
    assert manifest.product.remote_data_processing and manifest.manufacturer.legal_person
    with pytest.raises(ManifestError, match=r"product\.integrated_functions\[0\]"):
        make(**{"product.integrated_functions": ["III.I.20"]})


def test_the_schema_documents_every_new_field() -> None:
    properties = SCHEMA["properties"]
    product = properties["product"]["properties"]
    assert product["functions"]["maxItems"] == 1
    assert {"integrated_functions", "remote_data_processing"} <= set(product)
    manufacturer = properties["manufacturer"]["properties"]
    assert {"main_establishment", "authorised_representative", "legal_person"} <= set(manufacturer)
    market = properties["market"]["properties"]
    assert {"importer_member_state", "distributor_member_state", "most_users_member_state"} <= set(market)
    assert "l-category-vehicles" in market["sectoral"]["items"]["enum"]
    assert {"harmonised", "common_specifications", "certification_scheme"} <= set(
        properties["standards"]["properties"]
    )


def test_the_template_teaches_the_new_fields_and_loads() -> None:
    text = template_text()
    for needle in (
        "integrated_functions",
        "remote_data_processing",
        "main_establishment",
        "CERTIFIED",
        "L1e",
    ):
        assert needle in text
    manifest = parse_manifest(text, "template.yaml")
    assert manifest.manufacturer.main_establishment == "BE"
