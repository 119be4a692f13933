"""Value types of the scanner: the findings the reporting and CSAF features consume.

A finding answers, for one SBOM component and one vulnerability (aliases folded together),
whether it is a *known exploitable vulnerability* in the sense of Annex I Part I(2)(a) and
whether it is *actively exploited* (CISA KEV), which starts the Art 14(1) reporting clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NewType

import msgspec

from crakit.sbom import Component

VulnId = NewType("VulnId", str)

Severity = Literal["critical", "high", "medium", "low", "none", "unknown"]
Status = Literal["affected", "not_affected", "fixed", "under_investigation"]

SEVERITY_ORDER: dict[str, int] = {"unknown": 0, "none": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
SUPPRESSING: frozenset[str] = frozenset({"not_affected", "fixed"})


ExploitLink = Literal["id", "alias", "related"]


class KevListing(msgspec.Struct, frozen=True):
    """A CISA KEV entry reached from a finding, and how: the record ``via`` names ``cve`` as its
    own id, as an alias (the same flaw) or as ``related`` (OSV: the same problem elsewhere, e.g.
    a library that bundles the exploited one). Any of the three makes the finding known exploited."""

    cve: str
    date_added: str | None
    due_date: str | None
    ransomware: bool
    via: str
    link: ExploitLink


class EuvdListing(msgspec.Struct, frozen=True):
    """An entry of ENISA's EUVD exploited list reached from a finding (a CVE the flaw is known
    by): a second exploited source beside CISA KEV, with the date ENISA gives."""

    cve: str
    euvd_id: str | None
    date: str | None
    via: str
    link: ExploitLink


Confidence = Literal["exact", "high", "low"]
CONFIDENCE_ORDER: dict[str, int] = {"low": 0, "high": 1, "exact": 2}


class Vulnerability(msgspec.Struct, frozen=True):
    """One flaw: the OSV records that matched a component and share an id or alias, folded.

    A msgspec Struct, like :class:`Finding`: a findings-dense scan builds one per distinct flaw,
    tens of thousands, and a frozen dataclass's ``__init__`` costs several times as much."""

    id: VulnId  # the record chosen to represent the group (the ecosystem's own database first)
    aliases: tuple[str, ...]
    severity: Severity
    cvss_vector: str | None
    cvss_score: float | None
    summary: str | None
    kev: tuple[KevListing, ...] = ()  # earliest listing first
    euvd: tuple[EuvdListing, ...] = ()  # ENISA EUVD exploited list, earliest first

    @property
    def exploited(self) -> bool:
        return bool(self.kev) or bool(self.euvd)

    @property
    def catalogues(self) -> tuple[str, ...]:
        """Which exploited lists name the flaw: ``KEV``, ``EUVD``, both or none."""
        return (*(("KEV",) if self.kev else ()), *(("EUVD",) if self.euvd else ()))

    @property
    def kev_cves(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k.cve for k in self.kev))


