"""A typed model of CSAF 2.0 (base, security advisory and VEX profiles) for writing documents.

Each class mirrors one object of the OASIS schema and turns itself into JSON with ``to_json``;
optional members that are empty are left out, as the schema forbids empty arrays and strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NewType

ProductId = NewType("ProductId", str)
GroupId = NewType("GroupId", str)

Category = Literal["csaf_base", "csaf_security_advisory", "csaf_vex"]
TlpLabel = Literal["WHITE", "GREEN", "AMBER", "RED"]
DocStatus = Literal["draft", "interim", "final"]
PublisherCategory = Literal["coordinator", "discoverer", "other", "translator", "user", "vendor"]
BranchCategory = Literal[
    "architecture",
    "host_name",
    "language",
    "legacy",
    "patch_level",
    "product_family",
    "product_name",
    "product_version",
    "product_version_range",
    "service_pack",
    "specification",
    "vendor",
]
NoteCategory = Literal["description", "details", "faq", "general", "legal_disclaimer", "other", "summary"]
RemediationCategory = Literal["mitigation", "no_fix_planned", "none_available", "vendor_fix", "workaround"]
FlagLabel = Literal[
    "component_not_present",
    "inline_mitigations_already_exist",
    "vulnerable_code_cannot_be_controlled_by_adversary",
    "vulnerable_code_not_in_execute_path",
    "vulnerable_code_not_present",
]
ThreatCategory = Literal["exploit_status", "impact", "target_set"]
RelationshipCategory = Literal[
    "default_component_of", "external_component_of", "installed_on", "installed_with", "optional_component_of"
]

JSONDict = dict[str, Any]


def _put(out: JSONDict, key: str, value: Any) -> None:
    if value is None or value == "" or value == () or value == []:
        return
    out[key] = value


@dataclass(frozen=True, slots=True)
class Note:
    category: NoteCategory
    text: str
    title: str | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {"category": self.category, "text": self.text}
        _put(out, "title", self.title)
        return out


@dataclass(frozen=True, slots=True)
class Reference:
    url: str
    summary: str
    category: Literal["external", "self"] = "external"

    def to_json(self) -> JSONDict:
        return {"category": self.category, "summary": self.summary, "url": self.url}


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    namespace: str
    category: PublisherCategory = "vendor"
    contact_details: str | None = None
    issuing_authority: str | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {"category": self.category, "name": self.name, "namespace": self.namespace}
        _put(out, "contact_details", self.contact_details)
        _put(out, "issuing_authority", self.issuing_authority)
        return out


@dataclass(frozen=True, slots=True)
class Revision:
    number: str
    date: str  # RFC 3339, UTC
    summary: str

    def to_json(self) -> JSONDict:
        return {"date": self.date, "number": self.number, "summary": self.summary}


@dataclass(frozen=True, slots=True)
class Tracking:
    id: str
    status: DocStatus
    revisions: tuple[Revision, ...]
    generator: str = "crakit"
    generator_version: str | None = None

    @property
    def version(self) -> str:
        return self.revisions[-1].number

    def to_json(self) -> JSONDict:
        engine: JSONDict = {"name": self.generator}
        _put(engine, "version", self.generator_version)
        return {
            "current_release_date": self.revisions[-1].date,
            "generator": {"engine": engine},
            "id": self.id,
            "initial_release_date": self.revisions[0].date,
            "revision_history": [r.to_json() for r in self.revisions],
            "status": self.status,
            "version": self.version,
        }


@dataclass(frozen=True, slots=True)
class Helper:
    """product_identification_helper: the identifiers a user's tooling matches on."""

    purl: str | None = None
    cpe: str | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {}
        _put(out, "cpe", self.cpe)
        _put(out, "purl", self.purl)
        return out


@dataclass(frozen=True, slots=True)
class FullProductName:
    product_id: ProductId
    name: str
    helper: Helper | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {"name": self.name, "product_id": self.product_id}
        if self.helper is not None and self.helper.to_json():
            out["product_identification_helper"] = self.helper.to_json()
        return out


@dataclass(frozen=True, slots=True)
class Branch:
    category: BranchCategory
    name: str
    branches: tuple[Branch, ...] = ()
    product: FullProductName | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {"category": self.category, "name": self.name}
        if self.branches:
            out["branches"] = [b.to_json() for b in self.branches]
        if self.product is not None:
            out["product"] = self.product.to_json()
        return out


@dataclass(frozen=True, slots=True)
class Relationship:
    category: RelationshipCategory
    product_reference: ProductId
    relates_to_product_reference: ProductId
    full_product_name: FullProductName

    def to_json(self) -> JSONDict:
        return {
            "category": self.category,
            "full_product_name": self.full_product_name.to_json(),
            "product_reference": self.product_reference,
            "relates_to_product_reference": self.relates_to_product_reference,
        }


@dataclass(frozen=True, slots=True)
class ProductTree:
    branches: tuple[Branch, ...] = ()
    full_product_names: tuple[FullProductName, ...] = ()
    relationships: tuple[Relationship, ...] = ()

    def to_json(self) -> JSONDict:
        out: JSONDict = {}
        _put(out, "branches", [b.to_json() for b in self.branches])
        _put(out, "full_product_names", [p.to_json() for p in self.full_product_names])
        _put(out, "relationships", [r.to_json() for r in self.relationships])
        return out


