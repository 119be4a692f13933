"""The JSON document of ``crakit scan --format json`` (the contract) and of ``crakit db info``.

A finding is written from three parts: its component's (purl, ecosystem, package, version,
component), its vulnerability's (ids, severity, KEV) and its own (fixed, VEX status). The first
two are serialised once per component and once per vulnerability and reused for every finding
that shares them, so a findings-dense report of 100,000 components costs a byte concatenation
per finding, not a dictionary and a serialisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from operator import attrgetter
from typing import Any, BinaryIO

import orjson

from crakit.vulndb import DatabaseInfo, Finding, GateOutcome, ScanResult, Vulnerability

_CHUNK = 4096  # findings per write


def info_to_json(info: DatabaseInfo) -> dict[str, Any]:
    data = asdict(info)
    data["ecosystems"] = dict(info.ecosystems)
    data["sources"] = [
        {"name": n, "location": loc, "imported_at": at, "records": r} for n, loc, at, r in info.sources
    ]
    return data


def _component_bytes(f: Finding) -> bytes:
    """``_component_part`` of a finding matched by purl, as JSON members (one dict, no copies:
    this runs once per component of a findings-dense SBOM)."""
    c = f.component
    return _inner(
        {
            "purl": f.purl,
            "ecosystem": f.ecosystem,
            "package": f.package,
            "version": f.version,
            "component": {"ref": c.ref, "name": c.name, "version": c.version},
        }
    )


def _component_part(f: Finding) -> dict[str, Any]:
    part: dict[str, Any] = {"purl": f.purl}
    if f.cpe is not None:  # a CPE finding: keyed by the CPE (the purl, if any, is the component's)
        part = {"purl": f.purl or None, "cpe": f.cpe}
    part.update(
        {
            "ecosystem": f.ecosystem,
            "package": f.package,
            "version": f.version,
            "component": {"ref": f.component.ref, "name": f.component.name, "version": f.component.version},
        }
    )
    if f.cpe is not None:
        part["modules"] = list(f.modules)  # further components with the same CPE and version
    return part


def _match_part(f: Finding) -> dict[str, Any]:
    """How the finding was matched: method (purl, cpe, derived-cpe, cve5-product), confidence
    (exact, high, low), the data it came from (osv, nvd, cve5) and any condition."""
    match: dict[str, Any] = {"method": f.method, "confidence": f.confidence, "source": f.source}
    if f.condition is not None:
        match["condition"] = f.condition
    return {"match": match}


def _vulnerability_part(v: Vulnerability) -> dict[str, Any]:
    first = v.kev[0] if v.kev else None
    return {
        "id": v.id,
        "aliases": list(v.aliases),
        "severity": v.severity,
        "cvss_vector": v.cvss_vector,
        "cvss_score": v.cvss_score,
        "summary": v.summary,
        "exploited": v.exploited,
        # Which exploited lists name it (CISA KEV, ENISA EUVD) and since when.
        "exploited_catalogues": list(v.catalogues),
        "euvd": [
            {"cve": e.cve, "euvd_id": e.euvd_id, "date": e.date, "via": e.via, "link": e.link} for e in v.euvd
        ],
        "kev_date_added": first.date_added if first else None,
        "kev_due_date": first.due_date if first else None,
        "known_ransomware_use": any(k.ransomware for k in v.kev),
        "kev_cves": list(v.kev_cves),
        # How each KEV listing was reached: the record's own id, an alias, or a `related` id.
        "exploited_via": [
            {"cve": k.cve, "via": k.via, "link": k.link, "date_added": k.date_added} for k in v.kev
        ],
    }


# What :func:`_vulnerability_part` writes after ``summary`` for a flaw on no exploited list.
_NOT_EXPLOITED = (
    b',"exploited":false,"exploited_catalogues":[],"euvd":[],"kev_date_added":null,'
    b'"kev_due_date":null,"known_ransomware_use":false,"kev_cves":[],"exploited_via":[]'
)


def _vulnerability_bytes(v: Vulnerability) -> bytes:
    """:func:`_vulnerability_part`'s members as JSON; most flaws are on no exploited list, and
    their second half is always the same bytes."""
    if v.kev or v.euvd:
        return _inner(_vulnerability_part(v))
    head = {
        "id": v.id,
        "aliases": v.aliases,
        "severity": v.severity,
        "cvss_vector": v.cvss_vector,
        "cvss_score": v.cvss_score,
        "summary": v.summary,
    }
    return _inner(head) + _NOT_EXPLOITED


def _own_part(f: Finding) -> dict[str, Any]:
    return {
        "fixed": list(f.fixed),
        "status": f.status,
        "justification": f.justification,
        "vex_source": f.vex_source,
    }


def finding_to_json(f: Finding) -> dict[str, Any]:
    """The stable JSON contract of one finding (``crakit scan --format json``)."""
    return {**_component_part(f), **_vulnerability_part(f.vulnerability), **_match_part(f), **_own_part(f)}


def _inner(obj: dict[str, Any]) -> bytes:
    return orjson.dumps(obj)[1:-1]  # the members, without the braces


class _Writer:
    """Serialises findings from cached component and vulnerability parts."""

    def __init__(self) -> None:
        self.components: dict[object, bytes] = {}
        self.vulnerabilities: dict[int, bytes] = {}
        self.fixed: dict[tuple[str, ...], bytes] = {}
        self.matches: dict[tuple[str, str, str, str | None], bytes] = {}

    def chunk(self, findings: Sequence[Finding]) -> bytes:
        """The findings as comma-separated JSON objects, joined once (no copy per part)."""
        parts: list[bytes] = []
        append = parts.append
        components, vulnerabilities, fixed_parts = self.components, self.vulnerabilities, self.fixed
        matches = self.matches
        for f in findings:
            cpe = f.cpe
            ckey: object = f.purl if cpe is None else (cpe, id(f.component), f.modules)
            comp = components.get(ckey)
            if comp is None:
                inner = _component_bytes(f) if cpe is None else _inner(_component_part(f))
                comp = components[ckey] = b",{" + inner + b","
            vuln = vulnerabilities.get(id(f.vulnerability))
            if vuln is None:
                vuln = vulnerabilities[id(f.vulnerability)] = _vulnerability_bytes(f.vulnerability)
            mkey = (f.method, f.confidence, f.source, f.condition)
            match = matches.get(mkey)
            if match is None:
                match = matches[mkey] = b"," + _inner(_match_part(f))
            fixed = fixed_parts.get(f.fixed)
            if fixed is None:
                fixed = fixed_parts[f.fixed] = b',"fixed":' + orjson.dumps(list(f.fixed))
            append(comp)
            append(vuln)
            append(match)
            append(fixed)
            if f.status == "affected" and f.justification is None and f.vex_source is None:
                append(_UNTRIAGED)
            else:
                append(
                    b","
                    + _inner(
                        {"status": f.status, "justification": f.justification, "vex_source": f.vex_source}
                    )
                    + b"}"
                )
        return b"".join(parts)


_UNTRIAGED = b',"status":"affected","justification":null,"vex_source":null}'


def _skipped(result: ScanResult) -> list[dict[str, Any]]:
    return [
        {"ref": s.ref, "name": s.name, "purl": s.purl, "reason": s.reason, "detail": s.detail}
        for s in result.skipped
    ]


_CONFIDENCE = attrgetter("confidence")
_SEVERITY = attrgetter("vulnerability.severity")
_VULNERABILITY = attrgetter("vulnerability")


def _rest(result: ScanResult, gate: GateOutcome | None, active: list[Finding]) -> dict[str, Any]:
    """Everything but the findings list (``active``: the findings VEX does not suppress)."""
    # Counted in C (Counter over map): a findings-dense scan has hundreds of thousands.
    by_confidence = Counter(map(_CONFIDENCE, active))
    by_severity = Counter(map(_SEVERITY, active))
    exploited = sum(1 for v in map(_VULNERABILITY, active) if v.kev or v.euvd)
    return {
        "summary": {
            "sboms": list(result.sboms),
            "components": result.components,
            "components_without_purl": result.components_without_purl,
            "components_checked_by_cpe": result.cpe_checked,
            "by_confidence": dict(by_confidence),
            "components_skipped": len(result.skipped),
            "findings": len(active),
            "exploited": exploited,
            "by_severity": dict(by_severity),
            "suppressed": len(result.findings) - len(active),
            "not_evaluated": len(result.unevaluated),
        },
        "not_evaluated": [
            {"purl": u.purl, "id": u.id, "reason": u.reason}
            if not u.purl.startswith("cpe:")
            else {"purl": None, "cpe": u.purl, "id": u.id, "reason": u.reason}  # a CPE-matched component
            for u in result.unevaluated
        ],
        "skipped_components": _skipped(result),
        "unsupported_purl_types": list(result.unsupported),
        "uncovered_ecosystems": dict(result.uncovered),
        "vex_unmatched": [
            {
                "source": n.source,
                "vulnerability": n.vulnerability,
                "products": list(n.products),
                "status": n.status,
            }
            for n in result.vex_unmatched
        ],
        "database": info_to_json(result.database) if result.database else None,
        "gate": None
        if gate is None
        else {
            "fail_on": gate.fail_on,
            "tripped": gate.tripped,
            "reason": gate.message,
            "unknown_severity": gate.unknown_severity,
            "unknown_severity_counted": gate.unknown_counted,
            "exploited_below_confidence": gate.exploited_below_confidence,
        },
    }


def iter_scan_json(
    result: ScanResult, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> Iterator[bytes]:
    """The scan document, compact, a few thousand findings at a time: ``findings`` (suppressed
    ones only on request) first, then the summary and what could not be checked."""
    active = result.active()
    shown = result.findings if show_suppressed else active
    writer = _Writer()
    yield b'{"findings":['
    for start in range(0, len(shown), _CHUNK):
        chunk = writer.chunk(shown[start : start + _CHUNK])
        yield chunk[1:] if start == 0 else chunk  # each object is preceded by a comma
    yield b"],"
    yield orjson.dumps(_rest(result, gate, active))[1:]  # the rest of the object, from after its "{"


def write_scan_json(
    result: ScanResult, out: BinaryIO, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> None:
    out.writelines(iter_scan_json(result, gate, show_suppressed=show_suppressed))


def scan_to_json(
    result: ScanResult, gate: GateOutcome | None = None, *, show_suppressed: bool = False
) -> dict[str, Any]:
    """The same document as one JSON-ready object."""
    decoded: dict[str, Any] = orjson.loads(
        b"".join(iter_scan_json(result, gate, show_suppressed=show_suppressed))
    )
    return decoded
