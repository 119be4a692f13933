"""Every message the UI shows has a translation in French, Dutch and German (Babel catalogues read
from the package), and pages come out in the language asked for."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import pytest

from crakit.platform import delay_grounds
from crakit.reporting.form import glossary
from crakit.web.i18n import catalogue

DYNAMIC = (
    "vulnerability",
    "incident",
    "early-warning",
    "notification",
    "intermediate",
    "final",
    "update",
    "early_warning",
    "final_report",
    "open",
    "closed",
    "invalidated",
    "redacted",
    "owner",
    "coordinator",
    "recipient",
    "enisa-full",
    "enisa-partial",
    "full",
    "partial",
    "manufacturer",
    "csirt",
    "enisa",
    "admin",
    "primary",
    "backup",
    "analyst",
    "due:24h",
    "due:72h",
    "due:7d",
    "due:overdue",
    "done:filed",
    "done:stage",
    "done:disseminated",
    "done:delayed",
    "done:invalidated",
    "done:released",
    "done:requested",
    "Inbox",
    "File a notification",
    "Administration",
    "wrong e-mail, password or code",
    "too many failed sign-in attempts; wait before trying again",
    "Reference implementation of CRA Articles 14 and 16 reporting (crakit). Not the ENISA Single Reporting Platform.",
    # the workbench's navigation, organisation kind, roles and footer
    "Products",
    "Dashboard",
    "doc:declaration",
    "doc:user_information",
    "doc:technical_documentation",
    "Alerts",
    "workbench",
    "product_owner",
    "auditor",
    "crakit portfolio workbench: findings, known exploited vulnerabilities (Art 14(1)), support periods (Art 13(8)).",
)


def _template_messages() -> set[str]:
    found: set[str] = set()
    folder = resources.files("crakit.web").joinpath("templates")
    for item in folder.iterdir():
        if item.name.endswith(".html"):
            text = item.read_text(encoding="utf-8")
            found |= set(re.findall(r'_\("([^"]+)"\)', text)) | set(re.findall(r"_\('([^']+)'\)", text))
    return found


def _all_messages() -> set[str]:
    spec = glossary()
    values = {choice for f in spec.fields for choice in f.choices} | {"Yes", "No"}
    return (
        _template_messages()
        | set(DYNAMIC)
        | {f.name for f in spec.fields}
        | {g.text for g in spec.pec_grounds}
        | {g.text for g in delay_grounds()}
        | values
    )


@pytest.mark.parametrize("lang", ["fr", "nl", "de"])
def test_every_message_is_translated(lang: str) -> None:
    table = catalogue(lang)
    missing = sorted(m for m in _all_messages() if not table.get(m))
    assert not missing, f"{lang}: {missing}"


def test_english_names_its_keys() -> None:
    table = catalogue("en")
    for key in ("early-warning", "due:24h", "done:filed", "enisa-partial"):
        assert table[key] and table[key] != key


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Sign in"), ("fr", "Se connecter"), ("nl", "Aanmelden"), ("de", "Anmelden")]
)
def test_pages_follow_the_language(http: Any, lang: str, title: str) -> None:
    page = http.get("/login", params={"lang": lang})
    assert f"<h1>{title}</h1>" in page.text and f'lang="{lang}"' in page.text
    assert http.get("/login").text.count(f"<h1>{title}</h1>") == 1  # remembered in a cookie


def test_browser_language_is_negotiated(http: Any) -> None:
    assert "<h1>Aanmelden</h1>" in http.get("/login", headers={"Accept-Language": "nl-BE,nl;q=0.9"}).text
    assert "<h1>Sign in</h1>" in http.get("/login", headers={"Accept-Language": "ja"}).text


def test_the_foundation_renders_without_the_platform(tmp_path: Any) -> None:
    """The workbench will mount its own feature: the foundation alone serves health and sign-in."""
    from fastapi.testclient import TestClient

    from crakit.web import Feature, WebSettings, create_app

    app = create_app(
        WebSettings(database_url=f"sqlite:///{tmp_path / 'w.db'}"), [Feature(name="empty", routers=())]
    )
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/api/v1/health").status_code == 200
        page = client.get("/login", params={"lang": "de"})
        assert "<h1>Anmelden</h1>" in page.text and "<footer>" not in page.text
        assert client.get("/api/v1/notifications").status_code == 404
