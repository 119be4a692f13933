"""Real NVD-format configurations, CVE List V5 records and firmware SBOMs (../shared/data/nvd-dev).

The expected findings were checked by hand against the records (and against an independent
re-implementation of the range rules for OpenSSL); the scan must find exactly them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.vulndb.test_cli import run


@pytest.fixture(scope="module")
def nvd_dev(shared_data: Path) -> Path:
    folder = shared_data / "nvd-dev"
    if not folder.is_dir():
        pytest.skip(f"nvd-dev corpus not present at {folder}")
    return folder


@pytest.fixture(scope="module")
def dev_db(nvd_dev: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from crakit.vulndb import build_database

    db = tmp_path_factory.mktemp("nvd-dev") / "vulns.db"
    kev_row = (
        nvd_dev / "euvd" / "vuls-data-update__pkg__fetch__enisa__kev__testdata__fixtures__happy__eukev.json"
    )
    report = build_database(
        db,
        [],
        nvd=[nvd_dev / "nvd" / "anchore-overrides", nvd_dev / "nvd" / "format-samples"],
        cvelist=[nvd_dev / "cvelist"],
        euvd=kev_row,
    )
    assert report.nvd is not None and report.nvd.invalid == 0
    assert report.cvelist is not None and report.cvelist.read == 245 and report.cvelist.invalid == 0
    return db


def scan(sbom: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(
        ["scan", str(sbom), "--db", str(db), "--format", "json", "--max-db-age", "0"], capsys
    )
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def cdx(path: Path, name: str, version: str, cpe: str) -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [{"type": "library", "bom-ref": "c", "name": name, "version": version, "cpe": cpe}],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_esp_idf_firmware_sbom(nvd_dev: Path, dev_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = scan(
        nvd_dev / "firmware-sboms" / "esp-idf-v5.4.1" / "esp-idf-v5.4.1-as-cyclonedx.json", dev_db, capsys
    )
    found = {(f["id"], f["component"]["name"], f["match"]["confidence"]) for f in doc["findings"]}
    assert found == {
        # mbed TLS 3.6.2 (the SBOM's own CPE arm:mbed_tls): NVD-format ranges, fixed in 3.6.3 / 3.6.4
        ("CVE-2025-27809", "mbedtls", "exact"),
        ("CVE-2025-47917", "mbedtls", "exact"),
        ("CVE-2025-48965", "mbedtls", "exact"),
        ("CVE-2025-49087", "mbedtls", "exact"),
        ("CVE-2025-49601", "mbedtls", "exact"),
        ("CVE-2025-52497", "mbedtls", "exact"),
        # FreeRTOS 10.5.1 < 10.6.2: a CVE 5 record under freertos:freertos-kernel, which the alias
        # table names the same project as the SBOM's amazon:freertos
        ("CVE-2024-28115", "freertos", "high"),
    }
    # mbed TLS 3.6.2 is past CVE-2024-28960's ranges; its "all versions" criterion is arm:mbed_crypto,
    # another product: not a finding
    assert "CVE-2024-28960" not in {f["id"] for f in doc["findings"]}
    # every component with a CPE was read and checked; the rest are listed, never silently dropped
    assert doc["summary"]["components_checked_by_cpe"] == 11
    assert {s["name"] for s in doc["skipped_components"]} == {
        "openthread component",
        "Apache Mynewt Nimble",
        "argtable3",
        "FatFs",
        "FreeRTOS-Plus-POSIX",
        "HTTP Parser",
        "spiffs",
        "unity",
        "CMock",
    }
    # the Ubuntu package versions of CVE-2024-5290 cannot be placed: reported, not guessed
    assert any(u["id"] == "CVE-2024-5290" for u in doc["not_evaluated"])


def test_freertos_kernel_spdx_tag_value(
    nvd_dev: Path, dev_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = scan(
        nvd_dev / "firmware-sboms" / "freertos-kernel-V11.2.0" / "freertos-kernel-V11.2.0.spdx",
        dev_db,
        capsys,
    )
    # V11.2.0 is past CVE-2024-28115 (< 10.6.2, written "< 10.6.2" by the CNA); read, checked, clean
    assert doc["findings"] == [] and doc["not_evaluated"] == []
    assert doc["summary"]["components_skipped"] == 0 and doc["summary"]["components_checked_by_cpe"] == 1


def test_yocto_full_uri_cpe23type_is_read(
    nvd_dev: Path, dev_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crakit.sbom import read_sbom

    sbom = read_sbom(nvd_dev / "firmware-sboms" / "yocto-time" / "yocto-recipe-time.spdx.json")
    (time,) = [c for c in sbom.components if c.name == "time"] or [sbom.product]
    assert time is not None and time.cpes == ("cpe:2.3:a:*:time:1.9:*:*:*:*:*:*:*",)
    doc = scan(nvd_dev / "firmware-sboms" / "yocto-time" / "yocto-recipe-time.spdx.json", dev_db, capsys)
    assert doc["summary"]["components_skipped"] == 0  # checked (GNU time has no record here)


@pytest.mark.parametrize(
    ("version", "present", "absent"),
    [
        # 1.1.1w is affected by CVE-2023-5678 (fixed in 1.1.1x) but not CVE-2023-0286 (fixed in 1.1.1t)
        ("1.1.1w", {"CVE-2023-5678", "CVE-2024-0727", "CVE-2024-9143"}, {"CVE-2023-0286", "CVE-2014-0224"}),
        ("1.0.2k", {"CVE-2017-3735", "CVE-2023-0286"}, {"CVE-2014-0224"}),
        ("1.0.1f", {"CVE-2014-0224"}, set()),  # CCS injection (fixed in 1.0.1h)
        ("3.0.7", {"CVE-2023-0286", "CVE-2022-4450"}, {"CVE-2022-3602"}),
    ],
)
def test_openssl_letter_versions_against_openssls_own_records(
    version: str,
    present: set[str],
    absent: set[str],
    dev_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = scan(
        cdx(tmp_path / "s.json", "libopenssl", version, f"cpe:/a:openssl:openssl:{version}"), dev_db, capsys
    )
    ids = {f["id"] for f in doc["findings"]}
    assert present <= ids and not (absent & ids)


def test_full_nvd_records_and_feeds(dev_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = scan(
        cdx(tmp_path / "s.json", "log4j-core", "2.14.1", "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"),
        dev_db,
        capsys,
    )
    f = {x["id"]: x for x in doc["findings"]}["CVE-2021-44228"]
    assert f["severity"] == "critical" and f["cvss_score"] == 10.0 and f["match"]["source"] == "nvd"


def test_enisa_exploited_list_row(dev_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["db", "info", "--db", str(dev_db), "--format", "json"], capsys)
    assert json.loads(out)["euvd_entries"] == 1
    from crakit.vulndb import open_database

    with open_database(dev_db) as db:
        assert db.euvd(["CVE-2024-9380"]) == {"CVE-2024-9380": ("EUVD-2024-49898", "2025-01-17")}
