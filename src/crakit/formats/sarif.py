"""SARIF 2.1.0 for code-scanning dashboards: one rule per vulnerability, one result per finding.

Results are written as bytes from parts cached per vulnerability and per component (see
:mod:`crakit.formats.scan_json` for why).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from crakit import __version__
from crakit.vulndb import Finding, ScanResult, Vulnerability

_LEVEL = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "note",
    "none": "note",
    "unknown": "warning",
}
_SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0", "none": "0.0", "unknown": "5.0"}


def _rule(v: Vulnerability) -> dict[str, Any]:
    return {
        "id": v.id,
        "name": v.id.replace("-", ""),
        "shortDescription": {"text": v.summary or v.id},
        "helpUri": f"https://osv.dev/vulnerability/{v.id}"
        if not (v.id.startswith("CVE-") and not v.aliases)
        else f"https://nvd.nist.gov/vuln/detail/{v.id}",
        "properties": {
            "security-severity": str(v.cvss_score) if v.cvss_score is not None else _SCORE[v.severity],
            "tags": ["security", "vulnerability", *(["known-exploited"] if v.exploited else [])],
        },
    }


def _message(f: Finding) -> str:
    v = f.vulnerability
    text = f"{f.key} is affected by {v.id}"
    if v.aliases:
        text += f" ({', '.join(v.aliases)})"
    if v.kev:
        first = v.kev[0]
        text += f"; known exploited (CISA KEV, added {first.date_added}"
        text += f", via {first.via} {first.link})" if first.link == "related" else ")"
    if v.euvd:
        text += f"; known exploited (ENISA EUVD {v.euvd[0].euvd_id or ''}, since {v.euvd[0].date or '?'})"
    if f.method != "purl":
        text += f"; matched by {f.method} ({f.source}), {f.confidence} confidence"
        if f.condition:
            text += f", {f.condition}"
        if f.modules:
            text += f"; also in {', '.join(f.modules)}"
    text += f"; fixed in {', '.join(f.fixed)}" if f.fixed else "; no fixed version known"
    return text


def iter_sarif(result: ScanResult, *, show_suppressed: bool = False) -> Iterator[bytes]:
    shown = [f for f in result.findings if show_suppressed or not f.suppressed]
    rules: dict[str, dict[str, Any]] = {}
    for f in shown:
        if f.id not in rules:
            rules[f.id] = _rule(f.vulnerability)
    uri = orjson.dumps(result.sboms[0] if result.sboms else "sbom")
    head = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
    }
    driver = {
        "name": "crakit",
        "version": __version__,
        "informationUri": "https://example.invalid/crakit",
        "rules": list(rules.values()),
    }
    # Components that were not checked at all are tool notifications, so "no results" is never
    # misread as "nothing to find".
    invocation = {
        "executionSuccessful": True,
        "toolExecutionNotifications": [
            {
                "level": "warning",
                "descriptor": {"id": "crakit/component-not-checked"},
                "message": {
                    "text": f"{s.name} ({s.purl or 'no purl'}) was not checked: {s.reason}"
                    + (f" ({s.detail})" if s.detail else "")
                },
            }
            for s in result.skipped
        ],
    }
    yield (
        orjson.dumps(head)[:-1]
        + b',"runs":[{"tool":{"driver":'
        + orjson.dumps(driver)
        + b'},"invocations":['
        + orjson.dumps(invocation)
        + b'],"results":['
    )
    purls: dict[str, bytes] = {}
    for i, f in enumerate(shown):
        purl = purls.get(f.key)
        if purl is None:
            purl = purls[f.key] = orjson.dumps(f.key)
        level = "error" if f.exploited else _LEVEL[f.severity]
        suppression = (
            b',"suppressions":[{"kind":"external","justification":'
            + orjson.dumps(f.justification or f.status)
            + b"}]"
            if f.suppressed
            else b""
        )
        yield (
            (b"," if i else b"")
            + b'{"ruleId":'
            + orjson.dumps(f.id)
            + b',"level":"'
            + level.encode()
            + b'","message":{"text":'
            + orjson.dumps(_message(f))
            + b'},"locations":[{"physicalLocation":{"artifactLocation":{"uri":'
            + uri
            + b'}},"logicalLocations":[{"name":'
            + purl
            + b',"kind":"package"}]}],"partialFingerprints":{"crakit/v1":'
            + orjson.dumps(f"{f.key}|{f.id}")
            + b"}"
            + suppression
            + b"}"
        )
    yield b"]}]}"


def write_sarif(result: ScanResult, out: BinaryIO, *, show_suppressed: bool = False) -> None:
    out.writelines(iter_sarif(result, show_suppressed=show_suppressed))
