"""The EU declaration of conformity (Art 28, Annex V) and the simplified one (Annex VI)."""

from __future__ import annotations

import pytest

from crakit.documents import NotApplicable, build_declaration, declaration_json
from crakit.manifest import Manifest
from tests.documents.conftest import COMPLETE, manifest


def _json(m: Manifest, **kw: object) -> dict:  # type: ignore[type-arg]
    return declaration_json(build_declaration(m, **kw))  # type: ignore[arg-type]


def test_contract_shape_and_the_facts_of_points_1_2_5(router: Manifest) -> None:
    data = _json(router)
    assert data["annex"] == "V"
    assert [e["point"] for e in data["elements"]] == list(range(1, 9))
    assert "HomeGate AX3000" in data["elements"][0]["text"] and "HG-AX3000-EU" in data["elements"][0]["text"]
    assert "Example NV" in data["elements"][1]["text"] and "Brussels" in data["elements"][1]["text"]
    assert "Regulation (EU) 2024/2847" in data["elements"][4]["text"]
    assert data["missing"] == []


def test_complete_declaration_names_body_procedure_certificate_and_signature(router: Manifest) -> None:
    data = _json(router)
    point7 = data["elements"][6]["text"]
    assert "Example Notified Body" in point7 and "0123" in point7 and "QS-2028-17" in point7
    assert "module H" in point7
    point8 = data["elements"][7]["text"]
    assert "A. Janssens" in point8 and "CEO" in point8 and "Brussels" in point8
    # Module H: the notified body's number follows the CE marking (Art 30(4)).
    assert any("0123" in rule and "Art 30(4)" in rule for rule in data["ce_marking"]["rules"])


def test_point_7_missing_when_the_route_needs_a_notified_body_not_named() -> None:
    # A Class I router without harmonised standards: only B+C or H are open (Art 32(2)).
    data = _json(manifest(**{k: v for k, v in COMPLETE.items() if k != "conformity"}))
    assert data["missing"] == [7]
    assert data["elements"][6]["text"] is None
    assert "notified body" in data["elements"][6]["missing"]


def test_module_b_c_puts_no_number_after_the_ce_marking(router: Manifest) -> None:
    m = manifest(**{**COMPLETE, "conformity": {**COMPLETE["conformity"], "module": "module-b+c"}})
    data = _json(m)
    assert data["missing"] == []
    assert not any("0123" in rule for rule in data["ce_marking"]["rules"])


def test_a_procedure_the_manifest_does_not_state_keeps_the_declaration_a_draft() -> None:
    """Annex V point 7 is the manufacturer's statement of the procedure followed: crakit does not
    write an inferred "module A" into a declaration meant to be signed (review, 2026-12-03)."""
    m = manifest(**{**{k: v for k, v in COMPLETE.items() if k != "conformity"}, "product.functions": []})
    data = _json(m)
    assert data["missing"] == [7]
    assert "conformity.module" in data["elements"][6]["missing"] and not data["elements"][6]["text"]
    stated = _json(manifest(**{**COMPLETE, "product.functions": [], "conformity": {"module": "module-a"}}))
    assert stated["missing"] == [] and "module A" in stated["elements"][6]["text"]


def test_the_declaration_states_that_annex_i_fulfilment_was_demonstrated() -> None:
    """Art 28(1)."""
    point5 = _json(manifest(**COMPLETE))["elements"][4]
    assert "Annex I to Regulation (EU) 2024/2847 has been demonstrated" in point5["text"]


def test_module_a_declared_where_the_law_does_not_open_it_is_never_signed() -> None:
    m = manifest(**{**COMPLETE, "conformity": {"module": "module-a"}})
    data = _json(m)
    assert 7 in data["missing"]
    assert "not a procedure the law opens" in data["elements"][6]["missing"]


def test_missing_facts_are_listed_never_invented() -> None:
    data = _json(manifest())
    assert data["missing"] == [2, 4, 7, 8]
    assert all(data["elements"][p - 1]["text"] is None for p in data["missing"])


def test_unrecognised_standard_is_not_called_harmonised_under_the_cra() -> None:
    m = manifest(**{**COMPLETE, "standards.harmonised": ["EN 18031-1:2024"]})
    text = _json(m)["elements"][5]["text"]
    assert "EN 18031-1:2024" in text and "no presumption of conformity" in text


def test_software_ce_marking_on_declaration_or_website() -> None:
    m = manifest(**{**COMPLETE, "product.kind": "software"})
    assert any("website" in r and "Art 30(1)" in r for r in _json(m)["ce_marking"]["rules"])


def test_simplified_declaration_carries_the_full_declarations_address(router: Manifest) -> None:
    data = _json(router, simplified=True)
    assert data["annex"] == "VI" and data["missing"] == []
    text = "\n".join(e["text"] for e in data["elements"])
    assert "https://example.be/doc/hg-ax3000" in text and "Regulation (EU) 2024/2847" in text
    without_url = _json(manifest(**{**COMPLETE, "declaration": {"place": "Brussels"}}), simplified=True)
    assert without_url["missing"] == [4]


@pytest.mark.parametrize(
    ("lang", "title", "statement"),
    [
        ("fr", "Nom et adresse du fabricant", "règlement (UE) 2024/2847"),
        ("nl", "Naam en adres van de fabrikant", "Verordening (EU) 2024/2847"),
        ("de", "Name und Anschrift des Herstellers", "Verordnung (EU) 2024/2847"),
    ],
)
def test_languages(router: Manifest, lang: str, title: str, statement: str) -> None:
    data = _json(router, lang=lang)
    assert data["elements"][1]["title"].startswith(title)
    simplified = _json(router, lang=lang, simplified=True)
    assert statement in simplified["elements"][2]["text"]


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"market.sectoral": ["medical-devices"]}, "outside the CRA"),
        ({"market.steward": True, "market.open_source": True, "market.commercial": False}, "steward"),
        ({"market.operator": "importer"}, "importer"),
    ],
)
def test_no_declaration_where_the_law_asks_none(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(NotApplicable) as caught:
        build_declaration(manifest(**overrides))
    assert caught.value.exit_code == 1
    assert reason in caught.value.message
