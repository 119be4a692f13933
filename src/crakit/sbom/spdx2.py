"""SPDX 2.1-2.3 documents decoded from JSON or YAML into the lean model.

Every package is a component (files and snippets are not); the package the
document DESCRIBES is also the product. Dependency edges come from the
relationships; CONTAINS counts as an edge because container and image SBOMs
state their parts that way (Annex I Part II(1) top-level dependencies).
"""

from __future__ import annotations

from collections.abc import Iterable

from msgspec.structs import replace

from crakit.sbom._fields import NOASSERTION, asserted
from crakit.sbom.errors import SbomError
from crakit.sbom.jsonmodel import Document, SpdxPackage, SpdxRelationship, text
from crakit.sbom.model import Component, Sbom

DOCUMENT_ID = "SPDXRef-DOCUMENT"

# relationship type -> True when the edge points from the element to the related one
# (A DEPENDS_ON B: A -> B), False when it points the other way (A DEPENDENCY_OF B: B -> A).
EDGE_DIRECTION: dict[str, bool] = {
    "DEPENDS_ON": True,
    "CONTAINS": True,
    "DEPENDENCY_OF": False,
    "CONTAINED_BY": False,
    "BUILD_DEPENDENCY_OF": False,
    "DEV_DEPENDENCY_OF": False,
    "OPTIONAL_DEPENDENCY_OF": False,
    "PROVIDED_DEPENDENCY_OF": False,
    "TEST_DEPENDENCY_OF": False,
    "RUNTIME_DEPENDENCY_OF": False,
}

PURPOSES = {"OPERATING-SYSTEM": "operating-system", "OPERATING_SYSTEM": "operating-system"}


def is_spdx2(doc: Document) -> bool:
    return doc.spdxVersion is not None


def spec_version(raw: str) -> str:
    """``SPDX-2.3`` -> ``2.3``."""
    value = raw.strip()
    return value[5:] if value.upper().startswith("SPDX-") else value


def read(doc: Document, serialization: str, source: str | None = None) -> Sbom:
    version = spec_version(doc.spdxVersion or "")
    if not version.startswith("2."):
        raise SbomError(f"unsupported SPDX version {version!r} (2.1-2.3 and 3.0 are read)")
    packages_raw = doc.packages or []
    # inlined _relationship(): one call per relationship showed in profiles of 100,000-package documents
    relationships = [
        (r.spdxElementId or "", (r.relationshipType or "").upper(), r.relatedSpdxElement or "")
        for r in doc.relationships or ()
    ]
    # Older writers nest relationships inside packages; they count the same.
    for pkg in packages_raw:
        if pkg.relationships:
            relationships.extend(_relationship(r) for r in pkg.relationships)
    graph, more_described = build_graph(relationships)
    described = list(dict.fromkeys([*(doc.documentDescribes or ()), *more_described]))
    info = doc.creationInfo
    return assemble(
        [package(p) for p in packages_raw],
        described,
        graph,
        spec=version,
        serialization=serialization,
        creators=list(info.creators or ()) if info is not None else [],
        created=info.created if info is not None and isinstance(info.created, str) else None,
        name=doc.name or doc.documentNamespace,
        uri=asserted(doc.documentNamespace),
        source=source,
    )


def _relationship(rel: SpdxRelationship) -> tuple[str, str, str]:
    return (rel.spdxElementId or "", (rel.relationshipType or "").upper(), rel.relatedSpdxElement or "")