class Finding(msgspec.Struct, frozen=True):
    """One component affected by one vulnerability.

    A msgspec Struct rather than a dataclass: a findings-dense scan builds hundreds of thousands
    of these, and a Struct is built about ten times faster than a frozen dataclass.
    """

    component: Component
    vulnerability: Vulnerability  # shared by every finding of the flaw
    purl: str  # exactly as the SBOM wrote it
    ecosystem: str
    package: str  # as the matching record spells it
    version: str | None
    fixed: tuple[str, ...]
    status: Status = "affected"
    justification: str | None = None
    vex_source: str | None = None  # the VEX document that set ``status``
    # How the component was matched: "purl" (OSV), "cpe" (the SBOM's own CPE), "derived-cpe"
    # (a CPE from the alias table for a name-and-version component), "cve5-product" (a CVE 5
    # record's vendor/product names); ``source`` is the data (osv, nvd, cve5).
    method: str = "purl"
    confidence: Confidence = "exact"
    source: str = "osv"
    cpe: str | None = None  # the CPE 2.3 name matched (CPE findings)
    modules: tuple[str, ...] = ()  # further components with the same CPE and version, folded in
    condition: str | None = None  # e.g. only when running on a platform the SBOM does not show

    @property
    def key(self) -> str:
        """What the finding is keyed by: the purl, or the CPE for a CPE-only finding."""
        return self.purl or self.cpe or ""

    @property
    def suppressed(self) -> bool:
        """A VEX statement says the product is not affected or the flaw is fixed."""
        return self.status in SUPPRESSING

    @property
    def id(self) -> VulnId:
        return self.vulnerability.id

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.vulnerability.aliases

    @property
    def all_ids(self) -> tuple[str, ...]:
        return (self.vulnerability.id, *self.vulnerability.aliases)

    @property
    def severity(self) -> Severity:
        return self.vulnerability.severity

    @property
    def cvss_score(self) -> float | None:
        return self.vulnerability.cvss_score

    @property
    def cvss_vector(self) -> str | None:
        return self.vulnerability.cvss_vector

    @property
    def kev_cves(self) -> tuple[str, ...]:
        """The CVE ids under which CISA KEV lists this flaw (earliest listing first)."""
        return self.vulnerability.kev_cves

    @property
    def summary(self) -> str | None:
        return self.vulnerability.summary

    @property
    def exploited(self) -> bool:
        return self.vulnerability.exploited

    @property
    def kev_date_added(self) -> str | None:
        kev = self.vulnerability.kev
        return kev[0].date_added if kev else None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A component the scan could not check, and why (never silently dropped)."""

    ref: str
    name: str
    purl: str | None
    reason: Literal["no purl", "invalid purl", "unsupported purl type", "invalid cpe"]
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Unevaluated:
    """A record that names the component but whose ranges could not be evaluated (GIT ranges,
    or an ecosystem crakit has no ordering for); reported, never silently dropped."""

    purl: str  # the purl, or the CPE of a CPE-matched component
    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class VexNote:
    """A VEX statement that matched no finding (reported so that typos do not hide findings)."""

    source: str
    vulnerability: str
    products: tuple[str, ...]
    status: str


@dataclass(frozen=True, slots=True)
class DatabaseInfo:
    path: str
    schema_version: int
    built_at: str | None
    updated_at: str | None
    data_as_of: str | None  # newest `modified` among the OSV records
    records: int
    withdrawn_removed: int
    ecosystems: tuple[tuple[str, int], ...]
    kev_entries: int
    kev_catalog_version: str | None
    kev_date_released: str | None
    sources: tuple[tuple[str, str, str, int], ...]  # (name, location, imported_at, records)
    age_days: float | None  # since the newest OSV record's `modified`
    kev_age_days: float | None = None  # since the KEV catalogue's release
    cpe_records: int = 0  # CVEs with CPE match rules (NVD configurations, CVE 5 affected[])
    euvd_entries: int = 0  # CVEs on ENISA's EUVD exploited list


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Everything one scan found, with what it could not decide."""

    findings: list[Finding]
    components: int
    components_without_purl: int
    unsupported: tuple[str, ...]  # purl types with no OSV ecosystem
    unevaluated: list[Unevaluated] = field(default_factory=list)
    vex_unmatched: list[VexNote] = field(default_factory=list)
    database: DatabaseInfo | None = None
    sboms: tuple[str, ...] = ()
    # Ecosystems the SBOMs use but the database holds no record for: (ecosystem, components).
    # Their components were not checked at all -- reported so "no findings" is never misread.
    uncovered: tuple[tuple[str, int], ...] = ()
    # Components not checked at all: no purl, an invalid purl, or a purl type with no OSV ecosystem.
    skipped: tuple[Skipped, ...] = ()
    # Components without a usable purl that were checked by CPE (their own or a derived one).
    cpe_checked: int = 0

    def active(self) -> list[Finding]:
        """Findings not suppressed by a VEX statement."""
        return [f for f in self.findings if f.status not in SUPPRESSING]
