"""SPDX 3.0 JSON-LD (``@context`` + ``@graph``) into the lean model.

Packages (``software_Package`` and its AI/dataset subclasses) are components;
the package an ``software_Sbom`` names as root element is the product; ``dependsOn``
and ``contains`` relationships form the graph (Annex I Part II(1)).
"""

from __future__ import annotations

from typing import Any

from crakit.sbom._fields import array, need_object, text
from crakit.sbom.errors import SbomError
from crakit.sbom.jsonmodel import Document
from crakit.sbom.model import Component, Sbom

PACKAGE_TYPES = frozenset({"software_Package", "ai_AIPackage", "dataset_DatasetPackage"})
EDGE_TYPES = frozenset({"dependsOn", "contains", "hasStaticLink", "hasDynamicLink"})
LICENSE_RELATIONS = ("hasDeclaredLicense", "hasConcludedLicense")
NO_LICENCE = frozenset({"NoAssertionLicense", "NoneLicense", "NOASSERTION", "NONE"})


def is_spdx3(doc: Document) -> bool:
    if doc.graph is None:
        return False
    context = doc.context
    contexts = context if isinstance(context, list) else [context]
    return any(isinstance(c, str) and "spdx.org/rdf/3" in c for c in contexts) or any(
        isinstance(c, dict) for c in contexts
    )


def _type(obj: dict[str, Any]) -> str:
    value = obj.get("type", obj.get("@type", ""))
    value = value if isinstance(value, str) else ""
    # Expanded forms ("spdx:software_Package", full IRIs) reduce to the compact term.
    return value.rsplit("/", 1)[-1].rsplit(":", 1)[-1] if ("/" in value or ":" in value) else value


def _id(obj: dict[str, Any], where: str) -> str:
    return text(obj, "spdxId", where) or text(obj, "@id", where) or ""


def read(doc: Document, source: str | None = None) -> Sbom:
    graph_items = doc.graph or []
    objects = [need_object(raw, f"/@graph/{i}") for i, raw in enumerate(graph_items)]
    by_id: dict[str, dict[str, Any]] = {}
    for i, obj in enumerate(objects):
        ident = _id(obj, f"/@graph/{i}")
        if ident:
            by_id[ident] = obj
    # Ordered sets (dict keys): an element with 100,000 relationships must not cost n² membership tests.
    edges: dict[str, dict[str, None]] = {}
    licenses: dict[str, dict[str, None]] = {}  # declared and concluded, as Component.licenses
    declared: dict[str, dict[str, None]] = {}
    concluded: dict[str, dict[str, None]] = {}
    roots: list[str] = []
    described: list[str] = []
    creation: dict[str, Any] | None = None
    for i, obj in enumerate(objects):
        kind = _type(obj)
        where = f"/@graph/{i}"
        if kind in ("Relationship", "LifecycleScopedRelationship"):
            rel = text(obj, "relationshipType", where) or ""
            src = text(obj, "from", where) or ""
            targets = [t for t in array(obj, "to", where) if isinstance(t, str)]
            if rel == "describes":
                described.extend(targets)
            elif rel in EDGE_TYPES:
                edges.setdefault(src, {}).update(dict.fromkeys(targets))
            elif rel in LICENSE_RELATIONS:
                kept = declared if rel == "hasDeclaredLicense" else concluded
                for t in targets:
                    target = by_id.get(t)
                    expr = (
                        text(target, "simplelicensing_licenseExpression", where)
                        or text(target, "name", where)
                        if target
                        else t.rsplit("/", 1)[-1]
                    )
                    # NoAssertionLicense / NoneLicense (and NOASSERTION/NONE written as text) say nothing
                    if expr and (expr := expr.strip()) not in NO_LICENCE:
                        licenses.setdefault(src, {})[expr] = None
                        kept.setdefault(src, {})[expr] = None
        elif kind in ("software_Sbom", "SpdxDocument"):
            roots.extend(r for r in array(obj, "rootElement", where) if isinstance(r, str))
        elif kind == "CreationInfo" and creation is None:
            creation = obj
    if creation is None:
        creation = next((c for o in objects if isinstance(c := o.get("creationInfo"), dict)), {})
    version = text(creation, "specVersion", "/creationInfo") or "3.0"
    if not version.startswith("3."):
        raise SbomError(f"SPDX JSON-LD with unsupported specVersion {version!r}")
    graph = {k: tuple(v) for k, v in edges.items()}
    # The product: a package named as root element (of the SBOM or the document) or described by one.
    product_id = next((r for r in [*roots, *described] if _type(by_id.get(r, {})) in PACKAGE_TYPES), None)
    top = frozenset(graph.get(product_id, ())) if product_id else frozenset()
    components: list[Component] = []
    product: Component | None = None
    for i, obj in enumerate(objects):
        if _type(obj) not in PACKAGE_TYPES:
            continue
        comp = _package(obj, f"/@graph/{i}", by_id, (licenses, declared, concluded), top)
        components.append(comp)
        if comp.ref == product_id:
            product = comp
    tools = tuple(_names(array(creation, "createdUsing", "/creationInfo"), by_id))
    authors = tuple(_names(array(creation, "createdBy", "/creationInfo"), by_id))
    document = next((o for o in objects if _type(o) == "SpdxDocument"), {})
    return Sbom(
        format="spdx",
        spec_version=version,
        serialization="json-ld",
        components=tuple(components),
        product=product,
        dependencies=graph,
        tools=tools,
        created=text(creation, "created", "/creationInfo"),
        authors=authors,
        name=text(document, "name", "/SpdxDocument") or (_id(document, "/SpdxDocument") or None),
        uri=(_id(document, "/SpdxDocument").strip() or None) if document else None,
        source=source,
    )


