"""JSON Schema of the product manifest, format version 1 (docs/manifest.md).

This dictionary is the single source of truth: ``crakit manifest schema`` exports it and
:mod:`crakit.manifest.validate` checks manifests against it with path-aware messages.
Field names are a public contract; new optional fields may be added, none renamed.
"""

from __future__ import annotations

from typing import Any

from crakit.manifest.countries import EEA_EFTA_STATES, EU_MEMBER_STATES, ISO_3166_ALPHA2

ANNEX_ID_PATTERN = r"^(III\.I\.(1[0-9]|[1-9])|III\.II\.[1-4]|IV\.[1-3])$"
# Years 1970-2199: enough for any real product, and date arithmetic (support + 10 years) cannot overflow.
DATE_PATTERN = r"^(19[7-9]\d|20\d\d|21\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
MONTH_PATTERN = r"^(19[7-9]\d|20\d\d|21\d\d)-(0[1-9]|1[0-2])$"

_COUNTRY: dict[str, Any] = {"type": "string", "enum": sorted(ISO_3166_ALPHA2)}
# The CRA is EEA-relevant: products are made available in the EU Member States and, through the EEA
# Agreement, in Iceland, Liechtenstein and Norway.
_MARKET_COUNTRY: dict[str, Any] = {"type": "string", "enum": sorted(EU_MEMBER_STATES | EEA_EFTA_STATES)}
_MEMBER_STATE: dict[str, Any] = {**_MARKET_COUNTRY, "x-form": "an EU or EEA Member State code"}
_ANNEX_ID: dict[str, Any] = {
    "type": "string",
    "pattern": ANNEX_ID_PATTERN,
    "x-form": "an Annex III/IV id (III.I.1 to III.I.19, III.II.1 to III.II.4, IV.1 to IV.3)",
}
_REFERENCES: dict[str, Any] = {
    "type": "array",
    "maxItems": 100,
    "items": {"type": "string", "minLength": 1, "maxLength": 200},
}
_DATE: dict[str, Any] = {
    "type": "string",
    "pattern": DATE_PATTERN,
    "x-form": "a date YYYY-MM-DD between 1970 and 2199",
}


