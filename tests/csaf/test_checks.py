"""Hand-made documents for tests the OASIS development suite leaves without examples."""

from __future__ import annotations

from typing import Any

from crakit.csaf import validate


def failed(doc: dict[str, Any]) -> set[str]:
    return validate(doc).failed()


def test_minimal_document_is_clean(minimal: dict[str, Any]) -> None:
    report = validate(minimal)
    assert report.valid
    assert report.failed() <= {"6.2.13"}, report.messages


def test_schema_failure_is_invalid(minimal: dict[str, Any]) -> None:
    del minimal["document"]["title"]
    report = validate(minimal)
    assert not report.valid
    assert "schema" in report.failed()


def test_6_1_2_duplicate_product_id(minimal: dict[str, Any]) -> None:
    minimal["product_tree"]["full_product_names"].append({"name": "Other", "product_id": "P1"})
    assert "6.1.2" in failed(minimal)


def test_6_1_3_circular_relationship(minimal: dict[str, Any]) -> None:
    minimal["product_tree"]["relationships"] = [
        {
            "category": "installed_on",
            "product_reference": "P1",
            "relates_to_product_reference": "P2",
            "full_product_name": {"name": "loop", "product_id": "P2"},
        }
    ]
    assert "6.1.3" in failed(minimal)


