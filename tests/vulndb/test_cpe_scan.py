"""CPE matching of firmware and C/C++ components against NVD and CVE List V5 records (issue 15).

Hand-written records in the real formats (an NVD CVE API 2.0 page, CVE JSON 5 records, the
EUVD API's JSON), built and scanned through the CLI as a user would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.vulndb.helpers import write_cdx, write_kev
from tests.vulndb.test_cli import run


def _match(criteria: str, vulnerable: bool = True, **bounds: str) -> dict[str, Any]:
    return {
        "criteria": criteria,
        "matchCriteriaId": "00000000-0000-0000-0000-000000000000",
        "vulnerable": vulnerable,
        **bounds,
    }


def nvd_cve(
    cve: str,
    configurations: list[dict[str, Any]],
    *,
    modified: str = "2025-01-01T00:00:00.000",
    score: float | None = None,
    status: str = "Analyzed",
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": cve,
        "sourceIdentifier": "cve@mitre.org",
        "published": "2024-01-01T00:00:00.000",
        "lastModified": modified,
        "vulnStatus": status,
        "descriptions": [{"lang": "en", "value": f"{cve} demo flaw"}],
        "metrics": {},
        "configurations": configurations,
    }
    if score is not None:
        record["metrics"] = {
            "cvssMetricV31": [
                {
                    "source": "nvd@nist.gov",
                    "type": "Primary",
                    "cvssData": {
                        "version": "3.1",
                        "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                        "baseScore": score,
                        "baseSeverity": "CRITICAL",
                    },
                }
            ]
        }
    return record


def or_config(*matches: dict[str, Any]) -> dict[str, Any]:
    return {"nodes": [{"operator": "OR", "negate": False, "cpeMatch": list(matches)}]}


def write_nvd_page(path: Path, records: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    page = {
        "resultsPerPage": len(records),
        "startIndex": 0,
        "totalResults": len(records),
        "format": "NVD_CVE",
        "version": "2.0",
        "timestamp": "2025-01-02T00:00:00.000",
        "vulnerabilities": [{"cve": r} for r in records],
    }
    path.write_text(json.dumps(page), encoding="utf-8")
    return path


def cve5(
    cve: str, affected: list[dict[str, Any]], *, updated: str = "2025-01-01T00:00:00.000Z"
) -> dict[str, Any]:
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {
            "cveId": cve,
            "state": "PUBLISHED",
            "datePublished": "2024-06-01T00:00:00.000Z",
            "dateUpdated": updated,
        },
        "containers": {
            "cna": {
                "providerMetadata": {"orgId": "00000000-0000-4000-9000-000000000000"},
                "descriptions": [{"lang": "en", "value": f"{cve} from the CNA"}],
                "affected": affected,
                "metrics": [
                    {
                        "other": {
                            "type": "https://www.openssl.org/policies/secpolicy.html",
                            "content": {"text": "High"},
                        }
                    }
                ],
            }
        },
    }


NVD_RECORDS = [
    # curl: fixed in 8.5.0 (exclusive end)
    nvd_cve(
        "CVE-2099-1001",
        [
            or_config(
                _match(
                    "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*",
                    versionStartIncluding="7.1",
                    versionEndExcluding="8.5.0",
                )
            )
        ],
        score=9.8,
    ),
    # a different vendor's product called "curl": must never match haxx's curl
    nvd_cve(
        "CVE-2099-1002",
        [or_config(_match("cpe:2.3:a:otherco:curl:*:*:*:*:*:*:*:*", versionEndExcluding="99"))],
    ),
    # openssl letter releases: affected up to 1.1.1w inclusive
    nvd_cve(
        "CVE-2099-1003",
        [
            or_config(
                _match(
                    "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*",
                    versionStartIncluding="1.1.1",
                    versionEndIncluding="1.1.1w",
                )
            )
        ],
    ),
    # an exact version listing
    nvd_cve("CVE-2099-1004", [or_config(_match("cpe:2.3:a:openssl:openssl:1.1.1t:*:*:*:*:*:*:*"))]),
    # running on: dnsmasq only when on a Windows platform (AND configuration)
    nvd_cve(
        "CVE-2099-1005",
        [
            {
                "operator": "AND",
                "nodes": [
                    {
                        "operator": "OR",
                        "negate": False,
                        "cpeMatch": [
                            _match("cpe:2.3:a:thekelleys:dnsmasq:*:*:*:*:*:*:*:*", versionEndExcluding="2.90")
                        ],
                    },
                    {
                        "operator": "OR",
                        "negate": False,
                        "cpeMatch": [_match("cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", vulnerable=False)],
                    },
                ],
            }
        ],
    ),
    # the kernel CVE: every module of the image carries the kernel's CPE
    nvd_cve(
        "CVE-2099-1006",
        [
            or_config(
                _match(
                    "cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*",
                    versionStartIncluding="5.10",
                    versionEndExcluding="5.15.150",
                )
            )
        ],
    ),
    # a platform-only criterion (vulnerable false) is never a match by itself
    nvd_cve("CVE-2099-1007", [or_config(_match("cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", vulnerable=False))]),
    # NVD analysed this one: the CVE 5 record's wider range must not count
    nvd_cve(
        "CVE-2099-1008",
        [or_config(_match("cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*", versionEndExcluding="3.5.0"))],
    ),
    # a rejected record leaves nothing behind
    nvd_cve("CVE-2099-1009", [], status="Rejected"),
    # wolfSSL, for the wildcard-vendor rule (one vendor has the product)
    nvd_cve(
        "CVE-2099-1010",
        [or_config(_match("cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*", versionEndExcluding="5.7.0"))],
    ),
]

CVE5_RECORDS = [
    # not analysed by NVD: OpenSSL's own record with letter versions
    cve5(
        "CVE-2099-2001",
        [
            {
                "vendor": "OpenSSL",
                "product": "OpenSSL",
                "defaultStatus": "unaffected",
                "versions": [
                    {"version": "3.0.0", "lessThan": "3.0.8", "status": "affected", "versionType": "semver"},
                    {
                        "version": "1.1.1",
                        "lessThan": "1.1.1za",
                        "status": "affected",
                        "versionType": "custom",
                    },
                ],
            }
        ],
    ),
    # NVD has CVE-2099-1008: this wider CVE 5 range is ignored
    cve5(
        "CVE-2099-1008",
        [
            {
                "vendor": "Mbed",
                "product": "mbedtls",
                "cpes": ["cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*"],
                "versions": [{"version": "0", "lessThan": "9.0", "status": "affected"}],
            }
        ],
    ),
    # a CNA that writes its legal form into the vendor name (as wolfSSL's own records do)
    cve5(
        "CVE-2099-2003",
        [
            {
                "vendor": "Dropbear Co., Ltd.",
                "product": "dropbear",
                "versions": [
                    {"version": "0", "lessThan": "2024.84", "status": "affected", "versionType": "custom"}
                ],
            }
        ],
    ),
    # unaffected entries win over the affected default
    cve5(
        "CVE-2099-2002",
        [
            {
                "vendor": "wolfSSL",
                "product": "wolfSSL",
                "cpes": ["cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*"],
                "defaultStatus": "affected",
                "versions": [{"version": "5.6.6", "status": "unaffected"}],
            }
        ],
    ),
]


@pytest.fixture
def cpe_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    nvd = write_nvd_page(tmp_path / "nvd" / "page-0.json", NVD_RECORDS)
    cvelist = tmp_path / "cvelist"
    cvelist.mkdir()
    for record in CVE5_RECORDS:
        (cvelist / f"{record['cveMetadata']['cveId']}.json").write_text(json.dumps(record), encoding="utf-8")
    kev = write_kev(tmp_path / "kev.json", [("CVE-2099-1001", "2099-02-01")])
    euvd = tmp_path / "euvd.json"
    euvd.write_text(
        json.dumps(
            {
                "items": [
                    {
                        "id": "EUVD-2099-0001",
                        "aliases": "CVE-2099-2001\n",
                        "exploitedSince": "Mar 3, 2099, 10:00:00 AM",
                        "description": "demo",
                    }
                ],
                "total": 1,
            }
        ),
        encoding="utf-8",
    )
    db = tmp_path / "vulns.db"
    code, _, err = run(
        [
            "db",
            "build",
            "--nvd",
            str(nvd.parent),
            "--cvelist",
            str(cvelist),
            "--kev",
            str(kev),
            "--euvd",
            str(euvd),
            "--db",
            str(db),
        ],
        capsys,
    )
    assert code == 0, err
    return db


def cdx_with_cpes(path: Path, components: list[dict[str, Any]]) -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"type": "firmware", "name": "router-fw", "version": "1.0"}},
        "components": [{"type": "library", "bom-ref": f"c{i}", **c} for i, c in enumerate(components)],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def scan_json(
    sbom: Path, db: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    code, out, err = run(
        ["scan", str(sbom), "--db", str(db), "--format", "json", "--max-db-age", "0", *extra], capsys
    )
    assert code in (0, 1), err
    return code, json.loads(out)


def by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in doc["findings"]}


def test_the_contract_fields_for_cpe_findings(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"}],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    found = by_id(doc)
    assert set(found) == {"CVE-2099-1001"}  # not otherco's curl, not the platform-only criterion
    f = found["CVE-2099-1001"]
    assert f["cpe"] == "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*" and f["purl"] is None
    assert f["match"] == {"method": "cpe", "confidence": "exact", "source": "nvd"}
    assert (
        f["exploited"] is True
        and f["exploited_catalogues"] == ["KEV"]
        and f["kev_date_added"] == "2099-02-01"
    )
    assert f["aliases"] == [] and f["severity"] == "critical" and f["fixed"] == ["8.5.0"]
    assert doc["summary"]["components_skipped"] == 0 and doc["summary"]["components_checked_by_cpe"] == 1


@pytest.mark.parametrize(
    ("version", "hit"),
    [
        ("7.0", False),
        ("7.1", True),
        ("8.4.9", True),
        ("8.5.0", False),
        ("8.5.0-r0", False),
        ("8.4.0-1", True),
    ],
)
def test_version_bounds(
    version: str, hit: bool, cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": version, "cpe": "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*"}],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    assert ("CVE-2099-1001" in by_id(doc)) is hit


def test_openwrt_cpe22_and_openssl_letter_versions(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "libopenssl", "version": "1.1.1w-1", "cpe": "cpe:/a:openssl:openssl:1.1.1w"},
            {"name": "openssl-util", "version": "1.1.1t", "cpe": "cpe:/a:openssl:openssl:1.1.1t"},
        ],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    pairs = {(f["id"], f["version"]) for f in doc["findings"]}
    assert ("CVE-2099-1003", "1.1.1w") in pairs and ("CVE-2099-1003", "1.1.1t") in pairs
    assert ("CVE-2099-1004", "1.1.1t") in pairs and ("CVE-2099-1004", "1.1.1w") not in pairs
    # the CVE 5 record of a CVE NVD has not analysed: 1.1.1w < 1.1.1za
    cve5_hit = [f for f in doc["findings"] if f["id"] == "CVE-2099-2001" and f["version"] == "1.1.1w"]
    assert cve5_hit and cve5_hit[0]["match"] == {
        "method": "cve5-product",
        "confidence": "high",
        "source": "cve5",
    }
    # OpenSSL's own severity word, and ENISA's exploited list with its date
    assert cve5_hit[0]["severity"] == "high"
    assert cve5_hit[0]["exploited_catalogues"] == ["EUVD"] and cve5_hit[0]["euvd"][0]["date"] == "2099-03-03"
    assert "EUVD-2099-0001" in cve5_hit[0]["aliases"]


def test_nvd_wins_over_cve5_and_unaffected_wins_over_default(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "mbedtls", "version": "3.6.0", "cpe": "cpe:2.3:a:arm:mbed_tls:3.6.0:*:*:*:*:*:*:*"},
            {"name": "wolfssl", "version": "5.6.6", "cpe": "cpe:2.3:a:wolfssl:wolfssl:5.6.6:*:*:*:*:*:*:*"},
            {
                "name": "wolfssl-old",
                "version": "5.6.4",
                "cpe": "cpe:2.3:a:wolfssl:wolfssl:5.6.4:*:*:*:*:*:*:*",
            },
        ],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    pairs = {(f["id"], f["version"]) for f in doc["findings"]}
    assert not any(i == "CVE-2099-1008" for i, _ in pairs)  # NVD: < 3.5.0; CVE 5's < 9.0 does not count
    assert ("CVE-2099-2002", "5.6.6") not in pairs  # listed unaffected
    assert ("CVE-2099-2002", "5.6.4") in pairs  # defaultStatus affected


def test_running_on_configuration_is_not_a_plain_match(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dnsmasq = {"name": "dnsmasq", "version": "2.89", "cpe": "cpe:2.3:a:thekelleys:dnsmasq:2.89:*:*:*:*:*:*:*"}
    _, doc = scan_json(cdx_with_cpes(tmp_path / "a.json", [dnsmasq]), cpe_db, capsys)
    f = by_id(doc)["CVE-2099-1005"]
    assert f["match"]["confidence"] == "low" and "microsoft:windows" in f["match"]["condition"]
    windows = {"name": "windows", "version": "-", "cpe": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*"}
    _, doc = scan_json(cdx_with_cpes(tmp_path / "b.json", [dnsmasq, windows]), cpe_db, capsys)
    assert by_id(doc)["CVE-2099-1005"]["match"]["confidence"] == "exact"


def test_kernel_modules_fold_into_one_finding(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cpe = "cpe:2.3:o:linux:linux_kernel:5.15.100:*:*:*:*:*:*:*"
    modules = [
        {"name": f"kernel-module-{m}", "version": "5.15.100", "cpe": cpe}
        for m in ("nf-conntrack", "bridge", "tun")
    ]
    _, doc = scan_json(cdx_with_cpes(tmp_path / "k.json", modules), cpe_db, capsys)
    (f,) = [f for f in doc["findings"] if f["id"] == "CVE-2099-1006"]
    assert f["component"]["name"] == "kernel-module-nf-conntrack"
    assert f["modules"] == ["kernel-module-bridge 5.15.100", "kernel-module-tun 5.15.100"]


def test_name_and_version_components_get_a_derived_cpe(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "libcurl", "version": "8.0.1"},
            {"name": "libfoo-unknown", "version": "1.0"},
            {"name": "openthread", "version": "2023-07-06"},
        ],
    )
    code, doc = scan_json(sbom, cpe_db, capsys, "--fail-on", "any")
    f = by_id(doc)["CVE-2099-1001"]
    assert f["match"] == {"method": "derived-cpe", "confidence": "high", "source": "nvd"}
    assert f["cpe"] == "cpe:2.3:a:haxx:curl:8.0.1:*:*:*:*:*:*:*"
    # not the SBOM's own CPE: --fail-on counts exact matches only unless asked
    assert code == 0 and doc["gate"]["tripped"] is False
    skipped = {s["name"]: s["reason"] for s in doc["skipped_components"]}
    assert skipped == {"libfoo-unknown": "no purl", "openthread": "no purl"}
    code, _ = scan_json(sbom, cpe_db, capsys, "--fail-on", "any", "--fail-on-confidence", "high")
    assert code == 1
    # KEV lists CVE-2099-1001: left out of the default gate, but never silently
    code, out, err = run(
        [
            "scan",
            str(sbom),
            "--db",
            str(cpe_db),
            "--format",
            "json",
            "--max-db-age",
            "0",
            "--fail-on",
            "exploited",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["gate"]["exploited_below_confidence"] == 1
    assert "1 known exploited finding(s) matched below the exact confidence" in err


def test_wildcard_vendor_only_when_one_vendor_has_the_product(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "wolfssl", "version": "5.6.0", "cpe": "cpe:2.3:a:*:wolfssl:5.6.0:*:*:*:*:*:*:*"},
            {
                "name": "curl",
                "version": "8.0.0",
                "cpe": "cpe:2.3:a:*:curl:8.0.0:*:*:*:*:*:*:*",
            },  # haxx and otherco
        ],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    ids = {(f["id"], f["component"]["name"]) for f in doc["findings"]}
    assert ("CVE-2099-1010", "wolfssl") in ids
    assert not any(name == "curl" for _, name in ids)
    assert any("2 vendors" in u["reason"] for u in doc["not_evaluated"])


def test_dates_and_git_describe_versions_are_not_evaluated_not_clean(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": "7.88.1-5-gdeadbeef12", "cpe": "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*"}],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    assert doc["findings"] == []
    assert {u["id"] for u in doc["not_evaluated"]} >= {"CVE-2099-1001"}
    assert "git" in doc["not_evaluated"][0]["reason"]
    assert (
        doc["not_evaluated"][0]["cpe"] == "cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*"
        and doc["not_evaluated"][0]["purl"] is None
    )


def test_spdx_full_uri_reference_types_are_read(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {
        "spdxVersion": "SPDX-2.2",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "image",
        "documentNamespace": "http://spdx.org/spdxdoc/image-1",
        "creationInfo": {
            "created": "2024-01-01T00:00:00Z",
            "creators": ["Tool: OpenEmbedded Core create-spdx.bbclass"],
        },
        "packages": [
            {
                "SPDXID": "SPDXRef-Package-curl",
                "name": "curl",
                "versionInfo": "8.4.0",
                "downloadLocation": "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "SECURITY",
                        "referenceLocator": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
                        "referenceType": "http://spdx.org/rdf/references/cpe23Type",
                    },
                    {
                        "referenceCategory": "SECURITY",
                        "referenceLocator": "cpe:2.3:a:haxx:libcurl:8.4.0:*:*:*:*:*:*:*",
                        "referenceType": "http://spdx.org/rdf/references/cpe23Type",
                    },
                ],
            }
        ],
    }
    path = tmp_path / "image.spdx.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    from crakit.sbom import read_sbom

    (comp,) = read_sbom(path).components
    assert comp.cpes == (
        "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
        "cpe:2.3:a:haxx:libcurl:8.4.0:*:*:*:*:*:*:*",
    )
    _, out = scan_json(path, cpe_db, capsys)
    assert "CVE-2099-1001" in by_id(out)


def test_a_cve_in_osv_and_nvd_is_one_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.vulndb.helpers import osv_record, write_records

    osv = write_records(
        tmp_path / "osv",
        [
            osv_record(
                "GHSA-xxxx-yyyy-zzzz",
                "PyPI",
                "pycurl-demo",
                events=[{"introduced": "0"}, {"fixed": "2.0"}],
                aliases=["CVE-2099-1001"],
            )
        ],
    )
    nvd = write_nvd_page(tmp_path / "nvd" / "p.json", NVD_RECORDS[:1])
    db = tmp_path / "v.db"
    assert run(["db", "build", "--osv", str(osv), "--nvd", str(nvd), "--db", str(db)], capsys)[0] == 0
    sbom = cdx_with_cpes(
        tmp_path / "s.json",
        [
            {
                "name": "pycurl-demo",
                "version": "1.0",
                "purl": "pkg:pypi/pycurl-demo@1.0",
                "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
            }
        ],
    )
    _, doc = scan_json(sbom, db, capsys)
    assert [(f["id"], f["match"]["method"]) for f in doc["findings"]] == [("GHSA-xxxx-yyyy-zzzz", "purl")]
    assert "CVE-2099-1001" in doc["findings"][0]["aliases"]


def test_rejected_and_incremental_updates(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"}],
    )
    newer = nvd_cve(
        "CVE-2099-1001",
        [or_config(_match("cpe:2.3:a:haxx:curl:*:*:*:*:*:*:*:*", versionEndExcluding="8.0.0"))],
        modified="2025-06-01T00:00:00.000",
    )
    page = write_nvd_page(tmp_path / "update" / "p.json", [newer])
    code, _, err = run(["db", "build", "--nvd", str(page), "--db", str(cpe_db), "--format", "json"], capsys)
    assert code == 0, err
    _, doc = scan_json(sbom, cpe_db, capsys)
    assert doc["findings"] == []  # the corrected range replaced the old one
    # an older copy of the record does not undo the correction
    write_nvd_page(tmp_path / "old" / "p.json", [NVD_RECORDS[0]])
    code, out, _ = run(
        ["db", "build", "--nvd", str(tmp_path / "old"), "--db", str(cpe_db), "--format", "json"], capsys
    )
    assert json.loads(out)["nvd"]["unchanged"] == 1
    _, doc = scan_json(sbom, cpe_db, capsys)
    assert doc["findings"] == []
    # the EUVD list, KEV and CVE 5 data are still there
    _, out, _ = run(["db", "info", "--db", str(cpe_db), "--format", "json"], capsys)
    info = json.loads(out)
    assert info["euvd_entries"] == 1 and info["kev_entries"] == 1 and info["cpe_records"] >= 8


@pytest.mark.parametrize("fmt", ["table", "sarif", "cyclonedx-vdr", "openvex"])
def test_cpe_findings_in_every_format(
    fmt: str, cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"},
            {"name": "libopenssl", "version": "1.1.1w", "cpe": "cpe:/a:openssl:openssl:1.1.1w"},
        ],
    )
    code, out, _ = run(["scan", str(sbom), "--db", str(cpe_db), "--format", fmt, "--max-db-age", "0"], capsys)
    assert code == 0
    if fmt == "table":
        assert "cpe:2.3:a:haxx:curl:8.4.0" in out and "KEV 2099-02-01" in out and "EUVD 2099-03-03" in out
        assert "CISA KEV and ENISA EUVD" in out
        return
    doc = json.loads(out)
    if fmt == "sarif":
        names = {r["locations"][0]["logicalLocations"][0]["name"] for r in doc["runs"][0]["results"]}
        assert "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*" in names
        text = " ".join(r["message"]["text"] for r in doc["runs"][0]["results"])
        assert "ENISA EUVD EUVD-2099-0001" in text and "matched by cpe (nvd)" in text
    elif fmt == "cyclonedx-vdr":
        comps = {c["bom-ref"]: c for c in doc["components"]}
        assert (
            comps["cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"]["cpe"]
            == "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"
        )
        assert all("purl" not in c for c in comps.values())
        assert {v["source"]["name"] for v in doc["vulnerabilities"]} == {"NVD"}
    else:
        products = [p for st in doc["statements"] for p in st["products"]]
        assert {
            "@id": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*",
            "identifiers": {"cpe23": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"},
        } in products


def test_an_osv_only_database_leaves_cpe_components_skipped(
    tmp_path: Path, small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [{"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"}],
    )
    code, out, err = run(
        ["scan", str(sbom), "--db", str(small_db), "--format", "json", "--max-db-age", "0"], capsys
    )
    assert code == 0 and "nothing was checked" in err
    assert json.loads(out)["skipped_components"][0]["reason"] == "no purl"


def test_db_build_refuses_sources_without_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "x.json").write_text('{"not": "nvd"}')
    code, _, err = run(["db", "build", "--nvd", str(empty), "--db", str(tmp_path / "d.db")], capsys)
    assert code == 2 and "no NVD CVE records" in err
    assert not (tmp_path / "d.db").exists()
    code, _, err = run(["db", "build", "--cvelist", str(empty), "--db", str(tmp_path / "d.db")], capsys)
    assert code == 2 and "no CVE List V5 CVE records" in err


def test_write_cdx_helper_still_plain(tmp_path: Path) -> None:
    # the purl-only helper builds components without CPEs (the OSV path is unchanged by CPE data)
    doc = json.loads(write_cdx(tmp_path / "b.json", ["pkg:pypi/x@1"]).read_text())
    assert "cpe" not in doc["components"][0]


def test_cpe_findings_validate_against_the_vdr_and_openvex_schemas(
    cpe_db: Path, tmp_path: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema_rs

    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {"name": "curl", "version": "8.4.0", "cpe": "cpe:2.3:a:haxx:curl:8.4.0:*:*:*:*:*:*:*"},
            {"name": "libopenssl", "version": "1.1.1w", "cpe": "cpe:/a:openssl:openssl:1.1.1w"},
        ],
    )
    schema_dir = shared_data / "cyclonedx-spec" / "schema"
    code, out, _ = run(["scan", str(sbom), "--db", str(cpe_db), "--format", "cyclonedx-vdr"], capsys)
    assert code == 0
    schema = json.loads((schema_dir / "bom-1.6.schema.json").read_text(encoding="utf-8"))
    pairs = [
        ("http://cyclonedx.org/schema/" + name, json.loads((schema_dir / name).read_text(encoding="utf-8")))
        for name in ("spdx.schema.json", "jsf-0.82.schema.json")
    ]
    validator = jsonschema_rs.validator_for(schema, registry=jsonschema_rs.Registry(pairs))
    doc = json.loads(out)
    assert doc["vulnerabilities"] and [e.message for e in validator.iter_errors(doc)] == []
    openvex_schema = json.loads(
        (shared_data / "openvex-spec" / "openvex_json_schema.json").read_text(encoding="utf-8")
    )
    _, out, _ = run(["scan", str(sbom), "--db", str(cpe_db), "--format", "openvex"], capsys)
    doc = json.loads(out)
    assert doc["statements"]
    assert [e.message for e in jsonschema_rs.validator_for(openvex_schema).iter_errors(doc)] == []


def test_a_vendor_name_with_a_legal_form_still_matches(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "Dropbear Co., Ltd." is the vendor "dropbear" of the CPE (the acceptance check missed
    wolfSSL's CVE-2024-5288, written by "wolfSSL Inc.")."""
    sbom = cdx_with_cpes(
        tmp_path / "fw.json",
        [
            {
                "name": "dropbear",
                "version": "2022.83",
                "cpe": "cpe:2.3:a:dropbear:dropbear:2022.83:*:*:*:*:*:*:*",
            }
        ],
    )
    _, doc = scan_json(sbom, cpe_db, capsys)
    assert "CVE-2099-2003" in by_id(doc)


