"""Information and instructions to the user (Art 13(18), Annex II), in the users' language.

Facts come from the manifest (contact details, support period, addresses); the texts only the
manufacturer can write (intended purpose, foreseeable risks, instructions) come from the evidence
folder, or from one internet address with the detailed instructions (``documents.instructions_url``).
"""

from __future__ import annotations

import datetime as dt

from crakit.documents.common import labels, manufacturer_name, require_manufacturer_documents
from crakit.documents.evidence import ANNEX_II, Evidence, read_evidence
from crakit.documents.i18n import N_, Translator
from crakit.documents.model import Document, Item, Note, Section
from crakit.manifest import Manifest
from crakit.regulation import Classification, classify

TITLES = {
    "1": N_(
        "Name, registered trade name or registered trademark of the manufacturer, postal address, email "
        "address or other digital contact and, where available, website"
    ),
    "2": N_(
        "Single point of contact where information about vulnerabilities can be reported and received, and "
        "where the coordinated vulnerability disclosure policy can be found"
    ),
    "3": N_("Name and type of the product and any additional information enabling its unique identification"),
    "4": N_(
        "Intended purpose, including the security environment provided by the manufacturer, essential "
        "functionalities and information about the security properties"
    ),
    "5": N_(
        "Known or foreseeable circumstances, related to the intended purpose or reasonably foreseeable misuse, "
        "which may lead to significant cybersecurity risks"
    ),
    "6": N_("Internet address at which the EU declaration of conformity can be accessed"),
    "7": N_("Type of technical security support offered and end date of the support period"),
    "8a": N_("Measures needed at initial commissioning and throughout the lifetime to ensure secure use"),
    "8b": N_("How changes to the product can affect the security of data"),
    "8c": N_("How security-relevant updates can be installed"),
    "8d": N_("Secure decommissioning, including how user data can be securely removed"),
    "8e": N_("How the default setting for the automatic installation of security updates can be turned off"),
    "8f": N_("Information integrators need to comply with Annex I and Annex VII"),
    "9": N_("Where the software bill of materials can be accessed"),
}


def _label(code: str) -> str:
    return f"{code[0]}({code[1]})" if len(code) == 2 else code


def _item(t: Translator, code: str, **fields: object) -> Item:
    return Item(
        key=f"II.{code}",
        label=_label(code),
        title=t._(TITLES[code]),
        ref=t._("Annex II point %(n)s", n=_label(code)),
        **fields,  # type: ignore[arg-type]
    )


def _fields(t: Translator, names: list[str]) -> str | None:
    return t._("manifest fields %(fields)s", fields=", ".join(names)) if names else None


def _write_in(t: Translator, evidence: Evidence, slot_id: str) -> str:
    return t._("the text of %(file)s", file=evidence.where(slot_id))


def _contact_items(manifest: Manifest, t: Translator) -> tuple[Item, Item]:
    mf = manifest.manufacturer
    lines = [v for v in (mf.name, mf.trade_name, mf.address, mf.email, mf.website) if v]
    absent = [
        f"manufacturer.{k}"
        for k, v in (("name", mf.name), ("address", mf.address), ("email", mf.email))
        if not v
    ]
    one = _item(
        t, "1", text="\n".join(lines) or None, missing=_fields(t, absent), source="manifest: manufacturer"
    )
    sc = manifest.security_contact
    bullets = [t._("Report vulnerabilities to: %(contact)s", contact=c) for c in sc.contact]
    if sc.policy:
        bullets.append(t._("Coordinated vulnerability disclosure policy: %(url)s", url=sc.policy))
    absent = [
        f
        for f, v in (("security_contact.contact", sc.contact), ("security_contact.policy", sc.policy))
        if not v
    ]
    two = _item(
        t, "2", bullets=tuple(bullets), missing=_fields(t, absent), source="manifest: security_contact"
    )
    return one, two


def _evidence_item(t: Translator, code: str, evidence: Evidence, manifest: Manifest) -> Item:
    slot_id = f"annex-ii-{code}"
    found = evidence.get(slot_id)
    url = manifest.documents.instructions_url
    if found is not None and found.markdown:
        return _item(t, code, markdown=found.markdown, source=found.path)
    if code.startswith("8") and url:
        return _item(
            t,
            code,
            text=t._("Detailed instructions: %(url)s", url=url),
            source="manifest: documents.instructions_url",
        )
    return _item(t, code, missing=_write_in(t, evidence, slot_id), source=evidence.where(slot_id))


def _support_item(manifest: Manifest, t: Translator) -> Item:
    support = manifest.support
    lines = []
    if support.type:
        lines.append(support.type)
    if support.end is not None:
        lines.append(
            t._(
                "Security support (handling of vulnerabilities and security updates) ends at the end of "
                "%(month)s. After that date the product receives no security updates; where technically "
                "feasible, it tells its users when its support period has ended (Art 13(19)).",
                month=t.month(support.end.year, support.end.month),
            )
        )
    absent = [f for f, v in (("support.type", support.type), ("support.end", support.end)) if not v]
    return _item(
        t, "7", text="\n".join(lines) or None, missing=_fields(t, absent), source="manifest: support"
    )


