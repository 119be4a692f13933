"""Match components by CPE against NVD configurations and CVE List V5 records.

For firmware and C/C++ components, which carry CPE names (OpenWrt, Buildroot, Yocto, ESP-IDF,
Zephyr) or only a name and a version, and for which OSV has no ecosystem. Annex I Part I(2)(a)
asks for no known exploitable vulnerabilities, and a scanner that reads these components and
says nothing would mislead; one that matches them loosely buries the real findings in false ones.
So:

* vendor and product match exactly (NISTIR 7695 attribute comparison, case-insensitive); a CPE
  with a wildcard vendor matches only when exactly one vendor has that product in the data;
  pairs the reviewed alias table declares the same project match with ``high`` confidence;
* versions are ordered by :mod:`crakit.vulndb.versions.upstream`, which refuses dates and
  ``git describe`` strings: such a component is reported as not evaluated, never as clean;
* an NVD configuration that needs a platform (``AND`` with a running-on node) matches with
  ``low`` confidence unless the scanned SBOMs show that platform;
* CVE 5 rules decide only CVEs NVD has no configuration for; their ``unaffected`` entries win
  over ``affected`` ones and ``defaultStatus`` applies when no entry names the version;
* components with the same CPE and version fold into one finding listing the others (one kernel
  CVE is one finding for the kernel, naming every module).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from crakit.sbom import CPE_ANY as ANY
from crakit.sbom import CPE_NA as NA
from crakit.sbom import Component, CpeError, Wfn, parse_cpe
from crakit.vulndb.chunked import rows_in
from crakit.vulndb.cpe_aliases import alias_table
from crakit.vulndb.cpe_records import DECODER, CpeRule
from crakit.vulndb.model import (
    CONFIDENCE_ORDER,
    SEVERITY_ORDER,
    Confidence,
    EuvdListing,
    Finding,
    KevListing,
    Skipped,
    Unevaluated,
    Vulnerability,
    VulnId,
)
from crakit.vulndb.store import VulnDatabase
from crakit.vulndb.versions.upstream import VersionRefused, upstream_key


@dataclass(slots=True)
class _Target:
    """One distinct (vendor, product, version) the SBOMs name, and the components that do."""

    part: str
    vendor: str  # "*" when the CPE leaves it open
    product: str
    version: str | None
    update: str
    method: str  # "cpe" (the SBOM's own) | "derived-cpe"
    cpe: str
    components: list[Component] = field(default_factory=list)
    # vendor actually matched -> base confidence
    lookups: dict[str, Confidence] = field(default_factory=dict)
    key: tuple[object, ...] | None = None
    refused: str | None = None
    # vuln id -> [(confidence, method, source, fixed, condition)]
    hits: dict[str, list[tuple[Confidence, str, str, str | None, str | None]]] = field(default_factory=dict)
    # (vuln id, entry) -> CVE 5 explicit statuses and whether a default applies
    cve5: dict[tuple[str, int], list[tuple[str, CpeRule, str]]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CpeScan:
    findings: list[Finding]
    unevaluated: list[Unevaluated]
    invalid: list[Skipped]
    checked: set[str]  # refs of the components checked by CPE (own or derived)


def component_cpes(comp: Component) -> tuple[str, ...]:
    cpes = comp.cpes
    if not cpes and comp.cpe:
        return (comp.cpe,)
    return cpes


def _version_key(version: str) -> tuple[object, ...]:
    return upstream_key(version)


def scan_cpes(
    components: Sequence[Component],
    db: VulnDatabase,
    derive: Iterable[Component] = (),
    covered: dict[str, set[str]] | None = None,
) -> CpeScan:
    """Match ``components`` by their CPEs, and ``derive`` (name and version only) by a CPE from
    the alias table. ``covered``: component ref -> ids the purl/OSV scan already reported for it
    (a CVE found both ways is one finding)."""
    table = alias_table()
    targets: dict[tuple[str, str, str | None, str, str], _Target] = {}
    invalid: list[Skipped] = []
    checked: set[str] = set()

    def add(comp: Component, wfn: Wfn, method: str, cpe: str) -> None:
        written = wfn.plain("version")
        version = comp.version or None if written in (ANY, NA) else written
        update = wfn.plain("update").lower()
        vendor, product = wfn.plain("vendor").lower(), wfn.plain("product").lower()
        key = (vendor, product, version, update, method)
        target = targets.get(key)
        if target is None:
            target = targets[key] = _Target(wfn.part, vendor, product, version, update, method, cpe)
        if comp not in target.components:
            target.components.append(comp)
        checked.add(comp.ref or comp.name)

    for comp in components:
        for text in component_cpes(comp):
            try:
                wfn = parse_cpe(text)
            except CpeError as exc:
                invalid.append(Skipped(comp.ref, comp.name, comp.purl, "invalid cpe", str(exc)))
                continue
            if wfn.product in (ANY, NA):
                invalid.append(
                    Skipped(comp.ref, comp.name, comp.purl, "invalid cpe", "the CPE names no product")
                )
                continue
            add(comp, wfn, "cpe", wfn.to_fs())
    for comp in derive:
        found = table.derive(comp.name)
        if found is not None:
            part, vendor, product = found
            wfn = Wfn(part=part, vendor=vendor, product=product)
            add(comp, wfn, "derived-cpe", wfn.to_fs())
    if not targets:
        return CpeScan([], [], invalid, checked)

    # Which vendor:product pairs each target looks up, and with what confidence.
    products = {t.product for t in targets.values()}
    for t in targets.values():
        products.update(product for _vendor, product in table.equivalents(t.vendor, t.product))
    rows: dict[str, list[tuple[str, str, str, bytes]]] = defaultdict(list)  # product -> rows
    for vendor, product, vid, source, blob in db.cpe_rules(sorted(products)):
        rows[product].append((vendor, vid, source, blob))
    unevaluated: list[Unevaluated] = []
    present = {(t.vendor, t.product) for t in targets.values()}
    for t in targets.values():
        base: Confidence = "exact" if t.method == "cpe" else "high"
        if t.version is not None:
            try:
                t.key = _version_key(t.version + (t.update if t.update not in (ANY, NA) else ""))
            except VersionRefused as exc:
                t.refused = str(exc)
        if t.vendor == ANY:
            vendors = {v for v, _, _, _ in rows.get(t.product, ())}
            if len(vendors) == 1:
                t.lookups[f"{vendors.pop()}:{t.product}"] = "high"
            elif len(vendors) > 1:
                for _comp in t.components:
                    unevaluated.append(
                        Unevaluated(
                            t.cpe,
                            "-",
                            f"the CPE gives no vendor and {len(vendors)} vendors have a product {t.product!r}",
                        )
                    )
            continue
        t.lookups[f"{t.vendor}:{t.product}"] = base
        for vendor, product in table.equivalents(t.vendor, t.product):
            t.lookups.setdefault(f"{vendor}:{product}", "high")
            present.add((vendor, product))

    # CVEs with NVD configurations: their CVE 5 rules do not count (NVD analysed them).
    by_product: dict[str, list[_Target]] = defaultdict(list)
    for t in targets.values():
        for lookup in t.lookups:
            by_product[lookup.split(":", 1)[1]].append(t)
    nvd_ids = {vid for product_rows in rows.values() for _, vid, source, _ in product_rows if source == "nvd"}
    nvd_ids |= _ids_with_nvd(
        db, {vid for pr in rows.values() for _, vid, source, _ in pr if source == "cve5"}
    )
    refused_seen: set[tuple[int, str]] = set()
    for product, product_rows in rows.items():
        for vendor, vid, source, blob in product_rows:
            if source == "cve5" and vid in nvd_ids:
                continue
            lookup = f"{vendor}:{product}"
            rule: CpeRule | None = None
            for t in by_product.get(product, ()):
                confidence = t.lookups.get(lookup)
                if confidence is None:
                    continue
                if t.version is None or t.refused is not None:
                    if (id(t), vid) not in refused_seen:
                        refused_seen.add((id(t), vid))
                        reason = t.refused or "component has no version"
                        unevaluated.append(Unevaluated(t.cpe, vid, reason))
                    continue
                if rule is None:
                    rule = DECODER.decode(blob)
                _apply(t, vid, rule, confidence, present, unevaluated)
    for t in targets.values():
        for (vid, _entry), statuses in t.cve5.items():
            explicit = [s for s in statuses if not s[1].default]
            if any(s[0] == "unaffected" for s in explicit):
                continue
            chosen = [s for s in explicit if s[0] == "affected"] or [s for s in statuses if s[1].default]
            if not chosen:
                continue
            _, rule, conf = chosen[0]
            method = "cve5-product" if rule.by_name else t.method
            fixed = next((s[1].end for s in chosen if s[1].end and not s[1].end_incl), None)
            t.hits.setdefault(vid, []).append((conf, method, "cve5", fixed, None))  # type: ignore[arg-type]
    findings = _findings(db, targets.values(), covered or {})
    unevaluated.sort(key=lambda u: (u.purl, u.id))
    return CpeScan(findings, unevaluated, invalid, checked)


def _ids_with_nvd(db: VulnDatabase, ids: set[str]) -> set[str]:
    return {
        r[0]
        for r in rows_in(
            db.conn,
            "SELECT DISTINCT vuln_id FROM cpe_affected WHERE source = 'nvd' AND vuln_id IN ({marks})",
            sorted(ids),
        )
    }


def _lower(a: Confidence, b: Confidence) -> Confidence:
    return a if CONFIDENCE_ORDER[a] <= CONFIDENCE_ORDER[b] else b


def _in_range(key: tuple[object, ...], rule: CpeRule) -> bool:
    if rule.start is not None:
        start = _version_key(rule.start)
        if key < start or (key == start and not rule.start_incl):
            return False
    if rule.end is not None:
        end = _version_key(rule.end)
        if key > end or (key == end and not rule.end_incl):
            return False
    return True


def _apply(
    t: _Target,
    vid: str,
    rule: CpeRule,
    confidence: Confidence,
    present: set[tuple[str, str]],
    unevaluated: list[Unevaluated],
) -> None:
    if t.key is None:
        return
    try:
        if rule.version == NA:
            return
        if rule.version != ANY:
            version = rule.version + (rule.update if rule.update not in (ANY, NA) else "")
            affected = _version_key(version) == t.key
        else:
            affected = _in_range(t.key, rule)
    except VersionRefused as exc:
        unevaluated.append(Unevaluated(t.cpe, vid, f"the record's version bound: {exc}"))
        return
    if rule.source == "cve5":
        if rule.by_name:
            confidence = _lower(confidence, "high")
        if affected or rule.default:
            status = "affected" if rule.default else rule.status
            t.cve5.setdefault((vid, rule.entry), []).append((status, rule, confidence))
        return
    if not affected:
        return
    condition = None
    for group in rule.platforms:
        if not any(_names_present(criteria, present) for criteria in group):
            condition = f"only when running on {group[0]}" + (
                f" (or {len(group) - 1} more)" if len(group) > 1 else ""
            )
            confidence = "low"
            break
    fixed = rule.end if rule.end is not None and not rule.end_incl else None
    t.hits.setdefault(vid, []).append((confidence, t.method, "nvd", fixed, condition))


def _names_present(criteria: str, present: set[tuple[str, str]]) -> bool:
    try:
        wfn = parse_cpe(criteria)
    except CpeError:
        return False
    return (wfn.plain("vendor").lower(), wfn.plain("product").lower()) in present


def _findings(db: VulnDatabase, targets: Iterable[_Target], covered: dict[str, set[str]]) -> list[Finding]:
    targets = [t for t in targets if t.hits]
    ids = {vid for t in targets for vid in t.hits}
    rows = db.cpe_vulns(ids)
    kev = db.kev(ids)
    euvd = db.euvd(ids)
    osv_aliases = db.aliased_by(ids)
    made: dict[str, Vulnerability] = {}
    out: list[tuple[int, int, str, str, Finding]] = []
    for t in targets:
        first = t.components[0]
        modules = tuple(f"{c.name} {c.version}".strip() if c.version else c.name for c in t.components[1:])
        for vid, hits in t.hits.items():
            if any(vid in covered.get(c.ref or c.name, ()) for c in t.components):
                continue  # the purl/OSV scan already reports this CVE for the component
            vulnerability = made.get(vid)
            if vulnerability is None:
                vulnerability = made[vid] = _vulnerability(vid, rows.get(vid), kev, euvd, osv_aliases)
            hits.sort(key=lambda h: (-CONFIDENCE_ORDER[h[0]], h[2] != "nvd"))
            confidence, method, source, _, condition = hits[0]
            fixed = tuple(sorted({h[3] for h in hits if h[3]}, key=_safe_key))
            finding = Finding(
                first,
                vulnerability,
                first.purl or "",
                "CPE",
                f"{t.vendor}:{t.product}",
                t.version,
                fixed,
                method=method,
                confidence=confidence,
                source=source,
                cpe=t.cpe if t.method == "cpe" else _with_version(t),
                modules=modules,
                condition=condition,
            )
            out.append(
                (-vulnerability.exploited, -SEVERITY_ORDER[vulnerability.severity], t.cpe, vid, finding)
            )
    out.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [r[4] for r in out]


def _with_version(t: _Target) -> str:
    wfn = parse_cpe(t.cpe)
    if t.version is None:
        return t.cpe
    try:
        version = parse_cpe(f"cpe:2.3:a:x:y:{t.version}:*:*:*:*:*:*:*").version
    except CpeError:
        return t.cpe
    values = list(wfn.values())
    values[3] = version
    return Wfn(*values).to_fs()


def _safe_key(version: str) -> tuple[int, object]:
    try:
        return (0, _version_key(version))
    except VersionRefused:
        return (1, version)


def _vulnerability(
    vid: str,
    row: tuple[str | None, str, str | None, float | None] | None,
    kev: dict[str, tuple[str, str | None, bool]],
    euvd: dict[str, tuple[str | None, str | None]],
    osv_aliases: dict[str, set[str]],
) -> Vulnerability:
    summary, severity, vector, score = row if row is not None else (None, "unknown", None, None)
    listings: tuple[KevListing, ...] = ()
    if vid in kev:
        added, due, ransom = kev[vid]
        listings = (KevListing(vid, added, due, ransom, vid, "id"),)
    euvd_listings: tuple[EuvdListing, ...] = ()
    if vid in euvd:
        euvd_id, date = euvd[vid]
        euvd_listings = (EuvdListing(vid, euvd_id, date, vid, "id"),)
    names = set(osv_aliases.get(vid, ()))
    euvd_id = euvd[vid][0] if vid in euvd else None
    if euvd_id:
        names.add(euvd_id)
    aliases = tuple(sorted(names))
    return Vulnerability(
        VulnId(vid),
        aliases,
        severity if severity in SEVERITY_ORDER else "unknown",  # type: ignore[arg-type]
        vector,
        score,
        summary,
        listings,
        euvd_listings,
    )
