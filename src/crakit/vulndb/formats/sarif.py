"""SARIF 2.1.0 for code-scanning dashboards: one rule per vulnerability, one result per finding."""

from __future__ import annotations

from typing import Any

from crakit import __version__
from crakit.vulndb.model import ScanResult

_LEVEL = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "none": "note",
    "unknown": "warning",
}
_SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0", "none": "0.0", "unknown": "5.0"}


def scan_to_sarif(result: ScanResult, *, show_suppressed: bool = False) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    sbom_uri = result.sboms[0] if result.sboms else "sbom"
    for f in result.findings:
        if f.suppressed and not show_suppressed:
            continue
        if f.id not in rules:
            rules[f.id] = {
                "id": f.id,
                "name": f.id.replace("-", ""),
                "shortDescription": {"text": f.summary or f.id},
                "helpUri": f"https://osv.dev/vulnerability/{f.id}",
                "properties": {
                    "security-severity": str(f.cvss_score)
                    if f.cvss_score is not None
                    else _SCORE[f.severity],
                    "tags": ["security", "vulnerability", *(["known-exploited"] if f.exploited else [])],
                },
            }
        text = f"{f.purl} is affected by {f.id}"
        if f.aliases:
            text += f" ({', '.join(f.aliases)})"
        if f.exploited:
            text += f"; known exploited (CISA KEV, added {f.kev_date_added})"
        text += f"; fixed in {', '.join(f.fixed)}" if f.fixed else "; no fixed version known"
        entry: dict[str, Any] = {
            "ruleId": f.id,
            "level": "error" if f.exploited else _LEVEL[f.severity],
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {"artifactLocation": {"uri": sbom_uri}},
                    "logicalLocations": [{"name": f.purl, "kind": "package"}],
                }
            ],
            "partialFingerprints": {"crakit/v1": f"{f.purl}|{f.id}"},
        }
        if f.suppressed:
            entry["suppressions"] = [{"kind": "external", "justification": f.justification or f.status}]
        results.append(entry)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "crakit",
                        "version": __version__,
                        "informationUri": "https://example.invalid/crakit",
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }
