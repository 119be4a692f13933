"""CycloneDX 1.6 VDR (vulnerability disclosure report) of a scan, with VEX analysis when triaged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from crakit import __version__
from crakit.vulndb.model import ScanResult

# VEX status -> CycloneDX impact analysis state
_STATE = {
    "not_affected": "not_affected",
    "fixed": "resolved",
    "under_investigation": "in_triage",
    "affected": "exploitable",
}
_CDX_JUSTIFICATIONS = frozenset(
    {
        "code_not_present",
        "code_not_reachable",
        "requires_configuration",
        "requires_dependency",
        "requires_environment",
        "protected_by_compiler",
        "protected_at_runtime",
        "protected_at_perimeter",
        "protected_by_mitigating_control",
    }
)
# OpenVEX/CSAF justification labels -> nearest CycloneDX value
_FROM_OPENVEX = {
    "component_not_present": "requires_dependency",
    "vulnerable_code_not_present": "code_not_present",
    "vulnerable_code_not_in_execute_path": "code_not_reachable",
    "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment",
    "inline_mitigations_already_exist": "protected_by_mitigating_control",
}


def scan_to_vdr(result: ScanResult, *, show_suppressed: bool = True) -> dict[str, Any]:
    components: dict[str, dict[str, Any]] = {}
    vulns: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        if f.suppressed and not show_suppressed:
            continue
        ref = f.purl
        components.setdefault(
            ref,
            {
                "type": "library",
                "bom-ref": ref,
                "name": f.component.name,
                "version": f.component.version or "",
                "purl": f.purl,
            },
        )
        key = f"{f.id}|{f.status}|{f.justification}"
        vuln = vulns.get(key)
        if vuln is None:
            vuln = {
                "bom-ref": f"{f.id}-{len(vulns)}",
                "id": f.id,
                "source": {"name": "OSV", "url": f"https://osv.dev/vulnerability/{f.id}"},
                "references": [{"id": a, "source": {"name": "alias"}} for a in f.aliases],
                "ratings": [],
                "description": f.summary or "",
                "affects": [],
                "properties": [
                    {"name": "crakit:exploited", "value": str(f.exploited).lower()},
                ],
            }
            if f.cvss_score is not None or f.severity != "unknown":
                rating: dict[str, Any] = {"severity": f.severity, "source": {"name": "OSV"}}
                if f.cvss_score is not None:
                    rating["score"] = f.cvss_score
                if f.cvss_vector:
                    rating["vector"] = f.cvss_vector
                    rating["method"] = (
                        "CVSSv4"
                        if f.cvss_vector.startswith("CVSS:4")
                        else "CVSSv31"
                        if f.cvss_vector.startswith("CVSS:3.1")
                        else "CVSSv3"
                        if f.cvss_vector.startswith("CVSS:3")
                        else "CVSSv2"
                    )
                vuln["ratings"].append(rating)
            if f.exploited:
                vuln["properties"].append({"name": "crakit:kev_date_added", "value": f.kev_date_added or ""})
            if f.fixed:
                vuln["recommendation"] = f"Upgrade to {', '.join(f.fixed)}"
            if f.status != "affected" or f.vex_source:
                analysis: dict[str, Any] = {"state": _STATE[f.status]}
                just = f.justification
                if just in _CDX_JUSTIFICATIONS:
                    analysis["justification"] = just
                elif just in _FROM_OPENVEX:
                    analysis["justification"] = _FROM_OPENVEX[just]
                elif just:
                    analysis["detail"] = just
                vuln["analysis"] = analysis
            vulns[key] = vuln
        vuln["affects"].append(
            {
                "ref": ref,
                "versions": [
                    {"version": f.version or "", "status": "affected" if not f.suppressed else "unaffected"}
                ],
            }
        )
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "tools": {"components": [{"type": "application", "name": "crakit", "version": __version__}]},
        },
        "components": list(components.values()),
        "vulnerabilities": list(vulns.values()),
    }
