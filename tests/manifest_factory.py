"""Build manifests for tests from the documented example, with overrides by dotted path."""

from __future__ import annotations

import copy
from typing import Any

from crakit.manifest import Manifest, parse_manifest

BASE: dict[str, Any] = {
    "crakit": 1,
    "product": {
        "name": "HomeGate AX3000",
        "version": "2.1",
        "description": "Wi-Fi 6 router for home internet access",
        "kind": "hardware",
        "functions": ["III.I.12"],
    },
    "manufacturer": {"name": "Example NV", "country": "BE", "size": "small"},
    "market": {
        "operator": "manufacturer",
        "commercial": True,
        "open_source": False,
        "steward": False,
        "placed_on_market": "2028-03-01",
        "member_states": ["BE", "NL", "FR"],
        "sectoral": [],
        "exclusive_purpose": None,
        "spare_part": False,
        "saas_only": False,
        "public_technical_documentation": False,
        "substantially_modified_on": None,
    },
    "support": {"expected_use_years": 7, "end": "2035-03"},
    "standards": {"harmonised_applied_in_full": False, "eucc_level": None},
}


def manifest_dict(**overrides: Any) -> dict[str, Any]:
    """``manifest_dict(**{"market.steward": True})``; a value of ``...`` deletes the key."""
    data = copy.deepcopy(BASE)
    for dotted, value in overrides.items():
        *parents, last = dotted.split(".")
        node = data
        for part in parents:
            node = node[part]
        if value is ...:
            node.pop(last, None)
        else:
            node[last] = value
    return data


def make(**overrides: Any) -> Manifest:
    import orjson

    return parse_manifest(orjson.dumps(manifest_dict(**overrides)), "test.json")
