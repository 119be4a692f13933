"""Mandatory tests on document metadata, tracking and revision history (CSAF 2.0 6.1.11 to 6.1.30)."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

from crakit.csaf import bcp47
from crakit.csaf.checks.registry import Finding
from crakit.csaf.jsonview import JSON, arr, document, obj, text, tracking, vulnerabilities
from crakit.csaf.versions import Version, parse_datetime, parse_version


def _languages(doc: JSON) -> Iterator[tuple[str, str]]:
    for key in ("lang", "source_lang"):
        value = text(document(doc).get(key))
        if value is not None:
            yield f"/document/{key}", value


def test_6_1_11(doc: JSON) -> Iterator[Finding]:
    """CWE: the weakness exists and its name is one MITRE has used for it."""
    from crakit.csaf import cwe

    if not cwe.catalog_available():
        return
    for v, vuln in vulnerabilities(doc):
        item = obj(vuln.get("cwe"))
        cwe_id, name = text(item.get("id")), text(item.get("name"))
        if cwe_id is None:
            continue
        names = cwe.names(cwe_id)
        if not names:
            yield f"/vulnerabilities/{v}/cwe/id", f"{cwe_id} is not a CWE weakness"
        elif name is not None and name not in names:
            yield f"/vulnerabilities/{v}/cwe/name", f"{cwe_id} is named {names[-1]!r}, not {name!r}"


def test_6_1_12(doc: JSON) -> Iterator[Finding]:
    """Language: lang and source_lang are valid language tags."""
    for path, value in _languages(doc):
        if not bcp47.is_valid(value):
            yield path, f"{value!r} is not a valid language tag"


class _Rev:
    __slots__ = ("date", "index", "number", "version")

    def __init__(self, index: int, item: dict[str, JSON]) -> None:
        self.index = index
        self.number = text(item.get("number"))
        self.version = parse_version(self.number)
        self.date = parse_datetime(item.get("date"))


def _revisions(doc: JSON) -> list[_Rev]:
    return [_Rev(i, obj(item)) for i, item in enumerate(arr(tracking(doc).get("revision_history")))]


def _rev_path(rev: _Rev, leaf: str = "number") -> str:
    return f"/document/tracking/revision_history/{rev.index}/{leaf}"


def _sorted_by_date(revs: list[_Rev]) -> list[_Rev] | None:
    """Revisions by date (ties by number); None when a date or number is unreadable."""
    if any(r.date is None or r.version is None for r in revs):
        return None
    return sorted(revs, key=lambda r: (_when(r.date), _vkey(r.version)))


def _when(dt: datetime | None) -> datetime:
    assert dt is not None
    return dt


def _vkey(version: Version | None) -> tuple[object, ...]:
    assert version is not None
    return version.sort_key()


def test_6_1_14(doc: JSON) -> Iterator[Finding]:
    """Sorted Revision History: ordered by date, the numbers ascend."""
    by_date = _sorted_by_date(_revisions(doc))
    if by_date is None:
        return
    for prev, cur in itertools.pairwise(by_date):
        if _vkey(cur.version) < _vkey(prev.version):
            yield _rev_path(cur), f"revision {cur.number} is dated after revision {prev.number}"


def test_6_1_15(doc: JSON) -> Iterator[Finding]:
    """Translator: a translation names its source language."""
    doc_ = document(doc)
    if obj(doc_.get("publisher")).get("category") == "translator" and "source_lang" not in doc_:
        yield "/document/source_lang", "publisher is a translator but source_lang is missing"


def test_6_1_16(doc: JSON) -> Iterator[Finding]:
    """Latest Document Version: version equals the number of the newest revision."""
    version = parse_version(tracking(doc).get("version"))
    ordered = _sorted_by_date(_revisions(doc))
    if version is None or not ordered:
        return
    latest = ordered[-1]
    assert latest.version is not None
    draft = tracking(doc).get("status") == "draft"
    want = latest.version.core() if draft else latest.version.without_build()
    have = version.core() if draft else version.without_build()
    if want != have:
        yield (
            "/document/tracking/version",
            f"version {version.raw} differs from the newest revision {latest.number}",
        )


def _is_prerelease(version: Version | None) -> bool:
    return version is not None and version.prerelease is not None


def test_6_1_17(doc: JSON) -> Iterator[Finding]:
    """Document Status Draft: version 0, 0.y.z or a pre-release requires status draft."""
    version = parse_version(tracking(doc).get("version"))
    status = tracking(doc).get("status")
    if version is not None and (version.is_zero or _is_prerelease(version)) and status != "draft":
        yield "/document/tracking/status", f"version {version.raw} requires status draft, not {status!r}"


def _released(doc: JSON) -> bool:
    return tracking(doc).get("status") in ("final", "interim")


def test_6_1_18(doc: JSON) -> Iterator[Finding]:
    """Released Revision History: no revision 0 or 0.y.z in a final or interim document."""
    if not _released(doc):
        return
    for rev in _revisions(doc):
        if rev.version is not None and rev.version.is_zero:
            yield _rev_path(rev), f"revision {rev.number} is not allowed in a released document"


def test_6_1_19(doc: JSON) -> Iterator[Finding]:
    """Revision History Entries for Pre-release Versions."""
    for rev in _revisions(doc):
        if _is_prerelease(rev.version):
            yield _rev_path(rev), f"revision {rev.number} is a pre-release"


def test_6_1_20(doc: JSON) -> Iterator[Finding]:
    """Non-draft Document Version: no pre-release part in a final or interim document."""
    version = parse_version(tracking(doc).get("version"))
    if _released(doc) and _is_prerelease(version):
        yield "/document/tracking/version", "a final or interim document has a pre-release version"


def test_6_1_21(doc: JSON) -> Iterator[Finding]:
    """Missing Item in Revision History: (major) numbers start at 0 or 1 and leave no gap."""
    ordered = _sorted_by_date(_revisions(doc))
    if not ordered:
        return
    majors = [r.version.major for r in ordered if r.version is not None]
    if majors[0] not in (0, 1):
        yield _rev_path(ordered[0]), f"the first revision is {ordered[0].number}, not 0 or 1"
    for prev, cur in itertools.pairwise(ordered):
        assert prev.version is not None and cur.version is not None
        if cur.version.major - prev.version.major > 1:
            yield _rev_path(cur), f"revisions between {prev.number} and {cur.number} are missing"


def test_6_1_22(doc: JSON) -> Iterator[Finding]:
    """Multiple Definition in Revision History."""
    revs = _revisions(doc)
    counts = Counter(r.number for r in revs if r.number is not None)
    for rev in revs:
        if rev.number is not None and counts[rev.number] > 1:
            yield _rev_path(rev), f"revision {rev.number} appears {counts[rev.number]} times"


def test_6_1_23(doc: JSON) -> Iterator[Finding]:
    """Multiple Use of Same CVE."""
    cves = [(v, text(vuln.get("cve"))) for v, vuln in vulnerabilities(doc)]
    counts = Counter(c for _, c in cves if c is not None)
    for v, cve in cves:
        if cve is not None and counts[cve] > 1:
            yield f"/vulnerabilities/{v}/cve", f"{cve} is described by {counts[cve]} vulnerabilities"


def test_6_1_24(doc: JSON) -> Iterator[Finding]:
    """Multiple Definition in Involvements: one party, one date, one entry."""
    for v, vuln in vulnerabilities(doc):
        keys: list[tuple[int, tuple[object, object]]] = []
        for i, inv in enumerate(arr(vuln.get("involvements"))):
            inv = obj(inv)
            when = parse_datetime(inv.get("date")) or text(inv.get("date"))
            keys.append((i, (text(inv.get("party")), when)))
        counts = Counter(k for _, k in keys)
        for i, key in keys:
            if counts[key] > 1:
                yield (
                    f"/vulnerabilities/{v}/involvements/{i}",
                    "the same party and date appear more than once",
                )


_PROFILES = {
    "csaf_base",
    "csaf_security_incident_response",
    "csaf_informational_advisory",
    "csaf_security_advisory",
    "csaf_vex",
}
_PROHIBITED = {
    "securityincidentresponse",
    "informationaladvisory",
    "securityadvisory",
    "vex",
    "csafsecurityincidentresponse",
    "csafinformationaladvisory",
    "csafsecurityadvisory",
    "csafvex",
}


def test_6_1_26(doc: JSON) -> Iterator[Finding]:
    """Prohibited Document Category Name: no look-alike of a profile name, no reserved csaf_ prefix."""
    category = text(document(doc).get("category"))
    if category is None or category in _PROFILES:
        return
    squashed = re.sub(r"[-_\s]", "", category.lower())
    if squashed in _PROHIBITED:
        yield "/document/category", f"category {category!r} is too close to the name of a CSAF profile"
    elif category.lower().startswith("csaf_"):
        yield "/document/category", f"category {category!r} uses the reserved prefix csaf_"


def test_6_1_28(doc: JSON) -> Iterator[Finding]:
    """Translation: lang and source_lang differ."""
    doc_ = document(doc)
    lang, source = text(doc_.get("lang")), text(doc_.get("source_lang"))
    if lang is not None and source is not None and lang.lower() == source.lower():
        yield "/document/source_lang", "document language and source language are the same"


def test_6_1_30(doc: JSON) -> Iterator[Finding]:
    """Mixed Integer and Semantic Versioning."""
    version = parse_version(tracking(doc).get("version"))
    if version is None:
        return
    for rev in _revisions(doc):
        if rev.version is not None and rev.version.semantic != version.semantic:
            scheme = "semantic" if version.semantic else "integer"
            yield _rev_path(rev), f"revision {rev.number} does not use {scheme} versioning like the document"
