"""Build CSAF 2.0 advisories and VEX documents from crakit's data and the manufacturer's decisions.

CRA Annex I Part II(4): once a fix exists, disclose the fixed vulnerability with a description,
the affected products, impact, severity and remediation; Annex I Part II(8): ship advisories with
security updates. The writer turns the product manifest, SBOM, scan findings and a decisions file
into a document that always passes the mandatory tests of CSAF 2.0 section 6.1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from crakit.csaf import cwe as cwe_catalog
from crakit.csaf.decisions import Decisions, VulnDecision
from crakit.csaf.errors import CsafInputError
from crakit.csaf.findings import Finding
from crakit.csaf.identifiers import cpe23, generic_purl, is_valid_purl, product_id
from crakit.csaf.model import (
    Branch,
    Category,
    CsafDocument,
    Cwe,
    Flag,
    FullProductName,
    Helper,
    Note,
    ProductId,
    ProductStatus,
    ProductTree,
    Publisher,
    Reference,
    Remediation,
    Revision,
    Score,
    Threat,
    Tracking,
    Vulnerability,
    VulnerabilityId,
)
from crakit.csaf.serialize import filename

Profile = Literal["advisory", "vex"]
PROFILE_CATEGORY: dict[str, Category] = {"advisory": "csaf_security_advisory", "vex": "csaf_vex"}


@dataclass(frozen=True, slots=True)
class ProductInfo:
    """The product the advisory is about (from the manifest; purl from the SBOM when it names one)."""

    vendor: str
    name: str
    version: str
    kind: str = "software"
    purl: str | None = None


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """A component from the SBOM, used to name what a finding matched."""

    name: str
    version: str | None
    purl: str | None


@dataclass(frozen=True, slots=True)
class WriterOptions:
    profile: Profile = "advisory"
    include_undecided: bool = False
    now: dt.datetime | None = None  # the date of an implicit first revision (default: now, UTC)
    generator_version: str | None = None


@dataclass(frozen=True, slots=True)
class Built:
    document: CsafDocument
    warnings: tuple[str, ...] = field(default=())


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class _Products:
    """The product versions the document talks about, each a leaf of vendor/product_name/product_version."""

    def __init__(self, product: ProductInfo) -> None:
        self.product = product
        self.versions: dict[str, ProductId] = {}

    def id_for(self, version: str) -> ProductId:
        if version not in self.versions:
            self.versions[version] = product_id(self.product.vendor, self.product.name, version)
        return self.versions[version]

    def tree(self, used: set[ProductId]) -> ProductTree:
        p = self.product
        part = "h" if p.kind == "hardware" else "a"
        leaves = []
        for version, pid in self.versions.items():
            if pid not in used:
                continue  # an unused definition would be a 6.2.1 warning
            purl = p.purl if (p.purl and version == p.version and is_valid_purl(p.purl)) else None
            helper = Helper(
                purl=purl or generic_purl(p.vendor, p.name, version),
                cpe=cpe23(p.vendor, p.name, version, part),
            )
            leaves.append(
                Branch(
                    "product_version",
                    version,
                    product=FullProductName(pid, f"{p.vendor} {p.name} {version}", helper),
                )
            )
        return ProductTree(
            branches=(Branch("vendor", p.vendor, (Branch("product_name", p.name, tuple(leaves)),)),)
        )


def _vuln_ids(vid: str, findings: list[Finding]) -> tuple[str | None, tuple[VulnerabilityId, ...]]:
    cve = vid if vid.startswith("CVE-") else next((f.cve for f in findings if f.cve), None)
    ids: list[VulnerabilityId] = []
    if not vid.startswith("CVE-"):
        system = vid.split("-", 1)[0] if "-" in vid else "crakit"
        ids.append(VulnerabilityId(system, vid))
    return cve, tuple(ids)


def _component_lines(findings: list[Finding], components: dict[str, ComponentInfo]) -> list[str]:
    lines = []
    for f in sorted(findings, key=lambda f: f.purl):
        if not f.purl:
            continue
        comp = components.get(f.purl)
        label = f"{comp.name} {comp.version or ''}".strip() if comp else f.purl
        fixed = f" (fixed upstream in {f.fixed})" if f.fixed else ""
        lines.append(f"{label} [{f.purl}]{fixed}")
    return sorted(set(lines))


def _cwe(decision: VulnDecision) -> Cwe | None:
    if decision.cwe is None:
        return None
    name = cwe_catalog.latest_name(decision.cwe)
    if name is None:
        if cwe_catalog.catalog_available():
            raise CsafInputError(
                f"decisions: vulnerabilities.{decision.id}.cwe: {decision.cwe} is not a CWE weakness"
            )
        return None  # without the catalog the name cannot be checked, so leave the CWE out
    return Cwe(decision.cwe, name)


def _vulnerability(
    decision: VulnDecision,
    findings: list[Finding],
    components: dict[str, ComponentInfo],
    products: _Products,
    decisions: Decisions,
) -> Vulnerability:
    p = products.product
    current = products.id_for(p.version)
    # A version is never both affected and the fix (that would fail test 6.1.6).
    affected_versions = [
        products.id_for(v)
        for v in decisions.affected_versions
        if v not in (p.version, decisions.fixed_version)
    ]
    fixed_id = (
        products.id_for(decisions.fixed_version)
        if decisions.fixed_version and decisions.fixed_version != p.version
        else None
    )
    status = ProductStatus()
    remediations: list[Remediation] = []
    flags: list[Flag] = []
    threats: list[Threat] = []
    affected: tuple[ProductId, ...] = ()
    rem = decision.remediation
    if decision.status == "affected":
        affected = (current, *affected_versions)
        status = ProductStatus(known_affected=affected, fixed=(fixed_id,) if fixed_id else ())
    elif decision.status == "fixed":
        affected = tuple(affected_versions)
        status = ProductStatus(fixed=(current,), known_affected=affected)
    elif decision.status == "not_affected":
        status = ProductStatus(known_not_affected=(current,))
        if decision.justification:
            flags.append(Flag(decision.justification, (current,)))
        if decision.impact:
            threats.append(Threat("impact", decision.impact, (current,)))
    else:
        status = ProductStatus(under_investigation=(current,))
    if affected:
        # Every affected product gets an action statement (6.1.27.10, 6.2.2), even "none available".
        if rem is not None:
            remediations.append(Remediation(rem.category, rem.details, affected, rem.url))
        elif decision.status == "fixed" or fixed_id:
            target = p.version if decision.status == "fixed" else decisions.fixed_version
            remediations.append(Remediation("vendor_fix", f"Update {p.name} to version {target}.", affected))
        else:
            remediations.append(Remediation("none_available", "No fix is available yet.", affected))
    elif rem is not None and decision.status != "not_affected":
        remediations.append(Remediation(rem.category, rem.details, (current,), rem.url))
    if any(f.exploited for f in findings) and affected:
        dates = sorted(f.kev_date_added for f in findings if f.kev_date_added)
        since = f" (in CISA's Known Exploited Vulnerabilities catalog since {dates[0]})" if dates else ""
        threats.append(Threat("exploit_status", f"Known to be actively exploited{since}.", affected))
    scores = (Score(decision.cvss, affected),) if decision.cvss and affected else ()
    text = decision.description or f"{decision.id} concerns {p.name} {p.version}."
    lines = _component_lines(findings, components)
    if lines:
        text += "\n\nAffected components: " + "; ".join(lines) + "."
    notes = [Note("description", text, "Vulnerability description")]
    if decision.status == "not_affected" and decision.justification:
        notes.append(
            Note("details", f"Not affected: {decision.justification.replace('_', ' ')}.", "Justification")
        )
    cve, ids = _vuln_ids(decision.id, findings)
    return Vulnerability(
        cve=cve,
        ids=ids,
        title=decision.title or decision.id,
        cwe=_cwe(decision),
        notes=tuple(notes),
        product_status=status,
        remediations=tuple(remediations),
        scores=scores,
        flags=tuple(flags),
        threats=tuple(threats),
    )


def _revisions(decisions: Decisions, now: dt.datetime) -> tuple[Revision, ...]:
    entries = decisions.revisions or ()
    if not entries:
        return (Revision("1", _iso(now), "Initial release."),)
    dated = sorted(entries, key=lambda e: e.date)
    return tuple(Revision(str(i), e.date, e.summary) for i, e in enumerate(dated, start=1))


def build_document(
    product: ProductInfo,
    decisions: Decisions,
    findings: tuple[Finding, ...] = (),
    components: tuple[ComponentInfo, ...] = (),
    options: WriterOptions | None = None,
) -> Built:
    """Build the advisory (or VEX document) for ``product`` from the manufacturer's ``decisions``."""
    options = options or WriterOptions()
    now = options.now or dt.datetime.now(dt.UTC)
    warnings: list[str] = []
    by_purl = {c.purl: c for c in components if c.purl}
    decided = list(decisions.vulnerabilities)
    known = {d.id for d in decided}
    for f in findings:
        if not f.names() & known:
            if options.include_undecided:
                decided.append(VulnDecision(id=f.cve or f.id, status="under_investigation"))
                known |= {f.cve or f.id}
            else:
                warnings.append(f"{f.id} ({f.purl}) was found by the scan but has no decision; left out")
    products = _Products(product)
    products.id_for(product.version)
    vulns = []
    seen_cves: dict[str, str] = {}
    for decision in decided:
        matched = [f for f in findings if decision.id in f.names()]
        vuln = _vulnerability(decision, matched, by_purl, products, decisions)
        if vuln.cve is not None:
            if vuln.cve in seen_cves:
                raise CsafInputError(
                    f"decisions: {decision.id} and {seen_cves[vuln.cve]} are both {vuln.cve}"
                )
            seen_cves[vuln.cve] = decision.id
        vulns.append(vuln)
    if not vulns:
        raise CsafInputError("decisions: no vulnerability to publish (add entries under 'vulnerabilities')")
    used: set[ProductId] = set()
    for v in vulns:
        s = v.product_status
        used.update(s.fixed, s.known_affected, s.known_not_affected, s.under_investigation)
    revisions = _revisions(decisions, now)
    tracking = Tracking(
        id=decisions.id.strip(),
        status="final"
        if decisions.status == "final"
        else ("interim" if decisions.status == "interim" else "draft"),
        revisions=revisions,
        generator_version=options.generator_version,
    )
    year = revisions[0].date[:4]
    self_url = (
        decisions.base_url
        or f"{decisions.namespace}/.well-known/csaf/{decisions.tlp.lower()}/{year}/{filename(decisions.id.strip())}"
    )
    if not self_url.startswith("https://"):
        warnings.append(f"canonical URL {self_url} is not https (CSAF 2.0 test 6.2.11)")
    category = PROFILE_CATEGORY[options.profile]
    kind = "VEX document" if options.profile == "vex" else "Security advisory"
    summary = decisions.summary or (
        f"{kind} for {product.vendor} {product.name} {product.version}: "
        f"{len(vulns)} vulnerabilit{'y' if len(vulns) == 1 else 'ies'}."
    )
    notes = (
        Note("summary", summary, "Summary"),
        Note(
            "legal_disclaimer",
            "Published by the manufacturer to disclose fixed vulnerabilities and accompany security updates "
            "(Regulation (EU) 2024/2847, Annex I Part II(4) and (8)).",
            "Regulatory context",
        ),
    )
    document = CsafDocument(
        category=category,
        title=decisions.title or f"{product.name} {product.version}: {kind.lower()} {decisions.id}",
        publisher=Publisher(
            decisions.publisher_name or product.vendor, decisions.namespace, contact_details=decisions.contact
        ),
        tracking=tracking,
        tlp=decisions.tlp,
        lang=decisions.lang,
        notes=notes,
        references=(Reference(self_url, "Canonical URL of this document", "self"),),
        product_tree=products.tree(used),
        vulnerabilities=tuple(vulns),
    )
    return Built(document, tuple(warnings))
