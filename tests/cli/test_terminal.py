"""Terminal output and the small things issue 11 found wrong, as a user sees them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crakit.cli.render import middle_ellipsis

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _crakit(
    *args: str, cwd: Path | None = None, columns: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    if columns:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "vulns.db"
    result = _crakit(
        "db", "build", "--osv", str(EXAMPLES / "osv"), "--kev", str(EXAMPLES / "kev.json"), "--db", str(path)
    )
    assert result.returncode == 0, result.stderr
    return path


def test_middle_ellipsis_keeps_both_ends() -> None:
    purl = "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    cut = middle_ellipsis(purl, 30)
    assert len(cut) == 30 and cut.startswith("pkg:maven/") and cut.endswith("@2.14.1") and "…" in cut
    assert middle_ellipsis("short", 30) == "short"


def test_scan_table_is_written_to_the_output_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = _crakit(
        "scan", str(EXAMPLES / "homegate-sbom.cdx.json"), "--db", str(db), "-o", str(out), "--max-db-age", "0"
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "GHSA-jfh8-c2jp-5v3q" in text and "CVE-2023-44487 (related)" in text
    assert "3 known exploited" in text
    assert "not checked" in text  # busybox: pkg:generic has no OSV ecosystem
    assert result.stdout == ""


def test_scan_table_keeps_ids_whole_at_80_columns(db: Path) -> None:
    code = (
        "import sys\nfrom rich.console import Console\nimport crakit.cli.output as o\n"
        "o.console = lambda stderr=False: Console(width=80, force_terminal=True, no_color=True, highlight=False)\n"
        "from crakit.cli.main import main\n"
        f"main(['scan', {str(EXAMPLES / 'homegate-sbom.cdx.json')!r}, '--db', {str(db)!r}, '--max-db-age', '0'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    lines = plain.splitlines()
    assert lines and max(len(line.rstrip()) for line in lines) <= 80, plain
    for token in (
        "GHSA-jfh8-c2jp-5v3q",
        "CVE-2021-44228",
        "KEV 2021-12-10",
        "CVE-2023-44487 (related)",
        "4.8.1.78",
    ):
        assert token in plain, (token, plain)


def test_fail_on_high_counts_unknown_severities_and_says_so(db: Path) -> None:
    # The example's Go and PyPI records carry no severity: a gate cannot place them.
    sbom = str(EXAMPLES / "homegate-sbom.cdx.json")
    failing = _crakit(
        "scan", sbom, "--db", str(db), "--fail-on", "high", "--format", "json", "--max-db-age", "0"
    )
    gate = json.loads(failing.stdout)["gate"]
    assert failing.returncode == 1 and gate["unknown_severity"] >= 1 and gate["unknown_severity_counted"]
    assert "no severity" in failing.stderr
    lenient = _crakit(
        "scan",
        sbom,
        "--db",
        str(db),
        "--fail-on",
        "critical",
        "--unknown-severity",
        "pass",
        "--format",
        "json",
        "--max-db-age",
        "0",
    )
    assert json.loads(lenient.stdout)["gate"]["unknown_severity_counted"] is False


def test_skipped_components_are_named_in_every_format(db: Path) -> None:
    sbom = str(EXAMPLES / "homegate-sbom.cdx.json")
    doc = json.loads(_crakit("scan", sbom, "--db", str(db), "--format", "json", "--max-db-age", "0").stdout)
    assert [s["name"] for s in doc["skipped_components"]] == ["busybox"]
    sarif = json.loads(
        _crakit("scan", sbom, "--db", str(db), "--format", "sarif", "--max-db-age", "0").stdout
    )
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("busybox" in n["message"]["text"] for n in notes)
    vdr = json.loads(
        _crakit("scan", sbom, "--db", str(db), "--format", "cyclonedx-vdr", "--max-db-age", "0").stdout
    )
    assert any("busybox" in p["value"] for p in vdr["metadata"]["properties"])
    vex = json.loads(
        _crakit("scan", sbom, "--db", str(db), "--format", "openvex", "--max-db-age", "0").stdout
    )
    assert "busybox" in vex["tooling"]


def test_time_zone_advice_only_for_time_zone_errors(tmp_path: Path) -> None:
    no_zone = _crakit("report", "clock", "--kind", "vulnerability", "--aware-at", "2026-12-01T09:30:00")
    assert no_zone.returncode == 2 and "add a time zone" in no_zone.stderr
    far = _crakit("report", "clock", "--kind", "vulnerability", "--aware-at", "9999-12-01T09:30:00Z")
    assert far.returncode == 2 and "time zone" not in far.stderr


def test_merge_is_stamped_with_the_merge_time(tmp_path: Path) -> None:
    result = _crakit(
        "sbom", "merge", str(EXAMPLES / "homegate-sbom.cdx.json"), str(EXAMPLES / "homegate-sbom.cdx.json")
    )
    merged = json.loads(result.stdout)
    original = json.loads((EXAMPLES / "homegate-sbom.cdx.json").read_text())
    assert merged["metadata"]["timestamp"] != original["metadata"].get("timestamp")
    assert merged["metadata"]["timestamp"] >= "2026-"


def test_publish_warns_when_the_base_url_is_not_where_the_directory_is_served(tmp_path: Path) -> None:
    from crakit.csaf.publish import _base_url_warnings

    served = tmp_path / "public" / ".well-known" / "csaf"
    served.mkdir(parents=True)
    assert list(_base_url_warnings(served, "https://example.com"))
    assert not list(_base_url_warnings(served, "https://example.com/.well-known/csaf"))


def test_classify_says_at_the_top_when_the_description_reads_like_an_annex_entry(tmp_path: Path) -> None:
    manifest = tmp_path / "p.yaml"
    text = (EXAMPLES / "homegate-router.yaml").read_text()
    manifest.write_text(text.replace("functions: [III.I.12]", "functions: []"))
    result = _crakit("classify", str(manifest))
    category = next(line for line in result.stdout.splitlines() if line.startswith("Category"))
    assert "reads like III.I.12" in category or "reads like" in result.stdout.split("Reasons")[0]


def test_osv_summaries_are_cut_at_a_word() -> None:
    from crakit.vulndb.importers.osv import _first_line

    cut = _first_line("word " * 100)
    assert len(cut) <= 200 and cut.endswith("…") and cut[:-1].endswith("word")
