"""Behaviour fixed after an independent review of the Article 14 workflow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.errors import CrakitError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "homegate-router.yaml"


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> CliRunner:
        result = runner.invoke(cli, ["report", *args])
        exit_code = (
            result.exception.exit_code if isinstance(result.exception, CrakitError) else result.exit_code
        )
        if result.exception and not isinstance(result.exception, (CrakitError, SystemExit)):
            raise result.exception
        assert exit_code == code, (args, result.output, result.exception)
        return result

    return invoke


def test_absurd_years_are_input_errors_not_crashes(run) -> None:
    run("clock", "--kind", "vulnerability", "--aware-at", "9999-12-31T00:00:00Z", code=2)
    run(
        "clock",
        "--kind",
        "incident",
        "--aware-at",
        "2027-01-01T00:00:00Z",
        "--notified-at",
        "9999-12-31T00:00:00Z",
        code=2,
    )


def test_awareness_in_the_future_is_refused(run) -> None:
    run(
        "open",
        "--kind",
        "vulnerability",
        "--product",
        str(EXAMPLE),
        "--aware-at",
        "2999-01-01T00:00:00Z",
        code=2,
    )


def test_actor_must_fit_the_history(run) -> None:
    aware = "2026-10-01T08:00:00Z"
    run(
        "open",
        "--kind",
        "incident",
        "--product",
        str(EXAMPLE),
        "--aware-at",
        aware,
        "--actor",
        "x" * 201,
        code=2,
    )


def test_refiling_a_stage_warns(run) -> None:
    run("open", "--kind", "incident", "--product", str(EXAMPLE), "--aware-at", "2026-10-01T08:00:00Z")
    run("submitted", "1", "--stage", "notification", "--at", "2026-10-02T08:00:00Z")
    again = run("submitted", "1", "--stage", "notification", "--at", "2026-10-03T08:00:00Z")
    assert "already recorded as filed" in again.stderr


def test_draft_without_a_csirt_is_not_complete(run, tmp_path: Path) -> None:
    manifest = tmp_path / "abroad.yaml"
    manifest.write_text(EXAMPLE.read_text().replace("country: BE", "country: null"))
    run("open", "--kind", "vulnerability", "--product", str(manifest), "--aware-at", "2026-10-01T08:00:00Z")
    draft = json.loads(run("draft", "1", "--stage", "early-warning", "--format", "json").stdout)
    assert draft["routing"]["csirt"] is None
    assert draft["complete"] is False
    run("draft", "1", "--stage", "early-warning", "--check", code=1)


def test_swiss_manufacturer_routes_by_the_fallback(run, tmp_path: Path) -> None:
    manifest = tmp_path / "swiss.yaml"
    manifest.write_text(EXAMPLE.read_text().replace("country: BE", "country: CH"))
    run("open", "--kind", "vulnerability", "--product", str(manifest), "--aware-at", "2026-10-01T08:00:00Z")
    run("update", "1", "--field", "importer_ms=NL")
    draft = json.loads(run("draft", "1", "--stage", "early-warning", "--format", "json").stdout)
    assert draft["routing"]["member_state"] == "NL"
    assert "outside the Union (CH)" in draft["routing"]["reason"]
