"""Value types of the scanner: the findings the reporting and CSAF features consume.

A finding answers, for one SBOM component and one vulnerability (aliases folded together),
whether it is a *known exploitable vulnerability* in the sense of Annex I Part I(2)(a) and
whether it is *actively exploited* (CISA KEV), which starts the Art 14(1) reporting clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NewType

from crakit.sbom import Component

VulnId = NewType("VulnId", str)

Severity = Literal["critical", "high", "medium", "low", "none", "unknown"]
Status = Literal["affected", "not_affected", "fixed", "under_investigation"]

SEVERITY_ORDER: dict[str, int] = {"unknown": 0, "none": 1, "low": 2, "medium": 3, "high": 4, "critical": 5}
SUPPRESSING: frozenset[str] = frozenset({"not_affected", "fixed"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One component affected by one vulnerability."""

    purl: str  # exactly as the SBOM wrote it
    id: VulnId  # the OSV id chosen to represent the folded group
    aliases: tuple[str, ...]
    severity: Severity
    cvss_vector: str | None
    cvss_score: float | None
    fixed: tuple[str, ...]
    exploited: bool
    kev_date_added: str | None
    status: Status
    justification: str | None
    component: Component
    summary: str | None
    ecosystem: str = ""
    package: str = ""
    version: str | None = None
    vex_source: str | None = None  # the VEX document that set ``status``
    kev_due_date: str | None = None
    ransomware: bool = False
    kev_cves: tuple[
        str, ...
    ] = ()  # the CVE ids under which CISA KEV lists this flaw (earliest listing first)

    @property
    def suppressed(self) -> bool:
        """A VEX statement says the product is not affected or the flaw is fixed."""
        return self.status in SUPPRESSING

    @property
    def all_ids(self) -> tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass(frozen=True, slots=True)
class Unevaluated:
    """A record that names the component but whose ranges could not be evaluated (GIT ranges,
    or an ecosystem crakit has no ordering for); reported, never silently dropped."""

    purl: str
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

    def active(self) -> list[Finding]:
        """Findings not suppressed by a VEX statement."""
        return [f for f in self.findings if not f.suppressed]


def finding_to_json(f: Finding) -> dict[str, Any]:
    """The stable JSON contract of one finding (``crakit scan --format json``)."""
    return {
        "purl": f.purl,
        "id": f.id,
        "aliases": list(f.aliases),
        "severity": f.severity,
        "cvss_vector": f.cvss_vector,
        "cvss_score": f.cvss_score,
        "fixed": list(f.fixed),
        "exploited": f.exploited,
        "kev_date_added": f.kev_date_added,
        "kev_due_date": f.kev_due_date,
        "known_ransomware_use": f.ransomware,
        "kev_cves": list(f.kev_cves),
        "status": f.status,
        "justification": f.justification,
        "summary": f.summary,
        "ecosystem": f.ecosystem,
        "package": f.package,
        "version": f.version,
        "component": {"ref": f.component.ref, "name": f.component.name, "version": f.component.version},
        "vex_source": f.vex_source,
    }
