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
from crakit.sbom.cyclonedx_fields import VERSIONS
from crakit.sbom.cyclonedx_xml import not_cyclonedx
from crakit.sbom.decode import load_json, normalise_encoding, utf8_text
from crakit.sbom.errors import SbomError
from crakit.sbom.reader import DEFAULT_MAX_BYTES, load_bytes
from crakit.sbom.xmlsafe import parse_xml

CDX_RES = "cyclonedx.schema._res"
CDX_NS_PREFIX = "http://cyclonedx.org/schema/bom/"
CDX_JSON_VERSIONS = VERSIONS[2:]  # JSON exists from 1.2 on
CDX_XML_VERSIONS = VERSIONS
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
    if re.search(r"^[ \t]*SPDXVersion:", text, re.M):
        return _validate_tag_value(text, max_errors)
    return _validate_json(_load_yaml(text), "yaml", max_errors)


def _validate_tag_value(text: str, max_errors: int) -> ValidationReport:
    """Tag-value mapped to SPDX 2.x JSON and held to the JSON schema; unknown tags are errors too."""
    from crakit.sbom.spdx2_tagvalue_json import tag_of, to_json

    mapped = to_json(text)
    version = spdx2.spec_version(str(mapped.doc.get("spdxVersion", "")))
    found = [SchemaViolation(f"line {line}", message) for line, message in mapped.errors]
    schema_name = SPDX2_SCHEMAS.get(version, "")
    note = "SPDX tag-value has no schema of its own: its tags were mapped to SPDX JSON and validated"
    if not schema_name:
        found.append(SchemaViolation("line 1", f"unsupported SPDXVersion {version!r} (2.1-2.3)"))
        return ValidationReport("spdx", version, "tag-value", "", tuple(found[:max_errors]), len(found), note)
    if version == "2.1":
        note += " (SPDX 2.1 against SPDX 2.2's schema)"
    count = len(found)
    for err in _vendored_validator(schema_name).iter_errors(mapped.doc):
        count += 1
        if len(found) >= max_errors:
            continue
        pointer = "".join(f"/{_escape(p)}" for p in err.instance_path)
        line = mapped.line_of(pointer)
        message = err.message
        missing = _REQUIRED.search(message)
        if missing and (tag := tag_of(pointer, missing.group(1))):
            message = f"{tag} is missing ({pointer or '/'}: {message})"
        elif pointer:
            message = f"{pointer}: {message}"
        found.append(SchemaViolation(f"line {line}" if line else "document", message))
    return ValidationReport("spdx", version, "tag-value", schema_name, tuple(found), count, note)


_REQUIRED = re.compile(r'^"([^"]+)" is a required property')


def _load_yaml(text: str) -> Any:
    from crakit.sbom.spdx2_yaml import load

    return load(text, typed=True)


def _validate_json(doc: Any, serialization: str, max_errors: int) -> ValidationReport:
    note = None
    if not isinstance(doc, dict):
        raise SbomError("not an SBOM: the top level is not an object")
    if _claims_cyclonedx(doc):
        fmt, version = "cyclonedx", str(doc.get("specVersion", ""))
        if version not in CDX_JSON_VERSIONS:
            # A version without a JSON schema (one that does not exist, or 1.0/1.1, XML only) is a
            # document the specification calls invalid: reported, not refused as unreadable.
            why = "JSON exists from 1.2 on" if version in VERSIONS else "no such CycloneDX version"
            return _invalid(
                fmt, version, serialization, "/specVersion", f"unsupported specVersion {version!r} ({why})"
            )
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


def _claims_cyclonedx(doc: dict[str, Any]) -> bool:
    """``bomFormat: CycloneDX``, or a CycloneDX body under another ``bomFormat`` (then schema-invalid).

    An object with ``specVersion`` and ``components`` and no SPDX marker is a CycloneDX document
    with a wrong ``bomFormat``: the specification's ``invalid-bomformat-*`` fixtures are such.
    """
    if doc.get("bomFormat") == "CycloneDX":
        return True
    return "bomFormat" in doc and "specVersion" in doc and "spdxVersion" not in doc and "@graph" not in doc


def _invalid(fmt: str, version: str, serialization: str, pointer: str, message: str) -> ValidationReport:
    """A document that breaks the specification before any schema applies (unknown version)."""
    return ValidationReport(fmt, version, serialization, "", (SchemaViolation(pointer, message),), 1)


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
    local = tag.rpartition("}")[2]
    if not ns.startswith(CDX_NS_PREFIX) or local != "bom":
        raise SbomError(not_cyclonedx(local, ns))
    version = ns[len(CDX_NS_PREFIX) :]
    if version not in CDX_XML_VERSIONS:
        # e.g. the specification's invalid-namespace fixtures (".../bom/12"): invalid, not unreadable
        return _invalid(
            "cyclonedx", version, "xml", f"line {root.sourceline}", f"unknown CycloneDX namespace {ns!r}"
        )
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
