"""The one lean component model every SBOM format is read into (Annex I Part II(1)).

Shared contract: the scanner, reporting and CSAF features consume these types.
Fields may be added; existing names and meanings do not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import msgspec

from crakit.sbom.purl import with_version


class Component(msgspec.Struct, frozen=True):
    """One component (CycloneDX ``component``, SPDX 2.x ``Package``, SPDX 3 ``software_Package``).

    A msgspec Struct rather than a dataclass: SBOMs of 100,000 components build one each, and a
    Struct is built several times faster.
    """

    ref: str  # bom-ref or SPDXID; unique inside its document ("" when the document gave none)
    name: str
    version: str | None = None
    purl: str | None = None  # exactly as the document wrote it
    cpe: str | None = None  # the first CPE the document gives, as written
    type: str | None = None  # library, application, firmware, ... (CycloneDX vocabulary)
    supplier: str | None = None
    author: str | None = None
    licenses: tuple[str, ...] = ()
    hashes: tuple[tuple[str, str], ...] = ()  # (algorithm as written, hex digest)
    scope: str | None = None  # required | optional | excluded
    top_level: bool = False  # a direct dependency of the product
    swid: str | None = None  # SWID tag id, when given
    # name/value pairs (CycloneDX properties, e.g. bsi:component:*)
    properties: tuple[tuple[str, str], ...] = ()
    filename: str | None = None  # SPDX 2 packageFileName; CycloneDX property bsi:component:filename
    licenses_declared: tuple[str, ...] = ()  # as the creator declared them (SPDX licenseDeclared)
    licenses_concluded: tuple[str, ...] = ()  # as concluded by the SBOM author (SPDX licenseConcluded)
    # Every CPE (2.2 URI or 2.3 formatted string) the document gives, as written, ``cpe`` first.
    cpes: tuple[str, ...] = ()

    @property
    def shipped_purl(self) -> str | None:
        """The purl of the package version this component ships: its purl, completed with its
        own ``version`` when the purl names none (the scanner's identity of the component)."""
        return with_version(self.purl, self.version) if self.purl else None


@dataclass(frozen=True, slots=True)
class Sbom:
    """A parsed SBOM document."""

    format: str  # "cyclonedx" | "spdx"
    spec_version: str  # "1.6", "2.3", "3.0", ...
    serialization: str  # "json" | "xml" | "yaml" | "tag-value" | "json-ld"
    components: tuple[Component, ...]
    product: Component | None = None  # CycloneDX metadata.component / SPDX documentDescribes
    dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # ref -> refs it depends on
    tools: tuple[str, ...] = ()
    created: str | None = None  # ISO 8601 as written
    authors: tuple[str, ...] = ()
    name: str | None = None  # document name / serial number
    uri: str | None = None  # own URI: CycloneDX serialNumber, SPDX 2 documentNamespace, SPDX 3 spdxId
    source: str | None = None  # path it was read from
