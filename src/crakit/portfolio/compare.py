"""Compare two versions of a product: components, findings and triage added and removed
(what an upgrade fixed, what it brought in, and which decisions no longer apply)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.portfolio.models import ComponentRow, FindingRow, TriageRow, VersionRow


@dataclass(frozen=True, slots=True)
class Comparison:
    base: str
    head: str
    components_added: tuple[str, ...]
    components_removed: tuple[str, ...]
    findings_added: tuple[tuple[str, str], ...]  # (vulnerability id, purl)
    findings_removed: tuple[tuple[str, str], ...]
    triage_added: tuple[tuple[str, str, str], ...]  # (vulnerability id, purl, state)
    triage_removed: tuple[tuple[str, str, str], ...]

    def to_json(self) -> dict[str, Any]:
        def findings(items: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
            return [{"id": vid, "purl": purl} for vid, purl in items]

        def triage(items: tuple[tuple[str, str, str], ...]) -> list[dict[str, str]]:
            return [{"id": vid, "purl": purl, "state": state} for vid, purl, state in items]

        return {
            "base": self.base,
            "head": self.head,
            "components": {"added": list(self.components_added), "removed": list(self.components_removed)},
            "findings": {"added": findings(self.findings_added), "removed": findings(self.findings_removed)},
            "triage": {"added": triage(self.triage_added), "removed": triage(self.triage_removed)},
        }


def _state(
    session: Session, version: VersionRow
) -> tuple[set[str], set[tuple[str, str]], set[tuple[str, str, str]]]:
    components = set(session.scalars(select(ComponentRow.purl).where(ComponentRow.version_id == version.id)))
    findings = {
        (vid, purl)
        for vid, purl in session.execute(
            select(FindingRow.vuln_id, FindingRow.purl).where(FindingRow.version_id == version.id)
        )
    }
    triage = {
        (vid, purl, state)
        for vid, purl, state in session.execute(
            select(TriageRow.vuln_id, TriageRow.purl, TriageRow.state).where(
                TriageRow.version_id == version.id
            )
        )
    }
    return components, findings, triage


def compare_versions(session: Session, base: VersionRow, head: VersionRow) -> Comparison:
    """What changed from ``base`` to ``head`` (two versions of one product)."""
    bc, bf, bt = _state(session, base)
    hc, hf, ht = _state(session, head)
    return Comparison(
        base.version,
        head.version,
        tuple(sorted(hc - bc)),
        tuple(sorted(bc - hc)),
        tuple(sorted(hf - bf)),
        tuple(sorted(bf - hf)),
        tuple(sorted(ht - bt)),
        tuple(sorted(bt - ht)),
    )
