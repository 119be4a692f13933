"""Mandatory profile tests 6.1.27.1 to 6.1.27.11 (CSAF 2.0 section 4 profiles)."""

from __future__ import annotations

from collections.abc import Iterator

from crakit.csaf.checks.registry import Finding
from crakit.csaf.jsonview import (
    JSON,
    arr,
    category,
    covered_products,
    document,
    groups,
    obj,
    statuses,
    text,
    vulnerabilities,
)

_INFO_OR_INCIDENT = ("csaf_informational_advisory", "csaf_security_incident_response")
_ADVISORY_OR_VEX = ("csaf_security_advisory", "csaf_vex")


def test_6_1_27_1(doc: JSON) -> Iterator[Finding]:
    """Document Notes: informational and incident documents carry a descriptive note."""
    if category(doc) not in _INFO_OR_INCIDENT:
        return
    wanted = {"description", "details", "general", "summary"}
    if not any(text(obj(n).get("category")) in wanted for n in arr(document(doc).get("notes"))):
        yield "/document/notes", "needs a note of category description, details, general or summary"


def test_6_1_27_2(doc: JSON) -> Iterator[Finding]:
    """Document References: informational and incident documents carry an external reference."""
    if category(doc) not in _INFO_OR_INCIDENT:
        return
    if not any(obj(r).get("category") == "external" for r in arr(document(doc).get("references"))):
        yield "/document/references", "needs a reference of category external"


def test_6_1_27_3(doc: JSON) -> Iterator[Finding]:
    """Vulnerabilities: an informational advisory has none."""
    if category(doc) == "csaf_informational_advisory" and "vulnerabilities" in obj(doc):
        yield "/vulnerabilities", "an informational advisory must not list vulnerabilities"


def test_6_1_27_4(doc: JSON) -> Iterator[Finding]:
    """Product Tree: security advisories and VEX documents have one."""
    if category(doc) in _ADVISORY_OR_VEX and "product_tree" not in obj(doc):
        yield "/product_tree", "the profile requires a product tree"


def test_6_1_27_5(doc: JSON) -> Iterator[Finding]:
    """Vulnerability Notes."""
    if category(doc) not in _ADVISORY_OR_VEX:
        return
    for v, vuln in vulnerabilities(doc):
        if "notes" not in vuln:
            yield f"/vulnerabilities/{v}/notes", "the profile requires vulnerability notes"


def test_6_1_27_6(doc: JSON) -> Iterator[Finding]:
    """Product Status."""
    if category(doc) not in _ADVISORY_OR_VEX:
        return
    for v, vuln in vulnerabilities(doc):
        if "product_status" not in vuln:
            yield f"/vulnerabilities/{v}/product_status", "the profile requires a product status"


def test_6_1_27_7(doc: JSON) -> Iterator[Finding]:
    """VEX Product Status: fixed, known_affected, known_not_affected or under_investigation."""
    if category(doc) != "csaf_vex":
        return
    wanted = ("fixed", "known_affected", "known_not_affected", "under_investigation")
    for v, vuln in vulnerabilities(doc):
        status = obj(vuln.get("product_status"))
        if not any(k in status for k in wanted):
            yield f"/vulnerabilities/{v}/product_status", "needs one of " + ", ".join(wanted)


def test_6_1_27_8(doc: JSON) -> Iterator[Finding]:
    """Vulnerability ID: cve or ids."""
    if category(doc) != "csaf_vex":
        return
    for v, vuln in vulnerabilities(doc):
        if "cve" not in vuln and "ids" not in vuln:
            yield f"/vulnerabilities/{v}", "a VEX vulnerability needs a cve or ids"


def test_6_1_27_9(doc: JSON) -> Iterator[Finding]:
    """Impact Statement: each known_not_affected product has a flag or an impact threat."""
    if category(doc) != "csaf_vex":
        return
    group_map = groups(doc)
    for v, vuln in vulnerabilities(doc):
        explained: set[str] = set()
        for flag in arr(vuln.get("flags")):
            explained |= covered_products(obj(flag), group_map)
        for threat in arr(vuln.get("threats")):
            if obj(threat).get("category") == "impact":
                explained |= covered_products(obj(threat), group_map)
        for suffix, pid in statuses(vuln, ("known_not_affected",)):
            if pid not in explained:
                yield (
                    f"/vulnerabilities/{v}{suffix}",
                    f"product {pid!r} is not affected but has no impact statement",
                )


def test_6_1_27_10(doc: JSON) -> Iterator[Finding]:
    """Action Statement: each known_affected product has a remediation."""
    if category(doc) != "csaf_vex":
        return
    group_map = groups(doc)
    for v, vuln in vulnerabilities(doc):
        acted: set[str] = set()
        for rem in arr(vuln.get("remediations")):
            acted |= covered_products(obj(rem), group_map)
        for suffix, pid in statuses(vuln, ("known_affected",)):
            if pid not in acted:
                yield (
                    f"/vulnerabilities/{v}{suffix}",
                    f"product {pid!r} is affected but has no action statement",
                )


def test_6_1_27_11(doc: JSON) -> Iterator[Finding]:
    """Vulnerabilities: security advisories and VEX documents list them."""
    if category(doc) in _ADVISORY_OR_VEX and "vulnerabilities" not in obj(doc):
        yield "/vulnerabilities", "the profile requires vulnerabilities"
