"""``crakit csaf validate``: JSON contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from crakit.cli.main import cli


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def test_valid_document_json_contract(tmp_path: Path, minimal: dict[str, Any]) -> None:
    path = _write(tmp_path, "ok.json", minimal)
    result = CliRunner().invoke(cli, ["csaf", "validate", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["valid"] is True
    assert set(out) >= {"valid", "failed_tests", "messages"}
    for message in out["messages"]:
        assert set(message) == {"test", "severity", "path", "text"}
        assert message["severity"] in ("warning", "info")


def test_invalid_document_exits_1(tmp_path: Path, minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["product_status"]["fixed"] = ["NOPE"]
    path = _write(tmp_path, "bad.json", minimal)
    proc = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "csaf", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["valid"] is False
    assert "6.1.1" in out["failed_tests"]
    assert any(m["test"] == "6.1.1" and m["severity"] == "error" for m in out["messages"])


def test_several_files_give_a_list(tmp_path: Path, minimal: dict[str, Any]) -> None:
    a = _write(tmp_path, "a.json", minimal)
    b = _write(tmp_path, "b.json", minimal)
    result = CliRunner().invoke(cli, ["csaf", "validate", "--format", "json", str(a), str(b)])
    assert [row["file"] for row in json.loads(result.stdout)] == [str(a), str(b)]


def test_not_json_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(b"{\x00not json")
    proc = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "csaf", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
