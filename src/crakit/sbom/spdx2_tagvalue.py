"""SPDX 2.1-2.3 tag-value (``Tag: value`` lines, ``<text>`` blocks) into the lean model.

Package tags are gathered into the JSON field names and read by :mod:`spdx2`, so
both serialisations mean exactly the same thing.
"""

from __future__ import annotations

from typing import Any

import msgspec

from crakit.sbom import spdx2
from crakit.sbom._fields import asserted
from crakit.sbom.decode import utf8_text
from crakit.sbom.errors import SbomError
from crakit.sbom.jsonmodel import SpdxPackage
from crakit.sbom.model import Sbom

# tag-value tag -> JSON field of the package
_PACKAGE_FIELDS = {
    "PackageVersion": "versionInfo",
    "PackageFileName": "packageFileName",
    "PackageSupplier": "supplier",
    "PackageOriginator": "originator",
    "PackageLicenseDeclared": "licenseDeclared",
    "PackageLicenseConcluded": "licenseConcluded",
    "PrimaryPackagePurpose": "primaryPackagePurpose",
}
# tags that open an element which is not a package (its SPDXID and tags then belong to it)
_OTHER_SECTIONS = frozenset({"FileName", "SnippetSPDXID", "LicenseID", "Annotator", "ExternalDocumentRef"})


def read(text: str, source: str | None = None) -> Sbom:
    doc: dict[str, Any] = {}
    creators: list[str] = []
    packages: list[tuple[int, dict[str, Any]]] = []
    relationships: list[tuple[str, str, str]] = []
    current: dict[str, Any] | None = None  # the package being read, None in other sections
    in_document = True  # document tags come before the first element
    lines = text.splitlines()
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        lineno = i + 1
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        tag, sep, value = stripped.partition(":")
        if not sep or not tag or " " in tag:
            raise SbomError(f"line {lineno}: not an SPDX tag-value line: {stripped[:60]!r}")
        value = value.strip()
        if value.startswith("<text>"):
            value, i = _text_block(value, lines, i, lineno)
        if tag == "PackageName":
            current = {"name": value}
            packages.append((lineno, current))
            in_document = False
        elif tag in _OTHER_SECTIONS:
            current = None
            in_document = False
        elif tag == "Relationship":
            parts = value.split()
            if len(parts) != 3:
                raise SbomError(
                    f"line {lineno}: Relationship needs 'element TYPE related', got {value[:60]!r}"
                )
            relationships.append((parts[0], parts[1].upper(), parts[2]))
        elif in_document:
            if tag == "Creator":
                creators.append(value)
            elif tag in ("SPDXVersion", "DocumentName", "DocumentNamespace", "Created"):
                doc[tag] = value
        elif current is not None:
            _package_tag(current, tag, value, lineno)
    if "SPDXVersion" not in doc:
        raise SbomError("SPDX tag-value without SPDXVersion")
    version = spdx2.spec_version(doc["SPDXVersion"])
    if not version.startswith("2."):
        raise SbomError(f"unsupported SPDX version {version!r} in tag-value")
    graph, described = spdx2.build_graph(relationships)
    components = [spdx2.package(_typed(pkg, lineno)) for lineno, pkg in packages]
    return spdx2.assemble(
        components,
        described,
        graph,
        spec=version,
        serialization="tag-value",
        creators=creators,
        created=doc.get("Created"),
        name=doc.get("DocumentName") or doc.get("DocumentNamespace"),
        uri=asserted(doc.get("DocumentNamespace")),
        source=source,
    )


def _typed(pkg: dict[str, Any], lineno: int) -> SpdxPackage:
    try:
        return msgspec.convert(pkg, SpdxPackage)
    except msgspec.ValidationError as exc:  # cannot happen with text values; kept as a guard
        raise SbomError(f"line {lineno}: {exc}") from None


def _package_tag(pkg: dict[str, Any], tag: str, value: str, lineno: int) -> None:
    if tag == "SPDXID":
        pkg["SPDXID"] = value
    elif tag in _PACKAGE_FIELDS:
        pkg[_PACKAGE_FIELDS[tag]] = value
    elif tag == "PackageChecksum":
        alg, sep, digest = value.partition(":")
        if not sep:
            raise SbomError(f"line {lineno}: PackageChecksum needs 'ALGORITHM: value', got {value[:60]!r}")
        pkg.setdefault("checksums", []).append({"algorithm": alg.strip(), "checksumValue": digest.strip()})
    elif tag == "ExternalRef":
        parts = value.split(None, 2)
        if len(parts) != 3:
            raise SbomError(f"line {lineno}: ExternalRef needs 'CATEGORY TYPE locator', got {value[:60]!r}")
        pkg.setdefault("externalRefs", []).append(
            {"referenceCategory": parts[0], "referenceType": parts[1], "referenceLocator": parts[2]}
        )


def _text_block(value: str, lines: list[str], i: int, lineno: int) -> tuple[str, int]:
    """A ``<text>`` value may span lines up to ``</text>``; return it and the next line index."""
    body = value[len("<text>") :]
    parts = []
    while "</text>" not in body:
        parts.append(body)
        if i >= len(lines):
            raise SbomError(f"line {lineno}: <text> block never closed (truncated document?)")
        body = lines[i]
        i += 1
    parts.append(body[: body.index("</text>")])
    return "\n".join(parts), i


def read_bytes(data: bytes, source: str | None = None) -> Sbom:
    return read(utf8_text(data), source)
