"""Legal fidelity, second pass: manifests written from the law and the guidance, one per rule.

Implementing Regulation (EU) 2025/2392 descriptions, one core functionality (Art 7(1)), routes only where
the law has opened them (Art 27, Art 32), role and scope (Art 2, Art 3(13)-(14), Art 24), the support
period (Art 13(8)), the Art 14(7) route and the warnings of ``classify``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from crakit.manifest import ManifestError
from crakit.regulation import annex_entries, classify, reporting_duty, rules_version
from crakit.regulation.law import technical_descriptions
from crakit.regulation.routes import decide_routes
from crakit.regulation.rules import PresumptionSource, rules
from crakit.regulation.suggest import suggest
from tests.manifest_factory import make

REF = re.compile(r"^(Art \d+(\(\d+\))*(\([a-z]\))*(-\(\d+\))?|Annex [IVX]+.*|Recital \d+|guidance para \d+|"
                 r"Implementing Regulation \(EU\) 2025/2392.*|Delegated Regulation \(EU\) 2025/1535)$")  # fmt: skip


def _refs(result: object) -> list[str]:
    data = result.to_json()  # type: ignore[attr-defined]
    return [r["ref"] for r in data["reasons"] + data["warnings"] + data["support_period"]["reasons"]]


# --- 1. Implementing Regulation (EU) 2025/2392 as data ---------------------------------------------------


def test_every_annex_entry_has_a_technical_description_read_in_the_official_text() -> None:
    descriptions = technical_descriptions()
    assert set(descriptions.entries) == {e.id for e in annex_entries()}
    assert all(d.read == "official" and d.description for d in descriptions.entries.values())
    assert descriptions.in_force == "2025-12-21"
    # The annex describes smart meter gateways but not "other devices for advanced security purposes":
    # the data says so instead of inventing a description.
    assert descriptions.of("IV.2").not_read and "advanced security" in descriptions.of("IV.2").not_read


def test_ava_van_levels_separate_class_ii_chips_from_secure_elements() -> None:
    descriptions = technical_descriptions()
    for entry in ("III.II.3", "III.II.4"):
        level = descriptions.of(entry).ava_van
        assert level is not None and (level.min, level.max) == (2, 3)
    secure = descriptions.of("IV.3").ava_van
    assert secure is not None and (secure.min, secure.max) == (4, None)


def test_classify_explains_the_description_of_the_core_entry() -> None:
    result = classify(make(**{"product.functions": ["III.I.17"], "product.kind": "hardware"}))
    description = next(
        r for r in result.reasons if r.ref.startswith("Implementing Regulation (EU) 2025/2392")
    )
    assert "centrally control" in description.text
    assert description.ref.endswith("Class I point 17")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "Hardware token that shows a transaction authentication number for each online banking transfer",
            "III.I.1",
        ),
        ("Email security gateway that stops spam and phishing before it reaches the mail server", "III.II.2"),
        ("Hub that centrally controls the door locks, alarm sirens and cameras of a smart home", "III.I.17"),
        ("Secure microcontroller with tamper response, designed to resist attackers at AVA_VAN.5", "IV.3"),
        ("Tamper-resistant microcontroller with active shield, evaluated at AVA_VAN.3", "III.II.4"),
        ("DOCSIS cable modem for home internet access", "III.I.12"),
        ("Child safety wearable with GPS for kids", "III.I.19"),
    ],
)
def test_suggest_knows_the_products_the_descriptions_name(text: str, entry: str) -> None:
    got = suggest(text)
    assert got and got[0].entry == entry, [g.entry for g in got]


def test_an_ava_van_4_microcontroller_is_never_suggested_as_class_ii() -> None:
    got = [s.entry for s in suggest("Microcontroller with tamper resistance designed for AVA_VAN.4")]
    assert got and got[0] == "IV.3"
    assert "III.II.4" not in got and "III.I.14" not in got


# --- 2. one core functionality --------------------------------------------------------------------------


def test_two_core_functions_are_refused_with_a_message_that_teaches() -> None:
    with pytest.raises(ManifestError) as caught:
        make(**{"product.functions": ["III.I.6", "III.I.7"]})
    message = caught.value.message
    assert "one core functionality" in message and "integrated_functions" in message and "Art 7(1)" in message


def test_an_operating_system_with_an_integrated_browser_stays_class_i() -> None:
    # Implementing Regulation (EU) 2025/2392 recital 4: an OS integrating browser functionality is an OS.
    result = classify(
        make(**{"product.functions": ["III.I.11"], "product.integrated_functions": ["III.I.2"]})
    )
    assert result.category == "important-class-i"
    assert [e.id for e in result.annex_entries] == ["III.I.11"]
    assert result.to_json()["integrated_entries"] == ["III.I.2"]
    assert not result.warnings  # the integrated function does not rank higher


def test_a_laptop_with_a_secure_element_is_default_but_asked_to_document_why() -> None:
    # Commission FAQ 3.2: a secure element inside a laptop does not make the laptop critical.
    result = classify(make(**{"product.functions": [], "product.integrated_functions": ["IV.3"]}))
    assert result.category == "default"
    assert any("guidance para 144" in w.ref for w in result.warnings)


def test_the_core_function_cannot_also_be_listed_as_integrated() -> None:
    with pytest.raises(ManifestError, match="repeats the core functionality"):
        make(**{"product.functions": ["III.I.5"], "product.integrated_functions": ["III.I.5"]})


# --- 3. routes the law has not opened yet -----------------------------------------------------------------


def test_no_category_is_offered_the_certification_route_while_no_scheme_is_specified() -> None:
    for entry in ([], ["III.I.9"], ["III.II.1"], ["IV.1"]):
        result = classify(make(**{"product.functions": entry, "standards.eucc_level": "high"}))
        assert "eucc" not in result.conformity_routes
        assert any("Art 27(9)" in w.ref for w in result.warnings)


def test_a_cited_standard_that_is_not_published_under_the_cra_opens_nothing() -> None:
    result = classify(
        make(
            **{
                "standards.harmonised_applied_in_full": True,
                "standards.harmonised": ["EN IEC 62443-4-2:2019"],
            }
        )
    )
    assert result.conformity_routes == ("module-b+c", "module-h")
    assert any("EN IEC 62443-4-2:2019" in w.text and "Art 27(1)" in w.ref for w in result.warnings)


def test_module_a_and_certification_open_once_the_data_lists_them() -> None:
    # The same code opens the routes when the dated lists name a published standard or a specified scheme.
    manifest = make(
        **{
            "standards.harmonised_applied_in_full": True,
            "standards.harmonised": ["EN 40000-1-2:2027"],
        }
    )
    base = rules().presumption
    published = PresumptionSource("EN 40000-1-2:2027", "example", dt.date(2027, 6, 1), "Art 27(1)")
    scheme = PresumptionSource("EUCC", "example scheme", dt.date(2027, 9, 1), "Art 27(9)", "substantial")
    opened = decide_routes(
        manifest, "important-class-i", "manufacturer", _replace(base, harmonised_standards=(published,))
    )
    assert opened.routes == ("module-a", "module-b+c", "module-h")
    with_scheme = decide_routes(
        manifest, "important-class-ii", "manufacturer", _replace(base, certification_schemes=(scheme,))
    )
    assert with_scheme.routes == ("module-b+c", "module-h", "eucc")
    not_in_full = make(**{"standards.harmonised": ["EN 40000-1-2:2027"]})
    assert (
        "module-a"
        not in decide_routes(
            not_in_full,
            "important-class-i",
            "manufacturer",
            _replace(base, harmonised_standards=(published,)),
        ).routes
    )


def _replace(presumption: object, **changes: object) -> object:
    import dataclasses

    return dataclasses.replace(presumption, **changes)  # type: ignore[type-var]


def test_open_source_annex_iii_route_is_unchanged() -> None:
    result = classify(
        make(
            **{
                "product.functions": ["III.II.2"],
                "market.open_source": True,
                "market.public_technical_documentation": True,
            }
        )
    )
    assert result.conformity_routes == ("module-a", "module-b+c", "module-h")


# --- 4. role and scope ----------------------------------------------------------------------------------


def test_a_steward_selling_the_software_is_its_manufacturer_for_those_versions() -> None:
    result = classify(make(**{"market.steward": True, "market.open_source": True, "market.commercial": True}))
    assert result.role == "manufacturer"
    assert result.essential_requirements_apply and result.conformity_routes
    assert any("Art 3(14)" in r.ref and "guidance para 84" in r.ref for r in result.reasons)
    assert any("Art 24" in w.ref for w in result.warnings)


def test_a_legal_person_giving_away_a_community_edition_is_asked_the_steward_question() -> None:
    result = classify(make(**{"market.open_source": True, "market.commercial": False}))
    assert result.exclusion == "non-commercial"
    assert any(w.ref == "Art 3(14), Art 24" for w in result.warnings)
    natural = classify(
        make(**{"market.open_source": True, "market.commercial": False, "manufacturer.legal_person": False})
    )
    assert not natural.warnings  # a natural person cannot be a steward (Art 3(14))


def test_l_category_vehicles_are_excluded_except_l1e_designed_to_pedal() -> None:
    moped = classify(make(**{"market.sectoral": ["l-category-vehicles"]}))
    assert moped.exclusion == "l-category-vehicles"
    assert any("Delegated Regulation (EU) 2025/1535" in r.ref for r in moped.reasons)
    pedal = classify(
        make(**{"market.sectoral": ["l-category-vehicles"], "market.l1e_designed_to_pedal": True})
    )
    assert pedal.in_scope


def test_civil_aviation_excludes_only_certified_products_and_says_so() -> None:
    result = classify(make(**{"market.sectoral": ["civil-aviation"]}))
    assert result.exclusion == "civil-aviation"
    assert any("certified" in r.text and "uncertified" in r.text for r in result.reasons)


def test_a_remote_data_processing_solution_is_part_of_the_product() -> None:
    result = classify(make(**{"product.remote_data_processing": True}))
    assert result.in_scope
    assert any(r.ref == "Art 3(1), Art 3(2)" for r in result.reasons)
    with pytest.raises(ManifestError, match="remote data processing"):
        make(**{"product.remote_data_processing": True, "market.saas_only": True})


def test_a_modified_legacy_product_names_the_limit_of_the_guidance() -> None:
    result = classify(
        make(**{"market.placed_on_market": "2026-04-01", "market.substantially_modified_on": "2028-01-10"})
    )
    assert result.essential_requirements_apply
    assert any("guidance para 124" in w.ref and "as a whole" in w.text for w in result.warnings)


# --- 5. support period ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "end", "ok"),
    [
        (8, "2036-03", True),  # covers eight years of expected use from 2028-03
        (8, "2035-03", False),  # seven years: shorter than the expected use time
        (5, "2033-02", False),  # under the five-year floor
        (3, "2031-03", True),  # expected use under five years is the minimum
        (3, "2031-02", False),
        (12, "2039-03", False),
    ],
)
def test_the_support_period_reflects_the_expected_use_time(expected: int, end: str, ok: bool) -> None:
    support = classify(make(**{"support.expected_use_years": expected, "support.end": end})).support_period
    assert support.ok is ok


def test_missing_expected_use_time_is_a_warning() -> None:
    result = classify(make(**{"support.expected_use_years": None}))
    assert result.support_period.ok
    assert any(w.ref == "Art 13(8)" for w in result.warnings)


# --- 6. where to report ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "member_state", "ref"),
    [
        ({"manufacturer.country": "FR"}, "FR", "Art 14(7), first and second subparagraphs"),
        ({"manufacturer.country": "US", "manufacturer.main_establishment": "IE"}, "IE", "Art 14(7), first and second subparagraphs"),
        ({"manufacturer.country": "DE", "manufacturer.main_establishment": None, "manufacturer.authorised_representative": "LU"}, "LU", "Art 14(7)(a)"),
        ({"manufacturer.country": "JP", "market.importer_member_state": "NL", "market.distributor_member_state": "BE"}, "NL", "Art 14(7)(b)"),
        ({"manufacturer.country": "CA", "market.distributor_member_state": "PL"}, "PL", "Art 14(7)(c)"),
        ({"manufacturer.country": "CN", "market.most_users_member_state": "IT"}, "IT", "Art 14(7)(d)"),
    ],
)  # fmt: skip
def test_csirt_route_follows_art_14_7(overrides: dict[str, object], member_state: str, ref: str) -> None:
    route = classify(make(**overrides)).to_json()["csirt_route"]
    assert route["member_state"] == member_state and route["ref"] == ref


def test_no_known_route_is_a_warning_and_one_market_is_not_taken_for_most_users() -> None:
    result = classify(make(**{"manufacturer.country": "BR", "market.member_states": ["SE"]}))
    assert result.to_json()["csirt_route"]["member_state"] is None
    warning = next(w for w in result.warnings if w.ref == "Art 14(7)")
    assert "most_users_member_state" in warning.text


def test_an_eea_efta_registered_office_is_not_a_union_establishment() -> None:
    result = classify(make(**{"manufacturer.country": "IS", "manufacturer.authorised_representative": "DK"}))
    assert result.to_json()["csirt_route"]["member_state"] == "DK"
    assert any("EEA" in w.text for w in result.warnings)


def test_an_eea_efta_main_establishment_is_not_in_the_union_either() -> None:
    """Art 14(7) first subparagraph names a main establishment in the Union: Norway is not, so the
    point (a) fallback decides (found by the platform review: NO was taken for a Member State)."""
    facts = {
        "manufacturer.country": "NO",
        "manufacturer.main_establishment": "NO",
        "manufacturer.authorised_representative": "IE",
    }
    route = classify(make(**facts)).to_json()["csirt_route"]
    assert (route["member_state"], route["basis"]) == ("IE", "authorised representative")
    assert "outside the Union (NO)" in route["reason"]


# --- 7. reporting applicability (the rule shared with `report`) ----------------------------------------


@pytest.mark.parametrize(
    ("aware", "steward", "applies"),
    [
        ("2026-09-10T20:59:59+00:00", False, False),
        ("2026-09-10T21:00:00+00:00", False, True),  # already 11 Sep in Helsinki
        ("2027-06-01T00:00:00+00:00", True, False),
        ("2027-12-10T22:00:00+00:00", True, True),
    ],
)
def test_reporting_duty_starts_on_the_dates_of_art_71(aware: str, steward: bool, applies: bool) -> None:
    duty = reporting_duty(dt.datetime.fromisoformat(aware), steward=steward)
    assert duty.applies is applies
    assert "Art 71(2)" in duty.ref and (not steward or "Art 24(3)" in duty.ref)


# --- 8. warnings, citation style, versioned rules ----------------------------------------------------------


def test_warnings_are_a_list_of_text_and_ref_and_every_ref_has_one_style() -> None:
    manifest = make(
        **{
            "product.functions": ["III.I.1"],
            "standards.harmonised_applied_in_full": True,
            "standards.eucc_level": "substantial",
            "support.expected_use_years": 9,
            "support.end": "2034-03",
        }
    )
    result = classify(manifest)
    data = result.to_json()
    assert data["warnings"] and all(set(w) == {"text", "ref"} for w in data["warnings"])
    for ref in _refs(result):
        for part in ref.split(", "):
            assert REF.match(part), part
            assert "Art." not in part and "Article" not in part
    assert rules_version() == "2026.12.1"
