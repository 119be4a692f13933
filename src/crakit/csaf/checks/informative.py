"""Informative tests 6.3.1 to 6.3.11 of CSAF 2.0 (6.3.6 and 6.3.7 need the network and are not run)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from crakit.csaf.checks.registry import Finding
from crakit.csaf.jsonview import JSON, arr, hashes, obj, text, vulnerabilities, walk_branches


def test_6_3_1(doc: JSON) -> Iterator[Finding]:
    """Use of CVSS v2 as the only Scoring System."""
    for v, vuln in vulnerabilities(doc):
        for s, score in enumerate(arr(vuln.get("scores"))):
            score = obj(score)
            if "cvss_v2" in score and "cvss_v3" not in score:
                yield f"/vulnerabilities/{v}/scores/{s}", "CVSS v2 is the only score"


def test_6_3_2(doc: JSON) -> Iterator[Finding]:
    """Use of CVSS v3.0 (3.1 is current)."""
    for v, vuln in vulnerabilities(doc):
        for s, score in enumerate(arr(vuln.get("scores"))):
            if obj(obj(score).get("cvss_v3")).get("version") == "3.0":
                yield f"/vulnerabilities/{v}/scores/{s}/cvss_v3/version", "CVSS v3.0 is used; v3.1 is current"


def test_6_3_3(doc: JSON) -> Iterator[Finding]:
    """Missing CVE."""
    for v, vuln in vulnerabilities(doc):
        if "cve" not in vuln:
            yield f"/vulnerabilities/{v}", "vulnerability has no CVE"


def test_6_3_4(doc: JSON) -> Iterator[Finding]:
    """Missing CWE."""
    for v, vuln in vulnerabilities(doc):
        if "cwe" not in vuln:
            yield f"/vulnerabilities/{v}", "vulnerability has no CWE"


def test_6_3_5(doc: JSON) -> Iterator[Finding]:
    """Use of Short Hash (fewer than 64 hex characters)."""
    for path, file_hashes in hashes(doc):
        for j, item in enumerate(file_hashes):
            value = text(obj(item).get("value"))
            if value is not None and len(value) < 64:
                yield f"{path}/file_hashes/{j}/value", f"hash of {len(value)} characters is short"


def test_6_3_9(doc: JSON) -> Iterator[Finding]:
    """Branch Categories: vendor, product_name and product_version appear, in that order, above a product."""
    wanted = ("vendor", "product_name", "product_version")
    for path, branch, ancestors in walk_branches(doc):
        if "product" not in branch or "branches" in branch:
            continue
        trail = [text(b.get("category")) for b in (*ancestors, branch)]
        positions = [trail.index(c) if c in trail else -1 for c in wanted]
        if -1 in positions:
            missing = wanted[positions.index(-1)]
            yield path, f"no ancestor branch of category {missing}"
        elif positions != sorted(positions):
            yield path, "branch categories vendor, product_name, product_version are out of order"


def test_6_3_10(doc: JSON) -> Iterator[Finding]:
    """Usage of Product Version Range."""
    for path, branch, _ in walk_branches(doc):
        if branch.get("category") == "product_version_range":
            yield f"{path}/category", "a version range is used instead of versions"


_V_PREFIX = re.compile(r"^[vV][0-9]")


def test_6_3_11(doc: JSON) -> Iterator[Finding]:
    """Usage of V as version indicator."""
    for path, branch, _ in walk_branches(doc):
        name = text(branch.get("name"))
        if branch.get("category") == "product_version" and name is not None and _V_PREFIX.match(name):
            yield f"{path}/name", f"version {name!r} starts with a 'v'"
