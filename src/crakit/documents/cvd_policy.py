"""A coordinated vulnerability disclosure policy (Annex I Part II(5)-(6), Art 13(17)) from the manifest.

The policy's commitments (response times, disclosure deadline, safe harbour) are the manufacturer's
decisions: crakit writes only those set in the manifest's ``cvd`` section and lists the others as still
to decide. The legal duties it cites (Art 13(6), Art 14, Annex I Part II(4)) are stated as they bind.
"""

from __future__ import annotations

import datetime as dt

from crakit.documents.common import labels, manufacturer_name, require_manufacturer_documents
from crakit.documents.i18n import Translator
from crakit.documents.model import Document, Item, Section
from crakit.manifest import Manifest
from crakit.regulation import Classification, classify


def _days(value: int | None, what: str) -> str:
    return f"{what} within {value} day{'s' if value != 1 else ''}" if value else ""


def build_cvd_policy(
    manifest: Manifest, *, today: dt.date | None = None, result: Classification | None = None
) -> Document:
    """The CVD policy of Annex I Part II(5), with the contact of Part II(6)."""
    result = result or classify(manifest)
    require_manufacturer_documents(
        result, "coordinated vulnerability disclosure policy under Annex I Part II(5)"
    )
    sc, cvd, product = manifest.security_contact, manifest.cvd, manifest.product
    who = manufacturer_name(manifest) or "The manufacturer"
    how = [f"Send reports to: {c}" for c in sc.contact]
    if sc.encryption:
        how.append(f"Encrypt sensitive reports with: {sc.encryption}")
    if sc.languages:
        how.append(f"We read reports in: {', '.join(sc.languages)}")
    how.append(
        "A useful report names the product and version, describes the vulnerability and its impact, and gives "
        "the steps to reproduce it. Reports about third-party components we integrate are welcome too."
    )
    commitments = [
        c
        for c in (
            _days(cvd.acknowledge_days, "We acknowledge your report"),
            _days(cvd.assessment_days, "We tell you our first assessment"),
        )
        if c
    ]
    commitments += [
        "We keep you informed until the vulnerability is fixed, and agree the disclosure date with you.",
        "We fix vulnerabilities without delay and ship security updates free of charge, separately from feature "
        "updates where technically feasible, for the whole support period (Annex I Part II(2), (8)).",
    ]
    if manifest.support.end is not None:
        commitments.append(
            f"{product.name} is supported until the end of {manifest.support.end} (Art 13(19))."
        )
    disclosure = [
        "Once a security update is available we publish an advisory describing the vulnerability, the affected "
        "products, its impact and severity, and how to remedy it (Annex I Part II(4))"
        + (f", in CSAF at {sc.csaf}" if sc.csaf else "")
        + ".",
    ]
    if cvd.disclosure_days:
        disclosure.append(
            f"We aim to disclose a reported vulnerability at the latest {cvd.disclosure_days} days after the report, "
            "unless you and we agree otherwise, or publication would put users at risk before they could update "
            "(Annex I Part II(4), second sentence)."
        )
    if sc.acknowledgments:
        disclosure.append(f"With your consent we credit you at {sc.acknowledgments}.")
    law = [
        "An actively exploited vulnerability is notified to the coordinator CSIRT"
        + (
            f" ({result.csirt_route.member_state})"
            if result.csirt_route and result.csirt_route.member_state
            else ""
        )
        + " and to ENISA through the single reporting platform (Art 14(1)); reporting to us does not replace "
        "your own right to report to a CSIRT or ENISA (Art 15).",
        "A vulnerability we find in a component we integrate is reported to the person or entity maintaining it, "
        "with our fix where we developed one (Art 13(6)).",
    ]
    harbour: list[str] = []
    if cvd.safe_harbour is True:
        harbour.append(
            "We will not pursue legal action against research done in good faith under this policy: stay within "
            "what is needed to show the vulnerability, do not access or keep others' data, and give us the time "
            "agreed above before publishing."
        )
    elif cvd.safe_harbour is False:
        harbour.append("This policy makes no legal safe-harbour commitment.")
    missing_contact = None if sc.contact else "manifest field security_contact.contact"
    undecided = [
        f"cvd.{name}"
        for name, value in (
            ("acknowledge_days", cvd.acknowledge_days),
            ("assessment_days", cvd.assessment_days),
            ("disclosure_days", cvd.disclosure_days),
            ("safe_harbour", cvd.safe_harbour),
        )
        if value is None
    ]
    items = (
        Item(
            "CVD.1",
            "1",
            "Scope",
            "Annex I Part II(5)",
            text=f"This policy covers {product.name} and the other products of {who.rstrip('.')}, including their "
            "remote data processing solutions and integrated components.",
        ),
        Item(
            "CVD.2",
            "2",
            "How to report a vulnerability",
            "Annex I Part II(6), Art 13(17)",
            bullets=tuple(how),
            missing=missing_contact,
            source="manifest: security_contact",
        ),
        Item(
            "CVD.3",
            "3",
            "What we commit to",
            "Annex I Part II(2), (5), (8)",
            bullets=tuple(commitments),
            missing=("decide and set manifest fields " + ", ".join(undecided)) if undecided else None,
            source="manifest: cvd",
        ),
        Item("CVD.4", "4", "Disclosure", "Annex I Part II(4)", bullets=tuple(disclosure)),
        Item("CVD.5", "5", "Good-faith research", "-", bullets=tuple(harbour) or ("(not decided)",)),
        Item("CVD.6", "6", "What the law asks of us", "Art 13(6), Art 14, Art 15", bullets=tuple(law)),
    )
    return Document(
        kind="cvd-policy",
        lang="en",
        title="Coordinated vulnerability disclosure policy",
        subtitle=f"{who.rstrip('.')} · Regulation (EU) 2024/2847, Annex I Part II(5)-(6)",
        product=product.name,
        version=product.version,
        manufacturer=manufacturer_name(manifest),
        sections=(
            Section("CVD", "Coordinated vulnerability disclosure policy", "Annex I Part II(5)", items),
        ),
        generated=today or dt.date.today(),
        labels=labels(Translator("en")),
    )
