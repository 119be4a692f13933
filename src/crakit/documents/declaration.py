"""The EU declaration of conformity (Art 28, Annex V) and the simplified one (Art 13(20), Annex VI).

Every Annex V point is filled from the manifest and the classification, in the Annex's order; what the
manufacturer has not given stays empty and is listed in ``missing`` (a declaration with missing points is
a draft and says so). The CE marking rules of Art 30 are shown with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from crakit.documents.common import (
    CRA_OJ,
    CRA_TITLE,
    labels,
    manufacturer_name,
    product_line,
    require_manufacturer_documents,
)
from crakit.documents.conformity import ConformityFacts, conformity_facts
from crakit.documents.i18n import N_, Translator
from crakit.documents.model import Document, Item, Note, Section
from crakit.manifest import Manifest
from crakit.regulation import Classification, classify, presumption

# Element titles of Annex V, in its order (the wording of each language comes from the catalogues).
ANNEX_V_TITLES = (
    N_(
        "Name and type and any additional information enabling the unique identification of the product "
        "with digital elements"
    ),
    N_("Name and address of the manufacturer or its authorised representative"),
    N_(
        "A statement that the EU declaration of conformity is issued under the sole responsibility of the provider"
    ),
    N_(
        "Object of the declaration (identification of the product with digital elements allowing traceability, "
        "which may include a photograph, where appropriate)"
    ),
    N_(
        "A statement that the object of the declaration described above is in conformity with the relevant "
        "Union harmonisation legislation"
    ),
    N_(
        "References to any relevant harmonised standards used or any other common specification or "
        "cybersecurity certification in relation to which conformity is declared"
    ),
    N_(
        "Where applicable, the name and number of the notified body, a description of the conformity "
        "assessment procedure performed and identification of the certificate issued"
    ),
    N_("Additional information"),
)
ANNEX_VI_TITLES = (
    N_("Name of the manufacturer"),
    N_("Designation of the type of product with digital elements"),
    N_("Statement of compliance with Regulation (EU) 2024/2847"),
    N_("Internet address where the full text of the EU declaration of conformity is available"),
)
ROUTE_NAMES = {
    "module-a": N_("internal control (module A, Annex VIII Part I)"),
    "module-b+c": N_(
        "EU-type examination (module B, Annex VIII Part II) followed by conformity to type based on internal "
        "production control (module C, Annex VIII Part III)"
    ),
    "module-h": N_("conformity based on full quality assurance (module H, Annex VIII Part IV)"),
    "eucc": N_("a European cybersecurity certification scheme (Art 27(9), Art 32(1)(d))"),
}


def _item(t: Translator, n: int, annex: str, text: str | None = None, **more: Any) -> Item:
    titles = ANNEX_V_TITLES if annex == "V" else ANNEX_VI_TITLES
    return Item(
        key=f"{annex}.{n}",
        label=str(n),
        title=t._(titles[n - 1]),
        ref=t._("Annex V point %(n)s", n=n) if annex == "V" else t._("Annex VI"),
        text=text,
        **more,
    )


def _missing(t: Translator, fields: list[str]) -> str | None:
    return t._("manifest fields %(fields)s", fields=", ".join(fields)) if fields else None


def _point2(manifest: Manifest, t: Translator) -> Item:
    mf = manifest.manufacturer
    lines = [line for line in (mf.name, mf.trade_name, mf.address) if line]
    absent = [f for f, v in (("manufacturer.name", mf.name), ("manufacturer.address", mf.address)) if not v]
    return _item(
        t, 2, "V", "\n".join(lines) or None, missing=_missing(t, absent), source="manifest: manufacturer"
    )


def _point4(manifest: Manifest, t: Translator) -> Item:
    product = manifest.product
    lines = [product_line(manifest, t)]
    if product.identification:
        lines.append(product.identification)
    if product.description:
        lines.append(product.description)
    missing = None
    if product.kind != "software" and not (product.type or product.identification):
        missing = _missing(t, ["product.type", "product.identification"])
    return _item(t, 4, "V", "\n".join(lines), missing=missing, source="manifest: product")


def _point5(manifest: Manifest, t: Translator) -> Item:
    text = t._(
        "The object of the declaration described above is in conformity with the relevant Union harmonisation "
        "legislation:"
    )
    acts = (f"{t._(CRA_TITLE)} ({t._(CRA_OJ)})", *manifest.declaration.other_legislation)
    # Art 28(1): the declaration states that fulfilment of the applicable essential requirements
    # of Annex I has been demonstrated.
    demonstrated = t._(
        "Fulfilment of the applicable essential cybersecurity requirements set out in Annex I to Regulation "
        "(EU) 2024/2847 has been demonstrated (Art 28(1))."
    )
    return _item(
        t, 5, "V", f"{demonstrated}\n{text}", bullets=acts, source="manifest: declaration.other_legislation"
    )


def _point6(manifest: Manifest, t: Translator) -> Item:
    st = manifest.standards
    law = presumption()
    not_cra = t._("not published under Regulation (EU) 2024/2847: no presumption of conformity, Art 27")
    bullets = [
        t._("Standard applied: %(ref)s", ref=ref) + ("" if law.harmonised(ref) else f" ({not_cra})")
        for ref in st.harmonised
    ]
    bullets += [
        t._("Common specification: %(ref)s", ref=ref)
        + ("" if law.common_specification(ref) else f" ({not_cra})")
        for ref in st.common_specifications
    ]
    if st.eucc_level:
        scheme = st.certification_scheme or t._("scheme not named")
        bullets.append(
            t._(
                "European cybersecurity certificate, assurance level '%(level)s', %(scheme)s",
                level=st.eucc_level,
                scheme=scheme,
            )
            + ("" if law.scheme(st.certification_scheme) else f" ({not_cra})")
        )
    text = None
    if not bullets:
        text = t._(
            "None: no harmonised standard, common specification or European cybersecurity certification has "
            "been applied; conformity with the essential requirements of Annex I is declared on the basis of "
            "the solutions described in the technical documentation (Annex VII point 5)."
        )
    return _item(t, 6, "V", text, bullets=tuple(bullets), source="manifest: standards")


def _procedure(facts: ConformityFacts, t: Translator) -> str:
    return t._(ROUTE_NAMES[facts.module]) if facts.module else t._("a procedure not stated")


def _point7(facts: ConformityFacts, t: Translator) -> Item:
    if facts.problem is not None:
        return _item(t, 7, "V", missing=facts.problem, source="manifest: conformity.module")
    if not facts.needs_notified_body:
        if facts.module == "eucc":
            text = t._(
                "Conformity was assessed under %(procedure)s; certificate %(certificate)s issued by %(issuer)s.",
                procedure=_procedure(facts, t),
                certificate=facts.certificate or "?",
                issuer=facts.certificate_issuer or "?",
            )
            absent = [f for f, v in (("conformity.certificate.id", facts.certificate),) if not v]
            return _item(t, 7, "V", text, missing=_missing(t, absent), source="manifest: conformity")
        if facts.assumed:
            # The procedure is the manufacturer's statement, not crakit's inference: a declaration
            # that is to be signed stays a draft until the manifest names it (Annex V point 7).
            return _item(t, 7, "V", missing=_missing(t, ["conformity.module"]), source="manifest: conformity")
        text = t._(
            "Not applicable: conformity was assessed by %(procedure)s; no notified body is involved.",
            procedure=_procedure(facts, t),
        )
        return _item(t, 7, "V", text, source="manifest: conformity")
    absent = [
        field
        for field, value in (
            ("conformity.module", facts.module),
            ("conformity.notified_body.name", facts.notified_body_name),
            ("conformity.notified_body.number", facts.notified_body_number),
            ("conformity.certificate.id", facts.certificate),
        )
        if not value
    ]
    text = t._(
        "The notified body %(name)s (number %(number)s) performed %(procedure)s and issued the certificate "
        "%(certificate)s.",
        name=facts.notified_body_name or "…",
        number=facts.notified_body_number or "…",
        procedure=_procedure(facts, t),
        certificate=facts.certificate or "…",
    )
    if facts.certificate_issued:
        text += " " + t._("Date of issue: %(date)s.", date=facts.certificate_issued)
    missing = None
    if absent:
        missing = t._(
            "The procedures open to this product need a notified body (%(routes)s, Art 32): name it and the "
            "certificate in %(fields)s",
            routes=", ".join(facts.routes) or "-",
            fields=", ".join(absent),
        )
    return _item(t, 7, "V", text, missing=missing, source="manifest: conformity")


def _point8(manifest: Manifest, result: Classification, t: Translator) -> Item:
    decl = manifest.declaration
    bullets: list[str] = []
    if manifest.support.end is not None:
        bullets.append(
            t._(
                "Support period: until the end of %(month)s (Art 13(8), Art 13(19)).",
                month=t.month(manifest.support.end.year, manifest.support.end.month),
            )
        )
    if decl.additional_information:
        bullets.append(decl.additional_information)
    signer = manufacturer_name(manifest)
    bullets += [
        t._("Signed for and on behalf of: %(who)s", who=signer or "…"),
        t._(
            "Place and date of issue: %(place)s, %(date)s",
            place=decl.place or "…",
            date=t.day(decl.date) if decl.date else "…",
        ),
        t._(
            "Name, function: %(name)s, %(function)s",
            name=decl.signatory.name or "…",
            function=decl.signatory.function or "…",
        ),
        t._("Signature:") + " ______________________________",
    ]
    absent = [
        field
        for field, value in (
            ("manufacturer.name", signer),
            ("declaration.place", decl.place),
            ("declaration.date", decl.date),
            ("declaration.signatory.name", decl.signatory.name),
            ("declaration.signatory.function", decl.signatory.function),
        )
        if not value
    ]
    return _item(
        t, 8, "V", bullets=tuple(bullets), missing=_missing(t, absent), source="manifest: declaration"
    )


def _ce_marking(manifest: Manifest, facts: ConformityFacts, t: Translator) -> Section:
    rules: list[str] = []
    if manifest.product.kind == "software":
        rules.append(
            t._(
                "Software: the CE marking is affixed to this EU declaration of conformity or to the website "
                "accompanying the software; that part of the website must be easily and directly accessible "
                "to consumers (Art 30(1))."
            )
        )
    else:
        rules.append(
            t._(
                "The CE marking is affixed visibly, legibly and indelibly to the product; where the nature of "
                "the product does not allow or warrant it, to the packaging and to this EU declaration of "
                "conformity (Art 30(1)). It may be smaller than 5 mm if it stays visible and legible (Art 30(2))."
            )
        )
    rules.append(
        t._(
            "The CE marking is affixed before the product is placed on the market, in the form set out in "
            "Annex II to Regulation (EC) No 765/2008 (Art 29, Art 30(3))."
        )
    )
    if facts.module == "module-h":
        rules.append(
            t._(
                "The CE marking is followed by the identification number of the notified body: %(number)s "
                "(module H, Art 30(4)).",
                number=facts.notified_body_number or "…",
            )
        )
    else:
        rules.append(
            t._(
                "No notified body number follows the CE marking: Art 30(4) requires it only where a notified "
                "body is involved in full quality assurance (module H)."
            )
        )
    item = Item(
        key="CE",
        label="",
        title=t._("Where and how the CE marking is affixed"),
        ref="Art 29, Art 30",
        bullets=tuple(rules),
        missing=(
            t._("manifest field conformity.notified_body.number")
            if facts.module == "module-h" and not facts.notified_body_number
            else None
        ),
    )
    return Section("CE", t._("CE marking"), "Art 30", (item,))


def _notes(manifest: Manifest, result: Classification) -> tuple[Note, ...]:
    notes = [Note(w.text, w.ref) for w in result.warnings]
    if not result.essential_requirements_apply:
        notes.append(
            Note(
                "The essential requirements do not apply to this product (Art 69(2)): the Regulation asks for no "
                "EU declaration of conformity unless the product is substantially modified on or after 11 "
                "December 2027.",
                "Art 69(2)",
            )
        )
    return tuple(notes)


def build_declaration(
    manifest: Manifest,
    *,
    lang: str = "en",
    simplified: bool = False,
    today: dt.date | None = None,
    result: Classification | None = None,
) -> Document:
    """The EU declaration of conformity of Annex V (Art 28), or the simplified one of Annex VI (Art 13(20)).

    Raises :class:`NotApplicable` (exit 1) for a product outside the CRA and for operators that draw up
    no declaration (stewards, importers, distributors)."""
    result = result or classify(manifest)
    require_manufacturer_documents(result, "EU declaration of conformity")
    t = Translator(lang)
    facts = conformity_facts(manifest, result)
    if simplified:
        section = Section(
            "VI", t._("Simplified EU declaration of conformity"), "Annex VI", _simplified(manifest, t)
        )
        title = t._("Simplified EU declaration of conformity")
    else:
        items = (
            _item(
                t, 1, "V", product_line(manifest, t) + _identification(manifest), source="manifest: product"
            ),
            _point2(manifest, t),
            _item(
                t,
                3,
                "V",
                t._(
                    "This declaration of conformity is issued under the sole responsibility of %(who)s.",
                    who=_responsible(manifest, t),
                ),
            ),
            _point4(manifest, t),
            _point5(manifest, t),
            _point6(manifest, t),
            _point7(facts, t),
            _point8(manifest, result, t),
        )
        section = Section("V", t._("EU declaration of conformity"), t._("Annex V"), items)
        title = t._("EU declaration of conformity")
    return Document(
        kind="simplified-declaration" if simplified else "declaration",
        lang=lang,
        title=title,
        product=manifest.product.name,
        version=manifest.product.version,
        manufacturer=manufacturer_name(manifest),
        sections=(section, _ce_marking(manifest, facts, t)),
        generated=today or dt.date.today(),
        notes=_notes(manifest, result),
        labels=labels(t),
    )


def _responsible(manifest: Manifest, t: Translator) -> str:
    fallback = t._("the manufacturer")
    return (manufacturer_name(manifest) or fallback).rstrip(".")


def _identification(manifest: Manifest) -> str:
    return f"; {manifest.product.identification}" if manifest.product.identification else ""


def _simplified(manifest: Manifest, t: Translator) -> tuple[Item, ...]:
    name = manufacturer_name(manifest)
    kind = manifest.product.type or f"{manifest.product.name} {manifest.product.version}"
    url = manifest.declaration.url
    statement = t._(
        "Hereby, %(manufacturer)s declares that the product with digital elements type %(type)s is in "
        "compliance with Regulation (EU) 2024/2847.",
        manufacturer=name or "…",
        type=kind,
    )
    where = t._(
        "The full text of the EU declaration of conformity is available at the following internet address: "
        "%(url)s",
        url=url or "…",
    )
    return (
        _item(t, 1, "VI", name, missing=_missing(t, [] if name else ["manufacturer.name"])),
        _item(t, 2, "VI", kind, source="manifest: product.type"),
        _item(t, 3, "VI", statement),
        _item(t, 4, "VI", where, missing=_missing(t, [] if url else ["declaration.url"]), source="manifest"),
    )


def declaration_json(document: Document) -> dict[str, Any]:
    """The JSON contract of ``crakit docs declaration --format json`` (docs/documents.md)."""
    annex = "VI" if document.kind == "simplified-declaration" else "V"
    elements = []
    for item in document.sections[0].items:
        full = "\n".join(part for part in (item.text, *item.bullets) if part) or None
        elements.append(
            {
                "point": int(item.label),
                "title": item.title,
                "text": full if item.complete else None,
                "missing": item.missing,
            }
        )
    ce = document.sections[1].items[0]
    return {
        "annex": annex,
        "lang": document.lang,
        "product": {"name": document.product, "version": document.version},
        "elements": elements,
        "missing": [e["point"] for e in elements if e["missing"] is not None],
        "ce_marking": {"rules": list(ce.bullets), "missing": ce.missing},
        "warnings": [{"text": n.text, "ref": n.ref} for n in document.notes],
    }