@dataclass(frozen=True, slots=True)
class ProductStatus:
    fixed: tuple[ProductId, ...] = ()
    known_affected: tuple[ProductId, ...] = ()
    known_not_affected: tuple[ProductId, ...] = ()
    under_investigation: tuple[ProductId, ...] = ()
    recommended: tuple[ProductId, ...] = ()

    def to_json(self) -> JSONDict:
        out: JSONDict = {}
        for key in ("fixed", "known_affected", "known_not_affected", "recommended", "under_investigation"):
            _put(out, key, sorted(set(getattr(self, key))))
        return out


@dataclass(frozen=True, slots=True)
class Remediation:
    category: RemediationCategory
    details: str
    product_ids: tuple[ProductId, ...]
    url: str | None = None
    date: str | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {
            "category": self.category,
            "details": self.details,
            "product_ids": sorted(set(self.product_ids)),
        }
        _put(out, "date", self.date)
        _put(out, "url", self.url)
        return out


@dataclass(frozen=True, slots=True)
class Score:
    """One CVSS v3 score; the numbers are computed from the vector so they always agree (6.1.9)."""

    vector: str
    products: tuple[ProductId, ...]

    def to_json(self) -> JSONDict:
        import cvss

        c = cvss.CVSS3(self.vector)
        version = "3.1" if self.vector.startswith("CVSS:3.1/") else "3.0"
        return {
            "cvss_v3": {
                "baseScore": float(c.base_score),
                "baseSeverity": c.severities()[0].upper(),
                "vectorString": c.clean_vector(),
                "version": version,
            },
            "products": sorted(set(self.products)),
        }


@dataclass(frozen=True, slots=True)
class Flag:
    label: FlagLabel
    product_ids: tuple[ProductId, ...]

    def to_json(self) -> JSONDict:
        return {"label": self.label, "product_ids": sorted(set(self.product_ids))}


@dataclass(frozen=True, slots=True)
class Threat:
    category: ThreatCategory
    details: str
    product_ids: tuple[ProductId, ...] = ()
    date: str | None = None

    def to_json(self) -> JSONDict:
        out: JSONDict = {"category": self.category, "details": self.details}
        _put(out, "date", self.date)
        _put(out, "product_ids", sorted(set(self.product_ids)))
        return out


@dataclass(frozen=True, slots=True)
class Cwe:
    id: str
    name: str

    def to_json(self) -> JSONDict:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class VulnerabilityId:
    system_name: str
    text: str

    def to_json(self) -> JSONDict:
        return {"system_name": self.system_name, "text": self.text}


@dataclass(frozen=True, slots=True)
class Vulnerability:
    cve: str | None = None
    ids: tuple[VulnerabilityId, ...] = ()
    title: str | None = None
    cwe: Cwe | None = None
    notes: tuple[Note, ...] = ()
    product_status: ProductStatus = field(default_factory=ProductStatus)
    remediations: tuple[Remediation, ...] = ()
    scores: tuple[Score, ...] = ()
    flags: tuple[Flag, ...] = ()
    threats: tuple[Threat, ...] = ()
    references: tuple[Reference, ...] = ()

    def to_json(self) -> JSONDict:
        out: JSONDict = {}
        _put(out, "cve", self.cve)
        if self.cwe is not None:
            out["cwe"] = self.cwe.to_json()
        _put(out, "flags", [f.to_json() for f in self.flags])
        _put(out, "ids", [i.to_json() for i in self.ids])
        _put(out, "notes", [n.to_json() for n in self.notes])
        _put(out, "product_status", self.product_status.to_json() or None)
        _put(out, "references", [r.to_json() for r in self.references])
        _put(out, "remediations", [r.to_json() for r in self.remediations])
        _put(out, "scores", [s.to_json() for s in self.scores])
        _put(out, "threats", [t.to_json() for t in self.threats])
        _put(out, "title", self.title)
        return out


@dataclass(frozen=True, slots=True)
class CsafDocument:
    """A whole CSAF 2.0 document."""

    category: Category
    title: str
    publisher: Publisher
    tracking: Tracking
    tlp: TlpLabel = "WHITE"
    lang: str = "en"
    notes: tuple[Note, ...] = ()
    references: tuple[Reference, ...] = ()
    product_tree: ProductTree | None = None
    vulnerabilities: tuple[Vulnerability, ...] = ()

    def to_json(self) -> JSONDict:
        document: JSONDict = {
            "category": self.category,
            "csaf_version": "2.0",
            "distribution": {"tlp": {"label": self.tlp, "url": "https://www.first.org/tlp/"}},
            "lang": self.lang,
            "publisher": self.publisher.to_json(),
            "title": self.title,
            "tracking": self.tracking.to_json(),
        }
        _put(document, "notes", [n.to_json() for n in self.notes])
        _put(document, "references", [r.to_json() for r in self.references])
        out: JSONDict = {"document": document}
        if self.product_tree is not None:
            out["product_tree"] = self.product_tree.to_json()
        _put(out, "vulnerabilities", [v.to_json() for v in self.vulnerabilities])
        return out
