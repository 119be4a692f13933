"""Awareness from data: scan findings that are known exploited, as candidates for a case.

Only a listing in a known-exploited catalogue (CISA KEV / EU KEV) makes a finding a
candidate: an actively exploited vulnerability needs reliable evidence of exploitation
(CRA Art 3(42), Art 14(1); Commission FAQ 5.2). A high CVSS score alone never does.
Findings a VEX statement marks not_affected or fixed are left out: a vulnerability that
cannot be exploited in the product is not reportable for it (Commission FAQ 5.4).
The manufacturer decides; crakit only lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from crakit.reporting.evidence import cve_of

SUPPRESSED = frozenset({"not_affected", "fixed"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """A known exploited vulnerability in a component version the manufacturer ships."""

    id: str
    aliases: tuple[str, ...]
    cve: str | None
    purl: str | None
    component: str | None
    version: str | None
    severity: str | None
    kev_date_added: str | None
    fixed: tuple[str, ...]
    status: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "cve": self.cve,
            "aliases": list(self.aliases),
            "purl": self.purl,
            "component": self.component,
            "version": self.version,
            "severity": self.severity,
            "kev_date_added": self.kev_date_added,
            "fixed": list(self.fixed),
            "status": self.status,
            "why": "listed as known exploited"
            + (f" since {self.kev_date_added}" if self.kev_date_added else "")
            + "; decide whether it is actively exploited in your product (Art 14(1))",
        }


@dataclass(frozen=True, slots=True)
class CandidateReport:
    candidates: tuple[Candidate, ...]
    considered: int
    not_exploited: int
    suppressed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": [c.to_json() for c in self.candidates],
            "considered": self.considered,
            "not_exploited": self.not_exploited,
            "suppressed_by_vex": self.suppressed,
            "note": (
                "Candidates are findings listed as known exploited (KEV) in component versions your SBOMs "
                "declare. Severity alone never makes a candidate. Open a case with `crakit report open` once "
                "you have decided (the 24-hour clock runs from awareness, Art 14(2)(a))."
            ),
        }


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def find_candidates(findings: Iterable[Mapping[str, Any]]) -> CandidateReport:
    """Pick the known exploited findings (the ``crakit scan --format json`` finding contract)."""
    chosen: dict[tuple[str, str | None], Candidate] = {}
    considered = not_exploited = suppressed = 0
    for item in findings:
        considered += 1
        if item.get("exploited") is not True:
            not_exploited += 1
            continue
        if item.get("status") in SUPPRESSED:
            suppressed += 1
            continue
        component = item.get("component") if isinstance(item.get("component"), Mapping) else {}
        aliases = tuple(str(a) for a in item.get("aliases") or ())
        candidate = Candidate(
            id=str(item.get("id")),
            aliases=aliases,
            # The CVE KEV lists first, when the scan says which; else the first CVE among the names.
            cve=(item.get("kev_cves") or [None])[0]
            or cve_of({"id": item.get("id"), "aliases": list(aliases)}),
            purl=_text(item.get("purl")) or _text(item.get("cpe")),  # a CPE finding is keyed by its CPE
            component=_text(component.get("name")) if component else _text(item.get("package")),
            version=_text(component.get("version")) if component else _text(item.get("version")),
            severity=_text(item.get("severity")),
            kev_date_added=_text(item.get("kev_date_added")),
            fixed=tuple(str(f) for f in item.get("fixed") or ()),
            status=_text(item.get("status")),
        )
        chosen.setdefault((candidate.id, candidate.purl), candidate)
    ordered = sorted(chosen.values(), key=lambda c: (c.kev_date_added or "", c.id), reverse=True)
    return CandidateReport(tuple(ordered), considered, not_exploited, suppressed)
