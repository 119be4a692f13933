"""The web UI in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright; never a
downloaded browser): a representative files an early warning and the 72-hour notification under
PEC, ENISA sees the partial view, the coordinator filters its inbox (htmx), disseminates, delays and
releases, the recipient CSIRT reads it, the administrator invites a person. Screenshots of every
page, each role, each language, go to $CRAKIT_SCREENSHOTS (else the test's temporary folder)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.platform_kit import server

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct horse battery staple"
PEOPLE = {
    # key: (email, organisation kind, organisation, member state, role)
    "rep": ("ana@acme.example", "manufacturer", "ACME Devices", None, "primary"),
    "ie": ("niamh@csirt.ie", "csirt", "CSIRT IE", "IE", "analyst"),
    "de": ("jonas@bsi.example", "csirt", "BSI", "DE", "analyst"),
    "enisa": ("eva@enisa.example", "enisa", "ENISA", None, "analyst"),
    "admin": ("ops@platform.example", "admin", "Platform operator", None, "admin"),
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which(CHROMIUM) is None, reason=f"{CHROMIUM} is absent (CI installs Debian's chromium)"
    ),
]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CRAKIT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _people(database_url: str) -> dict[str, str]:
    from crakit import accounts, platform
    from crakit.platform.setup import organisation_for
    from crakit.store import open_database

    now = datetime.now(UTC)
    secrets = {}
    with (
        open_database(database_url, [accounts.MIGRATIONS, platform.MIGRATIONS]) as store,
        store.transaction() as session,
    ):
        platform.seed(session, now=now)
        for key, (email, kind, organisation, state, role) in PEOPLE.items():
            org = organisation_for(session, kind, organisation, state, now=now)
            made = accounts.create_person(session, email, email.split("@")[0].title(), PASSWORD, now=now)
            accounts.add_membership(session, made.person.id, org.id, role, now=now)
            secrets[key] = made.totp_secret
    return secrets


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    secrets = _people(database_url)
    with server(database_url, log=tmp_path / "server.log") as (base, _process):
        yield base, secrets


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _sign_in(browser: Any, base: str, secrets: dict[str, str], who: str, lang: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
    page = context.new_page()
    page.goto(f"{base}/login?lang={lang}")
    page.fill("input[name=email]", PEOPLE[who][0])
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=code]", pyotp.TOTP(secrets[who]).now())
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" not in page.url, page.content()[:500]
    return page


def _shot(page: Any, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_the_reporting_journey_in_chromium(
    site: tuple[str, dict[str, str]], browser: Any, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, secrets = site
    tag = "pg" if "postgresql" in os.environ.get("PYTEST_CURRENT_TEST", "") else "sqlite"

    # the sign-in page in every language, and a wrong code
    for lang, word in (("en", "Sign in"), ("fr", "Se connecter"), ("nl", "Aanmelden"), ("de", "Anmelden")):
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(f"{base}/login?lang={lang}")
        assert page.locator("h1").inner_text() == word
        if lang == "en":
            page.fill("input[name=email]", PEOPLE["rep"][0])
            page.fill("input[name=password]", PASSWORD)
            page.fill("input[name=code]", "000000")
            page.click("button[type=submit]")
            assert "wrong e-mail, password or code" in page.locator(".alert").inner_text()
        _shot(page, shots, f"{tag}-login-{lang}")
        page.close()

    # a representative files the early warning from the form built from the Glossary
    rep = _sign_in(browser, base, secrets, "rep", "en")
    _shot(rep, shots, f"{tag}-rep-inbox-empty-en")
    rep.goto(f"{base}/file")
    rep.fill("input[name=case]", "PSIRT-2026-17")
    rep.select_option("select[name=main_establishment]", "IE")
    rep.fill("input[name='f.title']", "Authentication bypass in ACME Gateway")
    rep.fill("textarea[name='f.summary']", "Exploited in the wild against the management interface.")
    rep.fill("input[name='f.product_name']", "ACME Gateway")
    rep.fill("input[name='f.product_version']", "4.0 to 4.2.1")
    for code in ("IE", "DE", "NL"):
        rep.check(f"input[name='f.member_states'][value={code}]")
    rep.fill("input[name='f.aware_at']", "2026-12-01T08:15")
    _shot(rep, shots, f"{tag}-rep-file-form-en")
    rep.click("form.card button[type=submit]")
    rep.wait_for_load_state("networkidle")
    assert "Notification filed." in rep.locator(".ok").inner_text()
    notification_url = rep.url.split("?")[0]
    assert rep.locator("h1").inner_text() == "Authentication bypass in ACME Gateway"
    _shot(rep, shots, f"{tag}-rep-detail-en")

    # the 72-hour notification under PEC; htmx swaps the field set when the stage changes
    rep.goto(notification_url + "/stage")
    rep.fill("textarea[name='f.summary']", "Exploited in the wild; exploitation confirmed in 3 networks.")
    rep.select_option("select[name=stage]", "final")
    expect(rep.locator("input[name='f.fix_available_at']")).to_be_visible()  # final-report fields swapped in
    rep.select_option("select[name=stage]", "notification")
    rep.wait_for_load_state("networkidle")
    expect(rep.locator("textarea[name='f.summary']")).to_have_value(  # typed text survives the swap
        "Exploited in the wild; exploitation confirmed in 3 networks."
    )
    rep.fill(
        "textarea[name='f.general_information']", "Missing authorisation check: one request bypasses login."
    )
    if rep.locator("details.optional").get_attribute("open") is None:
        rep.click("details.optional > summary")
    rep.fill("input[name='f.attack_vector']", "network")
    rep.select_option("select[name='f.pec']", "Yes")
    rep.check("input[name='f.pec_grounds'][value=c]")
    _shot(rep, shots, f"{tag}-rep-stage-form-en")
    rep.click("form.card button[type=submit]")
    rep.wait_for_load_state("networkidle")
    assert "Stage filed." in rep.locator(".ok").inner_text()

    # ENISA: partial view only (French)
    enisa = _sign_in(browser, base, secrets, "enisa", "fr")
    assert "vue partielle (PEC)" in enisa.locator("#results").inner_text()
    assert "Authentication bypass" not in enisa.content()
    _shot(enisa, shots, f"{tag}-enisa-inbox-fr")
    enisa.goto(notification_url)
    assert "Missing authorisation" not in enisa.content() and "network" in enisa.content()
    _shot(enisa, shots, f"{tag}-enisa-partial-fr")

    # the coordinator (Dutch): htmx filter, disseminate, delay, release to ENISA
    ie = _sign_in(browser, base, secrets, "ie", "nl")
    ie.select_option("select[name=stage]", "final")
    expect(ie.locator("[data-testid=total]")).to_have_text("0")
    assert "stage=final" in ie.url  # hx-push-url kept the filter in the address
    ie.select_option("select[name=stage]", "notification")
    expect(ie.locator("[data-testid=total]")).to_have_text("1")
    _shot(ie, shots, f"{tag}-coordinator-inbox-nl")
    ie.goto(notification_url)
    _shot(ie, shots, f"{tag}-coordinator-detail-nl")
    dissemination = ie.locator("form[action$='/disseminate']")
    dissemination.locator("input[value=NL]").uncheck()
    dissemination.locator("button[type=submit]").click()
    ie.wait_for_load_state("networkidle")
    assert "Verspreiding vastgelegd." in ie.locator(".ok").inner_text()
    delay = ie.locator("form[action$='/delay']")
    delay.locator("input[value=NL]").check()
    delay.locator("textarea[name=justification]").fill(
        "Patch 4.2.2 expected within days; TLP alone cannot contain the risk."
    )
    delay.locator("input[name=until]").fill("2099-01-01T12:00")
    delay.locator("button[type=submit]").click()
    ie.wait_for_load_state("networkidle")
    assert "Uitstel vastgelegd" in ie.locator(".ok").inner_text()
    ie.locator("form[action$='/release'] button").click()
    ie.wait_for_load_state("networkidle")
    _shot(ie, shots, f"{tag}-coordinator-after-actions-nl")

    # ENISA now sees everything; the German CSIRT got it by dissemination
    enisa.goto(notification_url)
    assert "Missing authorisation" in enisa.content()
    de = _sign_in(browser, base, secrets, "de", "de")
    assert "Authentication bypass in ACME Gateway" in de.locator("#results").inner_text()
    de.goto(notification_url)
    assert "Empfänger" in de.content()
    _shot(de, shots, f"{tag}-recipient-detail-de")

    # the administrator invites a backup representative; no notification content on the page
    admin = _sign_in(browser, base, secrets, "admin", "en")
    assert "Hash chain intact" in admin.content()
    admin.select_option("select[name=organisation]", label="manufacturer · ACME Devices")
    admin.fill("form[action='/admin/invitations'] input[name=email]", "bo@acme.example")
    admin.select_option("form[action='/admin/invitations'] select[name=role]", "backup")
    admin.click("form[action='/admin/invitations'] button")
    admin.wait_for_load_state("networkidle")
    link = admin.locator("[data-testid=invitation-url]").inner_text()
    assert link.startswith("/invitations/") and "Authentication bypass" not in admin.content()
    _shot(admin, shots, f"{tag}-admin-en")
    visitor = browser.new_page(viewport={"width": 1280, "height": 800})
    visitor.goto(base + link + "?lang=de")
    _shot(visitor, shots, f"{tag}-invitation-de")
    visitor.fill("input[name=name]", "Bo")
    visitor.fill("input[name=password]", PASSWORD)
    visitor.click("button[type=submit]")
    assert len(visitor.locator("[data-testid=totp-secret]").inner_text()) >= 16
    _shot(visitor, shots, f"{tag}-invitation-done-de")

    # the representative sees the dissemination and the deadlines; a page in each language was shot
    rep.goto(notification_url)
    assert "DE" in rep.locator("text=Disseminated to").locator("..").inner_text()
    _shot(rep, shots, f"{tag}-rep-detail-after-en")