def test_a_shared_scan_keeps_the_cpe_pass_whole(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CPE matching folds components across the whole SBOM (kernel modules into one finding): a
    scan shared among processes runs it once, over every component, as one process does."""
    cpe = "cpe:2.3:o:linux:linux_kernel:5.15.100:*:*:*:*:*:*:*"
    components = [
        {"name": f"kernel-module-{m}", "version": "5.15.100", "cpe": cpe} for m in ("nf-conntrack", "bridge")
    ]
    components += [{"name": f"lib{i}", "version": "1.0", "purl": f"pkg:pypi/lib{i}@1.0"} for i in range(3500)]
    components.append({"name": "kernel-module-tun", "version": "5.15.100", "cpe": cpe})
    sbom = cdx_with_cpes(tmp_path / "big.json", components)
    docs = []
    for jobs in ("1", "3"):
        _, doc = scan_json(sbom, cpe_db, capsys, "--jobs", jobs)
        doc.pop("database")
        docs.append(doc)
    assert docs[0] == docs[1]
    (f,) = [f for f in docs[0]["findings"] if f["id"] == "CVE-2099-1006"]
    assert f["modules"] == ["kernel-module-bridge 5.15.100", "kernel-module-tun 5.15.100"]


def test_an_unsupported_purl_without_version_is_matched_by_cpe_at_each_version(
    cpe_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # pkg:generic has no OSV ecosystem: each version shipped under the one versionless purl is
    # skipped on its own and matched by the CPE the alias table derives (8.0.1 is affected).
    comps = [
        {"name": "libcurl", "version": "9.0.0", "purl": "pkg:generic/libcurl"},
        {"name": "libcurl", "version": "8.0.1", "purl": "pkg:generic/libcurl"},
    ]
    _, doc = scan_json(cdx_with_cpes(tmp_path / "fw.json", comps), cpe_db, capsys)
    got = {(f["component"]["ref"], f["component"]["version"], f["id"]) for f in doc["findings"]}
    assert ("c1", "8.0.1", "CVE-2099-1001") in got
    assert not any(ref == "c0" and vid == "CVE-2099-1001" for ref, _, vid in got)