def test_6_1_10_property_contradicts_vector(minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["product_status"] = {"known_affected": ["P1"]}
    minimal["vulnerabilities"][0]["scores"] = [
        {
            "products": ["P1"],
            "cvss_v3": {
                "version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "baseScore": 9.8,
                "baseSeverity": "CRITICAL",
                "attackVector": "LOCAL",
            },
        }
    ]
    found = failed(minimal)
    assert "6.1.10" in found and "6.1.9" not in found


def test_6_1_9_wrong_base_score(minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["product_status"] = {"known_affected": ["P1"]}
    minimal["vulnerabilities"][0]["scores"] = [
        {
            "products": ["P1"],
            "cvss_v3": {
                "version": "3.1",
                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                "baseScore": 5.0,
                "baseSeverity": "CRITICAL",
            },
        }
    ]
    assert "6.1.9" in failed(minimal)


def test_6_1_11_unknown_cwe_and_wrong_name(minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["cwe"] = {"id": "CWE-999999", "name": "Nothing"}
    assert "6.1.11" in failed(minimal)
    minimal["vulnerabilities"][0]["cwe"] = {"id": "CWE-79", "name": "Buffer overflow"}
    assert "6.1.11" in failed(minimal)


def test_6_1_13_invalid_purl(minimal: dict[str, Any]) -> None:
    minimal["product_tree"]["full_product_names"][0]["product_identification_helper"]["purl"] = (
        "pkg:/nonsense"
    )
    assert "6.1.13" in failed(minimal)


def test_6_1_18_and_6_1_20_released_drafts(minimal: dict[str, Any]) -> None:
    tracking = minimal["document"]["tracking"]
    tracking["version"] = "1.0.0-rc.1"
    tracking["revision_history"] = [{"date": "2024-01-01T00:00:00Z", "number": "0.1.0", "summary": "d"}]
    found = failed(minimal)
    assert {"6.1.17", "6.1.18", "6.1.20"} <= found


def test_6_1_22_and_6_1_23(minimal: dict[str, Any]) -> None:
    tracking = minimal["document"]["tracking"]
    tracking["revision_history"].append(dict(tracking["revision_history"][0]))
    minimal["vulnerabilities"].append(dict(minimal["vulnerabilities"][0]))
    assert {"6.1.22", "6.1.23"} <= failed(minimal)


def test_6_1_25_duplicate_hash_algorithm(minimal: dict[str, Any]) -> None:
    helper = minimal["product_tree"]["full_product_names"][0]["product_identification_helper"]
    helper["hashes"] = [
        {
            "filename": "a.bin",
            "file_hashes": [
                {"algorithm": "sha256", "value": "a" * 64},
                {"algorithm": "sha256", "value": "b" * 64},
            ],
        }
    ]
    assert "6.1.25" in failed(minimal)


def test_6_1_27_3_informational_without_vulnerabilities(minimal: dict[str, Any]) -> None:
    minimal["document"]["category"] = "csaf_informational_advisory"
    assert "6.1.27.3" in failed(minimal)


def test_6_1_30_mixed_versioning(minimal: dict[str, Any]) -> None:
    minimal["document"]["tracking"]["revision_history"].append(
        {"date": "2024-01-01T00:00:00Z", "number": "1.0.0", "summary": "x"}
    )
    assert "6.1.30" in failed(minimal)


def test_6_1_33_two_flags_for_one_product(minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["product_status"] = {"known_not_affected": ["P1"]}
    minimal["vulnerabilities"][0]["flags"] = [
        {"label": "component_not_present", "product_ids": ["P1"]},
        {"label": "vulnerable_code_not_present", "product_ids": ["P1"]},
    ]
    assert "6.1.33" in failed(minimal)


def test_6_2_13_unsorted_keys_and_6_2_20_extra_property(minimal: dict[str, Any]) -> None:
    minimal["document"]["zzz_extra"] = 1
    minimal["document"] = dict(reversed(list(minimal["document"].items())))
    report = validate(minimal)
    assert report.valid
    assert {"6.2.13", "6.2.20"} <= report.failed()


def test_6_2_17_and_6_2_18(minimal: dict[str, Any]) -> None:
    minimal["vulnerabilities"][0]["ids"] = [{"system_name": "CVE", "text": "CVE-2024-0002"}]
    minimal["product_tree"]["branches"] = [
        {
            "category": "vendor",
            "name": "Example",
            "branches": [
                {
                    "category": "product_version_range",
                    "name": "<=2.0",
                    "product": {"name": "Example <=2.0", "product_id": "P9"},
                }
            ],
        }
    ]
    found = failed(minimal)
    assert {"6.2.17", "6.2.18", "6.3.10"} <= found


def test_network_tests_are_reported_as_skipped(minimal: dict[str, Any]) -> None:
    assert {"6.3.6", "6.3.7", "6.3.8"} <= set(validate(minimal).skipped)


def test_hostile_shapes_never_crash() -> None:
    for doc in (
        [],
        "x",
        3,
        None,
        {"document": []},
        {"vulnerabilities": {"a": 1}},
        {"product_tree": {"branches": "x"}},
    ):
        report = validate(doc)
        assert not report.valid
        assert not report.skipped or set(report.skipped) <= {"6.3.6", "6.3.7", "6.3.8"}


def test_large_hostile_document_is_bounded(minimal: dict[str, Any]) -> None:

    n = 5000
    minimal["product_tree"]["relationships"] = [
        {
            "category": "installed_on",
            "product_reference": f"R{i + 1}" if i + 1 < n else "R0",
            "relates_to_product_reference": "P1",
            "full_product_name": {"name": f"r{i}", "product_id": f"R{i}"},
        }
        for i in range(n)
    ]
    minimal["vulnerabilities"] = [
        {"cve": f"CVE-2024-{10000 + i}", "product_status": {"known_affected": [f"R{i}"], "fixed": [f"R{i}"]}}
        for i in range(n)
    ]
    report = validate(minimal)  # bounded by pytest-timeout, not by a wall-clock assertion
    assert {"6.1.3", "6.1.6"} <= report.failed()


def test_reference_catalogs_are_available() -> None:
    # 6.1.11 and 6.1.12 read MITRE's CWE list and IANA's subtag registry from the csaf package's data.
    from crakit.csaf import bcp47, cwe

    assert bcp47.registry_available() and cwe.catalog_available()
    assert not bcp47.is_valid("EZ") and bcp47.is_valid("de-AT")
