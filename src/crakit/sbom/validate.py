"""Strict validation against the official schema of the document's own version.

CycloneDX JSON schemas and XSDs come from cyclonedx-python-lib's bundled copies;
SPDX 2.2/2.3/3.0.1 JSON schemas are vendored in ``schemas/``. JSON is validated
with jsonschema-rs (a 5,000-component BOM in milliseconds), XML with lxml's XSD
support over the hardened parse of :mod:`xmlsafe`. Annex I Part II(1) asks for a
"commonly used and machine-readable format": conformance to the format's schema
is the objective test of that.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import orjson

from crakit.sbom import spdx2
from crakit.sbom.decode import load_json, normalise_encoding, utf8_text
from crakit.sbom.errors import SbomError
from crakit.sbom.reader import DEFAULT_MAX_BYTES, load_bytes
from crakit.sbom.xmlsafe import parse_xml

CDX_RES = "cyclonedx.schema._res"
CDX_NS_PREFIX = "http://cyclonedx.org/schema/bom/"
CDX_JSON_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
CDX_XML_VERSIONS = ("1.0", "1.1", *CDX_JSON_VERSIONS)
SPDX2_SCHEMAS = {"2.1": "spdx-2.2.schema.json", "2.2": "spdx-2.2.schema.json", "2.3": "spdx-2.3.schema.json"}
SPDX3_SCHEMA = "spdx-3.0.1.schema.json"


@dataclass(frozen=True, slots=True)
class SchemaViolation:
    """One schema error: where (JSON pointer, or ``line N`` for XML) and what."""

    pointer: str
    message: str


@dataclass(frozen=True, slots=True)
class ValidationReport:
    format: str
    spec_version: str
    serialization: str
    schema: str  # name of the schema used, "" when the serialisation has none
    errors: tuple[SchemaViolation, ...]
    error_count: int  # may exceed len(errors) when the list was cut
    note: str | None = None

    @property
    def valid(self) -> bool:
        return self.error_count == 0


def validate_file(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_errors: int = 20
) -> ValidationReport:
    """Validate the SBOM at ``path`` against its own version's official schema."""
    data = load_bytes(path, max_bytes=max_bytes)
    try:
        return validate_bytes(data, max_errors=max_errors)
    except SbomError as exc:
        raise SbomError(f"{path}: {exc.message}", hint=exc.hint) from None


def validate_bytes(data: bytes, *, max_errors: int = 20) -> ValidationReport:
    data = normalise_encoding(data)
    found = re.search(rb"[^\s]", data)
    first = found.group() if found else b""
    if first in (b"{", b"["):
        return _validate_json(load_json(data), "json", max_errors)
    if first == b"<":
        return _validate_xml(data, max_errors)
    text = utf8_text(data)
    from crakit.sbom.reader import parse_sbom

    if re.search(r"^[ \t]*SPDXVersion:", text, re.M):
        doc = parse_sbom(data)  # raises on structural errors
        return ValidationReport(
            "spdx",
            doc.spec_version,
            "tag-value",
            "",
            (),
            0,
            note="SPDX tag-value has no official schema; the document was parsed strictly instead",
        )
    return _validate_json(_load_yaml(text), "yaml", max_errors)


def _load_yaml(text: str) -> Any:
    from crakit.sbom.spdx2_yaml import load

    return load(text, typed=True)


