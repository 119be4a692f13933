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

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from crakit.portfolio.alerts import record_alerts
from crakit.portfolio.errors import PortfolioError
from crakit.portfolio.models import AlertRow, ComponentRow, FindingRow, SbomRow, TriageRow, VersionRow
from crakit.portfolio.suppression import active_rules
from crakit.sbom import Component, CpeError, PurlError, Sbom, decode_purl, parse_cpe, to_cpe23, with_version
from crakit.vulndb import Finding, VulnDatabase

_CHUNK = 500  # bound parameters per IN (...) list
_FULL_PASS = 5000  # touched packages beyond which one pass over all components beats index probes
# Triage states after which a finding no longer alerts (OpenVEX: the product is not affected, or fixed).
_QUIET = frozenset({"not_affected", "false_positive", "resolved", "resolved_with_pedigree"})


def _chunks(items: Sequence[object], size: int = _CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class Uploaded:
    sbom_id: int
    components: int
    findings: int
    alerts: tuple[int, ...]
    skipped: int = 0  # components with no purl, no CPE and no name and version: not checked


# Components without a purl are kept too, keyed by what the scanner can match them by (issue 15):
# the SBOM's own CPE (as a CPE 2.3 string), else "name@version" (the alias table may derive a CPE).
# Their key sits in the ``purl`` column beside real purls; ``ecosystem`` says which kind it is.
CPE_KEY, NAME_KEY = "cpe", "name"


def component_key(comp: Component) -> tuple[str, str | None, str | None, str | None] | None:
    """(key, ecosystem, package, source package) of a component, or ``None`` when nothing in it can
    be matched (no purl, no CPE, no name and version)."""
    if comp.purl:
        # A purl without a version is completed with the component's: the stored key is what is
        # matched again later, and two versions shipped under one versionless purl are two keys.
        key = with_version(comp.purl, comp.version)
        return (key, *_package_keys(key))
    for text in comp.cpes or ((comp.cpe,) if comp.cpe else ()):
        try:
            name = to_cpe23(text)
            wfn = parse_cpe(name)
        except CpeError:
            continue
        return name, CPE_KEY, f"{wfn.vendor}:{wfn.product}".lower(), None
    if comp.name and comp.version:
        return f"{comp.name}@{comp.version}", NAME_KEY, comp.name.lower(), None
    return None


def _component_of(key: str, name: str | None, version: str | None) -> Component:
    """The component the scanner is given for a stored key (``ref`` is the key: findings map back)."""
    if key.startswith("cpe:2.3:"):
        return Component(key, name or key, version, cpes=(key,))
    if key.startswith("pkg:"):  # a key stored without a version is read at the stored one
        return Component(key, key, version, purl=key)
    base, _, ver = key.rpartition("@")
    return Component(key, name or base, version or ver)


def _versionless(purl: str) -> bool:
    try:
        return decode_purl(purl).version is None
    except PurlError:
        return False


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
    skipped = 0
    batch: list[dict[str, object]] = []
    for comp in components:
        keyed = component_key(comp)
        if keyed is None or len(keyed[0]) > 2000:
            skipped += 1  # reported: a component nothing can match is not a clean one
            continue
        key, ecosystem, package, source = keyed
        if key in seen:
            continue
        seen.add(key)
        batch.append(
            {
                "version_id": version.id,
                "sbom_id": row.id,
                "name": (comp.name or "")[:500],
                "version": (comp.version or "")[:200] or None,
                "purl": key,
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
    return Uploaded(row.id, len(seen), int(total), tuple(alerts), skipped)


def parse_upload(data: bytes) -> Sbom:
    """Read an uploaded SBOM (every format crakit reads: CycloneDX JSON/XML, SPDX 2/3)."""
    from crakit.sbom import parse_sbom

    if not data.strip():
        raise PortfolioError("the request body is empty: send the SBOM document")
    sbom = parse_sbom(data, "upload")
    _refuse_nul(sbom)
    return sbom


def _refuse_nul(sbom: Sbom) -> None:
    """A NUL character is in no name, version or package URL (no URI holds one, RFC 3986), and a
    server database cannot store one: such a document is refused whole, saying where."""
    if "\x00" in (sbom.name or ""):
        raise PortfolioError("the SBOM's serial number holds a NUL character (\\u0000): fix the document")
    for n, comp in enumerate((*sbom.components, *([sbom.product] if sbom.product else [])), 1):
        for field in ("name", "version", "purl", "cpe"):
            if "\x00" in (getattr(comp, field) or ""):
                raise PortfolioError(
                    f"component {n} ({comp.name[:80]!r}): its {field} holds a NUL character (\\u0000): fix the document"
                )


def rematch(
    session: Session, db: VulnDatabase, purls_by_version: dict[int, list[str]], *, now: datetime
) -> list[int]:
    """Match these purls again and bring each version's findings for them up to date; returns
    the ids of the alerts raised (new findings, findings that became known exploited).

    Set-based: one scan for every distinct purl, then the stored findings, triage and alerts of
    those purls read in chunks and the changes written in bulk, so the cost follows the number of
    touched purls, not one round trip per finding (bench/monitor.py)."""
    from crakit.vulndb import scan

    everything = sorted({p for purls in purls_by_version.values() for p in purls})
    if not everything:
        return []
    targets = {(vid, purl) for vid, purls in purls_by_version.items() for purl in purls}
    # Name and version stored beside keys that are not purls, and beside purls stored without a
    # version (before versionless purls were completed with the component's version): such a
    # purl is matched at the version each product version stored, which may differ.
    stored: dict[tuple[int, str], tuple[str | None, str | None]] = {}
    plain = [key for key in everything if not key.startswith("pkg:") or _versionless(key)]
    for chunk in _chunks(plain):
        for vid, key, name, ver in session.execute(
            select(ComponentRow.version_id, ComponentRow.purl, ComponentRow.name, ComponentRow.version).where(
                ComponentRow.purl.in_(chunk)
            )
        ):
            stored.setdefault((vid, key), (name, ver))
    scanned_as: dict[tuple[int, str], str] = {}  # (version, stored key) -> the component scanned
    names: dict[str, tuple[str | None, str | None]] = {}
    for vid, key in sorted(targets):
        beside = stored.get((vid, key), (None, None))
        ref = scanned_as[(vid, key)] = with_version(key, beside[1]) if key.startswith("pkg:") else key
        names.setdefault(ref, beside)
    components = tuple(_component_of(ref, *names[ref]) for ref in sorted(names))
    result = scan([Sbom("cyclonedx", "1.6", "json", components)], db)
    by_purl: dict[str, dict[str, Finding]] = defaultdict(dict)
    module_keys = {f"{c.name} {c.version}".strip() if c.version else c.name: c.ref for c in components}
    for finding in result.findings:
        by_purl[finding.component.ref].setdefault(str(finding.id), finding)
        for module in finding.modules:  # components with the same CPE and version, folded into one
            if module in module_keys:
                by_purl[module_keys[module]].setdefault(str(finding.id), finding)
    existing: dict[tuple[int, str, str], tuple[int, bool]] = {}
    quiet: set[tuple[int, str, str]] = set()
    alerted: set[tuple[int, str, str, str]] = set()
    for chunk in _chunks(everything):
        for fid, vid, purl, vuln, exploited in session.execute(
            select(
                FindingRow.id,
                FindingRow.version_id,
                FindingRow.purl,
                FindingRow.vuln_id,
                FindingRow.exploited,
            ).where(FindingRow.purl.in_(chunk))
        ):
            if (vid, purl) in targets:
                existing[(vid, purl, vuln)] = (fid, exploited)
        for vid, purl, vuln, state in session.execute(
            select(TriageRow.version_id, TriageRow.purl, TriageRow.vuln_id, TriageRow.state).where(
                TriageRow.purl.in_(chunk)
            )
        ):
            if state in _QUIET:
                quiet.add((vid, purl, vuln))
        for vid, purl, vuln, kind in session.execute(
            select(AlertRow.version_id, AlertRow.purl, AlertRow.vuln_id, AlertRow.kind).where(
                AlertRow.purl.in_(chunk)
            )
        ):
            alerted.add((vid, purl, vuln, kind))
    organisation: dict[int, int] = {}
    product_of: dict[int, int] = {}
    for chunk in _chunks(sorted(purls_by_version)):
        for vid, org, product_id in session.execute(
            select(VersionRow.id, VersionRow.organisation_id, VersionRow.product_id).where(
                VersionRow.id.in_(chunk)
            )
        ):
            organisation[vid], product_of[vid] = org, product_id
    rules = active_rules(session, organisation.values(), now)
    inserts: list[dict[str, object]] = []
    updates: list[dict[str, object]] = []
    alerts: list[dict[str, object]] = []

    def alert(vid: int, purl: str, finding: Finding, kind: str) -> None:
        vuln = str(finding.id)
        if (vid, purl, vuln) in quiet or (vid, purl, vuln, kind) in alerted:
            return
        ids = (vuln, *finding.aliases)
        if any(rule.matches(product_of[vid], purl, ids) for rule in rules.get(organisation[vid], ())):
            return  # a suppression rule in force silences it
        alerted.add((vid, purl, vuln, kind))
        alerts.append(
            {
                "organisation_id": organisation[vid],
                "version_id": vid,
                "kind": kind,
                "purl": purl,
                "vuln_id": vuln,
                "aliases": list(finding.aliases),
                "kev": list(finding.kev_cves),
                "detected_at": now,
            }
        )

    for vid, purl in sorted(targets):
        for vuln, finding in by_purl.get(scanned_as[(vid, purl)], {}).items():
            exploited = bool(finding.exploited)
            values: dict[str, object] = {
                "aliases": list(finding.aliases),
                "severity": finding.severity,
                "summary": finding.summary,
                "fixed": list(finding.fixed),
                "exploited": exploited,
                "kev": list(finding.kev_cves),
            }
            found = existing.pop((vid, purl, vuln), None)
            if found is None:
                inserts.append(
                    {
                        **values,
                        "version_id": vid,
                        "purl": purl,
                        "vuln_id": vuln,
                        "first_seen": now,
                        "exploited_since": now if exploited else None,
                    }
                )
                alert(vid, purl, finding, "affected")
                if exploited:
                    alert(vid, purl, finding, "exploited")
                continue
            fid, was_exploited = found
            changed: dict[str, object] = {"id": fid, **values}
            if exploited and not was_exploited:
                changed["exploited_since"] = now
                alert(vid, purl, finding, "exploited")
            elif not exploited:
                changed["exploited_since"] = None
            updates.append(changed)
    gone = [fid for fid, _ in existing.values()]  # findings the new data no longer supports
    for chunk in _chunks(gone):
        session.execute(delete(FindingRow).where(FindingRow.id.in_(chunk)))
    if inserts:
        session.execute(insert(FindingRow), inserts)
    if updates:
        session.execute(update(FindingRow), updates)
    return record_alerts(session, alerts)


def components_of_packages(session: Session, packages: Iterable[tuple[str, str]]) -> dict[int, list[str]]:
    """version id -> purls of its components whose package (or source package) is one of ``packages``.

    A day's changes touch a few hundred packages: looked up by the (ecosystem, package) indexes in
    chunks. A first import touches every package: then one pass over the components is cheaper
    than thousands of index probes."""
    pairs = sorted(set(packages))
    out: dict[int, set[str]] = defaultdict(set)
    if len(pairs) > _FULL_PASS:
        wanted = set(pairs)
        query = select(
            ComponentRow.version_id,
            ComponentRow.purl,
            ComponentRow.ecosystem,
            ComponentRow.package,
            ComponentRow.source_package,
        ).where(ComponentRow.ecosystem.is_not(None))
        for version_id, purl, ecosystem, package, source in session.execute(
            query.execution_options(yield_per=20_000)
        ):
            if (ecosystem, package) in wanted or (source is not None and (ecosystem, source) in wanted):
                out[version_id].add(purl)
        return {vid: sorted(purls) for vid, purls in out.items()}
    names: dict[str, list[str]] = defaultdict(list)
    for ecosystem, name in pairs:
        names[ecosystem].append(name)
    for ecosystem, listed in sorted(names.items()):
        for chunk in _chunks(listed):
            # "ecosystem = ? AND package IN (...)": an index range scan on (ecosystem, package)
            for column in (ComponentRow.package, ComponentRow.source_package):
                probe = select(ComponentRow.version_id, ComponentRow.purl).where(
                    ComponentRow.ecosystem == ecosystem, column.in_(chunk)
                )
                for version_id, purl in session.execute(probe):
                    out[version_id].add(purl)
    return {vid: sorted(purls) for vid, purls in out.items()}


def components_without_purl(session: Session) -> dict[int, list[str]]:
    """version id -> keys of its CPE and name-and-version components.

    NVD and CVE 5 data are not keyed by OSV packages, so the package diff of the monitor cannot say
    which of these a change touches: they are matched again on every monitoring run (firmware
    SBOMs hold tens to hundreds of them, not the portfolio's millions of purls)."""
    out: dict[int, set[str]] = defaultdict(set)
    query = select(ComponentRow.version_id, ComponentRow.purl).where(
        ComponentRow.ecosystem.in_((CPE_KEY, NAME_KEY))
    )
    for version_id, key in session.execute(query.execution_options(yield_per=20_000)):
        out[version_id].add(key)
    return {vid: sorted(keys) for vid, keys in out.items()}
