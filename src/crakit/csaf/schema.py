"""JSON schema validation of CSAF 2.0 documents with the vendored OASIS and FIRST schemas.

jsonschema-rs does the work (compiled once per process); the CVSS schemas the CSAF schema
references are registered under their canonical URIs so that nothing is fetched.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

CSAF_SCHEMA_URI = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json"
CVSS_URIS = {
    "2.0": "https://www.first.org/cvss/cvss-v2.0.json",
    "3.0": "https://www.first.org/cvss/cvss-v3.0.json",
    "3.1": "https://www.first.org/cvss/cvss-v3.1.json",
}


def load_schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("crakit.csaf").joinpath("schemas").joinpath(name).read_bytes()
    )
    return data


def _cvss_name(version: str, strict: bool) -> str:
    return f"cvss-v{version}{'_strict' if strict else ''}.json"


def _cvss_pairs(strict: bool) -> list[tuple[str, Any]]:
    pairs = [(uri, load_schema(_cvss_name(v, strict))) for v, uri in CVSS_URIS.items()]
    # cvss-v3.1.json declares its $id with a "?20211103" suffix; register both spellings.
    pairs.append((CVSS_URIS["3.1"] + "?20211103", load_schema(_cvss_name("3.1", strict))))
    return pairs


@cache
def _registry(strict: bool) -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry(_cvss_pairs(strict))


@cache
def provider_validator() -> Any:
    """Validator of provider-metadata.json (it references the CSAF schema for the publisher)."""
    registry = jsonschema_rs.Registry(
        [*_cvss_pairs(False), (CSAF_SCHEMA_URI, load_schema("csaf_json_schema.json"))]
    )
    return jsonschema_rs.validator_for(
        load_schema("provider_json_schema.json"), registry=registry, validate_formats=True
    )


def _close_objects(node: Any) -> Any:
    """A copy of a schema in which every object with declared properties forbids others (6.2.20)."""
    if isinstance(node, dict):
        out = {k: _close_objects(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_close_objects(v) for v in node]
    return node


@cache
def csaf_validator(strict: bool = False) -> Any:
    schema = load_schema("csaf_json_schema.json")
    if strict:
        schema = _close_objects(copy.deepcopy(schema))
    return jsonschema_rs.validator_for(schema, registry=_registry(strict), validate_formats=True)


@cache
def cvss_validator(version: str) -> Any:
    schema = load_schema(_cvss_name(version, False))
    return jsonschema_rs.validator_for(schema, validate_formats=True)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def errors(validator: Any, instance: Any) -> Iterator[tuple[str, str]]:
    """(JSON pointer, message) for each schema violation."""
    for error in validator.iter_errors(instance):
        yield _pointer(error.instance_path), str(error.message)


def is_cvss_path(pointer: str) -> bool:
    """Whether a pointer lies inside a CVSS object (reported by test 6.1.8, not by the schema step)."""
    parts = pointer.split("/")
    return (
        len(parts) >= 6
        and parts[1] == "vulnerabilities"
        and parts[3] == "scores"
        and parts[5]
        in (
            "cvss_v2",
            "cvss_v3",
        )
    )