def build_graph(
    relationships: Iterable[tuple[str, str, str]],
) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Dependency edges and the ids the document DESCRIBES, from (element, type, related) triples."""
    edges: dict[str, dict[str, None]] = {}  # ordered sets: hubs with 100,000 edges stay linear
    described: list[str] = []
    for left, kind, right in relationships:
        # Old trivy releases wrote "DESCRIBE"; the meaning is unambiguous.
        if kind in ("DESCRIBES", "DESCRIBE") and left == DOCUMENT_ID:
            described.append(right)
        elif kind == "DESCRIBED_BY" and right == DOCUMENT_ID:
            described.append(left)
        elif kind in EDGE_DIRECTION and left and right and right not in ("NONE", "NOASSERTION"):
            src, dst = (left, right) if EDGE_DIRECTION[kind] else (right, left)
            edges.setdefault(src, {})[dst] = None
    return {k: tuple(v) for k, v in edges.items()}, described


def package(pkg: SpdxPackage) -> Component:
    """One SPDX 2 package as a component; top_level is set later by :func:`assemble`."""
    # a package without a name is schema-invalid but still a package: it reads as "" and
    # `validate` reports the missing name
    name = text(pkg.name) or ""
    purl = cpe = swid = None
    cpes: list[str] = []
    for ref in pkg.externalRefs or ():
        rtype, locator = ref.referenceType or "", ref.referenceLocator
        # SPDX 2 reference types may be written in full (Yocto's create-spdx writes
        # http://spdx.org/rdf/references/cpe23Type): the last path segment is the type.
        rtype = rtype.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if "/" in rtype else rtype
        if rtype == "purl" and purl is None:
            purl = locator
        elif rtype in ("cpe23Type", "cpe22Type"):
            if cpe is None or (rtype == "cpe23Type" and cpe.startswith("cpe:/")):
                cpe = locator
            if isinstance(locator, str) and locator and locator not in cpes:
                cpes.append(locator)
        elif rtype == "swid" and swid is None:
            swid = locator
    purpose = pkg.primaryPackagePurpose
    # each is one expression: () or (expression,); Component.licenses holds both, once each
    declared = _expression(pkg.licenseDeclared)
    concluded = _expression(pkg.licenseConcluded)
    return Component(
        ref=pkg.SPDXID or "",
        name=name,
        version=asserted(text(pkg.versionInfo)),
        purl=purl,
        cpe=cpe,
        cpes=tuple(sorted(cpes, key=lambda c: c != cpe)),
        type=PURPOSES.get(purpose, purpose.lower()) if purpose else None,
        supplier=actor(pkg.supplier) if pkg.supplier is not None else None,
        author=actor(pkg.originator) if pkg.originator is not None else None,
        licenses=declared if concluded == declared or not concluded else declared + concluded,
        licenses_declared=declared,
        licenses_concluded=concluded,
        filename=_filename(pkg.packageFileName) if pkg.packageFileName is not None else None,
        hashes=tuple((c.algorithm, c.checksumValue) for c in pkg.checksums if c.algorithm and c.checksumValue)
        if pkg.checksums
        else (),
        swid=swid,
    )


def _expression(value: str | None) -> tuple[str, ...]:
    """A licence expression as a 0- or 1-tuple; NOASSERTION/NONE are no licence."""
    if value is None:
        return ()
    value = value.strip()
    return () if value in NOASSERTION else (value,)


def _filename(value: str | None) -> str | None:
    value = asserted(value)
    return value.strip() if value is not None else None


_ACTOR_KINDS = ("Organization:", "Person:", "Tool:")


def actor(value: str | None) -> str | None:
    """``Organization: ACME (a@b)`` -> ``ACME (a@b)``; NOASSERTION -> None."""
    value = asserted(value)
    if value is None:
        return None
    if value.startswith(_ACTOR_KINDS):  # one call for the three kinds (this runs twice per package)
        return asserted(value.partition(":")[2].strip())
    return value.strip()


def licenses(*expressions: str | None) -> tuple[str, ...]:
    out: list[str] = []
    for expression in expressions:
        value = asserted(expression)
        if value is not None and (value := value.strip()) not in out:
            out.append(value)
    return tuple(out)


def assemble(
    packages: list[Component],
    described: list[str],
    graph: dict[str, tuple[str, ...]],
    *,
    spec: str,
    serialization: str,
    creators: list[str],
    created: str | None,
    name: str | None,
    source: str | None,
    uri: str | None = None,
) -> Sbom:
    """Mark the product and its direct dependencies, and build the document (shared by JSON, YAML, tag-value)."""
    by_ref = {p.ref: p for p in packages}
    product_ref = next((d for d in described if d in by_ref), None)
    top = frozenset(graph.get(product_ref, ())) if product_ref else frozenset()
    if top:
        packages = [_with_top(p) if p.ref in top else p for p in packages]
    product = next((p for p in packages if p.ref == product_ref), None) if product_ref else None
    tools = tuple(c.split(":", 1)[1].strip() for c in creators if c.startswith("Tool:"))
    authors = tuple(
        c.split(":", 1)[1].strip() for c in creators if c.startswith(("Organization:", "Person:"))
    )
    return Sbom(
        format="spdx",
        spec_version=spec,
        serialization=serialization,
        components=tuple(packages),
        product=product,
        dependencies=graph,
        tools=tools,
        created=created,
        authors=authors,
        name=name,
        uri=uri.strip() if uri is not None else None,
        source=source,
    )


def _with_top(c: Component) -> Component:
    return replace(c, top_level=True)
