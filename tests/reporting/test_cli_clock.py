"""``crakit report clock`` end to end: the JSON contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli


def run_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["report", "clock", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_clock_json_contract_vulnerability():
    data = run_json(
        "--kind",
        "vulnerability",
        "--aware-at",
        "2026-10-02T10:15:00+02:00",
        "--fix-available-at",
        "2026-10-07T10:00:00Z",
    )
    assert data["early_warning_due"] == "2026-10-03T08:15:00Z"
    assert data["notification_due"] == "2026-10-05T08:15:00Z"
    assert data["final_report_due"] == "2026-10-21T10:00:00Z"
    assert data["regulation_1182_71"]["final_report_latest"] == "2026-10-22T00:00:00Z"


def test_clock_json_null_when_anchor_unknown():
    data = run_json("--kind", "incident", "--aware-at", "2026-10-02T08:15:00Z")
    assert data["final_report_due"] is None
    assert data["regulation_1182_71"]["final_report_latest"] is None


def test_clock_incident_month_end():
    data = run_json(
        "--kind", "incident", "--aware-at", "2028-01-28T09:00:00Z", "--notified-at", "2028-01-31T09:00:00Z"
    )
    assert data["final_report_due"] == "2028-02-29T09:00:00Z"


def test_clock_table_output_mentions_articles():
    result = CliRunner().invoke(
        cli, ["report", "clock", "--kind", "incident", "--aware-at", "2026-10-02T08:15:00Z"]
    )
    assert result.exit_code == 0
    assert "14(4)" in result.stdout


@pytest.mark.parametrize("aware", ["2026-10-02T08:15:00", "not a time"])
def test_time_without_zone_exits_2_with_hint(aware):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "crakit.cli.main",
            "report",
            "clock",
            "--kind",
            "incident",
            "--aware-at",
            aware,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "+02:00" in proc.stderr
