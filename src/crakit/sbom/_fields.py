"""Type-checked access to decoded JSON/YAML values.

Real SBOMs are messy, but a value of the wrong *kind* (an object where a name
belongs) means the document cannot be trusted, so it ends in :class:`SbomError`
with the JSON pointer of the culprit instead of an ``AttributeError`` deep inside.
"""

from __future__ import annotations

from typing import Any

from crakit.sbom.errors import SbomError

NOASSERTION = frozenset({"NOASSERTION", "NONE", ""})


def kind(value: object) -> str:
    return (
        "null" if value is None else type(value).__name__.replace("dict", "object").replace("list", "array")
    )


def text(obj: dict[str, Any], key: str, where: str) -> str | None:
    """A string field; numbers are accepted and written back as text (some tools emit ``"version": 1``)."""
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise SbomError(f"{where}/{key}: expected a string, found {kind(value)}")


def array(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    raise SbomError(f"{where}/{key}: expected an array, found {kind(value)}")


def need_object(value: object, where: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    raise SbomError(f"{where}: expected an object, found {kind(value)}")


def asserted(value: str | None) -> str | None:
    """SPDX's NOASSERTION / NONE mean "no information": treat them as absent."""
    if value is None or value.strip() in NOASSERTION:
        return None
    return value
