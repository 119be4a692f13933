"""The product manifest, format version 1: one YAML or JSON file describing a product for crakit."""

from crakit.manifest.load import MAX_MANIFEST_BYTES, load_manifest, parse_manifest
from crakit.manifest.model import (
    Certificate,
    Conformity,
    Cvd,
    Declaration,
    Documents,
    Manifest,
    Manufacturer,
    Market,
    Module,
    NotifiedBody,
    Product,
    SecurityContact,
    Signatory,
    Standards,
    Support,
    YearMonth,
)
from crakit.manifest.schema import SCHEMA
from crakit.manifest.template import template_text
from crakit.manifest.validate import ManifestError

__all__ = [
    "MAX_MANIFEST_BYTES",
    "SCHEMA",
    "Certificate",
    "Conformity",
    "Cvd",
    "Declaration",
    "Documents",
    "Manifest",
    "ManifestError",
    "Manufacturer",
    "Market",
    "Module",
    "NotifiedBody",
    "Product",
    "SecurityContact",
    "Signatory",
    "Standards",
    "Support",
    "YearMonth",
    "load_manifest",
    "parse_manifest",
    "template_text",
]
