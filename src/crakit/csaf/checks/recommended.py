"""Recommended tests 6.2.1 to 6.2.20 of CSAF 2.0: failures are warnings, never invalidity."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from crakit.csaf import bcp47, schema
from crakit.csaf.checks.registry import Finding
from crakit.csaf.cvss_checks import cvss_objects, environmental_score
from crakit.csaf.jsonview import (
    AFFECTED,
    FIXED,
    JSON,
    arr,
    category,
    covered_products,
    defined_product_ids,
    document,
    full_product_names,
    groups,
    hashes,
    obj,
    referenced_product_ids,
    statuses,
    text,
    tracking,
    vulnerabilities,
    walk_branches,
)
from crakit.csaf.versions import parse_datetime


def test_6_2_1(doc: JSON) -> Iterator[Finding]:
    """Unused Definition of Product ID (skipped for informational advisories)."""
    if category(doc) == "csaf_informational_advisory":
        return
    used = {pid for _, pid in referenced_product_ids(doc)}
    for path, pid in defined_product_ids(doc):
        if pid not in used:
            yield path, f"product id {pid!r} is defined but never used"


def test_6_2_2(doc: JSON) -> Iterator[Finding]:
    """Missing Remediation for an affected product."""
    group_map = groups(doc)
    for v, vuln in vulnerabilities(doc):
        covered: set[str] = set()
        for rem in arr(vuln.get("remediations")):
            covered |= covered_products(obj(rem), group_map)
        for suffix, pid in statuses(vuln, AFFECTED):
            if pid not in covered:
                yield f"/vulnerabilities/{v}{suffix}", f"affected product {pid!r} has no remediation"


def test_6_2_3(doc: JSON) -> Iterator[Finding]:
    """Missing Score for an affected product."""
    for v, vuln in vulnerabilities(doc):
        scored = {
            p for s in arr(vuln.get("scores")) for p in arr(obj(s).get("products")) if isinstance(p, str)
        }
        for suffix, pid in statuses(vuln, AFFECTED):
            if pid not in scored:
                yield f"/vulnerabilities/{v}{suffix}", f"affected product {pid!r} has no score"


def _revision_items(doc: JSON) -> list[tuple[int, dict[str, JSON]]]:
    return [(i, obj(r)) for i, r in enumerate(arr(tracking(doc).get("revision_history")))]


def test_6_2_4(doc: JSON) -> Iterator[Finding]:
    """Build Metadata in Revision History."""
    for i, rev in _revision_items(doc):
        number = text(rev.get("number"))
        if number is not None and "+" in number:
            yield (
                f"/document/tracking/revision_history/{i}/number",
                f"revision {number} carries build metadata",
            )


def _revision_dates(doc: JSON) -> list[tuple[int, datetime]]:
    out: list[tuple[int, datetime]] = []
    for i, rev in _revision_items(doc):
        when = parse_datetime(rev.get("date"))
        if when is not None:
            out.append((i, when))
    return out


def test_6_2_5(doc: JSON) -> Iterator[Finding]:
    """Older Initial Release Date than Revision History."""
    initial = parse_datetime(tracking(doc).get("initial_release_date"))
    dates = [d for _, d in _revision_dates(doc)]
    if initial is not None and dates and initial < min(dates):
        yield (
            "/document/tracking/initial_release_date",
            "initial release date is older than the oldest revision",
        )


def test_6_2_6(doc: JSON) -> Iterator[Finding]:
    """Older Current Release Date than Revision History."""
    current = parse_datetime(tracking(doc).get("current_release_date"))
    dates = [d for _, d in _revision_dates(doc)]
    if current is not None and dates and current < max(dates):
        yield (
            "/document/tracking/current_release_date",
            "current release date is older than the newest revision",
        )


def test_6_2_7(doc: JSON) -> Iterator[Finding]:
    """Missing Date in Involvements."""
    for v, vuln in vulnerabilities(doc):
        for i, inv in enumerate(arr(vuln.get("involvements"))):
            if "date" not in obj(inv):
                yield f"/vulnerabilities/{v}/involvements/{i}", "involvement has no date"


def _only_algorithm(doc: JSON, algorithm: str) -> Iterator[Finding]:
    for path, file_hashes in hashes(doc):
        algos = {text(obj(h).get("algorithm")) for h in file_hashes}
        if algos == {algorithm}:
            yield f"{path}/file_hashes", f"{algorithm} is the only hash algorithm"


def test_6_2_8(doc: JSON) -> Iterator[Finding]:
    """Use of MD5 as the only Hash Algorithm."""
    return _only_algorithm(doc, "md5")


def test_6_2_9(doc: JSON) -> Iterator[Finding]:
    """Use of SHA-1 as the only Hash Algorithm."""
    return _only_algorithm(doc, "sha1")


def test_6_2_10(doc: JSON) -> Iterator[Finding]:
    """Missing TLP label."""
    if text(obj(obj(document(doc).get("distribution")).get("tlp")).get("label")) is None:
        yield "/document/distribution/tlp/label", "no TLP label"


def canonical_filename(tracking_id: str) -> str:
    """The file name CSAF 2.0 section 5.1 derives from /document/tracking/id."""
    return re.sub(r"[^+\-a-z0-9]+", "_", tracking_id.lower()) + ".json"


def test_6_2_11(doc: JSON) -> Iterator[Finding]:
    """Missing Canonical URL: a self reference over https ending in the document's file name."""
    tracking_id = text(tracking(doc).get("id"))
    if tracking_id is None:
        return
    name = canonical_filename(tracking_id)
    for ref in arr(document(doc).get("references")):
        ref = obj(ref)
        url = text(ref.get("url")) or ""
        if ref.get("category") == "self" and url.startswith("https://") and url.endswith(name):
            return
    yield "/document/references", f"no self reference to https://.../{name}"


