"""Art 14(7) routing: main establishment, then the fallback order for manufacturers outside the EU."""

from __future__ import annotations

import pytest

from crakit.reporting.errors import ReportingError
from crakit.reporting.routing import RoutingInput, csirts, route

EU27 = set(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)


def test_all_27_member_states_have_a_coordinator_csirt():
    table = csirts()
    assert {c.code for c in table.values()} == EU27
    assert table["EL"] is table["GR"]  # Greece under its EU code too
    assert all(c.srp_host.endswith(".cra-srp.enisa.europa.eu") for c in table.values())
    assert table["ES"].name == "INCIBE-CERT"  # not CCN-CERT (reporting.md §8)


def test_main_establishment_wins():
    chosen = route(RoutingInput(main_establishment="fr", importer="DE", most_users="IT"))
    assert chosen.csirt is not None and chosen.csirt.code == "FR"
    assert chosen.basis == "main establishment"
    assert "14(7)" in chosen.article


@pytest.mark.parametrize(
    ("known", "expected", "point"),
    [
        (
            RoutingInput(authorised_representative="NL", importer="DE", distributor="AT", most_users="IT"),
            "NL",
            "(a)",
        ),
        (RoutingInput(importer="DE", distributor="AT", most_users="IT"), "DE", "(b)"),
        (RoutingInput(distributor="AT", most_users="IT"), "AT", "(c)"),
        (RoutingInput(most_users="IT"), "IT", "(d)"),
    ],
)
def test_non_eu_manufacturer_fallback_order(known, expected, point):
    chosen = route(known)
    assert chosen.csirt is not None and chosen.csirt.code == expected
    assert chosen.article == f"Art 14(7){point}"
    assert "No main establishment" in chosen.reason


def test_most_users_route_mentions_staying_with_the_csirt():
    assert "Later notifications" in route(RoutingInput(most_users="PL")).reason


def test_nothing_known_gives_no_csirt_and_says_what_to_set():
    chosen = route(RoutingInput())
    assert chosen.csirt is None and "authorised representative" in chosen.reason


def test_non_member_state_code_is_refused():
    # The fallback points (a)-(d) name Member States: a non-EU importer cannot receive the report.
    with pytest.raises(ReportingError):
        route(RoutingInput(importer="CH"))
    with pytest.raises(ReportingError):
        route(RoutingInput(main_establishment="XX"))


def test_main_establishment_outside_the_union_uses_the_fallback():
    # A Swiss manufacturer (manifest country CH) is exactly whom Art 14(7)'s fallback order is for.
    chosen = route(RoutingInput(main_establishment="CH", importer="NL"))
    assert chosen.csirt is not None and chosen.csirt.code == "NL"
    assert "outside the Union (CH)" in chosen.reason
    assert chosen.article == "Art 14(7)(b)"
    unknown = route(RoutingInput(main_establishment="US"))
    assert unknown.csirt is None
