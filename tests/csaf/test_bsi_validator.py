"""Opt-in second opinion: BSI's @secvisogram/csaf-validator-lib accepts what crakit writes.

Runs only when CRAKIT_CSAF_VALIDATOR_LIB names a directory where
``npm install @secvisogram/csaf-validator-lib`` was run and ``node`` is on PATH; CI does not need it.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from crakit.csaf.decisions import Decisions, RemediationDecision, RevisionEntry, VulnDecision
from crakit.csaf.findings import Finding
from crakit.csaf.produce import write_document
from crakit.csaf.writer import ProductInfo, WriterOptions

LIB = os.environ.get("CRAKIT_CSAF_VALIDATOR_LIB")
SCRIPT = Path(__file__).with_name("validator_lib.mjs")

pytestmark = pytest.mark.skipif(
    not LIB
    or shutil.which("node") is None
    or not (Path(LIB) / "node_modules/@secvisogram/csaf-validator-lib").is_dir(),
    reason="set CRAKIT_CSAF_VALIDATOR_LIB to a directory with @secvisogram/csaf-validator-lib installed (and have node)",
)


def _bsi(files: list[Path]) -> list[dict[str, object]]:
    proc = subprocess.run(
        ["node", str(SCRIPT), str(LIB), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result: list[dict[str, object]] = json.loads(proc.stdout)
    return result


def _decision(status: str, with_extras: bool) -> VulnDecision:
    return VulnDecision(
        id="CVE-2024-3094",
        status=status,
        justification="component_not_present" if status == "not_affected" else None,
        impact="Not reachable." if status == "not_affected" and with_extras else None,
        remediation=RemediationDecision("workaround", "Disable the service.") if with_extras else None,
        cvss="CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H" if with_extras else None,
        cwe="CWE-506" if with_extras else None,
    )


def test_documents_crakit_writes_pass_bsi_validator(tmp_path: Path) -> None:
    files = []
    variants = itertools.product(
        ["affected", "not_affected", "fixed", "under_investigation"],
        [True, False],
        ["advisory", "vex"],
        [None, "2.0.1"],
    )
    for n, (status, extras, profile, fixed) in enumerate(variants):
        decisions = Decisions(
            id=f"ACME-2026-{n:03d}",
            publisher_name="ACME",
            namespace="https://acme.example",
            contact=None,
            tlp="WHITE",
            lang="en",
            status="final",
            title=None,
            summary=None,
            fixed_version=fixed,
            affected_versions=("1.9",) if status == "fixed" else (),
            revisions=(
                RevisionEntry("2026-01-01T00:00:00.000Z", "Initial"),
                RevisionEntry("2026-02-01T00:00:00.000Z", "Fix"),
            ),
            vulnerabilities=(
                _decision(status, extras),
                VulnDecision(id="GHSA-abcd-efgh-ijkl", status="under_investigation"),
            ),
        )
        findings = (Finding("pkg:generic/xz@5.6.0", "CVE-2024-3094", fixed="5.6.2", exploited=extras),)
        written = write_document(
            ProductInfo("ACME", "Router OS", "2.0"),
            decisions,
            findings,
            options=WriterOptions(profile=profile),  # type: ignore[arg-type]
        )
        path = tmp_path / f"doc{n}.json"
        path.write_bytes(written.data)
        files.append(path)
    results = _bsi(files)
    assert len(results) == len(files)
    assert [r["file"] for r in results if not r["isValid"]] == [], results


def test_bsi_agrees_on_real_advisories(shared_data: Path) -> None:
    files = sorted(p for p in (shared_data / "cisa-csaf").rglob("*.json") if "-feed-" not in p.name)[:40]
    results = _bsi(files)
    assert len(results) == len(files) == 40
    assert all(r["isValid"] for r in results)
