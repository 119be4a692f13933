"""Art 14 cases opened from alerts, in the workspace store's case file (crakit.reporting).

The awareness time (Art 14(1): the clock's start) defaults to the alert's detection time; a
user who became aware earlier (or later, when the detection was not seen) may correct it. The
case history keeps the detection time in the case's evidence and the awareness time used, so
both stay on the record.
"""

from __future__ import annotations

from datetime import datetime

from crakit.portfolio.alerts import get_alert, link_case
from crakit.portfolio.errors import Conflict, PortfolioError
from crakit.portfolio.models import VersionRow
from crakit.store import Store, append


def open_case_from_alert(
    store: Store,
    organisation_id: int,
    alert_id: int,
    *,
    aware_at: datetime | None,
    actor: str,
    now: datetime,
) -> int:
    """Open an Art 14(1) vulnerability case from an exploited alert; returns the case id."""
    from crakit.reporting import Kind, NewCase, open_case

    with store.transaction(write=False) as session:
        alert = get_alert(session, organisation_id, alert_id)
        facts = dict(session.get_one(VersionRow, alert.version_id).facts)
    if not alert.exploited:
        raise PortfolioError(
            f"alert {alert_id} says the version is affected, not actively exploited: an Art 14(1) case "
            "is for actively exploited vulnerabilities"
        )
    if alert.case_id is not None:
        raise Conflict(f"alert {alert_id} already opened Art 14 case {alert.case_id}")
    aware = aware_at or alert.detected_at
    cve = next((a for a in (alert.id, *alert.aliases) if a.startswith("CVE-")), alert.id)
    product = {
        "name": alert.product,
        "version": alert.version,
        "manufacturer": facts.get("manufacturer"),
        "role": facts.get("role"),
        "category": facts.get("category"),
        "support_end": facts.get("support_end"),
        "csirt_route": facts.get("csirt_route"),
        "member_states": facts.get("member_states", []),
    }
    evidence = {
        "source": "crakit workbench alert",
        "alert_id": alert.alert_id,
        "purl": alert.purl,
        "vulnerability": alert.id,
        "aliases": list(alert.aliases),
        "kev": list(alert.kev),
        "detected_at": alert.detected_at.isoformat(),
        "aware_at_corrected": aware != alert.detected_at,
    }
    case = open_case(
        store,
        NewCase(
            kind=Kind.VULNERABILITY,
            aware_at=aware,
            title=f"Actively exploited vulnerability in {alert.product} {alert.version} ({cve})"[:255],
            product=product,
            evidence=evidence,
        ),
        actor=actor,
        now=now,
    )
    with store.transaction() as session:
        link_case(session, organisation_id, alert_id, int(case.id))
        append(
            session,
            "workbench-alert",
            str(alert_id),
            at=now,
            actor=actor,
            action="case-opened",
            detail={
                "case_id": int(case.id),
                "detected_at": alert.detected_at.isoformat(),
                "aware_at": aware.isoformat(),
            },
        )
    return int(case.id)
