"""VEX triage of findings, with every decision in the append-only, hash-chained history.

States, justifications and responses are those of CycloneDX VEX analysis; the OpenVEX export
maps them onto OpenVEX statuses. A decision is keyed by (version, component purl, vulnerability),
so it survives re-matching: the monitor replaces findings, never decisions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.portfolio.errors import NotFound, PortfolioError
from crakit.portfolio.models import FindingRow, ProductRow, TriageRow, VersionRow
from crakit.store import append, entries

# CycloneDX 1.6 vulnerability analysis vocabulary
STATES = ("in_triage", "exploitable", "resolved", "resolved_with_pedigree", "false_positive", "not_affected")
JUSTIFICATIONS = (
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
)
RESPONSES = ("can_not_fix", "will_not_fix", "update", "rollback", "workaround_available")
SUBJECT = "workbench-triage"
# CycloneDX analysis state -> OpenVEX status
_OPENVEX = {
    "in_triage": "under_investigation",
    "exploitable": "affected",
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "false_positive": "not_affected",
    "not_affected": "not_affected",
}
# CycloneDX justification -> OpenVEX justification
_OPENVEX_JUSTIFICATION = {
    "code_not_present": "vulnerable_code_not_present",
    "code_not_reachable": "vulnerable_code_not_in_execute_path",
    "requires_configuration": "vulnerable_code_cannot_be_controlled_by_adversary",
    "requires_dependency": "component_not_present",
    "requires_environment": "vulnerable_code_cannot_be_controlled_by_adversary",
    "protected_by_compiler": "inline_mitigations_already_exist",
    "protected_at_runtime": "inline_mitigations_already_exist",
    "protected_at_perimeter": "inline_mitigations_already_exist",
    "protected_by_mitigating_control": "inline_mitigations_already_exist",
}


@dataclass(frozen=True, slots=True)
class Decision:
    state: str
    justification: str | None = None
    response: str | None = None
    detail: str | None = None

    def check(self) -> None:
        if self.state not in STATES:
            raise PortfolioError(f"unknown triage state {self.state!r}; one of {', '.join(STATES)}")
        if self.justification is not None and self.justification not in JUSTIFICATIONS:
            raise PortfolioError(
                f"unknown justification {self.justification!r}; one of {', '.join(JUSTIFICATIONS)}"
            )
        if self.response is not None and self.response not in RESPONSES:
            raise PortfolioError(f"unknown response {self.response!r}; one of {', '.join(RESPONSES)}")
        if self.state == "not_affected" and self.justification is None:
            raise PortfolioError("'not_affected' needs a justification (CycloneDX VEX, OpenVEX)")
        if self.detail is not None and len(self.detail) > 4000:
            raise PortfolioError("the triage detail is limited to 4000 characters")


def _subject(version_id: int, purl: str, vuln_id: str) -> str:
    # history subject ids are at most 80 characters; a purl alone may be longer
    return f"{version_id}:" + hashlib.sha256(f"{purl}\n{vuln_id}".encode()).hexdigest()[:64]


def set_triage(
    session: Session,
    version: VersionRow,
    purl: str,
    vuln_id: str,
    decision: Decision,
    *,
    actor: str,
    now: datetime,
) -> None:
    """Record a decision on a current finding of ``version``; the history keeps every one."""
    decision.check()
    finding = session.scalar(
        select(FindingRow.id).where(
            FindingRow.version_id == version.id, FindingRow.purl == purl, FindingRow.vuln_id == vuln_id
        )
    )
    if finding is None:
        raise NotFound(f"version {version.version} has no finding {vuln_id} in {purl}")
    row = session.scalar(
        select(TriageRow)
        .where(TriageRow.version_id == version.id, TriageRow.purl == purl, TriageRow.vuln_id == vuln_id)
        .with_for_update()
    )
    before = None
    if row is None:
        row = TriageRow(version_id=version.id, purl=purl, vuln_id=vuln_id)
        session.add(row)
    else:
        before = {
            "state": row.state,
            "justification": row.justification,
            "response": row.response,
            "detail": row.detail,
        }
    row.state, row.justification, row.response, row.detail = (
        decision.state,
        decision.justification,
        decision.response,
        decision.detail,
    )
    row.decided_by, row.decided_at = actor[:300], now
    append(
        session,
        SUBJECT,
        _subject(version.id, purl, vuln_id),
        at=now,
        actor=actor,
        action="triaged",
        detail={
            "version_id": version.id,
            "purl": purl,
            "vulnerability": vuln_id,
            "before": before,
            "after": {
                "state": decision.state,
                "justification": decision.justification,
                "response": decision.response,
                "detail": decision.detail,
            },
        },
    )


def triage_history(session: Session, version: VersionRow, purl: str, vuln_id: str) -> list[dict[str, Any]]:
    return [
        {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "detail": e.detail}
        for e in entries(session, SUBJECT, _subject(version.id, purl, vuln_id))
    ]


@dataclass(frozen=True, slots=True)
class FindingView:
    purl: str
    id: str
    aliases: tuple[str, ...]
    severity: str
    summary: str | None
    fixed: tuple[str, ...]
    exploited: bool
    kev: tuple[str, ...]
    first_seen: datetime
    triage: dict[str, Any] | None
    suppressed_by: int | None = None  # the suppression rule in force that matches it

    def to_json(self) -> dict[str, Any]:
        return {
            "purl": self.purl,
            "id": self.id,
            "aliases": list(self.aliases),
            "severity": self.severity,
            "summary": self.summary,
            "fixed": list(self.fixed),
            "exploited": self.exploited,
            "kev": list(self.kev),
            "first_seen": self.first_seen.isoformat(),
            "triage": self.triage,
            "suppressed_by": self.suppressed_by,
        }


def findings_of(session: Session, version: VersionRow, now: datetime | None = None) -> list[FindingView]:
    from crakit.portfolio.suppression import active_rules

    rules = active_rules(session, [version.organisation_id], now or datetime.now(UTC)).get(
        version.organisation_id, []
    )
    triage = {
        (t.purl, t.vuln_id): {
            "state": t.state,
            "justification": t.justification,
            "response": t.response,
            "detail": t.detail,
            "decided_by": t.decided_by,
            "decided_at": t.decided_at.isoformat(),
        }
        for t in session.scalars(select(TriageRow).where(TriageRow.version_id == version.id))
    }
    rows = session.scalars(
        select(FindingRow)
        .where(FindingRow.version_id == version.id)
        .order_by(FindingRow.exploited.desc(), FindingRow.vuln_id, FindingRow.purl)
    )
    return [
        FindingView(
            r.purl,
            r.vuln_id,
            tuple(r.aliases),
            r.severity,
            r.summary,
            tuple(r.fixed),
            r.exploited,
            tuple(r.kev),
            r.first_seen,
            triage.get((r.purl, r.vuln_id)),
            next(
                (
                    rule.id
                    for rule in rules
                    if rule.matches(version.product_id, r.purl, (r.vuln_id, *r.aliases))
                ),
                None,
            ),
        )
        for r in rows
    ]


def openvex(session: Session, version: VersionRow, *, author: str, now: datetime) -> dict[str, Any]:
    """An OpenVEX 0.2.0 document of the version's triaged findings (untriaged ones are omitted)."""
    product = session.get_one(ProductRow, version.product_id)
    statements = []
    for finding in findings_of(session, version):
        if finding.triage is None:
            continue
        t = finding.triage
        statement: dict[str, Any] = {
            "vulnerability": {"name": finding.id, "aliases": list(finding.aliases)},
            "timestamp": t["decided_at"],
            "products": [{"@id": finding.purl}],
            "status": _OPENVEX[t["state"]],
        }
        if t["justification"] and statement["status"] == "not_affected":
            statement["justification"] = _OPENVEX_JUSTIFICATION[t["justification"]]
        if t["detail"]:
            key = "impact_statement" if statement["status"] == "not_affected" else "status_notes"
            statement[key] = t["detail"]
        if statement["status"] == "affected":
            statement["action_statement"] = t["response"] or "under review"
        statements.append(statement)
    return {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": f"urn:crakit:workbench:{product.id}:{version.id}:{int(now.timestamp())}",
        "author": author,
        "timestamp": now.isoformat(),
        "version": 1,
        "tooling": "crakit workbench",
        "statements": statements,
    }


def cyclonedx_vex(session: Session, version: VersionRow, *, now: datetime) -> dict[str, Any]:
    """A CycloneDX 1.6 VEX document of the version's triaged findings (``analysis`` per vulnerability)."""
    product = session.get_one(ProductRow, version.product_id)
    vulnerabilities = []
    for finding in findings_of(session, version):
        if finding.triage is None:
            continue
        t = finding.triage
        analysis: dict[str, Any] = {"state": t["state"]}
        if t["justification"]:
            analysis["justification"] = t["justification"]
        if t["response"]:
            analysis["response"] = [t["response"]]
        if t["detail"]:
            analysis["detail"] = t["detail"]
        analysis["lastUpdated"] = t["decided_at"]
        vulnerabilities.append(
            {
                "bom-ref": f"{finding.id}@{finding.purl}",
                "id": finding.id,
                "references": [{"id": alias, "source": {"name": "alias"}} for alias in finding.aliases],
                "analysis": analysis,
                "affects": [{"ref": finding.purl}],
            }
        )
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "timestamp": now.isoformat(),
            "component": {"type": "application", "name": product.name, "version": version.version},
            "tools": {"components": [{"type": "application", "name": "crakit workbench"}]},
        },
        "vulnerabilities": vulnerabilities,
    }
