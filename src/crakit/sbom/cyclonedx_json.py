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
    deps = _dependencies(doc.dependencies or ())
    meta = doc.metadata
    product = None
    if meta is not None and meta.component is not None:
        product = _component(meta.component, "/metadata/component", frozenset())
    top = frozenset(deps.get(product.ref, ())) if product is not None and product.ref else frozenset()
    return Sbom(
        format="cyclonedx",
        spec_version=spec,
        serialization="json",
        components=tuple(_walk(doc.components or [], top)),
        product=product,
        dependencies=deps,
        tools=_tools(meta.tools) if meta is not None else (),
        created=meta.timestamp if meta is not None else None,
        authors=_creators(meta) if meta is not None else (),
        name=doc.serialNumber,
        source=source,
    )


def _walk(items: list[CdxComponent], top: frozenset[str]) -> list[Component]:
    """Depth-first, document order, without recursion (nesting depth is the document's choice).

    The stack holds the parents' indexes; the JSON pointer is spelled out only for an error.
    """
    out: list[Component] = []
    stack: list[tuple[list[CdxComponent], int]] = [(items, 0)]
    while stack:
        siblings, i = stack[-1]
        if i >= len(siblings):
            stack.pop()
            continue
        stack[-1] = (siblings, i + 1)
        comp = siblings[i]
        if comp.name is None:
            where = "".join(f"/components/{j - 1}" for _, j in stack)
            raise SbomError(f"{where}: component without a name")
        out.append(_component(comp, "", top))
        if comp.components:
            stack.append((comp.components, 0))
    return out


def _component(c: CdxComponent, where: str, top: frozenset[str]) -> Component:
    # type(x) is str first: the common case without a call (this runs once per component)
    name = c.name if type(c.name) is str else scalar(c.name)
    if name is None:  # _walk checks first, with the pointer; the product comes here directly
        raise SbomError(f"{where}: component without a name")
    author = c.author
    if author is None and c.authors:
        author = ", ".join(_names(c.authors)) or None
    if author is None and c.manufacturer is not None:
        author = c.manufacturer.name
    ref = c.bom_ref or ""
    return Component(
        ref=ref,
        name=name,
        version=c.version if type(c.version) is str else scalar(c.version),
        purl=c.purl,
        cpe=c.cpe,
        type=c.type,
        supplier=c.supplier.name if c.supplier is not None else None,
        author=author,
        licenses=_licenses(c.licenses) if c.licenses else (),
        hashes=tuple([(h.alg, h.content) for h in c.hashes if h.alg and h.content]) if c.hashes else (),
        scope=c.scope,
        top_level=bool(ref) and ref in top,
        swid=c.swid.tagId if c.swid is not None else None,
        properties=_properties(c.properties) if c.properties else (),
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


def _licenses(items: list[CdxLicenseChoice]) -> tuple[str, ...]:
    out: list[str] = []
    for entry in items:
        if entry.expression:
            out.append(entry.expression)
        elif entry.license is not None:
            value = entry.license.id or entry.license.name
            if value:
                out.append(value)
    return tuple(out)


def _dependencies(entries: Any) -> dict[str, tuple[str, ...]]:
    graph: dict[str, tuple[str, ...]] = {}
    repeated: dict[str, list[str]] = {}  # refs listed more than once: appended, not re-concatenated (n²)
    entry: CdxDependency
    for entry in entries:
        refs = tuple(t if isinstance(t, str) else t.ref for t in entry.dependsOn or ())
        before = graph.get(entry.ref)
        if before is None:
            graph[entry.ref] = refs
        elif (acc := repeated.get(entry.ref)) is not None:
            acc.extend(refs)
        else:
            repeated[entry.ref] = [*before, *refs]
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
