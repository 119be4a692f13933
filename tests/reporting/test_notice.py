"""Art 14(8) user notices: catalogue completeness, languages, content from the case."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crakit.reporting import Kind, NewCase, ReportingError, open_case, update_case
from crakit.reporting.notice import build_notice, catalogue, render_notice
from crakit.store import open_store

NOW = datetime(2026, 10, 3, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url):
    with open_store(database_url) as opened:
        yield opened


def test_catalogue_has_english_and_other_eu_languages_with_every_key():
    table = catalogue()
    assert "en" in table and len(table) >= 2
    for language, messages in table.items():
        assert set(messages) == set(table["en"]), language
        assert all(value.strip() for value in messages.values()), language
        assert "14" in messages["legal"]  # cites Art 14(8)


def case_with(store, fields):
    case = open_case(
        store,
        NewCase(
            kind=Kind.VULNERABILITY,
            aware_at=datetime(2026, 10, 2, tzinfo=UTC),
            product={"name": "HomeGate", "version": "2.1"},
        ),
        actor="a",
        now=NOW,
    )
    return update_case(store, case.id, fields, actor="a", now=NOW)


def test_notice_says_what_happened_what_to_do_which_versions(store):
    case = case_with(
        store,
        [
            ("summary", "Login bypass exploited."),
            ("user_measures", "Install 2.1.1."),
            ("affected_versions", "2.0 to 2.1"),
            ("fixed_versions", "2.1.1"),
            ("cve_id", "CVE-2026-1"),
            ("advisory_url", "https://example.com/adv"),
        ],
    )
    notice = build_notice(case, "en", NOW)
    text = render_notice(notice, "markdown")
    for expected in (
        "Login bypass exploited.",
        "Install 2.1.1.",
        "2.0 to 2.1",
        "Fixed in: 2.1.1",
        "CVE-2026-1",
        "https://example.com/adv",
        "Article 14(8)",
    ):
        assert expected in text
    assert notice.untranslated == ()


@pytest.mark.parametrize("language", ["de", "fr"])
def test_other_language_uses_catalogue_and_own_translations(store, language):
    case = case_with(
        store,
        [("summary", "Login bypass exploited."), (f"notice.{language}.what_happened", "Übersetzt / traduit")],
    )
    notice = build_notice(case, language, NOW)
    html = render_notice(notice, "html")
    assert f'lang="{language}"' in html
    assert catalogue()[language]["what_to_do"].replace("'", "&#39;") in html
    assert "Übersetzt / traduit" in html
    assert notice.untranslated == ()  # what_to_do fell back to the catalogue's default advice
    assert catalogue()[language]["no_fix_yet"][:20].replace("'", "&#39;") in html


def test_untranslated_case_text_is_flagged(store):
    case = case_with(store, [("summary", "English only."), ("user_measures", "Update.")])
    notice = build_notice(case, "de", NOW)
    assert set(notice.untranslated) == {"what_happened", "what_to_do"}


def test_unknown_language_and_bad_notice_keys(store):
    case = case_with(store, [])
    with pytest.raises(ReportingError):
        build_notice(case, "xx", NOW)
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("notice.xx.what_happened", "x")], actor="a", now=NOW)
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("advisory_url", "javascript:alert(1)")], actor="a", now=NOW)


def test_notice_json_is_structured(store):
    case = case_with(store, [("summary", "S")])
    data = build_notice(case, "en", NOW).to_json()
    assert data["legal_basis"] == "CRA Art 14(8)"
    assert data["affected_products"] == [{"name": "HomeGate", "versions": "2.1"}]
    assert data["issued_at"] == "2026-10-03T09:00:00Z"


def test_fixed_version_is_the_products_never_a_components_upstream_fix(store):
    """Users install the product's fix (Art 14(8)); the component's upstream fix is not it."""
    case = open_case(
        store,
        NewCase(
            kind=Kind.VULNERABILITY,
            aware_at=datetime(2026, 10, 2, tzinfo=UTC),
            product={"name": "HomeGate", "version": "2.1"},
            evidence={
                "finding": {
                    "id": "GHSA-jfh8-c2jp-5v3q",
                    "fixed": ["2.15.0"],
                    "purl": "pkg:maven/x/log4j-core@2.14.1",
                }
            },
        ),
        actor="a",
        now=NOW,
    )
    assert build_notice(case, "en", NOW).fixed_versions == ""
    case = update_case(store, case.id, [("fixed_versions", "HomeGate 2.2")], actor="a", now=NOW)
    notice = build_notice(case, "en", NOW)
    assert notice.fixed_versions == "HomeGate 2.2"
    assert "2.15.0" not in render_notice(notice, "markdown")
