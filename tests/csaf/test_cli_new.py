"""``crakit csaf new`` and ``crakit csaf bump`` end to end, from manifest, SBOM, findings and decisions."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.csaf import validate

MANIFEST = """\
crakit: 1
product:
  name: Router OS
  version: "2.4.1"
  kind: software
manufacturer:
  name: ACME Corp
  country: BE
"""

DECISIONS = """\
id: ACME-2026-001
publisher:
  name: ACME Corp
  namespace: https://acme.example
  contact: psirt@acme.example
tlp: WHITE
revisions:
  - {date: 2026-01-10, summary: Initial release}
fixed_version: "2.4.2"
vulnerabilities:
  CVE-2024-3094:
    status: affected
    cvss: CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H
    cwe: CWE-506
    description: Backdoor in the compression library.
  CVE-2023-4863:
    status: not_affected
    justification: vulnerable_code_not_in_execute_path
"""

SBOM = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "version": 1,
    "metadata": {
        "component": {
            "type": "firmware",
            "name": "router-os",
            "version": "2.4.1",
            "bom-ref": "root",
            "purl": "pkg:generic/acme/router-os@2.4.1",
        }
    },
    "components": [
        {
            "type": "library",
            "name": "xz",
            "version": "5.6.0",
            "purl": "pkg:generic/xz@5.6.0",
            "bom-ref": "xz",
        },
        {
            "type": "library",
            "name": "libwebp",
            "version": "1.3.1",
            "purl": "pkg:generic/libwebp@1.3.1",
            "bom-ref": "webp",
        },
    ],
}

FINDINGS = {
    "findings": [
        {
            "purl": "pkg:generic/xz@5.6.0",
            "id": "CVE-2024-3094",
            "aliases": [],
            "severity": "CRITICAL",
            "fixed": "5.6.2",
            "exploited": True,
            "kev_date_added": "2024-04-01",
            "status": "affected",
        },
        {
            "purl": "pkg:generic/libwebp@1.3.1",
            "id": "GHSA-j7hp-h8jx-5ppr",
            "aliases": ["CVE-2023-4863"],
            "severity": "HIGH",
        },
        {"purl": "pkg:generic/zlib@1.2.11", "id": "CVE-2022-37434", "aliases": [], "severity": "CRITICAL"},
    ]
}


@pytest.fixture()
def inputs(tmp_path: Path) -> dict[str, Path]:
    files = {
        "manifest": tmp_path / "product.yaml",
        "decisions": tmp_path / "decisions.yaml",
        "sbom": tmp_path / "sbom.cdx.json",
        "findings": tmp_path / "scan.json",
    }
    files["manifest"].write_text(MANIFEST)
    files["decisions"].write_text(DECISIONS)
    files["sbom"].write_text(json.dumps(SBOM))
    files["findings"].write_text(json.dumps(FINDINGS))
    return files


def _new(inputs: dict[str, Path], *extra: str) -> subprocess.CompletedProcess[str]:
    args = ["--manifest", str(inputs["manifest"]), "--decisions", str(inputs["decisions"])]
    return subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "csaf", "new", *args, *extra],
        capture_output=True,
        text=True,
        check=False,
    )


def test_advisory_from_all_inputs(inputs: dict[str, Path]) -> None:
    proc = _new(inputs, "--sbom", str(inputs["sbom"]), "--findings", str(inputs["findings"]))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert validate(doc).valid
    assert doc["document"]["category"] == "csaf_security_advisory"
    # The undecided zlib finding is reported, not silently published.
    assert "CVE-2022-37434" in proc.stderr
    vulns = {v["cve"]: v for v in doc["vulnerabilities"]}
    assert set(vulns) == {"CVE-2024-3094", "CVE-2023-4863"}
    xz = vulns["CVE-2024-3094"]
    tree = doc["product_tree"]["branches"][0]
    assert tree["category"] == "vendor" and tree["name"] == "ACME Corp"
    versions = {b["name"]: b["product"] for b in tree["branches"][0]["branches"]}
    assert set(versions) == {"2.4.1", "2.4.2"}
    assert xz["product_status"]["known_affected"] == [versions["2.4.1"]["product_id"]]
    assert xz["product_status"]["fixed"] == [versions["2.4.2"]["product_id"]]
    helper = versions["2.4.1"]["product_identification_helper"]
    assert helper["cpe"].startswith("cpe:2.3:a:acme_corp:router_os:2.4.1:")
    assert helper["purl"] == "pkg:generic/acme/router-os@2.4.1"  # the SBOM's own product purl
    assert (
        versions["2.4.2"]["product_identification_helper"]["purl"] == "pkg:generic/acme-corp/router-os@2.4.2"
    )
    assert xz["remediations"][0]["category"] == "vendor_fix"
    assert xz["scores"][0]["cvss_v3"]["baseScore"] == 9.0
    assert any(t["category"] == "exploit_status" for t in xz["threats"])
    assert "xz 5.6.0" in xz["notes"][0]["text"]
    webp = vulns["CVE-2023-4863"]
    assert webp["flags"][0]["label"] == "vulnerable_code_not_in_execute_path"


def test_vex_profile_and_undecided(inputs: dict[str, Path]) -> None:
    proc = _new(inputs, "--findings", str(inputs["findings"]), "--profile", "vex", "--include-undecided")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    report = validate(doc)
    assert report.valid and doc["document"]["category"] == "csaf_vex"
    zlib = next(v for v in doc["vulnerabilities"] if v.get("cve") == "CVE-2022-37434")
    assert "under_investigation" in zlib["product_status"]


def test_bad_decisions_are_one_line_errors(inputs: dict[str, Path]) -> None:
    inputs["decisions"].write_text(
        DECISIONS.replace(
            "status: not_affected\n    justification: vulnerable_code_not_in_execute_path",
            "status: not_affected",
        )
    )
    proc = _new(inputs)
    assert proc.returncode == 2
    assert "justification" in proc.stderr and "Traceback" not in proc.stderr
    inputs["decisions"].write_text(DECISIONS.replace("CWE-506", "CWE-9999999"))
    proc = _new(inputs)
    assert proc.returncode == 2 and "CWE-9999999" in proc.stderr


def test_bump_keeps_history_valid(inputs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "adv.json"
    assert _new(inputs, "-o", str(out)).returncode == 0
    runner = CliRunner()
    result = runner.invoke(
        cli, ["csaf", "bump", str(out), "--summary", "Fix released", "--date", "2026-02-01"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    tracking = doc["document"]["tracking"]
    assert tracking["version"] == "2" and [r["number"] for r in tracking["revision_history"]] == ["1", "2"]
    assert tracking["current_release_date"].startswith("2026-02-01")
    assert validate(doc).valid
    result = runner.invoke(
        cli, ["csaf", "bump", str(out), "--summary", "back in time", "--date", "2025-01-01"]
    )
    from crakit.errors import CrakitError

    assert isinstance(result.exception, CrakitError) and result.exception.exit_code == 2, result.exception


def _limited(limit: int) -> Any:
    """A child whose writes past ``limit`` bytes fail (EFBIG), as on a full disk."""
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("where", ["in place", "-o over an older file"])
def test_a_bump_that_cannot_be_written_keeps_the_advisory(
    where: str, inputs: dict[str, Path], tmp_path: Path
) -> None:
    # Writing straight into the target lost a published advisory when the disk filled up; the new
    # version is written beside it and renamed, so a failed write leaves the old one whole.
    out = tmp_path / "adv.json"
    assert _new(inputs, "-o", str(out)).returncode == 0
    out.chmod(0o644)
    target = out if where == "in place" else tmp_path / "older.json"
    if target != out:
        target.write_bytes(b"{}")
    before = target.read_bytes()
    extra = [] if target == out else ["-o", str(target)]
    proc = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "csaf", "bump", str(out), "--summary", "Fix", *extra],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_limited(1024),  # the child alone: its writes past 1 KiB fail
    )
    assert proc.returncode == 2, proc.stderr
    assert "cannot write" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["adv.json", "decisions.yaml", "product.yaml", "sbom.cdx.json", "scan.json"]
        + ([] if target == out else ["older.json"])
    )


def test_a_bump_keeps_the_advisorys_permissions_and_writes_through_a_link(
    inputs: dict[str, Path], tmp_path: Path
) -> None:
    real = tmp_path / "adv.json"
    assert _new(inputs, "-o", str(real)).returncode == 0
    real.chmod(0o640)
    link = tmp_path / "current.json"
    link.symlink_to(real.name)
    result = CliRunner().invoke(cli, ["csaf", "bump", str(link), "--summary", "Fix", "--date", "2026-02-01"])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and json.loads(real.read_text())["document"]["tracking"]["version"] == "2"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
