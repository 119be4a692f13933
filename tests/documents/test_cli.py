"""``crakit docs`` from the shell: formats, exit codes, messages on stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson

from tests.documents.conftest import COMPLETE
from tests.manifest_factory import manifest_dict

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "docs", *args], capture_output=True, text=True, cwd=cwd
    )


def _write_manifest(tmp_path: Path, **overrides: object) -> Path:
    data = manifest_dict(**overrides)  # type: ignore[arg-type]
    path = tmp_path / "product.json"
    path.write_bytes(orjson.dumps(data))
    return path


def test_declaration_json_on_the_examples() -> None:
    out = _run("declaration", str(EXAMPLES / "secure-vpn-gateway.yaml"), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["annex"] == "V" and 7 in data["missing"]
    assert "still to write" in out.stderr
    steward = _run("declaration", str(EXAMPLES / "tinytls-steward.yaml"), "--format", "json")
    assert steward.returncode == 1 and steward.stdout == ""
    assert "steward" in steward.stderr and steward.stderr.count("\n") == 1


def test_out_of_scope_is_exit_1_with_a_reason(tmp_path: Path) -> None:
    path = _write_manifest(tmp_path, **{"market.sectoral": ["motor-vehicles"]})
    out = _run("declaration", str(path), "--format", "json")
    assert out.returncode == 1 and out.stdout == ""
    assert "outside the CRA" in out.stderr and "Art 2" in out.stderr


def test_every_document_of_the_examples_in_html_and_pdf(tmp_path: Path) -> None:
    for example in ("homegate-router.yaml", "secure-vpn-gateway.yaml", "legacy-smart-lock.yaml"):
        for command in ("declaration", "technical", "user-info"):
            for fmt in ("html", "pdf"):
                target = tmp_path / f"{example}-{command}.{fmt}"
                out = _run(command, str(EXAMPLES / example), "--format", fmt, "-o", str(target))
                assert out.returncode == 0, (example, command, out.stderr)
                head = target.read_bytes()[:16]
                assert head.startswith(b"%PDF-") if fmt == "pdf" else head.startswith(b"<!DOCTYPE html>")


def test_bad_language_and_bad_manifest_field_are_exit_2(tmp_path: Path) -> None:
    out = _run("declaration", str(EXAMPLES / "homegate-router.yaml"), "--lang", "xx")
    assert out.returncode == 2 and "no catalogue for language 'xx'" in out.stderr
    path = _write_manifest(tmp_path, conformity={"notified_body": {"number": "12"}})
    out = _run("declaration", str(path))
    assert out.returncode == 2 and "conformity.notified_body.number" in out.stderr


def test_security_txt_round_trip_and_check(tmp_path: Path) -> None:
    path = _write_manifest(tmp_path, **COMPLETE)  # type: ignore[arg-type]
    target = tmp_path / "security.txt"
    assert _run("security-txt", str(path), "-o", str(target)).returncode == 0
    check = _run("check-security-txt", str(target), "--format", "json")
    assert check.returncode == 0, check.stdout
    assert json.loads(check.stdout)["valid"] is True
    target.write_text("Contact: http://example.com\n")
    bad = _run("check-security-txt", str(target))
    assert bad.returncode == 1 and "INVALID" in bad.stdout


def test_evidence_then_technical(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    assert _run("evidence", str(EXAMPLES / "homegate-router.yaml"), "--dir", str(folder)).returncode == 0
    assert (folder / "annex-vii-3-risk-assessment.md").exists()
    assert not (folder / "annex-ii-8f-integration.md").exists()  # not a component
    out = _run(
        "technical", str(EXAMPLES / "homegate-router.yaml"), "--evidence", str(folder), "--format", "markdown"
    )
    assert out.returncode == 0 and "## What is still missing" in out.stdout


def test_cvd_policy_checklist_and_upstream_report(tmp_path: Path) -> None:
    path = _write_manifest(tmp_path, **COMPLETE)  # type: ignore[arg-type]
    policy = _run("cvd-policy", str(path))
    assert policy.returncode == 0 and "within 3 days" in policy.stdout and "90 days" in policy.stdout
    importer = _write_manifest(tmp_path, **{"market.operator": "importer"})
    checklist = _run("checklist", str(importer))
    assert checklist.returncode == 0 and "Art 19(4)" in checklist.stdout and "Art 23" in checklist.stdout
    db = tmp_path / "v.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "db",
            "build",
            "--osv",
            str(EXAMPLES / "osv"),
            "--kev",
            str(EXAMPLES / "kev.json"),
            "--db",
            str(db),
        ],
        check=True,
        capture_output=True,
    )
    report = _run(
        "upstream-report",
        "pkg:maven/org.apache.logging.log4j/log4j-core",
        "--sbom",
        str(EXAMPLES / "homegate-sbom.cdx.json"),
        "--vulndb",
        str(db),
        "--manifest",
        str(path),
    )
    assert report.returncode == 0, report.stderr
    assert "CVE-2021-44228" in report.stdout and "Art 13(6)" in report.stdout
    unknown = _run(
        "upstream-report",
        "pkg:npm/left-pad",
        "--sbom",
        str(EXAMPLES / "homegate-sbom.cdx.json"),
        "--vulndb",
        str(db),
    )
    assert unknown.returncode == 2 and "no component" in unknown.stderr


def test_markdown_headings_are_whole_and_a_line_break_in_a_name_does_not_break_them(tmp_path: Path) -> None:
    """The CE-marking item has no number: no "### ." heading; a name with a line break stays in its
    heading and table cell (review, 2026-12-03)."""
    manifest = _write_manifest(tmp_path, **{**COMPLETE, "product.name": "Router\n# Injected heading"})
    out = _run("declaration", str(manifest), "--format", "markdown")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert not [line for line in lines if line.startswith("### .")]
    assert not [line for line in lines if line.startswith("# Injected")]
