"""CycloneDX XML (1.0-1.7) into the lean model; same rules as :mod:`cyclonedx_json`."""

from __future__ import annotations

from sys import intern
from typing import Any

from crakit.sbom.cyclonedx_fields import file_licence, filename_property, supported_version
from crakit.sbom.errors import SbomError
from crakit.sbom.model import Component, Sbom
from crakit.sbom.xmlsafe import parse_xml

NS_PREFIX = "http://cyclonedx.org/schema/bom/"


def read_bytes(data: bytes, source: str | None = None) -> Sbom:
    root = parse_xml(data)
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    if local != "bom" or not ns.startswith(NS_PREFIX):
        raise SbomError(not_cyclonedx(local, ns))
    version = supported_version(ns[len(NS_PREFIX) :])
    q = _Names(ns)
    deps = _dependencies(root, q)
    meta = root.find(q("metadata"))
    product = None
    if meta is not None:
        product_el = meta.find(q("component"))
        if product_el is not None:
            product = _component(product_el, q, frozenset())
    top = frozenset(deps.get(product.ref, ())) if product is not None and product.ref else frozenset()
    components: list[Component] = []
    container = root.find(q("components"))
    if container is not None:
        _walk(container, q, top, components)
    return Sbom(
        format="cyclonedx",
        spec_version=version,
        serialization="xml",
        components=tuple(components),
        product=product,
        dependencies=deps,
        tools=_tools(meta, q) if meta is not None else (),
        created=_text(meta.find(q("timestamp"))) if meta is not None else None,
        authors=_creators(meta, q) if meta is not None else (),
        name=root.get("serialNumber"),
        uri=(root.get("serialNumber") or "").strip() or None,
        source=source,
    )


def not_cyclonedx(local: str, ns: str) -> str:
    """Why an XML document that is not a CycloneDX BOM is refused, named for what it is."""
    if local == "RDF":
        return "SPDX RDF/XML is not read; use SPDX JSON, YAML or tag-value"
    if local in ("Document", "SpdxDocument") or "spdx" in ns.lower():
        # spdx-tools' XML serialisation (root <Document>): not RDF, and not read either
        return "SPDX XML is not read; use SPDX JSON, YAML or tag-value"
    if local.lower() == "html":
        return "not an SBOM: an HTML document"
    return f"XML but not a CycloneDX BOM (root element {local!r} in namespace {ns!r})"


