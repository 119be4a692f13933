"""Write the lean model as CycloneDX 1.6 JSON or SPDX 2.3 JSON (``crakit sbom convert``).

Losses are deliberate and documented in docs/sbom.md: nested CycloneDX
components are written flat, and CycloneDX's product (metadata.component)
becomes an SPDX package the document DESCRIBES (and back again).
"""

from __future__ import annotations

import functools
import re
import uuid
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import orjson

from crakit import __version__
from crakit.sbom.cyclonedx_fields import FILENAME_PROPERTY, filename_property
from crakit.sbom.model import Component, Sbom

TARGETS = ("cyclonedx-1.6", "spdx-2.3")

_CDX_TYPES = frozenset(
    [
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "device",
        "device-driver",
        "firmware",
        "file",
        "machine-learning-model",
        "data",
        "cryptographic-asset",
    ]
)
_TYPE_TO_CDX = {"source": "file", "archive": "file", "install": "application", "executable": "application"}
_SPDX_PURPOSES = frozenset(
    [
        "APPLICATION",
        "FRAMEWORK",
        "LIBRARY",
        "CONTAINER",
        "OPERATING-SYSTEM",
        "DEVICE",
        "FIRMWARE",
        "SOURCE",
        "ARCHIVE",
        "FILE",
        "INSTALL",
        "OTHER",
    ]
)
_HEX = re.compile(r"^[0-9a-fA-F]+$")
# CycloneDX only admits digests of the lengths its algorithms produce; anything else is dropped.
_CDX_DIGEST = re.compile(
    r"^([a-fA-F0-9]{32}|[a-fA-F0-9]{40}|[a-fA-F0-9]{64}|[a-fA-F0-9]{96}|[a-fA-F0-9]{128})$"
)
_SPDX_ID_BAD = re.compile(r"[^A-Za-z0-9.\-]+")
_UUID_URN = re.compile(
    r"^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)


def _hash_key(alg: str) -> str:
    return alg.upper().replace("-", "").replace("_", "")


# normalised algorithm -> (CycloneDX name, SPDX 2.3 name)
_HASHES = {
    "MD5": ("MD5", "MD5"),
    "SHA1": ("SHA-1", "SHA1"),
    "SHA256": ("SHA-256", "SHA256"),
    "SHA384": ("SHA-384", "SHA384"),
    "SHA512": ("SHA-512", "SHA512"),
    "SHA3256": ("SHA3-256", "SHA3-256"),
    "SHA3384": ("SHA3-384", "SHA3-384"),
    "SHA3512": ("SHA3-512", "SHA3-512"),
    "BLAKE2B256": ("BLAKE2b-256", "BLAKE2b-256"),
    "BLAKE2B384": ("BLAKE2b-384", "BLAKE2b-384"),
    "BLAKE2B512": ("BLAKE2b-512", "BLAKE2b-512"),
    "BLAKE3": ("BLAKE3", "BLAKE3"),
}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def convert(sbom: Sbom, target: str) -> dict[str, Any]:
    """The document as a JSON-ready mapping in ``target`` (one of :data:`TARGETS`)."""
    if target == "cyclonedx-1.6":
        return to_cyclonedx(sbom)
    if target == "spdx-2.3":
        return to_spdx(sbom)
    raise ValueError(f"unknown target {target!r}")


@functools.cache
def _spdx_license_ids() -> frozenset[str]:
    schema = orjson.loads(
        resources.files("cyclonedx.schema._res").joinpath("spdx.SNAPSHOT.schema.json").read_bytes()
    )
    return frozenset(schema.get("enum", ()))


def _is_expression(value: str) -> bool:
    return any(op in value for op in (" AND ", " OR ", " WITH ", "("))


def _cdx_licenses(c: Component) -> list[dict[str, Any]]:
    """Licences with their 1.6 acknowledgement (BSI TR-03183-2 v2.0 §5.3.2 concluded, §5.4 declared).

    A licence both declared and concluded is written twice, once per acknowledgement. CycloneDX 1.6
    admits one expression alone or a list of licences, so a lone expression stays an expression and
    expressions among several entries become licence names.
    """
    declared, concluded = c.licenses_declared, c.licenses_concluded
    entries: list[tuple[str, str | None]] = []
    for lic in dict.fromkeys((*c.licenses, *declared, *concluded)):
        acks: list[str | None] = [
            ack for ack, kept in (("declared", declared), ("concluded", concluded)) if lic in kept
        ]
        entries.extend((lic, ack) for ack in acks or [None])
    if len(entries) == 1 and _is_expression(entries[0][0]):
        lic, ack = entries[0]
        return [{"expression": lic, **({"acknowledgement": ack} if ack else {})}]
    ids = _spdx_license_ids()
    out: list[dict[str, Any]] = []
    for lic, ack in entries:
        body: dict[str, Any] = {"id": lic} if lic in ids else {"name": lic}
        if ack:
            body["acknowledgement"] = ack
        out.append({"license": body})
    return out


def _cdx_component(c: Component, ref: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": c.type if c.type in _CDX_TYPES else _TYPE_TO_CDX.get(c.type or "", "library")
    }
    out["bom-ref"] = ref
    if c.supplier:
        out["supplier"] = {"name": c.supplier}
    if c.author:
        out["author"] = c.author
    out["name"] = c.name
    if c.version:
        out["version"] = c.version
    if c.scope in ("required", "optional", "excluded"):
        out["scope"] = c.scope
    hashes = [
        {"alg": _HASHES[_hash_key(alg)][0], "content": value}
        for alg, value in c.hashes
        if _hash_key(alg) in _HASHES and _CDX_DIGEST.match(value)
    ]
    if hashes:
        out["hashes"] = hashes
    if c.licenses or c.licenses_declared or c.licenses_concluded:
        out["licenses"] = _cdx_licenses(c)
    if c.cpe:
        out["cpe"] = c.cpe
    if c.purl:
        out["purl"] = c.purl
    if c.swid:
        out["swid"] = {"tagId": c.swid, "name": c.name}
    properties = [{"name": name, "value": value} for name, value in c.properties]
    fname = c.filename
    if fname and not any(p["name"] == FILENAME_PROPERTY for p in properties):
        # CycloneDX has no filename field: BSI TR-03183-2's taxonomy property carries it (§5.2.2)
        properties.append({"name": FILENAME_PROPERTY, "value": fname})
    if properties:  # e.g. the BSI TR-03183-2 bsi:component:* fields; SPDX 2.3 has no place for them
        out["properties"] = properties
    return out


def _unique_refs(items: list[Component], prefix: str, clean: Any = None) -> list[str]:
    """A unique, non-empty reference per component (documents may omit or repeat them)."""
    seen: set[str] = set()
    out: list[str] = []
    for i, c in enumerate(items):
        ref = clean(c.ref) if clean else c.ref
        if not ref or ref in seen:
            ref = f"{prefix}{i}"
        seen.add(ref)
        out.append(ref)
    return out


def to_cyclonedx(sbom: Sbom) -> dict[str, Any]:
    """CycloneDX 1.6 JSON; an SPDX product package becomes ``metadata.component``."""
    product = sbom.product
    parts = [c for c in sbom.components if product is None or c is not product]
    items = ([product] if product else []) + parts
    refs = _unique_refs(items, "crakit-ref-")
    ref_of = {c.ref: r for c, r in zip(items, refs, strict=True) if c.ref}
    metadata: dict[str, Any] = {
        "timestamp": sbom.created or _now(),
        "tools": {"components": [{"type": "application", "name": "crakit", "version": __version__}]},
    }
    if sbom.authors:
        metadata["authors"] = [{"name": a} for a in sbom.authors]
    if product is not None:
        metadata["component"] = _cdx_component(product, refs[0])
    offset = 1 if product else 0
    doc: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": sbom.uri if sbom.uri and _UUID_URN.match(sbom.uri) else uuid.uuid4().urn,
        "version": 1,
        "metadata": metadata,
        "components": [_cdx_component(c, refs[i + offset]) for i, c in enumerate(parts)],
    }
    deps = []
    for src, targets in sbom.dependencies.items():
        if src in ref_of:
            known = list(dict.fromkeys(ref_of[t] for t in targets if t in ref_of))
            deps.append({"ref": ref_of[src], "dependsOn": known})
    if deps:
        doc["dependencies"] = deps
    return doc


