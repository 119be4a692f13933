"""Build-time VEX: Yocto cve-check / CVE_STATUS, Buildroot IGNORE_CVES, OpenWrt CVE patches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crakit.vex import VexError, parse_vex, read_build_tree
from tests.vulndb.test_cli import run
from tests.vulndb.test_cpe_scan import NVD_RECORDS, cdx_with_cpes, write_nvd_page

CVE_CHECK = {
    "version": "1",
    "package": [
        {
            "name": "curl",
            "layer": "meta",
            "version": "8.4.0",
            "products": [{"product": "curl", "cvesInRecord": "Yes"}],
            "issue": [
                {"id": "CVE-2099-1001", "status": "Patched", "detail": "backported-patch", "link": "x"},
                {"id": "CVE-2099-1111", "status": "Ignored", "detail": "not-applicable-config"},
                {"id": "CVE-2099-2222", "status": "Unpatched", "detail": "version-in-range"},
            ],
        }
    ],
}


def test_yocto_cve_check_output_reads_as_vex() -> None:
    statements = parse_vex(json.dumps(CVE_CHECK).encode(), "cve-summary.json")
    by_id = {s.vulnerability: s for s in statements}
    assert set(by_id) == {"CVE-2099-1001", "CVE-2099-1111"}  # Unpatched says nothing
    assert by_id["CVE-2099-1001"].status == "fixed"
    assert by_id["CVE-2099-1111"].status == "not_affected"
    assert by_id["CVE-2099-1111"].justification == "vulnerable_code_not_present"
    assert by_id["CVE-2099-1001"].source == "Yocto cve-check cve-summary.json"
    assert (
        by_id["CVE-2099-1001"].products[0].name == "curl"
        and by_id["CVE-2099-1001"].products[0].version == "8.4.0"
    )


def test_build_trees(tmp_path: Path) -> None:
    # Yocto recipe with CVE_STATUS and a patch carrying the CVE: tag
    recipe = tmp_path / "meta-acme" / "recipes-support" / "curl"
    (recipe / "files").mkdir(parents=True)
    (recipe / "curl_8.4.0.bb").write_text(
        'SUMMARY = "curl"\nCVE_STATUS[CVE-2099-3001] = "not-applicable-config: no SMB support"\n'
    )
    (recipe / "files" / "fix-overflow.patch").write_text(
        "From 1 Mon\nSubject: fix\n\nCVE: CVE-2099-3002\nUpstream-Status: Backport\n---\n a | 1 +\n"
    )
    # Buildroot package
    br = tmp_path / "buildroot" / "package" / "dnsmasq"
    br.mkdir(parents=True)
    (br / "dnsmasq.mk").write_text(
        "DNSMASQ_VERSION = 2.89\nDNSMASQ_IGNORE_CVES += \\\n\tCVE-2099-3003 CVE-2099-3004\n"
    )
    # OpenWrt package with a CVE patch
    ow = tmp_path / "openwrt" / "package" / "libs" / "openssl"
    (ow / "patches").mkdir(parents=True)
    (ow / "Makefile").write_text(
        "PKG_NAME:=openssl\nPKG_VERSION:=1.1.1w\nPKG_CPE_ID:=cpe:/a:openssl:openssl\n"
    )
    (ow / "patches" / "100-CVE-2099-3005.patch").write_text("--- a\n+++ b\n")
    got = {
        (s.vulnerability, s.products[0].name, s.status, s.justification) for s in read_build_tree(tmp_path)
    }
    assert got == {
        ("CVE-2099-3001", "curl", "not_affected", "vulnerable_code_not_present"),
        ("CVE-2099-3002", "curl", "fixed", None),
        ("CVE-2099-3003", "dnsmasq", "fixed", None),
        ("CVE-2099-3004", "dnsmasq", "fixed", None),
        ("CVE-2099-3005", "openssl", "fixed", None),
    }
    sources = {s.vulnerability: s.source for s in read_build_tree(tmp_path)}
    assert sources["CVE-2099-3003"].endswith("dnsmasq.mk")
    assert sources["CVE-2099-3005"].endswith("100-CVE-2099-3005.patch")


def test_a_folder_without_build_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VexError):
        read_build_tree(tmp_path)


def test_scan_applies_build_time_vex_to_cpe_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "v.db"
    nvd = write_nvd_page(tmp_path / "nvd" / "p.json", NVD_RECORDS[:1])
    assert run(["db", "build", "--nvd", str(nvd), "--db", str(db)], capsys)[0] == 0
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"}],
    )
    check = tmp_path / "cve-summary.json"
    check.write_text(json.dumps(CVE_CHECK))
    code, out, err = run(
        [
            "scan",
            str(sbom),
            "--db",
            str(db),
            "--build-vex",
            str(check),
            "--format",
            "json",
            "--max-db-age",
            "0",
        ],
        capsys,
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["findings"] == [] and doc["summary"]["suppressed"] == 1
    code, out, _ = run(
        [
            "scan",
            str(sbom),
            "--db",
            str(db),
            "--build-vex",
            str(check),
            "--format",
            "json",
            "--show-suppressed",
            "--max-db-age",
            "0",
        ],
        capsys,
    )
    (f,) = json.loads(out)["findings"]
    assert f["status"] == "fixed" and f["vex_source"] == f"Yocto cve-check {check}"
