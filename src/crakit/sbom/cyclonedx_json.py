"""CycloneDX JSON (1.2-1.7) into the lean model.

Every entry of ``components`` counts, nested ``components`` included;
``metadata.component`` is the product itself, not one of its components.
The product's entry in ``dependencies`` marks the top-level dependencies
that Annex I Part II(1) asks to be documented.
"""

from __future__ import annotations

from sys import intern
from typing import Any

from crakit.sbom._fields import array, need_object, text
from crakit.sbom.cyclonedx_fields import file_licence, filename_property, supported_version
from crakit.sbom.errors import SbomError
from crakit.sbom.jsonmodel import (
    CdxComponent,
    CdxDependency,
    CdxLicenseChoice,
    CdxMetadata,
    CdxProperty,
    Document,
    Named,
)
from crakit.sbom.jsonmodel import text as scalar
from crakit.sbom.model import Component, Sbom


def is_cyclonedx(doc: Document) -> bool:
    return doc.bomFormat == "CycloneDX"


def read(doc: Document, source: str | None = None) -> Sbom:
    spec = scalar(doc.specVersion) or ""
    if not spec:
        raise SbomError("CycloneDX document without specVersion")
    supported_version(spec)
    deps = _dependencies(doc.dependencies or ())
    meta = doc.metadata
    product = None
    if meta is not None and meta.component is not None:
        product = _component(meta.component, frozenset())
    top = frozenset(deps.get(product.ref, ())) if product is not None and product.ref else frozenset()
    return Sbom(
        format="cyclonedx",
        spec_version=spec,
        serialization="json",
        components=tuple(_walk(doc.components or [], top)),
        product=product,
        dependencies=deps,
        tools=_tools(meta.tools) if meta is not None else (),
        # a timestamp that is not text (a number) says no time crakit can report: left out, not refused
        created=meta.timestamp if meta is not None and isinstance(meta.timestamp, str) else None,
        authors=_creators(meta) if meta is not None else (),
        name=doc.serialNumber,
        uri=(doc.serialNumber or "").strip() or None,
        source=source,
    )


def _walk(items: list[CdxComponent], top: frozenset[str]) -> list[Component]:
    """Depth-first, document order, without recursion (nesting depth is the document's choice).

    The stack holds each parent level and the index to resume it at; siblings are read in a plain
    loop (most documents are flat).
    """
    out: list[Component] = []
    stack: list[tuple[list[CdxComponent], int]] = [(items, 0)]
    while stack:
        siblings, start = stack.pop()
        for i in range(start, len(siblings)):
            comp = siblings[i]
            out.append(_component(comp, top))
            if comp.components:
                stack.append((siblings, i + 1))
                stack.append((comp.components, 0))
                break
    return out


def _component(c: CdxComponent, top: frozenset[str]) -> Component:
    # type(x) is str first: the common case without a call (this runs once per component).
    # A component without a name is schema-invalid but still one component: it reads as "" and
    # `validate` is where the missing name is reported (real SBOMs are often schema-invalid).
    name = c.name if type(c.name) is str else (scalar(c.name) or "")
    author = c.author
    if author is None and c.authors:
        author = ", ".join(_names(c.authors)) or None
    if author is None and c.manufacturer is not None:
        author = c.manufacturer.name
    ref = c.bom_ref or ""
    licenses, declared, concluded = _licenses(c.licenses) if c.licenses else _NO_LICENCES
    properties = _properties(c.properties) if c.properties else ()
    cpe = c.cpe
    # Positional, in the order Component declares its fields (tests/sbom/test_reader.py pins it):
    # eighteen keyword arguments cost msgspec 0.6 us more per component, 60 ms at 100,000.
    return Component(
        ref,  # ref
        name,  # name
        c.version if type(c.version) is str else scalar(c.version),  # version
        c.purl,  # purl
        cpe,  # cpe
        c.type,  # type
        c.supplier.name if c.supplier is not None else None,  # supplier
        author,  # author
        licenses,  # licenses
        tuple([(h.alg, h.content) for h in c.hashes if h.alg and h.content]) if c.hashes else (),  # hashes
        c.scope,  # scope
        bool(ref) and ref in top,  # top_level
        c.swid.tagId if c.swid is not None else None,  # swid
        properties,  # properties
        filename_property(properties) if properties else None,  # filename
        declared,  # licenses_declared
        concluded,  # licenses_concluded
        (cpe,) if cpe else (),  # cpes
    )