def _spdx_actor(kind: str, value: str) -> str:
    return value if value.startswith(("Organization:", "Person:", "Tool:")) else f"{kind}: {value}"


def _spdx_expression(licenses: tuple[str, ...]) -> str:
    if not licenses:
        return "NOASSERTION"
    return licenses[0] if len(licenses) == 1 else " AND ".join(f"({lic})" for lic in licenses)


def _spdx_package(c: Component, spdx_id: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "SPDXID": spdx_id,
        "name": c.name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
    }
    if c.version:
        out["versionInfo"] = c.version
    if c.supplier:
        out["supplier"] = _spdx_actor("Organization", c.supplier)
    if c.author:
        out["originator"] = _spdx_actor("Organization", c.author)
    fname = c.filename or filename_property(c.properties)
    if fname:
        out["packageFileName"] = fname
    # Concluded and declared kept apart (BSI TR-03183-2 v2.0 §5.3.2 / §5.4); a licence without an
    # acknowledgement (CycloneDX before 1.6) counts as declared, as it always has here.
    concluded = c.licenses_concluded
    declared = c.licenses_declared or tuple(lic for lic in c.licenses if lic not in concluded)
    out["licenseConcluded"] = _spdx_expression(concluded)
    out["licenseDeclared"] = _spdx_expression(declared)
    checksums = [
        {"algorithm": _HASHES[_hash_key(alg)][1], "checksumValue": value.lower()}
        for alg, value in c.hashes
        if _hash_key(alg) in _HASHES and _HEX.match(value)
    ]
    if checksums:
        out["checksums"] = checksums
    refs = []
    if c.purl:
        refs.append(
            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": c.purl}
        )
    if c.cpe:
        kind = "cpe23Type" if c.cpe.startswith("cpe:2.3:") else "cpe22Type"
        refs.append({"referenceCategory": "SECURITY", "referenceType": kind, "referenceLocator": c.cpe})
    if c.swid:
        refs.append({"referenceCategory": "SECURITY", "referenceType": "swid", "referenceLocator": c.swid})
    if refs:
        out["externalRefs"] = refs
    purpose = (c.type or "").upper().replace("-", "_")
    if purpose in _SPDX_PURPOSES:
        out["primaryPackagePurpose"] = purpose
    return out


