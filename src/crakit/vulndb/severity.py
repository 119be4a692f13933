"""Severity of an OSV record from its CVSS vectors (FIRST CVSS v2/v3.x/v4.0 qualitative scales).

Used to rank findings for Annex I Part I(2)(c) ("address and remediate vulnerabilities without
delay") and for ``--fail-on critical|high``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crakit.vulndb.model import SEVERITY_ORDER, Severity

# OSV severity types in order of preference when a record carries several.
_PREFERENCE = ("CVSS_V3", "CVSS_V4", "CVSS_V2")
_WORDS: dict[str, Severity] = {
    "critical": "critical",
    "high": "high",
    "important": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
    "negligible": "low",
    "none": "none",
}


@dataclass(frozen=True, slots=True)
class SeverityInfo:
    severity: Severity
    vector: str | None
    score: float | None


UNKNOWN = SeverityInfo("unknown", None, None)


def rating(score: float, version: str) -> Severity:
    """CVSS v3/v4 qualitative rating; v2 has no "critical" (NVD's v2 bands)."""
    if version == "CVSS_V2":
        return "high" if score >= 7.0 else "medium" if score >= 4.0 else "low"
    if score == 0.0:
        return "none"
    if score < 4.0:
        return "low"
    if score < 7.0:
        return "medium"
    if score < 9.0:
        return "high"
    return "critical"


def score_vector(kind: str, vector: str) -> float | None:
    """Base score of a CVSS vector, or None when the vector is malformed."""
    import cvss  # imported here: only building the database needs it

    try:
        if kind == "CVSS_V4":
            return float(cvss.CVSS4(vector).base_score)
        if kind == "CVSS_V3":
            return float(cvss.CVSS3(vector).base_score)
        if kind == "CVSS_V2":
            return float(cvss.CVSS2(vector).base_score)
    except Exception:  # the cvss package raises several unrelated types for bad vectors
        return None
    return None


def _entries(record: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for entry in record.get("severity") or ():
        if isinstance(entry, dict):
            yield entry
    for affected in record.get("affected") or ():
        if isinstance(affected, dict):
            for entry in affected.get("severity") or ():
                if isinstance(entry, dict):
                    yield entry


def record_severity(record: Mapping[str, Any]) -> SeverityInfo:
    """The record's severity: the preferred CVSS vector, else a vendor word (Ubuntu, GHSA)."""
    by_type: dict[str, str] = {}
    words: list[Severity] = []
    for entry in _entries(record):
        kind, score = entry.get("type"), entry.get("score")
        if not isinstance(kind, str) or not isinstance(score, str):
            continue
        if kind in _PREFERENCE:
            by_type.setdefault(kind, score)
        elif score.lower() in _WORDS:
            words.append(_WORDS[score.lower()])
    for kind in _PREFERENCE:
        if kind in by_type:
            value = score_vector(kind, by_type[kind])
            if value is not None:
                return SeverityInfo(rating(value, kind), by_type[kind], value)
    db_specific = record.get("database_specific")
    if isinstance(db_specific, dict):
        word = db_specific.get("severity")
        if isinstance(word, str) and word.lower() in _WORDS:
            words.append(_WORDS[word.lower()])
    if words:
        return SeverityInfo(max(words, key=SEVERITY_ORDER.__getitem__), None, None)
    return UNKNOWN
