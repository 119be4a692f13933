"""``crakit csaf render``: what a user reads, and that hostile text stays text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.csaf.render import render


@pytest.fixture()
def advisory(minimal: dict[str, Any]) -> dict[str, Any]:
    vuln = minimal["vulnerabilities"][0]
    vuln["product_status"] = {"known_affected": ["P1"]}
    vuln["notes"] = [
        {"category": "description", "text": "Overflow in <b>parser</b> *bold* [x](javascript:alert(1))"}
    ]
    vuln["remediations"] = [
        {
            "category": "vendor_fix",
            "details": "Update to 1.1",
            "product_ids": ["P1"],
            "url": "javascript:alert(1)",
        }
    ]
    vuln["scores"] = [
        {
            "products": ["P1"],
            "cvss_v3": {
                "version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "baseScore": 9.8,
                "baseSeverity": "CRITICAL",
            },
        }
    ]
    minimal["document"]["title"] = "Router <script>alert(1)</script>"
    return minimal


def test_markdown_has_what_annex_i_part_ii_8_needs(advisory: dict[str, Any]) -> None:
    page = render(advisory, "markdown")
    for needle in ("CVE-2024-0001", "Example Router 1.0", "9.8 CRITICAL", "Update to 1.1", "EX-1", "WHITE"):
        assert needle in page
    assert "<script>" not in page and "<b>" not in page
    assert "x](javascript" not in page  # the brackets are escaped: no link


def test_html_escapes_and_links_only_web_urls(advisory: dict[str, Any]) -> None:
    page = render(advisory, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page
    assert 'href="https://example.com/.well-known/csaf/white/2024/ex-1.json"' in page


def test_cli_render_real_advisories(shared_data: Path, tmp_path: Path) -> None:
    sources = sorted((shared_data / "cisa-csaf").rglob("*.json"))[:15]
    runner = CliRunner()
    for path in sources:
        if "-feed-" in path.name:
            continue
        doc = json.loads(path.read_bytes())
        for fmt in ("html", "markdown"):
            out = tmp_path / f"{path.stem}.{fmt}"
            result = runner.invoke(cli, ["csaf", "render", str(path), "--format", fmt, "-o", str(out)])
            assert result.exit_code == 0, result.output
            assert doc["document"]["tracking"]["id"] in out.read_text()


def test_cli_render_rejects_non_csaf(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    result = CliRunner().invoke(cli, ["csaf", "render", str(path)])
    # A crakit input error (exit 2 from the console script), not a crash.
    from crakit.errors import CrakitError

    assert isinstance(result.exception, CrakitError) and result.exception.exit_code == 2, result.exception