def _properties(items: list[CdxProperty]) -> tuple[tuple[str, str], ...]:
    """Name/value pairs as written; a property without a name says nothing and is skipped."""
    out: list[tuple[str, str]] = []
    for p in items:
        if p.name:
            value = p.value  # the string case inline: tools write tens of properties per component
            # names are interned: a few dozen distinct ones per document, one string each
            out.append((intern(p.name), value if type(value) is str else _property_value(value)))
    return tuple(out)


def _property_value(value: str | int | float | bool | None) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


_NO_LICENCES: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = ((), (), ())


def _licenses(
    items: list[CdxLicenseChoice],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(all licences, declared, concluded): CycloneDX 1.6 writes the acknowledgement per licence."""
    if len(items) == 1:  # the usual case: one licence, or one expression
        entry = items[0]
        lic = entry.license
        if entry.expression:
            one: str | None = entry.expression
            ack = entry.acknowledgement
        else:
            one = (lic.id or lic.name) if lic is not None else None
            ack = lic.acknowledgement if lic is not None else None
        if not one:
            return _NO_LICENCES
        if ack is None:
            return (one,), (), ()
    out: list[str] = []
    declared: list[str] = []
    concluded: list[str] = []
    acknowledged = False  # most documents write none: the two lists then stay empty, unbuilt
    for entry in items:
        lic = entry.license
        if entry.expression:
            value: str | None = entry.expression
            ack = entry.acknowledgement
        elif lic is not None:
            value = lic.id or lic.name
            ack = lic.acknowledgement
        else:
            continue
        if value:
            out.append(value)
            if ack is not None:
                acknowledged = True
                file_licence(value, ack, declared, concluded)
    if not acknowledged:
        return tuple(out), (), ()
    return tuple(out), tuple(declared), tuple(concluded)


def _dependencies(entries: Any) -> dict[str, tuple[str, ...]]:
    graph: dict[str, tuple[str, ...]] = {}
    repeated: dict[str, list[str]] = {}  # refs listed more than once: appended, not re-concatenated (n²)
    entry: CdxDependency
    for entry in entries:
        ref = entry.ref
        if not ref:  # schema-invalid: an entry that names no component states no edge
            continue
        # a list comprehension into tuple(): twice as fast as a generator here (one entry per component)
        refs = (
            tuple([r for t in entry.dependsOn if (r := t if isinstance(t, str) else t.ref)])
            if entry.dependsOn
            else ()
        )
        before = graph.get(ref)
        if before is None:
            graph[ref] = refs
        elif (acc := repeated.get(ref)) is not None:
            acc.extend(refs)
        else:
            repeated[ref] = [*before, *refs]
    for ref, acc in repeated.items():
        graph[ref] = tuple(acc)
    return graph


def _tools(tools: Any) -> tuple[str, ...]:
    if tools is None:
        return ()
    entries: list[Any]
    if isinstance(tools, list):  # up to 1.4 (deprecated later): [{vendor, name, version}]
        entries = tools
    elif isinstance(tools, dict):  # 1.5+: {components: [...], services: [...]}
        entries = array(tools, "components", "/metadata/tools") + array(tools, "services", "/metadata/tools")
    else:
        raise SbomError("/metadata/tools: expected an array or an object")
    out: list[str] = []
    for i, raw in enumerate(entries):
        where = f"/metadata/tools/{i}"
        entry = need_object(raw, where)
        name = text(entry, "name", where)
        if not name:
            continue
        version = text(entry, "version", where)
        out.append(f"{name} {version}" if version else name)
    return tuple(out)


def _creators(meta: CdxMetadata) -> tuple[str, ...]:
    """The SBOM's creators: its authors, then the manufacturer organisation.

    BSI TR-03183-2 maps "creator of the SBOM" to the manufacturer in CycloneDX
    (``metadata.manufacturer`` from 1.6, ``metadata.manufacture`` before).
    """
    organisation = meta.manufacturer or meta.manufacture
    extra = (organisation.name,) if organisation is not None and organisation.name else ()
    return tuple(dict.fromkeys(_names(meta.authors) + extra))


def _names(items: list[Named] | None) -> tuple[str, ...]:
    return tuple(n for a in items or () if (n := a.name or a.email))
