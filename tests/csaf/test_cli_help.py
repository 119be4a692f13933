"""``crakit csaf --help`` lists the commands, and each command documents itself."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli

COMMANDS = ("validate", "new", "bump", "render", "publish")


def test_group_help_lists_commands() -> None:
    result = CliRunner().invoke(cli, ["csaf", "--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(name: str) -> None:
    result = CliRunner().invoke(cli, ["csaf", name, "--help"])
    assert result.exit_code == 0
    assert f"csaf {name} [OPTIONS]" in result.output