class _Names:
    """Qualified tag names in the document's CycloneDX namespace (the component's ones built once)."""

    author: str
    authors: str
    components: str
    cpe: str
    expression: str
    hash: str
    hashes: str
    id: str
    license: str
    licenses: str
    manufacturer: str
    name: str
    ns: str
    properties: str
    property: str
    purl: str
    scope: str
    supplier: str
    swid: str
    version: str
    __slots__ = tuple(__annotations__)

    def __init__(self, ns: str) -> None:
        self.ns = ns
        for local in self.__slots__:
            if local != "ns":
                setattr(self, local, f"{{{ns}}}{local}")

    def __call__(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"


def _walk(container: Any, q: _Names, top: frozenset[str], out: list[Component]) -> None:
    for el in container.iterchildren(q("component")):
        out.append(_component(el, q, top))
        nested = el.find(q.components)
        if nested is not None:
            _walk(nested, q, top, out)


def _text(el: Any) -> str | None:
    if el is None:
        return None
    value = el.text
    return value.strip() if isinstance(value, str) else None


def _component(el: Any, q: _Names, top: frozenset[str]) -> Component:
    # One pass over the direct children instead of a find() per field: finds dominated the reader's time.
    # The first child of a tag wins, as find() would have it (the schema allows one of each).
    kids: dict[str, Any] = {}
    for child in el:
        kids.setdefault(child.tag, child)
    # no name: schema-invalid but still one component (reads as ""; `validate` reports it)
    name = _text(kids.get(q.name)) or ""
    ref = el.get("bom-ref") or ""
    author = _text(kids.get(q.author))
    if author is None:
        authors = kids.get(q.authors)
        names = (
            [n for a in authors.iterchildren(q.author) if (n := _text(a.find(q.name)))]
            if authors is not None
            else []
        )
        manufacturer = kids.get(q.manufacturer)
        author = ", ".join(names) or (_text(manufacturer.find(q.name)) if manufacturer is not None else None)
    licenses: list[str] = []
    declared: list[str] = []
    concluded: list[str] = []
    lic_container = kids.get(q.licenses)
    if lic_container is not None:
        for child in lic_container:
            if child.tag == q.expression:
                value = _text(child)
            elif child.tag == q.license:
                value = _text(child.find(q.id)) or _text(child.find(q.name))
            else:
                continue
            if value:
                licenses.append(value)
                # 1.6+: an attribute on <license> and <expression>
                if (ack := child.get("acknowledgement")) is not None:
                    file_licence(value, ack, declared, concluded)
    hashes_el = kids.get(q.hashes)
    hashes = (
        tuple(
            (alg, content)
            for h in hashes_el.iterchildren(q.hash)
            if (alg := h.get("alg")) and (content := _text(h))
        )
        if hashes_el is not None
        else ()
    )
    swid = kids.get(q.swid)
    supplier = kids.get(q.supplier)
    props = kids.get(q.properties)
    properties = _properties(props, q) if props is not None else ()
    return Component(
        ref=ref,
        name=name,
        version=_text(kids.get(q.version)),
        purl=_text(kids.get(q.purl)),
        cpe=(cpe := _text(kids.get(q.cpe))),
        cpes=(cpe,) if cpe else (),
        type=el.get("type"),
        supplier=_text(supplier.find(q.name)) if supplier is not None else None,
        author=author,
        licenses=tuple(licenses),
        hashes=hashes,
        scope=_text(kids.get(q.scope)),
        top_level=bool(ref) and ref in top,
        swid=swid.get("tagId") if swid is not None else None,
        properties=properties,
        filename=filename_property(properties) if properties else None,
        licenses_declared=tuple(declared),
        licenses_concluded=tuple(concluded),
    )


def _properties(container: Any, q: _Names) -> tuple[tuple[str, str], ...]:
    """``<property name="...">value</property>`` (1.3+); unnamed properties are skipped, as in JSON."""
    # _text() inlined: documents carry tens of properties per component, the call showed in profiles.
    # Names (a few dozen distinct ones in a whole document) are interned: one string each, not one per use.
    return tuple(
        (intern(name), (p.text or "").strip())
        for p in container.iterchildren(q.property)
        if (name := p.get("name"))
    )


def _dependencies(root: Any, q: _Names) -> dict[str, tuple[str, ...]]:
    graph: dict[str, list[str]] = {}  # lists: a ref repeated 100,000 times must not re-concatenate (n²)
    container = root.find(q("dependencies"))
    if container is None:
        return {}
    for dep in container.iterfind(q("dependency")):
        ref = dep.get("ref")
        if not ref:  # schema-invalid: an entry that names no component states no edge
            continue
        graph.setdefault(ref, []).extend(
            r for child in dep.iterfind(q("dependency")) if (r := child.get("ref"))
        )
    return {ref: tuple(targets) for ref, targets in graph.items()}


def _creators(meta: Any, q: _Names) -> tuple[str, ...]:
    """Authors, then the manufacturer organisation (see cyclonedx_json._creators)."""
    names = [n for a in meta.iterfind(f"{q('authors')}/{q('author')}") if (n := _text(a.find(q("name"))))]
    for tag in ("manufacturer", "manufacture"):
        if name := _text(meta.find(f"{q(tag)}/{q('name')}")):
            names.append(name)
            break
    return tuple(dict.fromkeys(names))


def _tools(meta: Any, q: _Names) -> tuple[str, ...]:
    tools = meta.find(q("tools"))
    if tools is None:
        return ()
    entries = [
        *tools.iterfind(q("tool")),
        *tools.iterfind(f"{q('components')}/{q('component')}"),
        *tools.iterfind(f"{q('services')}/{q('service')}"),
    ]
    out: list[str] = []
    for entry in entries:
        name = _text(entry.find(q("name")))
        if name:
            version = _text(entry.find(q("version")))
            out.append(f"{name} {version}" if version else name)
    return tuple(out)
