"""``crakit db`` and ``crakit scan`` end to end (in-process, through the real exit-code runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crakit.cli.main import main
from tests.vulndb.helpers import write_cdx


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([*args])
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_db_build_and_info(
    tmp_path: Path, records_dir: Path, kev_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new.sqlite"
    code, out, err = run(
        ["db", "build", "--osv", str(records_dir), "--kev", str(kev_file), "--db", str(db)], capsys
    )
    assert code == 0 and db.exists()
    assert "9 added" in err and "1 withdrawn" in err
    code, out, _ = run(["db", "info", "--db", str(db), "--format", "json"], capsys)
    info = json.loads(out)
    assert code == 0 and info["records"] == 9 and info["ecosystems"]["PyPI"] == 4
    assert info["kev_catalog_version"] == "2025.01.01"
    code, out, _ = run(["db", "info", "--db", str(db)], capsys)
    assert "CISA KEV" in out and "PyPI" in out


@pytest.mark.parametrize("folder", ["a#b", "q?mode=rw", "50%41", "sp ace"])
def test_a_database_in_any_folder_opens_again(
    folder: str, tmp_path: Path, records_dir: Path, kev_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # SQLite reads a database path as a URI: '#', '?' and '%' in a folder name must reach the file
    # system as written, or crakit builds a database it then cannot open (or opens another file).
    db = tmp_path / folder / "vulns.db"
    build = ["db", "build", "--osv", str(records_dir), "--kev", str(kev_file), "--db", str(db)]
    assert run(build, capsys)[0] == 0
    code, out, err = run(["db", "info", "--db", str(db), "--format", "json"], capsys)
    assert code == 0 and json.loads(out)["records"] == 9, err
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@2.1"])
    code, out, err = run(["scan", str(bom), "--db", str(db), "--format", "json", "--jobs", "2"], capsys)
    assert code == 0 and [f["id"] for f in json.loads(out)["findings"]] == ["PYSEC-2099-2"], err
    code, _, err = run(build, capsys)  # a second build copies the database and compares the two
    assert code == 0 and "9 unchanged" in err, err
    assert sorted(p.name for p in db.parent.iterdir()) == ["vulns.db"]


def test_db_build_needs_a_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["db", "build", "--db", str(tmp_path / "x.sqlite")], capsys)
    assert code == 2 and "nothing to import" in err


def test_scan_json_and_gates(tmp_path: Path, small_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bom = write_cdx(
        tmp_path / "bom.json", ["pkg:pypi/demo-pkg@2.1", "pkg:pypi/Demo_Pkg@1.2", "pkg:pypi/demo-pkg@9"]
    )
    base = ["scan", str(bom), "--db", str(small_db)]
    code, out, err = run([*base, "--format", "json"], capsys)
    assert code == 0  # --fail-on defaults to none: report only
    doc = json.loads(out)
    got = {(f["purl"], f["id"], f["exploited"]) for f in doc["findings"]}
    assert got == {
        ("pkg:pypi/demo-pkg@2.1", "PYSEC-2099-2", True),
        ("pkg:pypi/Demo_Pkg@1.2", "PYSEC-2099-1", False),
    }
    assert doc["summary"]["exploited"] == 1 and doc["summary"]["components"] == 3
    assert "days old" in err  # the test data is from 2024: the staleness warning fires

    code, _, err = run([*base, "--fail-on", "exploited"], capsys)
    assert code == 1 and "Annex I Part I(2)(a)" in err and "PYSEC-2099-2" in err
    code, _, _ = run([*base, "--fail-on", "critical"], capsys)
    assert code == 1
    code, _, _ = run([*base, "--fail-on", "none"], capsys)
    assert code == 0


@pytest.mark.parametrize("to_file", [False, True])
def test_the_executable_ends_a_scan_with_its_exit_code_and_the_whole_report(
    tmp_path: Path, small_db: Path, to_file: bool
) -> None:
    """The ``crakit`` executable leaves without freeing the scan's objects one by one: the
    report must still be whole, stderr said, and the exit code the gate's."""
    import subprocess
    import sys

    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@2.1", "pkg:pypi/Demo_Pkg@1.2"])
    report = tmp_path / "report.json"
    args = ["scan", str(bom), "--db", str(small_db), "--format", "json", "--fail-on", "exploited"]
    if to_file:
        args += ["-o", str(report)]
    done = subprocess.run(
        [sys.executable, "-c", "from crakit.cli.main import command; command()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Annex I Part I(2)(a)" in done.stderr and "PYSEC-2099-2" in done.stderr
    doc = json.loads(report.read_text() if to_file else done.stdout)
    assert doc["summary"]["findings"] == len(doc["findings"]) == 2
    clean = subprocess.run(
        [
            sys.executable,
            "-c",
            "from crakit.cli.main import command; command()",
            "scan",
            str(bom),
            "--db",
            str(small_db),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert clean.returncode == 0 and json.loads(clean.stdout)["summary"]["exploited"] == 1


def test_scan_gate_passes_on_clean_sbom(
    tmp_path: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@9"])
    code, out, _ = run(
        ["scan", str(bom), "--db", str(small_db), "--fail-on", "any", "--format", "json"], capsys
    )
    assert code == 0 and json.loads(out)["findings"] == []


def test_scan_without_database_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@1.2"])
    monkeypatch.setenv("CRAKIT_DB", str(tmp_path / "absent.sqlite"))
    code, out, err = run(["scan", str(bom), "--format", "json"], capsys)
    assert code == 2 and out == "" and "no vulnerability database" in err


def test_scan_corrupt_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all" * 50)
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@1.2"])
    code, _, err = run(["scan", str(bom), "--db", str(bad)], capsys)
    assert code == 2 and "not a crakit vulnerability database" in err and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["table", "sarif", "cyclonedx-vdr", "openvex"])
def test_output_formats(tmp_path: Path, small_db: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@2.1"])
    code, out, _ = run(["scan", str(bom), "--db", str(small_db), "--format", fmt], capsys)
    assert code == 0
    if fmt == "table":
        assert "PYSEC-2099-2" in out and "KEV 2099-03-01" in out
        return
    doc = json.loads(out)
    if fmt == "sarif":
        assert doc["version"] == "2.1.0"
        (result,) = doc["runs"][0]["results"]
        assert result["ruleId"] == "PYSEC-2099-2" and result["level"] == "error"
    elif fmt == "cyclonedx-vdr":
        (vuln,) = doc["vulnerabilities"]
        assert doc["bomFormat"] == "CycloneDX" and vuln["id"] == "PYSEC-2099-2"
        assert vuln["affects"][0]["ref"] == doc["components"][0]["bom-ref"]
    else:
        (st,) = doc["statements"]
        assert doc["@context"].startswith("https://openvex.dev/ns")
        assert st["vulnerability"]["name"] == "PYSEC-2099-2" and st["status"] == "under_investigation"
        assert st["products"] == [{"@id": "pkg:pypi/demo-pkg@2.1"}]


def test_vdr_and_openvex_validate_against_their_schemas(
    tmp_path: Path, small_db: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema_rs

    bom = write_cdx(tmp_path / "bom.json", ["pkg:pypi/demo-pkg@2.1", "pkg:golang/example.com/mod@v1.0.0"])
    schema_dir = shared_data / "cyclonedx-spec" / "schema"
    code, out, _ = run(["scan", str(bom), "--db", str(small_db), "--format", "cyclonedx-vdr"], capsys)
    assert code == 0
    schema = json.loads((schema_dir / "bom-1.6.schema.json").read_text(encoding="utf-8"))
    base_uri = "http://cyclonedx.org/schema/"
    pairs = [
        (base_uri + name, json.loads((schema_dir / name).read_text(encoding="utf-8")))
        for name in ("spdx.schema.json", "jsf-0.82.schema.json")
    ]
    validator = jsonschema_rs.validator_for(schema, registry=jsonschema_rs.Registry(pairs))
    errors = [e.message for e in validator.iter_errors(json.loads(out))]
    assert errors == []
    openvex_schema = json.loads(
        (shared_data / "openvex-spec" / "openvex_json_schema.json").read_text(encoding="utf-8")
    )
    _, out, _ = run(["scan", str(bom), "--db", str(small_db), "--format", "openvex"], capsys)
    assert [e.message for e in jsonschema_rs.validator_for(openvex_schema).iter_errors(json.loads(out))] == []


def test_sbom_without_purls_warns_that_nothing_was_checked(
    tmp_path: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = write_cdx(tmp_path / "bom.json", [None, None])
    code, _, err = run(["scan", str(bom), "--db", str(small_db), "--max-db-age", "0"], capsys)
    assert code == 0 and "nothing was checked" in err
