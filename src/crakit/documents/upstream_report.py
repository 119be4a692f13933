"""The Art 13(6) report to the maintainer of an integrated component about a vulnerability in it.

crakit finds the component's vulnerabilities with the scanner (and the product's VEX decisions), and
writes one report per vulnerability for the maintainer. A vulnerability that is already published with a
fixed version is known to the maintainer: crakit says so, since Art 13(6) is about what the manufacturer
identifies; the Commission guidance's own words on exemptions were not read by crakit's team.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from crakit.documents.common import labels
from crakit.documents.errors import DocumentError
from crakit.documents.evidence_sources import VulnRow, vulnerability_status
from crakit.documents.i18n import Translator
from crakit.documents.model import Document, Item, Note, Section, Table
from crakit.manifest import Manifest
from crakit.sbom import Component, PurlError, decode_purl, read_sbom


def _matches(component: Component, wanted: str) -> bool:
    """Is ``component`` the one asked for: its purl as written or as the scanner reports it, its
    package (with or without a version: the version must then be the one it ships), or its name."""
    shipped = component.shipped_purl
    if shipped is not None:
        if wanted in (component.purl, shipped):
            return True
        try:
            asked, mine = decode_purl(wanted), decode_purl(shipped)
        except PurlError:
            return component.name == wanted
        if (asked.type.lower(), asked.namespace, asked.name) == (
            mine.type.lower(),
            mine.namespace,
            mine.name,
        ):
            return asked.version is None or asked.version == mine.version
    return component.name == wanted


def build_upstream_report(
    sbom_path: Path,
    database: Path,
    component: str,
    *,
    manifest: Manifest | None = None,
    vex: Sequence[Path] = (),
    today: dt.date | None = None,
) -> Document:
    """One report per vulnerability of ``component`` (a purl, with or without version, or a name)."""
    sbom = read_sbom(sbom_path)
    found = [c for c in sbom.components if _matches(c, component)]
    if not found:
        raise DocumentError(
            f"{sbom_path}: no component {component!r}",
            hint="give its purl (pkg:type/namespace/name@version) or its name as the SBOM writes it",
        )
    by_purl = {purl: c for c in found if (purl := c.shipped_purl)}  # each version shipped: its component
    status = vulnerability_status(sbom, database, vex)
    rows = [r for r in status.rows if r.purl in by_purl]
    product = manifest.product.name if manifest else (sbom.product.name if sbom.product else sbom_path.name)
    version = manifest.product.version if manifest else (sbom.product.version or "") if sbom.product else ""
    sender = (manifest.manufacturer.name if manifest else None) or "the manufacturer"
    contact = (
        ", ".join(manifest.security_contact.contact)
        if manifest and manifest.security_contact.contact
        else None
    )
    sections = [_report(r, by_purl.get(r.purl, found[0]), product, sender, contact) for r in rows]
    notes = [Note("Component found: " + ", ".join(sorted(by_purl) or [c.name for c in found]), "Art 13(6)")]
    if not rows:
        notes.append(
            Note(
                f"No known vulnerability of {component} in the database (data as of {status.data_as_of}).",
                "Art 13(6)",
            )
        )
    return Document(
        kind="upstream-report",
        lang="en",
        title=f"Vulnerability report to the maintainer of {found[0].name}",
        subtitle="Regulation (EU) 2024/2847, Art 13(6)",
        product=product,
        version=version,
        manufacturer=sender,
        sections=tuple(sections),
        generated=today or dt.date.today(),
        notes=tuple(notes),
        completeness=False,
        labels=labels(Translator("en")),
    )


def _report(row: VulnRow, component: Component, product: str, sender: str, contact: str | None) -> Section:
    known = bool(row.fixed)
    facts = Table(
        ("Field", "Value"),
        (
            ("Component", f"{component.name} {component.version or ''}".strip()),
            ("Package URL", row.purl),
            ("Vulnerability", ", ".join((row.id, *row.aliases))),
            ("Severity", row.severity),
            ("Known exploited (CISA KEV)", "yes" if row.exploited else "no"),
            ("Fixed in", ", ".join(row.fixed) or "no fixed version known"),
            (f"Status in {product}", row.status + (f" ({row.justification})" if row.justification else "")),
        ),
    )
    body = (
        f"{sender.rstrip('.')} integrates {component.name} in {product}. As Art 13(6) of Regulation (EU) "
        f"2024/2847 asks, we report to you, as the maintainer of {component.name}, the vulnerability "
        f"{row.id} that affects the version we integrate."
    )
    items = [
        Item(f"U.{row.id}.1", "1", "Report", "Art 13(6)", text=body, table=facts),
        Item(
            f"U.{row.id}.2",
            "2",
            "What we add",
            "Art 13(6)",
            bullets=(
                "[to write] how the vulnerability shows in our product, if it does",
                "[to write] the fix we developed, as code or documentation, in a machine-readable format where "
                "appropriate (Art 13(6), second sentence), or 'none'",
            ),
        ),
        Item(
            f"U.{row.id}.3",
            "3",
            "Whether the duty applies",
            "Art 13(6)",
            text=(
                f"Already published with a fixed version ({', '.join(row.fixed)}): the maintainer knows it. Art 13(6) "
                "concerns vulnerabilities the manufacturer identifies; send this report only for what you add "
                "(exploitability in your product, a fix of yours). crakit's reading; the Commission guidance's "
                "exemptions were not read by crakit's team."
                if known
                else "No fixed version is known: report it to the maintainer."
            ),
        ),
    ]
    if contact:
        items.append(Item(f"U.{row.id}.4", "4", "Contact", "Art 13(17)", text=f"Reply to: {contact}"))
    return Section(f"U.{row.id}", f"{row.id} in {component.name}", "Art 13(6)", tuple(items))