def _obj(properties: dict[str, Any], required: tuple[str, ...] = (), description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
    if required:
        schema["required"] = list(required)
    if description:
        schema["description"] = description
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://crakit.invalid/schemas/manifest-1.json",
    "title": "crakit product manifest, format version 1",
    **_obj(
        {
            "crakit": {"const": 1, "description": "Manifest format version; must be 1."},
            "product": _obj(
                {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "version": {"type": "string", "minLength": 1, "maxLength": 100},
                    "description": {"type": "string", "maxLength": 5000},
                    "kind": {
                        "type": "string",
                        "enum": ["software", "hardware", "component"],
                        "default": "software",
                    },
                    "functions": {
                        "type": "array",
                        "maxItems": 1,
                        "items": _ANNEX_ID,
                        "x-too-many": (
                            "a product has one core functionality (Art 7(1), Art 8(1), guidance para 144): list "
                            "only its Annex III/IV id here and record the others in product.integrated_functions "
                            "(modules sold separately are separate products with their own manifests, guidance "
                            "para 145)"
                        ),
                        "description": (
                            "The Annex III/IV entry matching the product's one core functionality (Art 7(1), "
                            "Art 8(1)); empty when none matches."
                        ),
                    },
                    "integrated_functions": {
                        "type": "array",
                        "maxItems": 26,
                        "items": _ANNEX_ID,
                        "description": (
                            "Annex III/IV functions of components integrated in the product; they never change "
                            "its category (Art 7(1), second sentence)."
                        ),
                    },
                    "remote_data_processing": {
                        "type": "boolean",
                        "description": (
                            "The product has a remote data processing solution: processing at a distance, "
                            "designed by or for the manufacturer, without which a function would not work; it "
                            "is part of the product (Art 3(1), Art 3(2))."
                        ),
                    },
                },
                required=("name", "version"),
            ),
            "manufacturer": _obj(
                {
                    "name": {"type": "string", "maxLength": 300},
                    "country": _nullable(
                        {
                            **_COUNTRY,
                            "description": "ISO 3166-1 alpha-2 of the registered office (any country)",
                        }
                    ),
                    "main_establishment": _nullable(
                        {
                            **_MEMBER_STATE,
                            "description": (
                                "Member State of the main establishment in the Union: where cybersecurity "
                                "decisions are predominantly taken, else the establishment with the most "
                                "employees in the Union (Art 14(7)); null: none in the Union; left out: the "
                                "country when it is an EU/EEA state"
                            ),
                        }
                    ),
                    "authorised_representative": _nullable(
                        {
                            **_MEMBER_STATE,
                            "description": (
                                "Member State of the authorised representative acting for most of the "
                                "manufacturer's products (Art 14(7)(a))"
                            ),
                        }
                    ),
                    "size": {"type": "string", "enum": ["micro", "small", "medium", "large"]},
                    "legal_person": _nullable(
                        {
                            "type": "boolean",
                            "description": "The manufacturer is a legal person (only a legal person can be an open-source software steward, Art 3(14)); null: not said",
                        }
                    ),
                }
            ),
            "market": _obj(
                {
                    "operator": {"type": "string", "enum": ["manufacturer", "importer", "distributor"]},
                    "commercial": {"type": "boolean"},
                    "open_source": {"type": "boolean"},
                    "steward": {"type": "boolean"},
                    "own_brand": {
                        "type": "boolean",
                        "description": "An importer or distributor places the product under its own name or trademark (Art 21).",
                    },
                    "placed_on_market": _nullable(_DATE),
                    "member_states": {"type": "array", "maxItems": 60, "items": _MARKET_COUNTRY},
                    "sectoral": {
                        "type": "array",
                        "maxItems": 5,
                        "items": {
                            "type": "string",
                            "enum": [
                                "medical-devices",
                                "in-vitro-diagnostics",
                                "motor-vehicles",
                                "civil-aviation",
                                "marine-equipment",
                                "l-category-vehicles",
                            ],
                        },
                    },
                    "exclusive_purpose": _nullable(
                        {"type": "string", "enum": ["national-security", "defence", "classified-information"]}
                    ),
                    "l1e_designed_to_pedal": {
                        "type": "boolean",
                        "description": "An L1e vehicle designed to pedal: not excluded by l-category-vehicles (Delegated Regulation (EU) 2025/1535)",
                    },
                    "spare_part": {"type": "boolean"},
                    "saas_only": {"type": "boolean"},
                    "public_technical_documentation": {"type": "boolean"},
                    "substantially_modified_on": _nullable(_DATE),
                    "importer_member_state": _nullable(
                        {
                            **_MEMBER_STATE,
                            "description": "Member State of the importer placing most of the manufacturer's products (Art 14(7)(b))",
                        }
                    ),
                    "distributor_member_state": _nullable(
                        {
                            **_MEMBER_STATE,
                            "description": "Member State of the distributor making most of them available (Art 14(7)(c))",
                        }
                    ),
                    "most_users_member_state": _nullable(
                        {
                            **_MEMBER_STATE,
                            "description": "Member State with the most users of the manufacturer's products (Art 14(7)(d))",
                        }
                    ),
                }
            ),
            "support": _obj(
                {
                    "expected_use_years": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                    "end": _nullable(
                        {
                            "type": "string",
                            "pattern": MONTH_PATTERN,
                            "x-form": "a month YYYY-MM between 1970 and 2199",
                            "description": "End of the support period as YYYY-MM (Art 13(19)).",
                        }
                    ),
                }
            ),
            "standards": _obj(
                {
                    "harmonised_applied_in_full": {"type": "boolean"},
                    "harmonised": {
                        **_REFERENCES,
                        "description": "References of the harmonised standards applied (Art 27(1), Annex VII point 5).",
                    },
                    "common_specifications": {
                        **_REFERENCES,
                        "description": "References of the common specifications applied (Art 27(2)).",
                    },
                    "eucc_level": _nullable({"type": "string", "enum": ["basic", "substantial", "high"]}),
                    "certification_scheme": _nullable(
                        {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 200,
                            "description": "The European cybersecurity certification scheme of the certificate (Art 27(9)).",
                        }
                    ),
                }
            ),
        },
        required=("crakit", "product"),
    ),
}
