"""Combine the SBOMs of one product's parts (firmware, app, cloud) into one (``crakit sbom merge``).

Components are deduplicated by canonical package URL (purl specification; a purl
without a version completed with the component's own); components without a purl
are deduplicated by (name, version, CPE). The first document's product stays the product (or a new one is named); the products of the
other documents become its top-level dependencies (Annex I Part II(1)).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from msgspec.structs import replace

from crakit.sbom.errors import SbomError
from crakit.sbom.model import Component, Sbom
from crakit.sbom.purl import purl_key


def _key(c: Component) -> tuple[str, ...]:
    # A purl without a version names the component's own: two versions shipped under one
    # versionless purl are two components (the scanner checks each).
    key = purl_key(c.shipped_purl)
    return ("purl", key) if key else ("nv", c.name, c.version or "", c.cpe or "")


def merge_sboms(
    sboms: Sequence[Sbom], *, product_name: str | None = None, created: str | None = None
) -> Sbom:
    """One SBOM holding every distinct component of ``sboms``, created at ``created`` (default: now)."""
    if not sboms:
        raise SbomError("nothing to merge")
    kept: dict[tuple[str, ...], Component] = {}
    ref_map: dict[tuple[int, str], str] = {}  # (document index, old ref) -> ref in the merged document
    used_refs: set[str] = set()
    products: list[tuple[int, Component]] = []

    def admit(i: int, c: Component) -> Component:
        key = _key(c)
        if key in kept:
            existing = kept[key]
            if c.ref:
                ref_map[(i, c.ref)] = existing.ref
            if c.top_level and not existing.top_level:
                kept[key] = existing = replace(existing, top_level=True)
            return existing
        ref = c.ref or f"merged-{i}-{len(kept)}"
        if ref in used_refs:  # same ref, different component in another document
            ref = f"doc{i}:{ref}"
        used_refs.add(ref)
        if c.ref:
            ref_map[(i, c.ref)] = ref
        new = replace(c, ref=ref)
        kept[key] = new
        return new

    for i, doc in enumerate(sboms):
        if doc.product is not None:
            products.append((i, replace(doc.product, ref=doc.product.ref or f"product-{i}")))
        for c in doc.components:
            if doc.product is not None and c is doc.product:
                continue  # SPDX: the product is listed among the packages too; handled below
            admit(i, c)
    product: Component | None
    if product_name:
        product = Component(ref="merged-product", name=product_name, type="application")
        sub = products
    elif products:
        product, sub = products[0][1], products[1:]
    else:
        product, sub = None, []
    sub_refs = [admit(i, replace(p, top_level=True)).ref for i, p in sub]
    # Ordered sets (dict keys): a hub with 100,000 edges must not cost 100,000² membership tests.
    graph: dict[str, dict[str, None]] = {}
    for i, doc in enumerate(sboms):
        for src, targets in doc.dependencies.items():
            new_src = ref_map.get((i, src))
            if i == 0 and not product_name and product is not None and src == product.ref:
                new_src = product.ref
            if new_src is None:
                continue
            bucket = graph.setdefault(new_src, {})
            for t in targets:
                new_t = ref_map.get((i, t))
                if new_t:
                    bucket[new_t] = None
    if product is not None:
        bucket = graph.setdefault(product.ref, {})
        for mapped in sub_refs:
            bucket[mapped] = None
    top = frozenset(graph.get(product.ref, ())) if product is not None else frozenset()
    # Top-level means "direct dependency of the merged product": recomputed, not inherited.
    components = tuple(
        replace(c, top_level=c.ref in top) if c.top_level != (c.ref in top) else c for c in kept.values()
    )
    first = sboms[0]
    return Sbom(
        format=first.format,
        spec_version=first.spec_version,
        serialization=first.serialization,
        components=components,
        product=product,
        dependencies={k: tuple(v) for k, v in graph.items()},
        tools=tuple(dict.fromkeys(t for d in sboms for t in d.tools)),
        # The merged document is a new SBOM: it was created now, not when its parts were.
        created=created or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        authors=tuple(dict.fromkeys(a for d in sboms for a in d.authors)),
        name=None,
        source=None,
    )
