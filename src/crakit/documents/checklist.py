"""What each economic operator checks before making the product available, as a form to fill in.

Importers (Art 19), distributors (Art 20), with the identification records of Art 23; stewards get the
policy of Art 24; manufacturers the sequence of Art 13(12). Each line cites its article and what crakit
already knows from the manifest, never a tick the operator has not made.
"""

from __future__ import annotations

import datetime as dt

from crakit.documents.common import labels, manufacturer_name
from crakit.documents.i18n import Translator
from crakit.documents.model import Document, Item, Section
from crakit.manifest import Manifest
from crakit.regulation import Classification, classify


def _known(value: object, label: str) -> str:
    return f" (manifest: {label} {value})" if value else ""


def _importer(manifest: Manifest, result: Classification, distributor: bool) -> tuple[Item, ...]:
    art = "Art 20(2)" if distributor else "Art 19(2)"
    routes = ", ".join(result.conformity_routes) or "none"
    dates = result.support_period
    lines = [
        Item(
            "C.1",
            "1",
            "Conformity assessment",
            "Art 19(2)(a)" if not distributor else "Art 20(2)",
            bullets=(
                f"[ ] The manufacturer carried out an Art 32 procedure open to this product ({routes})"
                + _known(manifest.conformity.module, "module"),
                "[ ] Where a notified body was needed: its name, number and certificate are on the declaration"
                + _known(manifest.conformity.notified_body.number, "notified body"),
            ),
        ),
        Item(
            "C.2",
            "2",
            "Technical documentation",
            "Art 19(2)(b), Art 19(6)",
            bullets=(
                "[ ] The manufacturer has drawn up the Annex VII technical documentation",
                "[ ] It can be provided to market surveillance authorities on request, including the SBOM "
                "(Annex VII point 8, Art 13(25))",
            ),
        ),
        Item(
            "C.3",
            "3",
            "CE marking, declaration, user information",
            f"{art}, Art 13(20), Art 30",
            bullets=(
                "[ ] The CE marking is affixed (software: on the declaration or the accompanying website, Art 30(1))",
                "[ ] A copy of the EU declaration of conformity, or the simplified one with its internet address, "
                "accompanies the product" + _known(manifest.declaration.url, "declaration at"),
                "[ ] The Annex II information and instructions accompany it, in a language users easily understand",
            ),
        ),
        Item(
            "C.4",
            "4",
            "Identification and contact details",
            f"{art}, Art 13(15), (16), (19)",
            bullets=(
                "[ ] Type, batch or serial number on the product or its packaging (Art 13(15))",
                "[ ] The manufacturer's name, postal address and e-mail or digital contact (Art 13(16))"
                + _known(manifest.manufacturer.address, "address"),
                "[ ] The end of the support period, at least month and year, shown at purchase (Art 13(19))"
                + _known(manifest.support.end, "support ends"),
            ),
        ),
    ]
    if distributor:
        lines.append(
            Item(
                "C.5",
                "5",
                "The importer's details",
                "Art 20(2), Art 19(4)",
                bullets=(
                    "[ ] For an imported product: the importer's name, address and contact are indicated",
                ),
            )
        )
    else:
        lines.append(
            Item(
                "C.5",
                "5",
                "Your own details",
                "Art 19(4)",
                bullets=(
                    "[ ] Your name, registered trade name or trademark, postal address, e-mail and website "
                    "are on the product, its packaging or an accompanying document",
                ),
            )
        )
        lines.append(
            Item(
                "C.6",
                "6",
                "Keep",
                "Art 19(6)",
                bullets=(
                    f"[ ] Keep a copy of the declaration until {dates.retention_until or '(ten years after placing, or the support period if longer)'}",
                ),
            )
        )
    lines.append(
        Item(
            "C.7",
            "7",
            "When something is wrong",
            "Art 19(3), (5)" if not distributor else "Art 20(3), (4)",
            bullets=(
                "[ ] A product you believe non-conforming is not made available; significant risks are "
                "reported to the manufacturer and the market surveillance authorities",
                "[ ] Vulnerabilities you learn of are reported to the manufacturer without undue delay",
            ),
        )
    )
    lines.append(
        Item(
            "C.8",
            "8",
            "Records of suppliers and customers",
            "Art 23",
            bullets=(
                "[ ] Name and address of who supplied you the product, and of the businesses you supplied "
                "(where available), kept for ten years after supply (Art 23(2))",
            ),
        )
    )
    return tuple(lines)


def _steward() -> tuple[Item, ...]:
    return (
        Item(
            "S.1",
            "1",
            "Cybersecurity policy",
            "Art 24(1)",
            bullets=(
                "[ ] A documented, verifiable policy that fosters secure development and effective vulnerability "
                "handling by the developers, and voluntary reporting (Art 15)",
                "[ ] It covers documenting, addressing and remediating vulnerabilities",
                "[ ] It promotes sharing information on vulnerabilities in the open-source community",
            ),
        ),
        Item(
            "S.2",
            "2",
            "Cooperation",
            "Art 24(2)",
            bullets=(
                "[ ] The policy documentation can be given to market surveillance authorities on reasoned request",
            ),
        ),
        Item(
            "S.3",
            "3",
            "Reporting",
            "Art 24(3), Art 14, Art 71(2)",
            bullets=(
                "[ ] From 11 December 2027: actively exploited vulnerabilities, to the extent you are involved in "
                "development, and severe incidents affecting the systems you provide for development, are "
                "notified as Art 14 describes; no administrative fines apply to stewards (Art 64(10)(b))",
            ),
        ),
    )


def _manufacturer(manifest: Manifest) -> tuple[Item, ...]:
    return (
        Item(
            "M.1",
            "1",
            "Before placing on the market",
            "Art 13(12)",
            bullets=(
                "[ ] Technical documentation drawn up (crakit docs technical)",
                "[ ] Conformity assessment procedure of Art 32 carried out",
                "[ ] EU declaration of conformity drawn up and signed (crakit docs declaration)",
                "[ ] CE marking affixed (Art 30)",
                "[ ] Annex II information with the product (crakit docs user-info)",
                "[ ] Security contact and CVD policy published (crakit docs security-txt, cvd-policy)",
            ),
        ),
    )


def build_checklist(
    manifest: Manifest, *, today: dt.date | None = None, result: Classification | None = None
) -> Document:
    """The checklist for the manifest's operator: importer, distributor, steward or manufacturer."""
    result = result or classify(manifest)
    role = result.role
    if role == "steward":
        items, title, ref = _steward(), "Open-source software steward: the Art 24 policy", "Art 24"
    elif role in ("importer", "distributor"):
        items = _importer(manifest, result, distributor=role == "distributor")
        title = f"{role.capitalize()}: what to check before making the product available"
        ref = "Art 20, Art 23" if role == "distributor" else "Art 19, Art 23"
    else:
        items, title, ref = (
            _manufacturer(manifest),
            "Manufacturer: before placing on the market",
            "Art 13(12)",
        )
    intro = (
        None
        if result.in_scope
        else f"The product is outside the CRA ({result.exclusion}): nothing to check under it."
    )
    return Document(
        kind="checklist",
        lang="en",
        title=title,
        subtitle=f"Regulation (EU) 2024/2847, {ref}",
        product=manifest.product.name,
        version=manifest.product.version,
        manufacturer=manufacturer_name(manifest),
        sections=(Section("C", title, ref, items if result.in_scope else (), intro=intro),),
        generated=today or dt.date.today(),
        completeness=False,
        labels=labels(Translator("en")),
    )