def _package(
    obj: dict[str, Any],
    where: str,
    by_id: dict[str, dict[str, Any]],
    licences: tuple[dict[str, dict[str, None]], dict[str, dict[str, None]], dict[str, dict[str, None]]],
    top: frozenset[str],
) -> Component:
    ref = _id(obj, where)
    # without a name: schema-invalid but still a package (reads as ""; `validate` reports it)
    name = text(obj, "name", where) or ""
    purl = text(obj, "software_packageUrl", where)
    cpe = swid = None
    cpes: list[str] = []
    for j, raw in enumerate(array(obj, "externalIdentifier", where)):
        ident = need_object(raw, f"{where}/externalIdentifier/{j}")
        itype, value = text(ident, "externalIdentifierType", where), text(ident, "identifier", where)
        if itype == "packageUrl" and purl is None:
            purl = value
        elif itype in ("cpe23", "cpe22") and value:
            if cpe is None:
                cpe = value
            if value not in cpes:
                cpes.append(value)
        elif itype == "swid" and swid is None:
            swid = value
    hashes = []
    for j, raw in enumerate(array(obj, "verifiedUsing", where)):
        entry = need_object(raw, f"{where}/verifiedUsing/{j}")
        alg, value = text(entry, "algorithm", where), text(entry, "hashValue", where)
        if alg and value:
            hashes.append((alg, value))
    supplier = text(obj, "suppliedBy", where)
    originators = _names(array(obj, "originatedBy", where), by_id)
    return Component(
        ref=ref,
        name=name,
        version=text(obj, "software_packageVersion", where),
        purl=purl,
        cpe=cpe,
        cpes=tuple(cpes),
        type=text(obj, "software_primaryPurpose", where),
        supplier=_names([supplier], by_id)[0] if supplier else None,
        author=", ".join(originators) or None,
        licenses=tuple(licences[0].get(ref, ())),
        licenses_declared=tuple(licences[1].get(ref, ())),
        licenses_concluded=tuple(licences[2].get(ref, ())),
        hashes=tuple(hashes),
        top_level=ref in top,
        swid=swid,
    )


def _names(ids: list[Any], by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Agent or tool ids -> their names (the id itself when the graph does not define it)."""
    out: list[str] = []
    for ident in ids:
        if not isinstance(ident, str):
            continue
        agent = by_id.get(ident)
        name = agent.get("name") if agent else None
        out.append(name if isinstance(name, str) else ident)
    return out