def test_6_2_12(doc: JSON) -> Iterator[Finding]:
    """Missing Document Language."""
    if "lang" not in document(doc):
        yield "/document/lang", "no document language"


def _collation_key(key: str) -> tuple[str, str]:
    # Approximates the default Unicode collation JavaScript's Intl.Collator uses: case is only a tie-break
    # (lower before upper) and punctuation sorts before digits and letters.
    primary = "".join("\x01" if not c.isalnum() else c for c in key.lower())
    return primary, key.swapcase()


def test_6_2_13(doc: JSON) -> Iterator[Finding]:
    """Sorting: the keys of every object are in alphabetical order."""
    stack: list[tuple[str, JSON]] = [("", doc)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            keys = list(node)
            if keys != sorted(keys, key=_collation_key):
                yield path or "/", "keys are not sorted alphabetically"
            stack.extend((f"{path}/{k}", node[k]) for k in reversed(keys))
        elif isinstance(node, list):
            stack.extend((f"{path}/{i}", item) for i, item in reversed(list(enumerate(node))))


def _languages(doc: JSON) -> Iterator[tuple[str, str]]:
    for key in ("lang", "source_lang"):
        value = text(document(doc).get(key))
        if value is not None:
            yield f"/document/{key}", value


def test_6_2_14(doc: JSON) -> Iterator[Finding]:
    """Use of Private Language."""
    for path, value in _languages(doc):
        if bcp47.uses_private_subtag(value):
            yield path, f"{value!r} uses a private-use subtag"


def test_6_2_15(doc: JSON) -> Iterator[Finding]:
    """Use of Default Language (i-default)."""
    for path, value in _languages(doc):
        if value.lower() == "i-default":
            yield path, "i-default is not a language"


def test_6_2_16(doc: JSON) -> Iterator[Finding]:
    """Missing Product Identification Helper."""
    for path, fpn in full_product_names(doc):
        if "product_identification_helper" not in fpn:
            yield path, "product has no product_identification_helper (purl, CPE, hashes...)"


_CVE = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,}$")


def test_6_2_17(doc: JSON) -> Iterator[Finding]:
    """CVE in field IDs: a CVE belongs in the cve field."""
    for v, vuln in vulnerabilities(doc):
        for i, item in enumerate(arr(vuln.get("ids"))):
            value = text(obj(item).get("text"))
            if value is not None and _CVE.match(value):
                yield f"/vulnerabilities/{v}/ids/{i}/text", f"{value} should be given in the cve field"


def test_6_2_18(doc: JSON) -> Iterator[Finding]:
    """Product Version Range without vers."""
    for path, branch, _ in walk_branches(doc):
        name = text(branch.get("name"))
        if (
            branch.get("category") == "product_version_range"
            and name is not None
            and not name.startswith("vers:")
        ):
            yield f"{path}/name", f"version range {name!r} is not written in vers"


def test_6_2_19(doc: JSON) -> Iterator[Finding]:
    """CVSS for Fixed Products: a score of a fixed product has an environmental score of 0."""
    for v, vuln in vulnerabilities(doc):
        fixed = {pid for _, pid in statuses(vuln, FIXED)}
        for s, score in enumerate(arr(vuln.get("scores"))):
            score = obj(score)
            hit = sorted(fixed.intersection(p for p in arr(score.get("products")) if isinstance(p, str)))
            if not hit:
                continue
            for key in ("cvss_v3", "cvss_v2"):
                cvss = score.get(key)
                if not isinstance(cvss, dict):
                    continue
                given = cvss.get("environmentalScore")
                env = environmental_score(key, cvss)
                positive_given = isinstance(given, int | float) and not isinstance(given, bool) and given > 0
                if positive_given or (env is not None and env > 0):
                    yield (
                        f"/vulnerabilities/{v}/scores/{s}/{key}",
                        f"environmental score should be 0 since {hit[0]!r} is fixed",
                    )


def test_6_2_20(doc: JSON) -> Iterator[Finding]:
    """Additional Properties: nothing beyond what the CSAF schema defines."""
    base = set(schema.errors(schema.csaf_validator(), doc))
    for path, message in schema.errors(schema.csaf_validator(strict=True), doc):
        if (path, message) not in base:
            yield path, message


__all__ = ["canonical_filename", "cvss_objects"]
