"""The `crakit report` commands end to end on a workspace (SQLite file; PostgreSQL via the URL)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli, main
from crakit.errors import CrakitError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "homegate-router.yaml"


@pytest.fixture
def run(tmp_path, database_url, monkeypatch):
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    if database_url.startswith("postgresql"):
        monkeypatch.setenv("CRAKIT_DATABASE_URL", database_url)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, ["report", *args])
        # crakit errors reach the runner in crakit.cli.errors.run, which maps them to exit codes
        exit_code = (
            result.exception.exit_code if isinstance(result.exception, CrakitError) else result.exit_code
        )
        if exit_code == 3 or (
            result.exception and not isinstance(result.exception, (CrakitError, SystemExit))
        ):
            raise result.exception  # a bug: show it
        assert exit_code == code, (args, result.output, result.exception)
        return result.stdout

    return invoke


def as_json(text: str) -> dict:
    return json.loads(text)


def test_walk_a_vulnerability_through_every_stage(run, tmp_path):
    scan = tmp_path / "scan.json"
    scan.write_text(
        json.dumps(
            {
                "findings": [
                    {
                        "purl": "pkg:generic/authd@3.1",
                        "id": "GHSA-abcd",
                        "aliases": ["CVE-2026-4242"],
                        "severity": "high",
                        "fixed": ["3.2"],
                        "exploited": True,
                        "kev_date_added": "2026-09-30",
                        "status": "affected",
                        "component": {"ref": "authd", "name": "authd", "version": "3.1"},
                    }
                ]
            }
        )
    )
    opened = as_json(
        run(
            "open",
            "--kind",
            "vulnerability",
            "--product",
            str(EXAMPLE),
            "--aware-at",
            "2026-10-02T10:15:00+02:00",
            "--findings",
            str(scan),
            "--finding",
            "CVE-2026-4242",
            "--actor",
            "alice",
            "--format",
            "json",
        )
    )
    case = str(opened["id"])
    assert opened["fields"]["cve_id"] == "CVE-2026-4242" and opened["fields"]["component"] == "authd 3.1"
    assert opened["created_by"] == "alice"

    early = as_json(run("draft", case, "--stage", "early-warning", "--format", "json"))
    assert early["missing_required"] == ["3"]  # only the summary: the rest came from manifest and scan
    assert early["deadline"]["due"] == "2026-10-03T08:15:00Z"
    assert early["routing"]["member_state"] == "BE"
    run("draft", case, "--stage", "early-warning", "--check", code=1)

    run("update", case, "--field", "summary=Login bypass exploited in the wild", "--actor", "bob")
    run("draft", case, "--stage", "early-warning", "--check")
    receipt = tmp_path / "srp-confirmation.pdf"
    receipt.write_bytes(b"%PDF-1.7 confirmation")
    run(
        "submitted",
        case,
        "--stage",
        "early-warning",
        "--at",
        "2026-10-02T18:00:00Z",
        "--evidence",
        str(receipt),
    )

    notification = as_json(run("draft", case, "--stage", "notification", "--format", "json"))
    assert notification["missing_required"] == ["v21"]
    info = tmp_path / "info.txt"
    info.write_text("Missing check on /api/login.\n")
    run(
        "update",
        case,
        "--field",
        f"general_information=@{info}",
        "--field",
        "pec=yes",
        "--field",
        "pec_grounds=a",
    )
    notification = as_json(run("draft", case, "--stage", "notification", "--format", "json"))
    assert notification["complete"]
    assert {f["number"]: f["text"] for f in notification["fields"]}["v21"] == "Missing check on /api/login."
    run("submitted", case, "--stage", "notification", "--at", "2026-10-04T09:00:00Z")

    final = as_json(run("draft", case, "--stage", "final", "--format", "json"))
    assert set(final["missing_required"]) == {"16", "17", "v22", "v23", "v25"}  # v24 came from the finding
    assert final["deadline"]["due"] is None
    run(
        "update",
        case,
        "--field",
        "fix_available_at=2026-10-07T10:00:00Z",
        "--field",
        "measures_taken=Fixed in 2.1.1",
        "--field",
        "user_measures=Install 2.1.1",
        "--field",
        "security_update=2.1.1 adds the check",
        "--field",
        "impact=Admin takeover",
    )
    final = as_json(run("draft", case, "--stage", "final", "--format", "json"))
    assert final["complete"] and final["deadline"]["due"] == "2026-10-21T10:00:00Z"
    markdown = run("draft", case, "--stage", "final")
    assert "CCB" in markdown and "Final report" in markdown

    status = as_json(run("status", "--now", "2026-10-10T00:00:00Z", "--format", "json"))
    assert status["overdue"] == 0 and status["cases"][0]["next_stage"] == "final"
    run("status", "--now", "2026-10-22T00:00:00Z", code=1)

    run("submitted", case, "--stage", "final", "--at", "2026-10-15T12:00:00Z")
    notice = run("notice", case, "--lang", "de")
    assert "Sicherheitshinweis" in notice and "Install 2.1.1" in notice
    run("close", case, "--reason", "done")
    run("update", case, "--field", "summary=x", code=2)

    history = as_json(run("history", case, "--format", "json"))
    actions = [e["action"] for e in history["entries"]]
    assert history["intact"]
    assert actions[0] == "opened" and actions[-1] == "closed"
    assert actions.count("submitted") == 3 and "drafted" in actions and "notice-drafted" in actions
    assert {e["actor"] for e in history["entries"]} >= {"alice", "bob"}
    import hashlib

    filed = next(e for e in history["entries"] if e["action"] == "submitted")
    assert filed["detail"]["evidence"] == [
        {
            "file": "srp-confirmation.pdf",
            "bytes": 21,
            "sha256": hashlib.sha256(b"%PDF-1.7 confirmation").hexdigest(),
        }
    ]
    listed = as_json(run("list", "--status", "closed", "--format", "json"))
    assert [c["id"] for c in listed["cases"]] == [int(case)]


def test_incident_clock_follows_recorded_notification(run):
    case = str(
        as_json(
            run(
                "open",
                "--kind",
                "incident",
                "--aware-at",
                "2026-10-28T09:00:00Z",
                "--field",
                "main_establishment_ms=FR",
                "--format",
                "json",
            )
        )["id"]
    )
    run("submitted", case, "--stage", "notification", "--at", "2026-10-31T09:00:00Z")
    shown = as_json(run("show", case, "--format", "json"))
    assert shown["clock"]["final_report_due"] == "2026-11-30T09:00:00Z"
    draft = as_json(run("draft", case, "--stage", "final", "--format", "json"))
    assert draft["routing"]["csirt"] == "CERT-FR (ANSSI)"


def test_errors_are_one_line_with_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    for argv in (
        ["report", "open", "--kind", "incident", "--aware-at", "2026-10-02T08:00"],
        ["report", "show", "42"],
        ["report", "open", "--kind", "incident", "--aware-at", "2026-10-02T08:00Z", "--field", "title"],
        [
            "report",
            "open",
            "--kind",
            "incident",
            "--aware-at",
            "2026-10-02T08:00Z",
            "--product",
            "missing.yaml",
        ],
    ):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2, argv


def test_workspace_option_and_default_location(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    runner = CliRunner()
    args = ["report", "open", "--kind", "incident", "--aware-at", "2026-10-02T08:00:00Z"]
    assert runner.invoke(cli, args).exit_code == 0
    assert (tmp_path / ".crakit" / "crakit.db").is_file()
    assert runner.invoke(cli, [*args, "--workspace", str(tmp_path / "ws")]).exit_code == 0
    assert (tmp_path / "ws" / "crakit.db").is_file()


def test_status_exit_code_in_a_subprocess(tmp_path):
    env_args = {"cwd": tmp_path, "capture_output": True, "text": True, "timeout": 60}
    base = [sys.executable, "-m", "crakit.cli.main", "report"]
    import os

    env = {k: v for k, v in os.environ.items() if k != "CRAKIT_DATABASE_URL"}
    opened = subprocess.run(
        [*base, "open", "--kind", "incident", "--aware-at", "2026-10-02T08:00:00Z"], env=env, **env_args
    )
    assert opened.returncode == 0, opened.stderr
    ok = subprocess.run([*base, "status", "--now", "2026-10-02T09:00:00Z"], env=env, **env_args)
    late = subprocess.run([*base, "status", "--now", "2026-10-03T09:00:00Z"], env=env, **env_args)
    assert (ok.returncode, late.returncode) == (0, 1)
    assert "overdue" in late.stderr and "Traceback" not in late.stderr


def test_help_texts_cite_the_articles():
    runner = CliRunner()
    assert "14(2)" in runner.invoke(cli, ["report", "--help"]).output
    for command in ("open", "clock", "draft", "notice", "candidates", "status", "submitted"):
        result = runner.invoke(cli, ["report", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_fields_command_lists_the_glossary():
    data = json.loads(CliRunner().invoke(cli, ["report", "fields", "--format", "json"]).stdout)
    assert data["spec"]["version"] == "1.3" and len(data["fields"]) == 39


def test_open_with_sbom_component_and_awareness_correction(run, tmp_path):
    sbom = tmp_path / "bom.json"
    sbom.write_text(
        json.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.5",
                "version": 1,
                "components": [
                    {
                        "type": "library",
                        "bom-ref": "z",
                        "name": "zlib",
                        "version": "1.2.11",
                        "purl": "pkg:generic/zlib@1.2.11",
                    }
                ],
            }
        )
    )
    opened = as_json(
        run(
            "open",
            "--kind",
            "incident",
            "--aware-at",
            "2026-10-02T08:00:00Z",
            "--sbom",
            str(sbom),
            "--component",
            "pkg:generic/zlib@1.2.11",
            "--format",
            "json",
        )
    )
    assert opened["fields"]["component"] == "zlib 1.2.11"
    assert opened["evidence"]["component"]["purl"] == "pkg:generic/zlib@1.2.11"
    case = str(opened["id"])
    corrected = as_json(
        run("update", case, "--field", "aware_at=2026-10-02T07:00:00+02:00", "--format", "json")
    )
    assert corrected["aware_at"] == "2026-10-02T05:00:00Z"
    run(
        "open",
        "--kind",
        "incident",
        "--aware-at",
        "2026-10-02T08:00:00Z",
        "--sbom",
        str(sbom),
        "--component",
        "openssl",
        code=2,
    )


def test_a_case_about_a_cve_reached_through_related_names_that_cve(run, tmp_path):
    """PYSEC-2023-183 (libwebp bundled in opencv wheels) names CVE-2023-4863 only in `related`;
    KEV lists that CVE. A user opens the case by the CVE they read about, and the ENISA form's
    CVE field carries it (Art 14(2); the record's own id is not a CVE)."""
    examples = EXAMPLE.parent
    db = tmp_path / "vulns.db"
    built = CliRunner().invoke(
        cli,
        ["db", "build", "--osv", str(examples / "osv"), "--kev", str(examples / "kev.json"), "--db", str(db)],
    )
    assert built.exit_code == 0, built.output
    findings = tmp_path / "findings.json"
    scanned = CliRunner().invoke(
        cli,
        [
            "scan",
            str(examples / "homegate-sbom.cdx.json"),
            "--db",
            str(db),
            "--format",
            "json",
            "-o",
            str(findings),
        ],
    )
    assert scanned.exit_code == 0, scanned.output
    for wanted in ("CVE-2023-4863", "PYSEC-2023-183"):
        case = as_json(
            run(
                "open",
                "--kind",
                "vulnerability",
                "--product",
                str(EXAMPLE),
                "--aware-at",
                "2026-12-02T10:00:00Z",
                "--findings",
                str(findings),
                "--finding",
                wanted,
                "--why",
                "listed in CISA KEV",
                "--format",
                "json",
            )
        )
        assert case["fields"]["cve_id"] == "CVE-2023-4863", case["fields"]
        assert case["evidence"]["finding"]["id"] == "PYSEC-2023-183"


def test_database_url_option_reaches_the_same_workspace(tmp_path, database_url, monkeypatch):
    """`--database-url` opens a workspace by URL (the workbench's database), as CRAKIT_DATABASE_URL does."""
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    opened = runner.invoke(
        cli,
        [
            "report", "open", "--kind", "vulnerability", "--product", str(EXAMPLE),
            "--aware-at", "2026-12-02T10:00:00Z", "--why", "listed in CISA KEV",
            "--database-url", database_url, "--format", "json",
        ],
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    case_id = json.loads(opened.stdout)["id"]
    shown = runner.invoke(
        cli, ["report", "show", str(case_id), "--database-url", database_url, "--format", "json"]
    )
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == case_id
    assert not (tmp_path / ".crakit").exists()  # nothing went to the default folder
