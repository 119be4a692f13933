"""`crakit sbom` commands in-process: contracts of info, components, validate and check."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli, main
from tests.sbom.test_reader import CDX, SPDX


@pytest.fixture
def cdx_file(tmp_path: Path) -> Path:
    path = tmp_path / "product.sbom"  # the name says nothing about the format
    path.write_text(json.dumps(CDX))
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_info_json_contract(cdx_file: Path) -> None:
    code, out = _run("sbom", "info", str(cdx_file), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"format", "spec_version", "components", "tools", "created", "product"} <= set(data)
    assert data["format"] == "cyclonedx" and data["spec_version"] == "1.6"
    assert data["components"] == 3 and data["product"]["name"] == "app"
    assert data["created"] == CDX["metadata"]["timestamp"]  # type: ignore[index]


def test_components_json_and_csv(cdx_file: Path) -> None:
    code, out = _run("sbom", "components", str(cdx_file), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [r["name"] for r in rows] == ["a", "inner", "b"]
    assert rows[0]["purl"] == "pkg:pypi/a@1" and rows[0]["top_level"] is True
    assert rows[0]["properties"] == CDX["components"][0]["properties"]  # type: ignore[index]
    code, out = _run("sbom", "components", str(cdx_file), "--format", "csv")
    assert code == 0
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in parsed] == ["a", "inner", "b"]
    assert parsed[0]["properties"].split(" | ")[0] == "bsi:component:filename=a-1.tar.gz"


def test_validate_valid_spdx(tmp_path: Path) -> None:
    doc = dict(SPDX, dataLicense="CC0-1.0", documentNamespace="https://example.com/x")
    doc["packages"] = [dict(p, downloadLocation="NOASSERTION") for p in SPDX["packages"]]  # type: ignore[attr-defined]
    doc.pop("files")
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc))
    code, out = _run("sbom", "validate", str(path), "--format", "json")
    assert code == 0, out
    assert json.loads(out)["valid"] is True


def _exit_code(*args: str) -> int:
    with pytest.raises(SystemExit) as info:
        main(list(args))
        raise SystemExit(0)  # main returned normally
    return int(info.value.code or 0)


def test_check_json(cdx_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code("sbom", "check", str(cdx_file), "--format", "json") == 1  # "inner" and "b" lack fields
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert "required SBOM fields missing" in captured.err
    assert data["passed"] is False and data["components"] == 3
    assert {c["name"] for c in data["failing_components"]} == {"inner", "b"}


def test_exit_codes(cdx_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _exit_code("sbom", "info", str(cdx_file)) == 0
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps(dict(CDX, components=[{"name": "x", "type": "no-such-type"}])))
    assert _exit_code("sbom", "validate", str(invalid)) == 1
    assert "/components/0/type" in capsys.readouterr().out
    not_sbom = tmp_path / "package.json"
    not_sbom.write_text('{"name": "left-pad", "version": "1.3.0"}')
    assert _exit_code("sbom", "info", str(not_sbom)) == 2
    assert _exit_code("sbom", "info", str(tmp_path / "missing.json")) == 2


def test_merge_two_files(cdx_file: Path, tmp_path: Path) -> None:
    spdx = tmp_path / "app.spdx"
    spdx.write_text(json.dumps(SPDX))
    code, out = _run("sbom", "merge", str(cdx_file), str(spdx), "--to", "spdx-2.3", "--product", "router")
    assert code == 0, out
    doc = json.loads(out)
    packages = sorted((p["name"], p.get("versionInfo")) for p in doc["packages"])
    # the new product, both documents' products (app 2.0 and app 1 differ) and all their components
    assert packages == sorted(
        [
            ("router", None),
            ("app", "2.0"),
            ("a", "1"),
            ("inner", None),
            ("b", None),
            ("app", "1"),
            ("lib", "2"),
        ]
    )


def test_help_mentions_formats() -> None:
    code, out = _run("sbom", "--help")
    assert code == 0
    assert "CycloneDX" in out and "SPDX" in out


def test_schema_invalid_but_readable_sbom_reads_and_fails_validation(tmp_path: Path) -> None:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"timestamp": 17},
        "components": [{"type": "library", "version": "1"}, {"type": "library", "name": "b"}],
        "dependencies": [{"dependsOn": []}],
    }
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(doc))
    code, out = _run("sbom", "info", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["components"] == 2 and json.loads(out)["created"] is None
    code, out = _run("sbom", "components", str(path), "--format", "json")
    assert code == 0 and [c["name"] for c in json.loads(out)] == ["", "b"]
    with pytest.raises(SystemExit) as info:
        main(["sbom", "validate", str(path)])
    assert info.value.code == 1
