"""The workbench in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; never
a downloaded browser): a product owner signs in, uploads a manifest and an SBOM, sees the version
become known exploited after a monitoring run, triages the finding, switches versions, and opens
an Art 14 case from the alert. Screenshots go to $CRAKIT_SCREENSHOTS (else the test's folder)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from tests.workbench_kit import SBOM, build_initial, manifest_yaml, new_data, serve

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]
PASSWORD = "correct horse battery staple"
EMAIL = "olga@acme.example"

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


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


def _person(database_url: str) -> str:
    result = CliRunner().invoke(
        cli,
        [
            "workbench",
            "person",
            "add",
            "--database-url",
            database_url,
            "--email",
            EMAIL,
            "--name",
            "Olga",
            "--role",
            "product_owner",
            "--organisation",
            "ACME Devices",
            "--format",
            "json",
        ],
        env={"CRAKIT_PASSWORD": PASSWORD},
    )
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["totp_secret"])


def test_upload_triage_and_open_a_case(database_url: str, tmp_path: Path, browser: Any, shots: Path) -> None:
    vulndb = build_initial(tmp_path)
    secret = _person(database_url)
    dialect = database_url.split(":", 1)[0].split("+")[0]
    manifest = tmp_path / "homegate.yaml"
    manifest.write_bytes(manifest_yaml())
    newer = tmp_path / "homegate-2.2.yaml"
    newer.write_bytes(manifest_yaml(version="2.2"))
    sbom = tmp_path / "homegate.cdx.json"
    sbom.write_bytes(SBOM)
    with serve(database_url, vulndb, "--monitor-every", "0", log=tmp_path / "serve.log") as base:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/products")

        page.set_input_files("input[name=manifest]", str(manifest))
        page.click("form[action='/products'] button[type=submit]")
        page.wait_for_selector("h1:has-text('HomeGate AX3000')")
        page.set_input_files("input[name=sbom]", str(sbom))
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "No known vulnerabilities" in page.inner_text("main")
        page.screenshot(path=str(shots / f"workbench-{dialect}-1-clean.png"), full_page=True)

        osv, kev = new_data(tmp_path)
        result = CliRunner().invoke(
            cli,
            [
                "monitor",
                "run",
                "--database-url",
                database_url,
                "--vulndb",
                str(vulndb),
                "--osv",
                str(osv),
                "--kev",
                str(kev),
            ],
        )
        assert result.exit_code == 0, result.output
        page.reload()
        row = page.locator("[data-testid=findings] tbody tr").first
        assert "GHSA-wb13-demo-0001" in row.inner_text() and "Known exploited" in row.inner_text()
        page.screenshot(path=str(shots / f"workbench-{dialect}-2-exploited.png"), full_page=True)

        row.locator("select[name=state]").select_option("not_affected")
        row.locator("select[name=justification]").select_option("code_not_reachable")
        row.locator("input[name=detail]").fill("the HTTP/2 server is not built")
        row.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        state = page.locator("[data-testid=triage-state]").first.inner_text()
        assert "not_affected" in state and "code_not_reachable" in state
        page.screenshot(path=str(shots / f"workbench-{dialect}-3-triaged.png"), full_page=True)

        page.goto(f"{base}/products")
        page.set_input_files("input[name=manifest]", str(newer))
        page.click("form[action='/products'] button[type=submit]")
        page.wait_for_selector("h1:has-text('2.2')")
        page.select_option("select[name=version]", "2.1")  # the version switcher (htmx)
        page.wait_for_url("**version=2.1")
        assert "GHSA-wb13-demo-0001" in page.inner_text("[data-testid=findings]")
        page.select_option("select[name=base]", "2.2")
        page.click("button:has-text('Compare')")
        page.wait_for_url("**/compare?**")
        assert "pkg:pypi/demo-pkg@1.0" in page.inner_text("[data-testid=compare-1]")  # 2.2 has no SBOM yet
        page.screenshot(path=str(shots / f"workbench-{dialect}-4b-compare.png"), full_page=True)
        page.goto(f"{base}/products")
        page.screenshot(path=str(shots / f"workbench-{dialect}-4-products.png"), full_page=True)

        page.goto(f"{base}/alerts")
        exploited = page.locator("[data-testid=alerts] tbody tr", has_text="Known exploited").first
        exploited.locator("button:has-text('Open Art 14 case')").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("[data-testid=case]").first.inner_text().startswith("Case ")
        page.screenshot(path=str(shots / f"workbench-{dialect}-5-case.png"), full_page=True)

        page.goto(f"{base}/dashboard")
        page.wait_for_load_state("networkidle")
        for chart in ("findings", "deadlines", "support"):  # the SVGs loaded (signed-in image requests)
            width = page.eval_on_selector(f"[data-testid=chart-{chart}]", "img => img.naturalWidth")
            assert width > 100, chart
        page.screenshot(path=str(shots / f"workbench-{dialect}-6-dashboard.png"), full_page=True)

        page.goto(f"{base}/products")
        page.click("a:has-text('HomeGate AX3000')")
        consumer = page.get_attribute("[data-testid=consumer-link]", "href")
        page.goto(f"{base}{consumer}?lang=de")
        assert "März 2035" in page.inner_text("[data-testid=support-end]")
        page.screenshot(path=str(shots / f"workbench-{dialect}-7-consumer-de.png"), full_page=True)
