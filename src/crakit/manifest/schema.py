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


_HTTPS: dict[str, Any] = {
    "type": "string",
    "pattern": r"^https://[^\s/]+\S*$",
    "maxLength": 2000,
    "x-form": "an https:// address",
}
# RFC 9116 2.5.3: a contact is a URI; web addresses must be https, e-mail mailto:, telephone tel:.
_CONTACT_URI: dict[str, Any] = {
    "type": "string",
    # RFC 3966: a tel: URI separates digits with - . ( ) only, never spaces (security.txt must parse).
    "pattern": r"^(mailto:[^\s@]+@[^\s@]+|https://[^\s/]+\S*|tel:\+?[0-9()./-]+)$",
    "maxLength": 2000,
    "x-form": "a mailto:, https:// or tel: address (tel: without spaces, e.g. tel:+32-2-555-01-00)",
}
_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 2000}
_DAYS: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": 365}


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
                    "type": {
                        **_TEXT,
                        "maxLength": 200,
                        "description": "Type or model designation (Art 13(15), Annex V point 1, Annex VI).",
                    },
                    "identification": {
                        **_TEXT,
                        "description": (
                            "Batch, serial-number range or other element identifying the product for traceability "
                            "(Art 13(15), Annex V point 4)."
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
                    "trade_name": {
                        **_TEXT,
                        "maxLength": 300,
                        "description": "Registered trade name or trademark (Art 13(16), Annex II point 1).",
                    },
                    "address": {
                        **_TEXT,
                        "maxLength": 500,
                        "description": "Postal address (Art 13(16), Annex II point 1, Annex V point 2).",
                    },
                    "email": {
                        **_TEXT,
                        "maxLength": 320,
                        "description": "E-mail address or other digital contact (Art 13(16), Annex II point 1).",
                    },
                    "website": {**_HTTPS, "description": "Website, where available (Art 13(16))."},
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
                    "type": {
                        **_TEXT,
                        "description": "The type of technical security support offered (Annex II point 7).",
                    },
                    "automatic_updates": _nullable(
                        {
                            "type": "boolean",
                            "description": "Security updates install automatically by default (Annex I Part I(2)(c)); null: not said.",
                        }
                    ),
                    "update_mechanism": {
                        **_TEXT,
                        "description": "The technical solution for secure update distribution (Annex I Part II(7), Annex VII point 2(b)).",
                    },
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
            "security_contact": _obj(
                {
                    "contact": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 10,
                        "items": _CONTACT_URI,
                        "description": (
                            "The single point of contact for vulnerability reports, in order of preference "
                            "(Art 13(17), Annex I Part II(6), Annex II point 2; RFC 9116 Contact)."
                        ),
                    },
                    "policy": {
                        **_HTTPS,
                        "description": "Where the coordinated vulnerability disclosure policy is published (Annex I Part II(5), Annex II point 2).",
                    },
                    "encryption": {
                        "type": "string",
                        "pattern": r"^(https://[^\s/]+\S*|openpgp4fpr:[0-9A-Fa-f]{40})$",
                        "x-form": "an https:// address or openpgp4fpr:FINGERPRINT",
                        "description": "Key for encrypted reports (RFC 9116 Encryption).",
                    },
                    "acknowledgments": {**_HTTPS, "description": "Page thanking reporters (RFC 9116)."},
                    "hiring": {**_HTTPS, "description": "Security jobs page (RFC 9116)."},
                    "canonical": {
                        "type": "array",
                        "maxItems": 10,
                        "items": _HTTPS,
                        "description": "Addresses where the security.txt file is published (RFC 9116 Canonical).",
                    },
                    "languages": {
                        "type": "array",
                        "maxItems": 30,
                        "items": {
                            "type": "string",
                            "pattern": r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$",
                            "x-form": "a language tag such as en, fr or nl-BE",
                        },
                        "description": "Languages in which reports are read (RFC 9116 Preferred-Languages).",
                    },
                    "csaf": {
                        **_HTTPS,
                        "description": "The CSAF provider-metadata.json (CSAF 2.0 section 7.1.8, Annex I Part II(4)).",
                    },
                },
                description="Where vulnerabilities are reported (Art 13(17), Annex I Part II(5)-(6), Annex II point 2).",
            ),
            "cvd": _obj(
                {
                    "acknowledge_days": {
                        **_DAYS,
                        "description": "Days within which a report is acknowledged.",
                    },
                    "assessment_days": {
                        **_DAYS,
                        "description": "Days within which the reporter hears the first assessment.",
                    },
                    "disclosure_days": {
                        **_DAYS,
                        "description": "Days after which a fixed vulnerability is disclosed at the latest.",
                    },
                    "safe_harbour": _nullable(
                        {
                            "type": "boolean",
                            "description": "Good-faith research is not pursued legally; null: not decided.",
                        }
                    ),
                },
                description="Commitments of the coordinated vulnerability disclosure policy (Annex I Part II(5)).",
            ),
            "conformity": _obj(
                {
                    "module": {
                        "type": "string",
                        "enum": ["module-a", "module-b+c", "module-h", "eucc"],
                        "description": "The Art 32 procedure followed (Annex V point 7).",
                    },
                    "notified_body": _obj(
                        {
                            "name": {**_TEXT, "maxLength": 300},
                            "number": {
                                "type": "string",
                                "pattern": r"^[0-9]{4}$",
                                "x-form": "the four-digit identification number (e.g. 0123)",
                            },
                        },
                        description="The notified body of module B+C or H (Annex V point 7, Art 30(4)).",
                    ),
                    "certificate": _obj(
                        {
                            "id": {**_TEXT, "maxLength": 200},
                            "issued": _nullable(_DATE),
                            "issuer": {**_TEXT, "maxLength": 300},
                        },
                        description="The certificate issued (EU-type examination, quality-system approval, cybersecurity certificate).",
                    ),
                },
                description="How conformity was assessed (Art 32, Annex V point 7, Annex VIII).",
            ),
            "declaration": _obj(
                {
                    "url": {
                        **_HTTPS,
                        "description": "Internet address of the full EU declaration of conformity (Annex VI, Annex II point 6).",
                    },
                    "place": {**_TEXT, "maxLength": 200, "description": "Place of issue (Annex V point 8)."},
                    "date": _nullable({**_DATE, "description": "Date of issue (Annex V point 8)."}),
                    "signatory": _obj(
                        {"name": {**_TEXT, "maxLength": 200}, "function": {**_TEXT, "maxLength": 200}},
                        description="Who signs for and on behalf of the manufacturer (Annex V point 8).",
                    ),
                    "on_behalf_of": {**_TEXT, "maxLength": 300},
                    "other_legislation": {
                        **_REFERENCES,
                        "description": "Other Union acts the single declaration covers, with their OJ references (Art 28(3)).",
                    },
                    "additional_information": {**_TEXT, "maxLength": 5000},
                },
                description="The EU declaration of conformity (Art 28, Annexes V and VI).",
            ),
            "documents": _obj(
                {
                    "instructions_url": {
                        **_HTTPS,
                        "description": "Where the detailed instructions for users are published (Annex II point 8).",
                    },
                    "sbom_url": {
                        **_HTTPS,
                        "description": "Where users can access the SBOM, if it is made available to them (Annex II point 9).",
                    },
                },
                description="Where the user-facing documents are published (Art 13(18), Annex II).",
            ),
        },
        required=("crakit", "product"),
    ),
}
