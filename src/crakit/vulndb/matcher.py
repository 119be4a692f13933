"""Match SBOM components against the database: one finding per component and vulnerability.

Implements the check behind Annex I Part I(2)(a) (no known exploitable vulnerabilities when placed
on the market) and flags known exploited ones (CISA KEV), which start the Art 14(1) clock.

The scanner is pure: SBOMs and a database in, findings out. VEX triage is the caller's step
(:func:`crakit.vex.apply_statements`). Work is done once per distinct package version (:mod:`.inventory`):
each version is placed on its package's version line, prepared at import (:mod:`.package_index`),
or, where the index cannot be used, each advisory entry is decided for all versions at once
(:mod:`.per_entry`); the verdicts fan back out to the components.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import msgspec
import orjson

from crakit.sbom import Component, Sbom
from crakit.vulndb.fold import fold_findings
from crakit.vulndb.inventory import Package, hit, inventory
from crakit.vulndb.model import SEVERITY_ORDER, DatabaseInfo, Finding, ScanResult, Skipped, Unevaluated
from crakit.vulndb.package_index import DECODER as INDEX_DECODER
from crakit.vulndb.package_index import PackageIndex, interval_of, locate
from crakit.vulndb.per_entry import match_entry
from crakit.vulndb.records import DECODER
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.versions import scheme_for

_BATCH = 2000  # packages per database round trip (and per progress step)
MIN_SHARED = 3000  # components: below this sharing a scan among processes costs more than it saves


@dataclass(slots=True)
class OsvPass:
    """What matching a list of components by purl against OSV records gives (the whole scan's,
    or one share's: :mod:`.shards`)."""

    findings: list[Finding]  # in report order (exploited, severity, purl, id)
    unevaluated: list[Unevaluated]  # in the order found (sorted by the caller)
    skipped: list[tuple[int, Skipped]]  # (position in the components matched, entry), in that order
    unsupported: set[str]
    counts: dict[str, int]  # ecosystem the database lacks -> components


def covered(info: DatabaseInfo) -> frozenset[str]:
    """The ecosystems ``info``'s database has records of."""
    return frozenset(eco for eco, n in info.ecosystems if n)


def scan(
    sboms: Sequence[Sbom],
    db: VulnDatabase,
    progress: Callable[[int, int], None] | None = None,
    *,
    workers: int = 1,
) -> ScanResult:
    """Scan ``sboms`` against ``db``: every component with a usable purl, every advisory of its package.

    ``progress(done, total)`` is called as packages are matched (for a progress bar). With
    ``workers`` above 1 (0: one per CPU) a large scan is shared among forked processes
    (:mod:`.shards`) where that is safe; the result is the same either way."""
    components: list[Component] = []
    for sbom in sboms:
        components.extend(sbom.components)
        if sbom.product is not None and sbom.product.purl:
            components.append(sbom.product)
    info = db.info()
    try:
        return _scan(components, sboms, db, info, progress, workers)
    except (sqlite3.DatabaseError, msgspec.DecodeError, orjson.JSONDecodeError) as exc:
        # Tables missing, records no import writes: the file was altered or damaged after it was
        # built (a build checks what it writes). Refused with its path, never a crash.
        raise db.damaged(f"{type(exc).__name__}: {str(exc)[:120]}") from None


def _scan(
    components: list[Component],
    sboms: Sequence[Sbom],
    db: VulnDatabase,
    info: DatabaseInfo,
    progress: Callable[[int, int], None] | None,
    workers: int,
) -> ScanResult:
    found = None
    if workers != 1 and len(components) >= MIN_SHARED:
        from crakit.vulndb.shards import shared_pass  # only a scan that may be shared needs it

        found = shared_pass(components, db, info, workers, _osv_pass, progress)
    if found is None:
        found = _osv_pass(components, db, covered(info), progress)
    findings, unevaluated = found.findings, found.unevaluated
    skipped = [s for _, s in found.skipped]
    uncovered = sorted(found.counts.items())
    without_purl = sum(1 for s in skipped if s.reason != "unsupported purl type")
    cpe_checked = 0
    if info.cpe_records:  # NVD / CVE 5 data in the database: firmware and C/C++ components by CPE
        findings, unevaluated, skipped, cpe_checked = _cpe_pass(
            components, db, findings, unevaluated, skipped
        )
    return ScanResult(
        findings=findings,
        components=len(components),
        components_without_purl=without_purl,
        unsupported=tuple(sorted(found.unsupported)),
        unevaluated=sorted(unevaluated, key=lambda u: (u.purl, u.id)),
        database=info,
        sboms=tuple(s.source or s.name or "" for s in sboms),
        uncovered=tuple(uncovered),
        skipped=tuple(skipped),
        cpe_checked=cpe_checked,
    )


def _osv_pass(
    components: list[Component],
    db: VulnDatabase,
    covered: frozenset[str],
    progress: Callable[[int, int], None] | None,
) -> OsvPass:
    """Match ``components`` by purl against the OSV records and fold the matches into findings;
    ``covered``: the ecosystems the database has records of (components of any other are counted)."""
    packages, component_of, skipped, unsupported = inventory(components)
    by_eco: dict[str, list[str]] = defaultdict(list)
    for eco, name in packages:
        by_eco[eco].append(name)
    done = 0
    for eco, names in by_eco.items():
        for start in range(0, len(names), _BATCH):
            batch = names[start : start + _BATCH]
            per_entry: list[str] = []
            for name, data in db.package_indexes(eco, batch).items():
                package = packages[(eco, name)]
                if data is not None and package.plain:
                    _match_index(package, INDEX_DECODER.decode(data))
                else:  # a release, an unplaceable version, or entries the index cannot express
                    per_entry.append(name)
            if per_entry:
                for name, vid, blob in db.affected_for(eco, per_entry):
                    match_entry(packages[(eco, name)], vid, DECODER.decode(blob))
            done += len(batch)
            if progress is not None:
                progress(done, len(packages))

    matches: dict[str, dict[str, tuple[str, ...]]] = {}  # purl -> vuln id -> fixed
    where: dict[str, tuple[str, str, str | None]] = {}  # purl -> (ecosystem, record's name, version)
    unevaluated: list[Unevaluated] = []
    for package in packages.values():
        for slot in package.slots.values():
            for vid, reason in slot.unevaluated or ():
                unevaluated.extend(Unevaluated(purl, vid, reason) for purl in slot.purls)
            hits = slot.hits
            if not hits:
                continue
            for purl in slot.purls:
                where[purl] = (package.ecosystem, slot.record_name, slot.version)
                seen = matches.get(purl)
                if seen is None:
                    matches[purl] = hits
                else:  # a distribution package matched as itself and as its source package
                    merged = dict(seen)
                    for vid, fixed in hits.items():
                        merged[vid] = merged.get(vid, ()) + fixed
                    matches[purl] = merged
    counts: dict[str, int] = defaultdict(int)  # components of ecosystems the database lacks
    for (eco, _name), package in packages.items():
        if eco not in covered:
            counts[eco] += sum(len(s.purls) for s in package.slots.values())
    findings = fold_findings(db, matches, where, component_of)
    return OsvPass(findings, unevaluated, skipped, unsupported, dict(counts))


def _cpe_pass(
    components: list[Component],
    db: VulnDatabase,
    findings: list[Finding],
    unevaluated: list[Unevaluated],
    skipped: list[Skipped],
) -> tuple[list[Finding], list[Unevaluated], list[Skipped], int]:
    """Match components by CPE (their own, or one derived from the alias table for those that
    went unchecked), beside the purl/OSV findings; a CVE found both ways stays one finding."""
    from crakit.vulndb.cpe_match import component_cpes, scan_cpes

    with_cpe = [c for c in components if component_cpes(c)]
    unchecked = {s.ref or s.name for s in skipped}
    derive = [c for c in components if not component_cpes(c) and (c.ref or c.name) in unchecked]
    osv_ids: dict[str, set[str]] = {}
    for f in findings:
        osv_ids.setdefault(f.component.ref or f.component.name, set()).update(f.all_ids)
    result = scan_cpes(with_cpe, db, derive, osv_ids)
    remaining = [s for s in skipped if (s.ref or s.name) not in result.checked]
    remaining.extend(result.invalid)
    checked_without_purl = sum(1 for s in skipped if (s.ref or s.name) in result.checked)
    merged = findings + result.findings if result.findings else findings
    if result.findings and findings:
        merged.sort(key=lambda f: (-f.exploited, -SEVERITY_ORDER[f.severity], f.key, f.id))
    return merged, unevaluated + result.unevaluated, remaining, checked_without_purl


def _match_index(package: Package, index: PackageIndex) -> None:
    """Every version of a plain package from its index (package_index.py): each version placed
    on the package's version line once, each entry's spans read off by bisection."""
    key = scheme_for(package.ecosystem).key
    points = index.points
    slots = list(package.slots.values())
    if len(slots) == 1:  # the common case: one version of the package in the SBOMs
        slot = slots[0]
        at = locate(points, key, slot.version or "")
        for entry in index.entries:
            fixed: tuple[str, ...] | None = None
            for a, b, fx in entry.spans:
                if a <= at < b:
                    fixed = fx if fixed is None else fixed + fx
            if fixed is not None:
                hit(slot, entry.vuln_id, fixed, entry.name)
        return
    # Many versions: key every point once and bisect in C (cheaper than keying log n points per version).
    keys = [key(p) for p in points]
    placed = sorted((interval_of(keys, key(slot.version or "")), n) for n, slot in enumerate(slots))
    intervals = [at for at, _ in placed]
    for entry in index.entries:
        spans = entry.spans
        if len(spans) == 1:  # most entries: one span, so no version is hit twice
            a, b, fx = spans[0]
            vid, name = entry.vuln_id, entry.name
            for i in range(bisect_left(intervals, a), bisect_left(intervals, b)):
                slot = slots[placed[i][1]]  # _hit, inline: this runs once per finding
                hits = slot.hits
                if hits is None:
                    slot.hits = {vid: fx}
                else:
                    previous = hits.get(vid)
                    hits[vid] = fx if previous is None else previous + fx
                slot.record_name = name
            continue
        got: dict[int, tuple[str, ...]] = {}
        for a, b, fx in spans:
            for i in range(bisect_left(intervals, a), bisect_left(intervals, b)):
                n = placed[i][1]
                got[n] = got.get(n, ()) + fx
        for n, fixed in got.items():
            hit(slots[n], entry.vuln_id, fixed, entry.name)
