"""The CWE catalog (MITRE) as shipped by the ``csaf`` package: every name each weakness has had."""

from __future__ import annotations

from functools import cache
from typing import Any

from crakit.csaf._csafdata import load_json


@cache
def _catalog() -> dict[str, Any] | None:
    return load_json("csaf", "v21", "cwe", "catalog.json")


def catalog_available() -> bool:
    return _catalog() is not None


def names(cwe_id: str) -> list[str]:
    """All names (oldest first) MITRE has given ``CWE-<n>``; empty when unknown."""
    catalog = _catalog()
    if catalog is None or not cwe_id.startswith("CWE-"):
        return []
    entry = catalog.get("weaknesses", {}).get(cwe_id[4:])
    if entry is None:
        return []
    return [name for _, name in entry.get("history", []) if name is not None]


def latest_name(cwe_id: str) -> str | None:
    found = names(cwe_id)
    return found[-1] if found else None