def to_spdx(sbom: Sbom) -> dict[str, Any]:
    """SPDX 2.3 JSON; the product becomes the package the document DESCRIBES."""
    product = sbom.product
    items = ([product] if product else []) + [c for c in sbom.components if product is None or c != product]

    def clean(ref: str) -> str:
        body = _SPDX_ID_BAD.sub("-", ref.removeprefix("SPDXRef-")).strip("-")
        return f"SPDXRef-{body}" if body else ""

    ids = _unique_refs(items, "SPDXRef-crakit-", clean)
    id_of = {c.ref: i for c, i in zip(items, ids, strict=True) if c.ref}
    creators = [f"Tool: crakit-{__version__}", *(_spdx_actor("Organization", a) for a in sbom.authors)]
    relationships: list[dict[str, str]] = []
    if product is not None:
        relationships.append(
            {
                "spdxElementId": "SPDXRef-DOCUMENT",
                "relationshipType": "DESCRIBES",
                "relatedSpdxElement": ids[0],
            }
        )
    for src, targets in sbom.dependencies.items():
        if src not in id_of:
            continue
        for t in dict.fromkeys(targets):
            if t in id_of:
                relationships.append(
                    {
                        "spdxElementId": id_of[src],
                        "relationshipType": "DEPENDS_ON",
                        "relatedSpdxElement": id_of[t],
                    }
                )
    created = (
        sbom.created
        if sbom.created and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", sbom.created)
        else _now()
    )
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": sbom.name or (product.name if product else "sbom"),
        "documentNamespace": f"https://spdx.invalid/crakit/{uuid.uuid4()}",
        "creationInfo": {"created": created, "creators": creators},
        "packages": [_spdx_package(c, i) for c, i in zip(items, ids, strict=True)],
        "relationships": relationships,
    }
    return doc


# The name the package face exports (its module is called ``convert`` too).
convert_sbom = convert
