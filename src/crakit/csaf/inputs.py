"""Adapters from crakit's other capabilities (manifest, SBOM) to what the writer needs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crakit.csaf.errors import CsafInputError
from crakit.csaf.writer import ComponentInfo, ProductInfo

if TYPE_CHECKING:
    from crakit.manifest import Manifest
    from crakit.sbom import Sbom


def product_from(manifest: Manifest, sbom: Sbom | None = None, vendor: str | None = None) -> ProductInfo:
    """The advisory's product: name, version and kind from the manifest, vendor from the manufacturer."""
    name = vendor or manifest.manufacturer.name
    if not name:
        raise CsafInputError("the manifest names no manufacturer; give publisher.name in the decisions file")
    purl = None
    if sbom is not None and sbom.product is not None and sbom.product.purl:
        purl = _purl_for_version(sbom.product.purl, manifest.product.version)
    return ProductInfo(
        vendor=name,
        name=manifest.product.name,
        version=manifest.product.version,
        kind=manifest.product.kind,
        purl=purl,
    )


def components_from(sbom: Sbom | None) -> tuple[ComponentInfo, ...]:
    if sbom is None:
        return ()
    # A purl without a version is completed with the component's, as the scanner reports it.
    return tuple(ComponentInfo(c.name, c.version, c.shipped_purl) for c in sbom.components)


def _purl_for_version(purl: str, version: str) -> str | None:
    """The SBOM's product purl pinned to the manifest version; None when it names another version."""
    from packageurl import PackageURL

    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        return None
    if parsed.version is None:
        return str(parsed._replace(version=version).to_string())
    return purl if parsed.version == version else None
