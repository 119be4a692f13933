"""The technical documentation of Annex VII (Art 31), regenerated from the product's evidence.

Each Annex VII point is filled with what crakit knows (the manifest, the classification and its
reasons, the SBOM and its BSI TR-03183-2 quality, the scan with VEX decisions, the CSAF advisories)
and with the manufacturer's own texts from the evidence folder. The completeness table lists every
text still to write. Written in English (Art 31(4) lets the notified body accept a language).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from crakit.documents.common import labels, manufacturer_name, require_manufacturer_documents
from crakit.documents.conformity import conformity_facts
from crakit.documents.declaration import build_declaration
from crakit.documents.errors import DocumentError
from crakit.documents.evidence import SLOTS, Evidence, read_evidence
from crakit.documents.evidence_sources import (
    Advisory,
    SbomSummary,
    VulnStatus,
    read_advisories,
    summarise_sbom,
    vulnerability_status,
)
from crakit.documents.i18n import Translator
from crakit.documents.model import Document, Item, Note, Section, Table
from crakit.documents.risk_matrix import matrix
from crakit.documents.user_info import user_info_sections
from crakit.manifest import Manifest
from crakit.regulation import Classification, classify, rules_version

_CATEGORY = {
    "default": "default category (no Annex III or IV entry)",
    "important-class-i": "important product, Class I (Annex III)",
    "important-class-ii": "important product, Class II (Annex III)",
    "critical": "critical product (Annex IV)",
}


@dataclass(frozen=True, slots=True)
class TechnicalInputs:
    """What the technical documentation is generated from, besides the manifest."""

    evidence: Path | None = None
    sbom: Path | None = None
    vulndb: Path | None = None
    vex: tuple[Path, ...] = ()
    csaf: Path | None = None
    extra_notes: list[Note] = field(default_factory=list)


def _guidance(slot_id: str) -> str:
    return next(slot.guidance for slot in SLOTS if slot.id == slot_id)


def _evidence_item(
    evidence: Evidence, slot_id: str, key: str, label: str, title: str, ref: str, **more: object
) -> Item:
    found = evidence.get(slot_id)
    return Item(
        key=key,
        label=label,
        title=title,
        ref=ref,
        markdown=found.markdown if found else None,
        missing=None if found else _guidance(slot_id),
        source=evidence.where(slot_id),
        **more,  # type: ignore[arg-type]
    )


def _general(manifest: Manifest, result: Classification, evidence: Evidence) -> Section:
    product = manifest.product
    facts = [
        f"{product.name}, version {product.version}" + (f", type {product.type}" if product.type else ""),
        f"Kind: {product.kind}." + (f" {product.description}" if product.description else ""),
        f"Category: {_CATEGORY.get(result.category or '', result.category or '-')}"
        + (
            f", {', '.join(e.id + ' ' + e.name for e in result.annex_entries)}"
            if result.annex_entries
            else ""
        )
        + ".",
    ]
    if result.integrated_entries:
        facts.append(
            "Integrated functions: " + ", ".join(e.id for e in result.integrated_entries) + " (Art 7(1))."
        )
    if manifest.market.placed_on_market:
        facts.append(f"Placed on the market: {manifest.market.placed_on_market.isoformat()}.")
    reasons = tuple(f"{r.text} ({r.ref})" for r in result.reasons)
    items = [
        Item(
            "VII.1", "1", "General description", "Annex VII point 1", text="\n".join(facts), bullets=reasons
        ),
        _evidence_item(
            evidence, "annex-vii-1a", "VII.1.a", "1(a)", "Intended purpose", "Annex VII point 1(a)"
        ),
        _evidence_item(
            evidence,
            "annex-vii-1b",
            "VII.1.b",
            "1(b)",
            "Software versions affecting compliance with the essential requirements",
            "Annex VII point 1(b)",
            text=f"Version documented here: {product.version}.",
        ),
    ]
    if product.kind == "software":
        items.append(
            Item(
                "VII.1.c",
                "1(c)",
                "Photographs or illustrations (hardware)",
                "Annex VII point 1(c)",
                text="Not applicable: the product is software.",
            )
        )
    else:
        items.append(
            _evidence_item(
                evidence,
                "annex-vii-1c",
                "VII.1.c",
                "1(c)",
                "Photographs or illustrations of external features, marking and internal layout",
                "Annex VII point 1(c)",
            )
        )
    items.append(
        Item(
            "VII.1.d",
            "1(d)",
            "Information and instructions to the user (Annex II)",
            "Annex VII point 1(d)",
            text="Reproduced in Appendix A; every Annex II element still to write is listed in the completeness table.",
        )
    )
    return Section("VII.1", "1. General description of the product", "Annex VII point 1", tuple(items))


def _vulnerability_handling(
    manifest: Manifest,
    evidence: Evidence,
    sbom: SbomSummary | None,
    vulns: VulnStatus | None,
    advisories: tuple[Advisory, ...] | None,
) -> tuple[Item, ...]:
    sc = manifest.security_contact
    rows: list[tuple[str, str]] = []
    absent: list[str] = []
    if sbom is not None:
        rows.append(
            (
                "SBOM (Annex I Part II(1))",
                f"{sbom.path}: {sbom.format} {sbom.spec_version}, {sbom.components} components, sha256 {sbom.sha256[:16]}…",
            )
        )
        rows.append(
            (
                "SBOM quality (BSI TR-03183-2)",
                f"{'meets' if sbom.quality_passed else 'does not meet'} the required fields; score {sbom.quality_score}; "
                f"{sbom.failing_components} component(s) lack a required field",
            )
        )
    else:
        absent.append("the SBOM (--sbom FILE)")
    rows.append(("CVD policy (Annex I Part II(5))", sc.policy or "not given"))
    rows.append(
        ("Contact for vulnerability reports (Part II(6), Art 13(17))", ", ".join(sc.contact) or "not given")
    )
    rows.append(("Secure update distribution (Part II(7))", manifest.support.update_mechanism or "not given"))
    absent += [
        f"manifest field {name}"
        for name, value in (
            ("security_contact.policy", sc.policy),
            ("security_contact.contact", sc.contact),
            ("support.update_mechanism", manifest.support.update_mechanism),
        )
        if not value
    ]
    found = evidence.get("annex-vii-2b")
    handling = Item(
        "VII.2.b",
        "2(b)",
        "Vulnerability handling: SBOM, CVD policy, contact address, secure update distribution",
        "Annex VII point 2(b)",
        table=Table(("Element", "Evidence"), tuple(rows)),
        markdown=found.markdown if found else None,
        missing="; ".join(absent) or None,
        source="manifest, --sbom, " + evidence.where("annex-vii-2b"),
    )
    if vulns is None:
        status = Item(
            "VII.2.b.vulns",
            "2(b)",
            "Vulnerability status with VEX decisions",
            "Annex I Part I(2)(a), Annex VII point 2(b)",
            missing="the scan: generate with --sbom FILE --vulndb DB (and --vex FILE for the triage decisions)",
            source="crakit docs technical --sbom --vulndb --vex",
        )
    else:
        vrows = tuple(
            (
                r.id + (f" ({', '.join(r.aliases[:3])})" if r.aliases else ""),
                r.purl,
                r.severity,
                "yes" if r.exploited else "no",
                r.status + (f": {r.justification}" if r.justification else ""),
                ", ".join(r.fixed) or "-",
            )
            for r in vulns.rows
        )
        open_rows = vulns.open_rows
        text = (
            f"Database {vulns.database}, data as of {vulns.data_as_of or 'unknown'}; VEX: "
            f"{', '.join(vulns.vex_files) or 'none'}. {len(vulns.rows)} finding(s), {len(open_rows)} not resolved by VEX."
        )
        status = Item(
            "VII.2.b.vulns",
            "2(b)",
            "Vulnerability status with VEX decisions",
            "Annex I Part I(2)(a), Annex VII point 2(b)",
            text=text,
            table=Table(
                ("Vulnerability", "Component", "Severity", "Exploited", "Status (VEX)", "Fixed in"), vrows
            )
            if vrows
            else None,
            missing=(
                f"a VEX decision (not_affected with justification, or fixed) for {len(open_rows)} open finding(s): "
                "a product is placed on the market without known exploitable vulnerabilities (Annex I Part I(2)(a))"
            )
            if open_rows
            else None,
            source="--vex",
        )
    if advisories is None:
        adv = Item(
            "VII.2.b.csaf",
            "2(b)",
            "Security advisories (CSAF)",
            "Annex I Part II(4), (8)",
            text="No advisory folder given (--csaf DIR).",
        )
    else:
        adv = Item(
            "VII.2.b.csaf",
            "2(b)",
            "Security advisories (CSAF)",
            "Annex I Part II(4), (8)",
            text=f"{len(advisories)} CSAF document(s) read.",
            table=Table(
                ("Advisory", "Title", "Released", "CVEs", "Valid CSAF 2.0"),
                tuple(
                    (a.id, a.title, a.released, ", ".join(a.cves) or "-", "yes" if a.valid else "no")
                    for a in advisories
                ),
            )
            if advisories
            else None,
            missing="fix the invalid advisories (crakit csaf validate)"
            if any(not a.valid for a in advisories)
            else None,
        )
    return handling, status, adv


def _support(manifest: Manifest, result: Classification, evidence: Evidence) -> Section:
    sp = result.support_period
    lines = [
        f"End of the support period: {sp.end or 'not given'}; minimum end under Art 13(8): {sp.minimum_end or '-'}; "
        f"end of the expected time in use: {sp.expected_use_end or '-'}.",
    ]
    if sp.ok is False:
        lines.append(
            "crakit finds the support period too short for Art 13(8): lengthen it or justify it below."
        )
    item = _evidence_item(
        evidence,
        "annex-vii-4",
        "VII.4",
        "4",
        "Information used to determine the support period",
        "Annex VII point 4, Art 13(8)",
        text="\n".join(lines),
        bullets=tuple(f"{r.text} ({r.ref})" for r in sp.reasons),
    )
    if manifest.support.end is None:
        item = Item(
            item.key,
            item.label,
            item.title,
            item.ref,
            text=item.text,
            bullets=item.bullets,
            markdown=item.markdown,
            missing="manifest field support.end" + (f"; {item.missing}" if item.missing else ""),
            source=item.source,
        )
    return Section("VII.4", "4. Support period", "Annex VII point 4", (item,))


def _standards(
    manifest: Manifest, result: Classification, evidence: Evidence, declaration: Document
) -> Section:
    point6 = declaration.sections[0].items[5]
    point7 = declaration.sections[0].items[6]
    facts = conformity_facts(manifest, result)
    applied_in_full = (
        manifest.standards.harmonised_applied_in_full
        and "module-a" in result.conformity_routes
        and bool(manifest.standards.harmonised or manifest.standards.common_specifications)
    )
    found = evidence.get("annex-vii-5")
    standards = Item(
        "VII.5",
        "5",
        "Harmonised standards, common specifications or certification schemes applied; otherwise the solutions adopted",
        "Annex VII point 5",
        text=point6.text,
        bullets=point6.bullets,
        markdown=found.markdown if found else None,
        missing=None if (found or applied_in_full) else _guidance("annex-vii-5"),
        source=evidence.where("annex-vii-5"),
    )
    route_text = [
        f"Procedures open under Art 32: {', '.join(result.conformity_routes) or 'none'}.",
        f"Procedure followed: {facts.module or 'not stated'}"
        + (" (inferred)" if facts.assumed else "")
        + ".",
    ]
    if facts.notified_body_name or facts.notified_body_number:
        route_text.append(
            f"Notified body: {facts.notified_body_name or '?'} ({facts.notified_body_number or '?'})."
        )
    if facts.certificate:
        route_text.append(
            f"Certificate: {facts.certificate}"
            + (f", issued {facts.certificate_issued}" if facts.certificate_issued else "")
            + "."
        )
    route = Item(
        "VII.5.route",
        "5",
        "Conformity assessment procedure, notified body and certificates",
        "Art 32, Annex V point 7",
        text="\n".join(route_text),
        missing=point7.missing,
        source=point7.source,
    )
    return Section(
        "VII.5",
        "5. Standards, specifications and conformity assessment",
        "Annex VII point 5, Art 32",
        (standards, route),
    )


def _retention(manifest: Manifest, result: Classification) -> Section:
    sp = result.support_period
    placed = manifest.market.placed_on_market
    if sp.retention_until and placed:
        text = (
            f"Keep this documentation and the EU declaration of conformity at the disposal of the market surveillance "
            f"authorities until {sp.retention_until.isoformat()}: ten years after placing on the market "
            f"({placed.isoformat()}) or the end of the support period, whichever is later (Art 13(13)). Keep it up to "
            "date, at least during the support period (Art 31(2))."
        )
        retention = Item("VII.retention", "-", "Retention", "Art 13(13), Art 31(2)", text=text)
    else:
        retention = Item(
            "VII.retention",
            "-",
            "Retention",
            "Art 13(13)",
            missing="manifest fields market.placed_on_market and support.end (to date the retention)",
        )
    items = [retention]
    if manifest.manufacturer.size in ("micro", "small"):
        items.append(
            Item(
                "VII.sme",
                "-",
                "Simplified technical documentation for micro and small enterprises",
                "Art 33(5)",
                text=(
                    "Art 33(5) lets micro and small enterprises provide the Annex VII elements in a simplified format "
                    "that the Commission sets by implementing act. crakit records no such act as of rules "
                    f"{rules_version()}: the format is not yet published, so this document follows the full Annex VII "
                    "structure."
                ),
            )
        )
    return Section("VII.retention", "Retention and form", "Art 13(13), Art 31, Art 33(5)", tuple(items))


def build_technical(
    manifest: Manifest,
    inputs: TechnicalInputs | None = None,
    *,
    today: dt.date | None = None,
    result: Classification | None = None,
) -> Document:
    """The Annex VII technical documentation (Art 31) with its completeness table."""
    inputs = inputs or TechnicalInputs()
    result = result or classify(manifest)
    require_manufacturer_documents(result, "technical documentation")
    if inputs.vulndb is not None and inputs.sbom is None:
        raise DocumentError(
            "--vulndb needs --sbom: the vulnerability status is the scan of the product's SBOM"
        )
    t = Translator("en")
    evidence = read_evidence(inputs.evidence)
    sbom_model, sbom = summarise_sbom(inputs.sbom) if inputs.sbom else (None, None)
    vulns = (
        vulnerability_status(sbom_model, inputs.vulndb, inputs.vex) if sbom_model and inputs.vulndb else None
    )
    advisories = read_advisories(inputs.csaf) if inputs.csaf else None
    declaration = build_declaration(manifest, lang="en", today=today, result=result)
    table, requirement_items = matrix(manifest, evidence, sbom, vulns, advisories)
    risk = _evidence_item(
        evidence,
        "annex-vii-3",
        "VII.3",
        "3",
        "Cybersecurity risk assessment",
        "Annex VII point 3, Art 13(2)-(4)",
        table=table,
    )
    dp = declaration.missing()
    sections = (
        _general(manifest, result, evidence),
        Section(
            "VII.2",
            "2. Design, development, production and vulnerability handling",
            "Annex VII point 2",
            (
                _evidence_item(
                    evidence,
                    "annex-vii-2a",
                    "VII.2.a",
                    "2(a)",
                    "Design and development, system architecture",
                    "Annex VII point 2(a)",
                ),
                *_vulnerability_handling(manifest, evidence, sbom, vulns, advisories),
                _evidence_item(
                    evidence,
                    "annex-vii-2c",
                    "VII.2.c",
                    "2(c)",
                    "Production and monitoring processes and their validation",
                    "Annex VII point 2(c)",
                ),
            ),
        ),
        Section(
            "VII.3",
            "3. Cybersecurity risk assessment",
            "Annex VII point 3, Art 13(3)-(4)",
            (risk, *requirement_items),
            intro="Every point of Annex I: whether it applies, and how it is met or why it does not apply (Art 13(4)).",
        ),
        _support(manifest, result, evidence),
        _standards(manifest, result, evidence, declaration),
        Section(
            "VII.6",
            "6. Test reports",
            "Annex VII point 6",
            (
                _evidence_item(
                    evidence,
                    "annex-vii-6",
                    "VII.6",
                    "6",
                    "Reports of the tests verifying conformity with Annex I Parts I and II",
                    "Annex VII point 6",
                ),
            ),
        ),
        Section(
            "VII.7",
            "7. EU declaration of conformity",
            "Annex VII point 7",
            (
                Item(
                    "VII.7",
                    "7",
                    "Copy of the EU declaration of conformity",
                    "Annex VII point 7",
                    text="Reproduced in Appendix B.",
                    missing=None
                    if not dp
                    else "complete the declaration: " + ", ".join(i.ref for i in dp) + " (see Appendix B)",
                ),
            ),
        ),
        Section(
            "VII.8",
            "8. Software bill of materials",
            "Annex VII point 8",
            (
                Item(
                    "VII.8",
                    "8",
                    "The software bill of materials, provided to market surveillance authorities on reasoned request",
                    "Annex VII point 8, Art 13(25)",
                    text=f"{sbom.path} (sha256 {sbom.sha256}); {sbom.format} {sbom.spec_version}, created {sbom.created or '?'}."
                    if sbom
                    else None,
                    missing=None if sbom else "the SBOM: generate with --sbom FILE",
                    source="--sbom",
                ),
            ),
        ),
        _retention(manifest, result),
        *(
            Section(f"A.{s.key}", f"Appendix A. {s.title}", s.ref, tuple(_prefixed(i, "A.") for i in s.items))
            for s in user_info_sections(manifest, evidence, t)
        ),
        Section(
            "B",
            "Appendix B. EU declaration of conformity",
            "Annex V",
            tuple(_prefixed(i, "B.", keep_missing=False) for i in declaration.sections[0].items),
        ),
    )
    notes = [Note(w.text, w.ref) for w in result.warnings]
    notes += [
        Note(f"evidence file {name} matches no section of Annexes I, II or VII and was not read", "Annex VII")
        for name in evidence.unknown
    ]
    notes += inputs.extra_notes
    return Document(
        kind="technical",
        lang="en",
        title="Technical documentation",
        subtitle=f"Regulation (EU) 2024/2847, Annex VII · crakit rules {rules_version()}",
        product=manifest.product.name,
        version=manifest.product.version,
        manufacturer=manufacturer_name(manifest),
        sections=sections,
        generated=today or dt.date.today(),
        notes=tuple(notes),
        labels=labels(t),
        assets=evidence.folder,
    )


def _prefixed(item: Item, prefix: str, keep_missing: bool = True) -> Item:
    """An appendix copy; the declaration's gaps are counted once, under Annex VII point 7."""
    return Item(
        key=prefix + item.key,
        label=item.label,
        title=item.title,
        ref=item.ref,
        text=item.text,
        markdown=item.markdown,
        bullets=item.bullets,
        table=item.table,
        missing=item.missing if keep_missing else None,
        source=item.source,
    )