def user_info_sections(manifest: Manifest, evidence: Evidence, t: Translator) -> tuple[Section, ...]:
    """The Annex II sections, shared with the technical documentation (Annex VII point 1(d))."""
    product = manifest.product
    one, two = _contact_items(manifest, t)
    ident = [t._("%(name)s, version %(version)s", name=product.name, version=product.version)]
    ident += [
        v for v in (product.type and t._("type %(type)s", type=product.type), product.identification) if v
    ]
    three = _item(t, "3", text="\n".join(ident), source="manifest: product")
    url = manifest.declaration.url
    six = _item(
        t,
        "6",
        text=url,
        missing=None
        if url
        else t._(
            "manifest field declaration.url (or ship a full copy of the declaration with the product, Art 13(20))"
        ),
        source="manifest: declaration.url",
    )
    instructions: list[Item] = []
    for code in ("8a", "8b", "8c", "8d", "8e", "8f"):
        if code == "8e" and manifest.support.automatic_updates is False:
            instructions.append(
                _item(
                    t,
                    code,
                    text=t._("Not applicable: the product does not install security updates automatically."),
                )
            )
        elif code == "8f" and product.kind != "component":
            instructions.append(
                _item(
                    t,
                    code,
                    text=t._(
                        "Not applicable: the product is not intended for integration into other products."
                    ),
                )
            )
        else:
            item = _evidence_item(t, code, evidence, manifest)
            if code == "8c" and manifest.support.update_mechanism and item.markdown is None:
                # Point 8(c) asks how users install updates: the distribution mechanism (Annex I
                # Part II(7)) is context, the instructions (evidence or URL) are the answer.
                url = manifest.documents.instructions_url
                lines = [t._("Update mechanism: %(mechanism)s", mechanism=manifest.support.update_mechanism)]
                if url:
                    lines.append(t._("Detailed instructions: %(url)s", url=url))
                item = _item(
                    t, code, text="\n".join(lines), missing=None if url else item.missing, source=item.source
                )
            instructions.append(item)
    sbom_url = manifest.documents.sbom_url
    nine = _item(
        t,
        "9",
        text=sbom_url
        or t._(
            "The software bill of materials is not made available to users (Annex II point 9 applies only where it is)."
        ),
        source="manifest: documents.sbom_url",
    )
    return (
        Section("II.A", t._("Manufacturer and contact"), t._("Annex II points %(n)s", n="1-2"), (one, two)),
        Section(
            "II.B",
            t._("The product"),
            t._("Annex II points %(n)s", n="3-6"),
            (
                three,
                _evidence_item(t, "4", evidence, manifest),
                _evidence_item(t, "5", evidence, manifest),
                six,
            ),
        ),
        Section(
            "II.C", t._("Security support"), t._("Annex II point %(n)s", n="7"), (_support_item(manifest, t),)
        ),
        Section("II.D", t._("Instructions"), t._("Annex II point %(n)s", n="8"), tuple(instructions)),
        Section("II.E", t._("Software bill of materials"), t._("Annex II point %(n)s", n="9"), (nine,)),
    )


def build_user_info(
    manifest: Manifest,
    *,
    evidence: Evidence | None = None,
    lang: str = "en",
    today: dt.date | None = None,
    result: Classification | None = None,
) -> Document:
    """Annex II in full, in ``lang`` (Art 13(18): in a language users easily understand)."""
    result = result or classify(manifest)
    require_manufacturer_documents(result, "user information under Annex II")
    t = Translator(lang)
    evidence = evidence or read_evidence(None)
    notes = [
        Note(f"{name}: matches no section of Annexes I, II or VII; it was not read", "Annex II")
        for name in evidence.unknown
    ]
    if not result.essential_requirements_apply:
        notes.append(
            Note(
                "Legacy product: Annex II binds only once the product is substantially modified.", "Art 69(2)"
            )
        )
    # The support period this document tells users about: its shortcomings travel with it.
    notes += [Note(w.text, w.ref) for w in result.warnings if w.ref.startswith("Art 13(8)")]
    return Document(
        kind="user-info",
        lang=lang,
        title=t._("Information and instructions for users"),
        subtitle=t._("Cybersecurity information required by Regulation (EU) 2024/2847, Annex II"),
        product=manifest.product.name,
        version=manifest.product.version,
        manufacturer=manufacturer_name(manifest),
        sections=user_info_sections(manifest, evidence, t),
        generated=today or dt.date.today(),
        notes=tuple(notes),
        labels=labels(t),
    )


__all__ = ["ANNEX_II", "build_user_info", "user_info_sections"]
