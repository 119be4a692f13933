"""Check a decoded manifest against :data:`crakit.manifest.schema.SCHEMA`.

Why not jsonschema-rs here: its messages are generic ("Additional properties are not
allowed"); a compliance officer needs "market.comercial: unknown key (did you mean
'commercial'?)". The manifest schema uses a small subset of JSON Schema, interpreted
below, so the exported schema and the checks can never drift apart.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Any

from crakit.errors import InputError


class ManifestError(InputError):
    """The manifest cannot be read or does not follow format version 1 (exit 2)."""


_TYPE_NAMES = {
    "string": "a string",
    "boolean": "true or false",
    "number": "a number",
    "integer": "an integer",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


# C0/C1 controls other than tab and line breaks, and the bidirectional overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make "txt.exe" read as "exe.txt" in a rendered document.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _type_ok(expected: str, value: Any) -> bool:
    kind = _kind(value)
    return kind == expected or (expected == "number" and kind == "integer")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def check(value: Any, schema: dict[str, Any], path: str = "") -> None:
    """Raise :class:`ManifestError` naming the first problem's path; return when valid."""
    where = path or "manifest"
    if "anyOf" in schema:
        options = schema["anyOf"]
        if value is None and any(o.get("type") == "null" for o in options):
            return
        check(value, next(o for o in options if o.get("type") != "null"), path)
        return
    # type() comparison: in Python True == 1 == 1.0, but the format version must be the integer 1.
    if "const" in schema and (value != schema["const"] or type(value) is not type(schema["const"])):
        raise ManifestError(f"{where}: must be {schema['const']!r}, got {_show(value)}")
    expected = schema.get("type")
    if expected and not _type_ok(expected, value):
        hint = ""
        if expected == "string" and _kind(value) in ("number", "integer"):
            hint = f' (quote it: "{value}")'
        raise ManifestError(
            f"{where}: expected {_TYPE_NAMES[expected]}, got "
            + ("null" if value is None else f"{_kind(value)} {_show(value)}")
            + hint
        )
    if "enum" in schema and value not in schema["enum"]:
        choices = schema["enum"]
        shown = " | ".join(choices) if len(choices) <= 8 else "an ISO 3166-1 alpha-2 code"
        raise ManifestError(f"{where}: {_show(value)} is not allowed; use {shown}")
    if expected == "string":
        bad = _UNSAFE.search(value)
        if bad:
            raise ManifestError(
                f"{where}: contains the control character U+{ord(bad.group()):04X}",
                hint="remove it: control and bidirectional-override characters can hide or reorder text "
                "in the documents made from the manifest",
            )
        if len(value) < schema.get("minLength", 0):
            raise ManifestError(f"{where}: must not be empty")
        if len(value) > schema.get("maxLength", 1 << 30):
            raise ManifestError(f"{where}: longer than {schema['maxLength']} characters")
        if "pattern" in schema and not _regex(schema["pattern"]).match(value):
            form = schema.get("x-form", schema["pattern"])
            raise ManifestError(f"{where}: {_show(value)} is not {form}")
    if expected in ("number", "integer") and not (
        schema.get("minimum", float("-inf")) <= value <= schema.get("maximum", float("inf"))
        and value > schema.get("exclusiveMinimum", float("-inf"))
    ):
        raise ManifestError(f"{where}: {_show(value)} is out of range")
    if expected == "array":
        if len(value) > schema.get("maxItems", 1 << 30):
            if "x-too-many" in schema:
                raise ManifestError(f"{where}: {len(value)} entries; {schema['x-too-many']}")
            raise ManifestError(f"{where}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            check(item, schema["items"], _join(path, index))
    if expected == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        for key in value:
            if not isinstance(key, str):
                raise ManifestError(f"{where}: keys must be strings, got {_show(key)}")
            if key not in properties and schema.get("additionalProperties") is False:
                close = difflib.get_close_matches(key, list(properties), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (allowed: {', '.join(properties)})"
                raise ManifestError(f"{_join(path, key)}: unknown key{hint}")
        for key in schema.get("required", []):
            if key not in value:
                raise ManifestError(f"{_join(path, key)}: required field is missing")
        for key, item in value.items():
            if item is None and key not in schema.get("required", ()):
                continue  # an explicit null means "not given", as leaving the key out does
            check(item, properties[key], _join(path, key))
