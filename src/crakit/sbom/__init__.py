"""SBOM reading, validation, quality checks, conversion and merging (Annex I Part II(1)).

Public face: :func:`read_sbom`, :func:`parse_sbom`, the model types and the errors.
"""

from crakit.sbom.errors import SbomError, SbomInvalid
from crakit.sbom.model import Component, Sbom
from crakit.sbom.purl import Purl, PurlError, canonical_purl, decode_purl, normalize_purl, parse_purl
from crakit.sbom.quality import QualityReport, check_quality
from crakit.sbom.reader import DEFAULT_MAX_BYTES, load_bytes, parse_sbom, read_sbom

__all__ = [
    "DEFAULT_MAX_BYTES",
    "Component",
    "Purl",
    "PurlError",
    "QualityReport",
    "Sbom",
    "SbomError",
    "SbomInvalid",
    "canonical_purl",
    "check_quality",
    "decode_purl",
    "load_bytes",
    "normalize_purl",
    "parse_purl",
    "parse_sbom",
    "read_sbom",
]
