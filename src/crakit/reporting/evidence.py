"""The SBOM component and scan finding a case is about, snapshotted as evidence.

Findings are read from the JSON contract of ``crakit scan --format json``
(``{"findings": [{"purl", "id", "aliases", "severity", "fixed", "exploited", "kev_date_added", "status"}]}``),
so a case can be opened from a scan run elsewhere.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crakit.readlimit import read_limited
from crakit.reporting.errors import ReportingError

MAX_FINDINGS_BYTES = 64 * 1024 * 1024


# The fields a report reads, and the JSON types the scan contract gives them (None: null).
_TEXT = ("purl", "severity", "status", "summary", "kev_date_added", "justification")
_LISTS = ("aliases", "fixed", "kev_cves")


def load_findings(path: Path) -> list[dict[str, Any]]:
    """The findings of a ``crakit scan --format json`` file (read through the one bounded read:
    a pipe or a device is refused, not waited on)."""
    data = read_limited(path, MAX_FINDINGS_BYTES, "findings file", ReportingError)
    try:
        data = json.loads(data)
    except (ValueError, RecursionError):
        raise ReportingError(
            f"{path}: not JSON", hint="pass the output of `crakit scan --format json`"
        ) from None
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise ReportingError(
            f'{path}: no "findings" list', hint="pass the output of `crakit scan --format json`"
        )
    result = []
    for index, item in enumerate(findings):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ReportingError(f'{path}: finding #{index + 1} has no string "id"')
        for key in _TEXT:
            if item.get(key) is not None and not isinstance(item[key], str):
                raise ReportingError(f'{path}: finding #{index + 1} has a "{key}" that is not text')
        for key in _LISTS:
            value = item.get(key)
            if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise ReportingError(f'{path}: finding #{index + 1} has a "{key}" that is not a list of text')
        if item.get("component") is not None and not isinstance(item["component"], dict):
            raise ReportingError(f'{path}: finding #{index + 1} has a "component" that is not an object')
        result.append(item)
    return result


def finding_snapshot(item: dict[str, Any]) -> dict[str, Any]:
    """The parts of a finding a report needs, as plain JSON."""
    component = item.get("component")
    aliases = item.get("aliases") or []
    fixed = item.get("fixed") or []
    return {
        "id": str(item["id"]),
        "aliases": [str(a) for a in aliases] if isinstance(aliases, list) else [],
        "purl": item.get("purl"),
        "severity": item.get("severity"),
        "cvss_score": item.get("cvss_score"),
        "fixed": [str(f) for f in fixed] if isinstance(fixed, list) else [],
        "exploited": bool(item.get("exploited")),
        # The CVEs KEV lists for this finding, also those reached only through the record's
        # ``related`` ids (e.g. PYSEC-2023-183 -> CVE-2023-4863): the CVE an Art 14 report names.
        "kev_cves": [str(c) for c in item.get("kev_cves") or [] if isinstance(c, str)],
        "kev_date_added": item.get("kev_date_added"),
        "status": item.get("status"),
        "summary": item.get("summary"),
        "component": component if isinstance(component, dict) else None,
    }


def cve_of(finding: dict[str, Any], wanted: str | None = None) -> str | None:
    """The CVE a report about ``finding`` names: the one asked for, else the record's own (id or
    alias), else the one CVE that KEV lists for it through a related id."""
    names = [finding.get("id"), *finding.get("aliases", [])]
    kev_cves = [c.upper() for c in finding.get("kev_cves") or [] if isinstance(c, str)]
    if wanted is not None and wanted.strip().upper().startswith("CVE-"):
        target = wanted.strip().upper()
        if target in kev_cves or target in (str(n).upper() for n in names):
            return target
    for name in names:
        if isinstance(name, str) and name.upper().startswith("CVE-"):
            return name.upper()
    return kev_cves[0] if len(kev_cves) == 1 else None


def _pick(findings: list[dict[str, Any]], wanted: str) -> dict[str, Any]:
    """The finding named ``wanted``: by its id or an alias, else by a CVE that KEV lists for it
    (a record that points at the exploited CVE only through ``related``)."""
    target = wanted.strip().upper()
    for item in findings:
        names = [str(item.get("id", ""))] + [str(a) for a in item.get("aliases") or []]
        if target in (n.upper() for n in names):
            return item
    for item in findings:
        if target in (str(c).upper() for c in item.get("kev_cves") or []):
            return item
    raise ReportingError(f"finding {wanted!r} is not in the findings file")


def _component_from_sbom(sbom_file: Path, wanted: str) -> dict[str, Any]:
    from crakit.sbom import read_sbom

    sbom = read_sbom(sbom_file)
    for component in sbom.components:
        label = f"{component.name}@{component.version}" if component.version else component.name
        # A purl without a version names the component's own, as the scanner reports it.
        shipped = component.shipped_purl
        if wanted in (component.purl, shipped, component.name, label, component.ref):
            return {
                "name": component.name,
                "version": component.version,
                "purl": shipped,
                "supplier": component.supplier,
                "sbom": str(sbom_file),
            }
    raise ReportingError(
        f"component {wanted!r} is not in {sbom_file}", hint="give its purl, name or name@version"
    )


def component_label(component: dict[str, Any]) -> str:
    name = str(component.get("name") or component.get("purl") or "")
    version = component.get("version")
    return f"{name} {version}" if version else name


def gather_evidence(
    *, findings_file: Path | None, finding_id: str | None, sbom_file: Path | None, component: str | None
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Evidence to store with a case, and the form fields it implies (CVE id, component)."""
    evidence: dict[str, Any] = {}
    implied: list[tuple[str, str]] = []
    if finding_id and not findings_file:
        raise ReportingError("--finding needs --findings FILE (the output of `crakit scan --format json`)")
    if findings_file:
        findings = load_findings(findings_file)
        if finding_id is None:
            if len(findings) != 1:
                raise ReportingError(
                    f"{findings_file} holds {len(findings)} findings", hint="choose one with --finding ID"
                )
            chosen = findings[0]
        else:
            chosen = _pick(findings, finding_id)
        snapshot = finding_snapshot(chosen)
        evidence["finding"] = snapshot
        cve = cve_of(snapshot, finding_id)
        if cve:
            implied.append(("cve_id", cve))
    if sbom_file and component:
        evidence["component"] = _component_from_sbom(sbom_file, component)
    elif component:
        evidence["component"] = {"name": component}
    elif sbom_file:
        raise ReportingError("--sbom needs --component (purl, name or name@version)")
    elif "finding" in evidence:
        found = evidence["finding"]
        comp = found.get("component") or {}
        if comp or found.get("purl"):
            evidence["component"] = {
                "name": comp.get("name"),
                "version": comp.get("version"),
                "purl": found.get("purl"),
            }
    if "component" in evidence:
        label = component_label(evidence["component"])
        if label:
            implied.append(("component", label[:255]))
    return evidence, implied
