"""Findings of the portfolio: SBOM components matched against the vulnerability database, kept
per version, and alerts raised when a version becomes affected or known exploited.

Upload: every component of the new SBOM is matched. Monitoring: only components whose package
an advisory or KEV change touched (:func:`crakit.vulndb.changes_since`) are matched again; each
component is matched once for every version that ships it (same purl, one scan).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from crakit.portfolio.alerts import raise_alert
from crakit.portfolio.errors import PortfolioError
from crakit.portfolio.models import ComponentRow, FindingRow, SbomRow, TriageRow, VersionRow
from crakit.sbom import Component, PurlError, Sbom
from crakit.vulndb import Finding, VulnDatabase

_CHUNK = 500  # bound parameters per IN (...) list
# Triage states after which a finding no longer alerts (OpenVEX: the product is not affected, or fixed).
_QUIET = frozenset({"not_affected", "fixed", "false_positive"})


def _chunks(items: Sequence[object], size: int = _CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class Uploaded:
    sbom_id: int
    components: int
    findings: int
    alerts: tuple[int, ...]


def _package_keys(purl: str) -> tuple[str | None, str | None, str | None]:
    from crakit.vulndb import package_ref

    try:
        ref = package_ref(purl)
    except PurlError:
        return None, None, None
    if ref is None:
        return None, None, None
    return ref.ecosystem, ref.name, ref.source[0] if ref.source else None


def add_sbom(
    session: Session, db: VulnDatabase, version: VersionRow, sbom: Sbom, *, actor: str, now: datetime
) -> Uploaded:
    """Store the SBOM's components under ``version`` and match them (``db``: an open
    :class:`crakit.vulndb.VulnDatabase`)."""
    components = [*sbom.components, *([sbom.product] if sbom.product is not None else [])]
    row = SbomRow(
        version_id=version.id,
        format=sbom.format,
        spec_version=sbom.spec_version,
        name=(sbom.name or "")[:500] or None,
        components=len(sbom.components),
        uploaded_at=now,
        uploaded_by=actor[:300],
    )
    session.add(row)
    session.flush()
    seen: set[str] = set()
    batch: list[dict[str, object]] = []
    for comp in components:
        if not comp.purl or comp.purl in seen or len(comp.purl) > 2000:
            continue
        seen.add(comp.purl)
        ecosystem, package, source = _package_keys(comp.purl)
        batch.append(
            {
                "version_id": version.id,
                "sbom_id": row.id,
                "name": (comp.name or "")[:500],
                "version": (comp.version or "")[:200] or None,
                "purl": comp.purl,
                "ecosystem": ecosystem,
                "package": package[:500] if package else None,
                "source_package": source[:500] if source else None,
            }
        )
        if len(batch) >= 5000:
            session.execute(insert(ComponentRow), batch)
            batch = []
    if batch:
        session.execute(insert(ComponentRow), batch)
    purls = sorted(
        session.scalars(select(ComponentRow.purl).where(ComponentRow.version_id == version.id).distinct())
    )
    alerts = rematch(session, db, {version.id: purls}, now=now)
    version.scanned_at = now
    total = session.scalar(select(func.count(FindingRow.id)).where(FindingRow.version_id == version.id)) or 0
    return Uploaded(row.id, len(seen), int(total), tuple(alerts))


def parse_upload(data: bytes) -> Sbom:
    """Read an uploaded SBOM (every format crakit reads: CycloneDX JSON/XML, SPDX 2/3)."""
    from crakit.sbom import parse_sbom

    if not data.strip():
        raise PortfolioError("the request body is empty: send the SBOM document")
    return parse_sbom(data, "upload")


def rematch(
    session: Session, db: VulnDatabase, purls_by_version: dict[int, list[str]], *, now: datetime
) -> list[int]:
    """Match these purls again and bring each version's findings for them up to date; returns
    the ids of the alerts raised (new findings, findings that became known exploited)."""
    from crakit.vulndb import scan

    everything = sorted({p for purls in purls_by_version.values() for p in purls})
    if not everything:
        return []
    result = scan([Sbom("cyclonedx", "1.6", "json", tuple(Component(p, p, purl=p) for p in everything))], db)
    by_purl: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_purl[finding.purl].append(finding)
    alerts: list[int] = []
    versions = {
        v.id: v for v in session.scalars(select(VersionRow).where(VersionRow.id.in_(list(purls_by_version))))
    }
    for version_id, purls in purls_by_version.items():
        alerts.extend(_sync(session, versions[version_id], purls, by_purl, now=now))
    return alerts


def _sync(
    session: Session,
    version: VersionRow,
    purls: list[str],
    by_purl: dict[str, list[Finding]],
    *,
    now: datetime,
) -> list[int]:
    existing: dict[tuple[str, str], FindingRow] = {}
    quiet: set[tuple[str, str]] = set()
    for chunk in _chunks(purls):
        for row in session.scalars(
            select(FindingRow).where(FindingRow.version_id == version.id, FindingRow.purl.in_(chunk))
        ):
            existing[(row.purl, row.vuln_id)] = row
        for purl, vid, state in session.execute(
            select(TriageRow.purl, TriageRow.vuln_id, TriageRow.state).where(
                TriageRow.version_id == version.id, TriageRow.purl.in_(chunk)
            )
        ):
            if state in _QUIET:
                quiet.add((purl, vid))
    alerts: list[int | None] = []
    current: set[tuple[str, str]] = set()
    for purl in purls:
        for finding in by_purl.get(purl, ()):
            vid = str(finding.id)
            key = (purl, vid)
            if key in current:
                continue
            current.add(key)
            exploited = bool(finding.exploited)
            kev = list(finding.kev_cves)
            found = existing.get(key)
            if found is None:
                aliases = list(finding.aliases)
                session.add(
                    FindingRow(
                        version_id=version.id,
                        purl=purl,
                        vuln_id=vid,
                        aliases=aliases,
                        severity=finding.severity,
                        summary=finding.summary,
                        fixed=list(finding.fixed),
                        exploited=exploited,
                        kev=kev,
                        first_seen=now,
                        exploited_since=now if exploited else None,
                    )
                )
                if key not in quiet:
                    alerts.append(raise_alert(session, version, "affected", purl, vid, aliases, kev, now=now))
                    if exploited:
                        alerts.append(
                            raise_alert(session, version, "exploited", purl, vid, aliases, kev, now=now)
                        )
                continue
            row = found
            became_exploited = exploited and not row.exploited
            row.aliases, row.severity, row.summary = list(finding.aliases), finding.severity, finding.summary
            row.fixed, row.kev, row.exploited = list(finding.fixed), kev, exploited
            if became_exploited:
                row.exploited_since = now
                if key not in quiet:
                    alerts.append(
                        raise_alert(session, version, "exploited", purl, vid, row.aliases, kev, now=now)
                    )
            elif not exploited:
                row.exploited_since = None
    gone = [row.id for key, row in existing.items() if key not in current]
    for chunk in _chunks(gone):
        session.execute(delete(FindingRow).where(FindingRow.id.in_(chunk)))
    session.flush()
    return [a for a in alerts if a is not None]


def components_of_packages(session: Session, packages: Iterable[tuple[str, str]]) -> dict[int, list[str]]:
    """version id -> purls of its components whose package (or source package) is one of ``packages``."""
    pairs = sorted(packages)
    out: dict[int, set[str]] = defaultdict(set)
    for chunk in _chunks(pairs, 400):
        query = select(ComponentRow.version_id, ComponentRow.purl).where(
            or_(
                tuple_(ComponentRow.ecosystem, ComponentRow.package).in_(chunk),
                tuple_(ComponentRow.ecosystem, ComponentRow.source_package).in_(chunk),
            )
        )
        for version_id, purl in session.execute(query):
            out[version_id].add(purl)
    return {vid: sorted(purls) for vid, purls in out.items()}
