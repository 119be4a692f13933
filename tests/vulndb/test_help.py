"""The --help texts state the gate, the exit codes and the database rules users rely on."""

from __future__ import annotations

from click.testing import CliRunner

from crakit.cli.main import cli


def test_scan_help_names_the_gate_and_exit_codes() -> None:
    out = CliRunner().invoke(cli, ["scan", "--help"]).output
    assert "Annex I Part I(2)(a)" in out and "--fail-on" in out and "no/corrupt database" in out
    for fmt in ("table", "json", "sarif", "cyclonedx-vdr", "openvex"):
        assert fmt in out


def test_db_help_lists_its_commands() -> None:
    out = CliRunner().invoke(cli, ["db", "--help"]).output
    assert all(word in out for word in ("build", "update", "info"))
