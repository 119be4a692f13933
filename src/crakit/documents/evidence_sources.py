"""What crakit itself knows about the product beyond the manifest: the SBOM and its quality, the
vulnerability status with VEX decisions, and the published CSAF advisories.

This module is the only one of the package that calls the scanner and VEX: ``crakit.vulndb.scan``
then ``crakit.vex.apply_statements`` (statements read with ``crakit.vex.read_vex``), and reads only
the finding fields id, aliases, purl, severity, exploited, fixed, status and justification.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crakit.documents.errors import DocumentError
from crakit.errors import CrakitError
from crakit.readlimit import read_limited
from crakit.sbom import Sbom, check_quality, read_sbom

MAX_ADVISORIES = 2000
MAX_ADVISORY_BYTES = 32 << 20  # the largest real advisories (Red Hat VEX) are a few MB


@dataclass(frozen=True, slots=True)
class SbomSummary:
    """Annex I Part II(1), Annex VII points 2(b) and 8; quality per BSI TR-03183-2."""

    path: str
    sha256: str
    format: str
    spec_version: str
    components: int
    top_level: int
    created: str | None
    authors: tuple[str, ...]
    quality_passed: bool
    quality_score: float
    failing_components: int


@dataclass(frozen=True, slots=True)
class VulnRow:
    id: str
    aliases: tuple[str, ...]
    purl: str
    severity: str
    exploited: bool
    fixed: tuple[str, ...]
    status: str
    justification: str | None


@dataclass(frozen=True, slots=True)
class VulnStatus:
    """Annex I Part I(2)(a): known exploitable vulnerabilities at the time of the document."""

    rows: tuple[VulnRow, ...]
    database: str
    data_as_of: str | None
    vex_files: tuple[str, ...]

    @property
    def open_rows(self) -> tuple[VulnRow, ...]:
        """Findings no VEX statement marks not affected or fixed."""
        return tuple(r for r in self.rows if r.status not in ("not_affected", "fixed"))


@dataclass(frozen=True, slots=True)
class Advisory:
    """A CSAF advisory of Annex I Part II(4) and (8)."""

    path: str
    id: str
    title: str
    released: str
    category: str
    cves: tuple[str, ...]
    valid: bool


def summarise_sbom(path: Path) -> tuple[Sbom, SbomSummary]:
    sbom = read_sbom(path)
    report = check_quality(sbom)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return sbom, SbomSummary(
        path=str(path),
        sha256=digest,
        format=sbom.format,
        spec_version=sbom.spec_version,
        components=len(sbom.components),
        top_level=sum(1 for c in sbom.components if c.top_level),
        created=sbom.created,
        authors=sbom.authors,
        quality_passed=report.passed,
        quality_score=report.score,
        failing_components=len(report.failing),
    )


def vulnerability_status(sbom: Sbom, database: Path, vex: Sequence[Path] = ()) -> VulnStatus:
    """Scan the SBOM against the offline database, then apply the VEX statements of ``vex``."""
    from crakit.vex import apply_statements, read_vex
    from crakit.vulndb import open_database, scan

    statements = []
    for path in vex:
        statements.extend(read_vex(path))
    with open_database(database) as db:
        result = scan([sbom], db)
        info = db.info()
    products = (sbom.product,) if sbom.product is not None else ()
    result = apply_statements(result, statements, products)
    rows = tuple(
        sorted(
            (
                VulnRow(
                    id=str(f.id),
                    aliases=tuple(f.aliases),
                    purl=f.key,  # the purl, or the CPE of a firmware component's finding
                    severity=f.severity,
                    exploited=f.exploited,
                    fixed=tuple(f.fixed),
                    status=f.status,
                    justification=f.justification,
                )
                for f in result.findings
            ),
            key=lambda r: (not r.exploited, r.status in ("not_affected", "fixed"), r.id, r.purl),
        )
    )
    return VulnStatus(rows, str(database), info.data_as_of, tuple(str(p) for p in vex))


def csaf_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise DocumentError(f"{folder}: not a directory of CSAF advisories")
    files = sorted(
        p for p in folder.rglob("*.json") if p.is_file() and not p.name.startswith("provider-metadata")
    )
    if len(files) > MAX_ADVISORIES:
        raise DocumentError(f"{folder}: {len(files)} JSON files; at most {MAX_ADVISORIES} are read")
    return files


def read_advisories(folder: Path) -> tuple[Advisory, ...]:
    """Every CSAF document under ``folder``, validated (CSAF 2.0 schema and mandatory tests)."""
    from crakit.csaf import load_document, validate

    advisories = []
    for path in csaf_files(folder):
        try:
            doc = load_document(read_limited(path, MAX_ADVISORY_BYTES, "CSAF document"), str(path))
        except CrakitError:
            continue  # not a CSAF document: the listing says what it read
        if not isinstance(doc, dict) or not isinstance(doc.get("document"), dict):
            continue
        meta = doc["document"]
        tracking = meta.get("tracking") if isinstance(meta.get("tracking"), dict) else {}
        cves = tuple(
            str(v["cve"]) for v in doc.get("vulnerabilities") or () if isinstance(v, dict) and v.get("cve")
        )
        advisories.append(
            Advisory(
                path=str(path),
                id=str(tracking.get("id", "?")),
                title=str(meta.get("title", "?")),
                released=str(tracking.get("current_release_date", "?")),
                category=str(meta.get("category", "?")),
                cves=cves,
                valid=validate(doc).valid,
            )
        )
    return tuple(advisories)
