"""CycloneDX 1.6 VDR (vulnerability disclosure report) of a scan, with VEX analysis when triaged."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, BinaryIO

import orjson

from crakit import __version__
from crakit.vulndb import Finding, ScanResult

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


def _rating_method(vector: str) -> str:
    if vector.startswith("CVSS:4"):
        return "CVSSv4"
    if vector.startswith("CVSS:3.1"):
        return "CVSSv31"
    return "CVSSv3" if vector.startswith("CVSS:3") else "CVSSv2"


def _vulnerability(f: Finding, index: int) -> dict[str, Any]:
    v = f.vulnerability
    vuln: dict[str, Any] = {
        "bom-ref": f"{v.id}-{index}",
        "id": v.id,
        "source": {"name": "OSV", "url": f"https://osv.dev/vulnerability/{v.id}"}
        if f.source == "osv"
        else {"name": "NVD", "url": f"https://nvd.nist.gov/vuln/detail/{v.id}"},
        "references": [{"id": a, "source": {"name": "alias"}} for a in v.aliases],
        "ratings": [],
        "description": v.summary or "",
        "affects": [],
        "properties": [{"name": "crakit:exploited", "value": str(v.exploited).lower()}],
    }
    if v.cvss_score is not None or v.severity != "unknown":
        rating: dict[str, Any] = {
            "severity": v.severity,
            "source": {"name": "OSV" if f.source == "osv" else "NVD"},
        }
        if v.cvss_score is not None:
            rating["score"] = v.cvss_score
        if v.cvss_vector:
            rating["vector"] = v.cvss_vector
            rating["method"] = _rating_method(v.cvss_vector)
        vuln["ratings"].append(rating)
    if f.method != "purl":
        vuln["properties"].append(
            {"name": "crakit:match", "value": f"{f.method} ({f.source}), {f.confidence}"}
        )
    for e in v.euvd:
        vuln["properties"].append(
            {"name": "crakit:euvd_listing", "value": f"{e.cve} {e.euvd_id or ''} {e.date or ''}"}
        )
    if v.kev:
        vuln["properties"].append({"name": "crakit:kev_date_added", "value": v.kev[0].date_added or ""})
        for k in v.kev:
            vuln["properties"].append(
                {"name": "crakit:kev_listing", "value": f"{k.cve} via {k.via} ({k.link})"}
            )
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
    return vuln


def scan_to_vdr(result: ScanResult, *, show_suppressed: bool = True) -> dict[str, Any]:
    """One CycloneDX vulnerability per flaw and triage state, its affected components in ``affects``."""
    components: dict[str, dict[str, Any]] = {}
    vulns: dict[tuple[str, str, str | None], dict[str, Any]] = {}
    for f in result.findings:
        if f.suppressed and not show_suppressed:
            continue
        if f.key not in components:
            component: dict[str, Any] = {
                "type": "library",
                "bom-ref": f.key,
                "name": f.component.name,
                "version": f.component.version or "",
            }
            if f.purl:
                component["purl"] = f.purl
            if f.cpe:  # a CPE finding: the component is identified by its CPE
                component["cpe"] = f.cpe
            components[f.key] = component
        key = (f.id, f.status, f.justification)
        vuln = vulns.get(key)
        if vuln is None:
            vuln = vulns[key] = _vulnerability(f, len(vulns))
        vuln["affects"].append(
            {
                "ref": f.key,
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
            # Components that were not checked at all (no purl, invalid or unsupported purl).
            "properties": [{"name": "crakit:components_skipped", "value": str(len(result.skipped))}]
            + [
                {"name": "crakit:skipped", "value": f"{s.name} ({s.purl or 'no purl'}): {s.reason}"}
                for s in result.skipped
            ],
        },
        "components": list(components.values()),
        "vulnerabilities": list(vulns.values()),
    }


def write_vdr(result: ScanResult, out: BinaryIO, *, show_suppressed: bool = True) -> None:
    out.write(orjson.dumps(scan_to_vdr(result, show_suppressed=show_suppressed)))