def _validate_json(doc: Any, serialization: str, max_errors: int) -> ValidationReport:
    note = None
    if not isinstance(doc, dict):
        raise SbomError("not an SBOM: the top level is not an object")
    if doc.get("bomFormat") == "CycloneDX":
        fmt, version = "cyclonedx", str(doc.get("specVersion", ""))
        if version not in CDX_JSON_VERSIONS:
            raise SbomError(f"no JSON schema for CycloneDX {version!r} (JSON exists from 1.2 on)")
        schema_name = f"bom-{version}.schema.json"
        validator = _cdx_json_validator(version)
    elif isinstance(doc.get("spdxVersion"), str):
        fmt, version = "spdx", spdx2.spec_version(str(doc["spdxVersion"]))
        if version not in SPDX2_SCHEMAS:
            raise SbomError(f"no schema for SPDX {version!r}")
        schema_name = SPDX2_SCHEMAS[version]
        if version == "2.1":
            note = "SPDX 2.1 had no JSON schema; validated against SPDX 2.2's"
        validator = _vendored_validator(schema_name)
    elif "@graph" in doc:
        fmt, version, schema_name = "spdx", "3.0", SPDX3_SCHEMA
        validator = _vendored_validator(schema_name)
    else:
        raise SbomError("not an SBOM: neither CycloneDX nor SPDX")
    errors: list[SchemaViolation] = []
    count = 0
    try:
        for err in validator.iter_errors(doc):
            count += 1
            if len(errors) < max_errors:
                pointer = "".join(f"/{_escape(p)}" for p in err.instance_path)
                errors.append(SchemaViolation(pointer or "/", err.message))
    except ValueError as exc:
        # jsonschema-rs converts the document with a nesting limit (about 255 levels) and says so with a
        # plain ValueError; anything else it raises is a bug and must not be dressed up as bad input.
        if "recursion limit" not in str(exc).lower():
            raise
        raise SbomError("JSON nested too deeply to validate (over about 250 levels)") from None
    errors.sort(key=lambda e: e.pointer)
    return ValidationReport(fmt, version, serialization, schema_name, tuple(errors), count, note)


def _escape(part: object) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


@functools.cache
def _cdx_json_validator(version: str) -> Any:
    import jsonschema_rs

    def retrieve(uri: str) -> Any:
        # The bundled schemas refer to each other by file name ("spdx.SNAPSHOT.schema.json").
        name = uri.rsplit("/", 1)[-1].split("#", 1)[0]
        if not name.endswith(".json") or "/" in name or name.startswith("."):
            raise ValueError(f"schema {uri} is not bundled")
        return orjson.loads(resources.files(CDX_RES).joinpath(name).read_bytes())

    schema = orjson.loads(
        resources.files(CDX_RES).joinpath(f"bom-{version}.SNAPSHOT.schema.json").read_bytes()
    )
    return jsonschema_rs.validator_for(schema, retriever=retrieve, validate_formats=True)


@functools.cache
def _vendored_validator(name: str) -> Any:
    import jsonschema_rs

    schema = orjson.loads(resources.files("crakit.sbom.schemas").joinpath(name).read_bytes())

    def refuse(uri: str) -> Any:
        raise ValueError(f"validation is offline; {uri} is not vendored")

    return jsonschema_rs.validator_for(schema, retriever=refuse, validate_formats=True)


def _validate_xml(data: bytes, max_errors: int) -> ValidationReport:
    root = parse_xml(data)
    tag = root.tag if isinstance(root.tag, str) else ""
    ns = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    if not ns.startswith(CDX_NS_PREFIX):
        raise SbomError(f"XML but not a CycloneDX BOM (namespace {ns!r})")
    version = ns[len(CDX_NS_PREFIX) :]
    if version not in CDX_XML_VERSIONS:
        raise SbomError(f"no XSD for CycloneDX {version!r}")
    schema = _cdx_xsd(version)
    ok = schema.validate(root)
    errors = (
        ()
        if ok
        else tuple(SchemaViolation(f"line {e.line}", e.message) for e in list(schema.error_log)[:max_errors])
    )
    return ValidationReport(
        "cyclonedx", version, "xml", f"bom-{version}.xsd", errors, 0 if ok else max(len(schema.error_log), 1)
    )


@functools.cache
def _cdx_xsd(version: str) -> Any:
    from lxml import etree

    path = resources.files(CDX_RES).joinpath(f"bom-{version}.SNAPSHOT.xsd")
    # The XSD imports spdx.SNAPSHOT.xsd by relative location: parse from the real path.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with resources.as_file(path) as real:
        return etree.XMLSchema(etree.parse(str(real), parser))
