"""The CLI shell: start-up cost, help that teaches, exit codes, README and CI agree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from crakit.cli.main import COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]
HEAVY = (
    "sqlalchemy",
    "lxml",
    "rich",
    "yaml",
    "orjson",
    "jsonschema_rs",
    "univers",
    "cvss",
    "pydantic",
    "jinja2",
    "fastapi",
    "starlette",
    "uvicorn",
    "httpx",
    "cryptography",
    "argon2",
)


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from crakit.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_help_lists_every_command_with_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
    assert "Exit codes" in result.output


def test_every_command_has_help() -> None:
    for name in COMMANDS:
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert len(result.output) > 80


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crakit.cli.main", *args], capture_output=True, text=True)


def test_classify_json_on_example() -> None:
    out = _run("classify", str(REPO / "examples" / "homegate-router.yaml"), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["category"] == "important-class-i"
    assert data["annex_entries"] == ["III.I.12"]


def test_classify_text_and_markdown() -> None:
    path = str(REPO / "examples" / "secure-vpn-gateway.yaml")
    text = _run("classify", path)
    assert text.returncode == 0
    assert "Art 32(2)" in text.stdout
    assert "Warnings" in text.stdout and "EN 18031-1:2024" in text.stdout
    markdown = _run("classify", path, "--format", "markdown")
    assert markdown.stdout.startswith("# CRA classification: Bastion VPN Gateway 500")
    # The core functionality is the VPN; the integrated firewall does not make it Class II (Art 7(1)).
    assert "| Category | important product, Class I (Annex III) |" in markdown.stdout
    assert "## Warnings" in markdown.stdout


def test_bad_manifest_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("crakit: 1\nproduct:\n  name: X\n  version: '1'\n  colour: red\n")
    out = _run("classify", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0
    assert "product.colour: unknown key" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_option_is_usage_error() -> None:
    out = _run("classify", "--nope")
    assert out.returncode == 2


def test_init_writes_a_valid_template(tmp_path: Path) -> None:
    target = tmp_path / "product.yaml"
    assert _run("init", str(target)).returncode == 0
    assert _run("manifest", "check", str(target)).returncode == 0
    again = _run("init", str(target))
    assert again.returncode == 2 and "--force" in again.stderr


def test_manifest_schema_is_json() -> None:
    out = _run("manifest", "schema")
    schema = json.loads(out.stdout)
    assert schema["properties"]["product"]["required"] == ["name", "version"]


def _readme_test_command() -> str:
    readme = (REPO / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert len(blocks) >= 2, "README must give the install+run and the test command first"
    return blocks[1].strip()


def test_ci_runs_the_readme_test_command() -> None:
    command = _readme_test_command()
    assert "pytest" in command
    ci = (REPO / ".ci" / "run").read_text()
    assert command in ci.splitlines()


def test_readme_main_command_uses_bundled_files() -> None:
    readme = (REPO / "README.md").read_text()
    first = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[0]
    for path in re.findall(r"examples/\S+", first):
        assert (REPO / path).exists(), path


def test_readme_main_command_runs(tmp_path: Path) -> None:
    """The crakit steps of the README's first command work on the bundled files, in a fresh directory."""
    import shutil

    readme = (REPO / "README.md").read_text()
    first = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[0]
    steps = [step.strip() for step in first.split("&&") if step.strip().startswith("crakit ")]
    assert any(step.startswith("crakit scan") for step in steps)
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    for step in steps:
        args = step.split()[1:]
        out = subprocess.run(
            [sys.executable, "-m", "crakit.cli.main", *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert out.returncode == 0, (step, out.stderr)
    assert "CVE-2021-44228" in out.stdout  # the scan found Log4Shell in the example firmware
