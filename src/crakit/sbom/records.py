"""Plain records of the model for machine output (``--format json`` / csv); a stable contract."""

from __future__ import annotations

import csv
import io
from typing import Any

from crakit.sbom.model import Component, Sbom

CSV_COLUMNS = (
    "ref",
    "name",
    "version",
    "purl",
    "cpe",
    "type",
    "supplier",
    "author",
    "licenses",
    "hashes",
    "scope",
    "top_level",
    "swid",
    "properties",
)


def component_record(c: Component) -> dict[str, Any]:
    return {
        "ref": c.ref,
        "name": c.name,
        "version": c.version,
        "purl": c.purl,
        "cpe": c.cpe,
        "type": c.type,
        "supplier": c.supplier,
        "author": c.author,
        "licenses": list(c.licenses),
        "licenses_declared": list(c.licenses_declared),
        "licenses_concluded": list(c.licenses_concluded),
        "filename": c.filename,
        "hashes": [{"alg": alg, "content": content} for alg, content in c.hashes],
        "scope": c.scope,
        "top_level": c.top_level,
        "swid": c.swid,
        "properties": [{"name": name, "value": value} for name, value in c.properties],
    }


def info_record(sbom: Sbom) -> dict[str, Any]:
    """The ``crakit sbom info --format json`` contract."""
    product = sbom.product
    return {
        "format": sbom.format,
        "spec_version": sbom.spec_version,
        "serialization": sbom.serialization,
        "components": len(sbom.components),
        "top_level_dependencies": sum(1 for c in sbom.components if c.top_level),
        "tools": list(sbom.tools),
        "created": sbom.created,
        "authors": list(sbom.authors),
        "name": sbom.name,
        "uri": sbom.uri,
        "product": (
            {"ref": product.ref, "name": product.name, "version": product.version, "purl": product.purl}
            if product is not None
            else None
        ),
    }


def components_csv(components: tuple[Component, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in components:
        writer.writerow(
            [
                c.ref,
                c.name,
                c.version or "",
                c.purl or "",
                c.cpe or "",
                c.type or "",
                c.supplier or "",
                c.author or "",
                " | ".join(c.licenses),
                " ".join(f"{alg}:{content}" for alg, content in c.hashes),
                c.scope or "",
                "true" if c.top_level else "false",
                c.swid or "",
                " | ".join(f"{name}={value}" for name, value in c.properties),
            ]
        )
    return out.getvalue()
