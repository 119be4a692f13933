"""SBOM reading, validation, quality checks, conversion and merging (Annex I Part II(1)).

Public face: :func:`read_sbom`, :func:`parse_sbom`, the model types and the errors; CPE names
(:func:`parse_cpe`, :func:`to_cpe23`, NISTIR 7695).
"""

from typing import TYPE_CHECKING

from crakit._lazyface import exports_of, lazy_face
from crakit.sbom.cpe import ANY as CPE_ANY
from crakit.sbom.cpe import NA as CPE_NA
from crakit.sbom.cpe import CpeError, Wfn, parse_cpe, to_cpe23
from crakit.sbom.errors import SbomError, SbomInvalid
from crakit.sbom.model import Component, Sbom
from crakit.sbom.purl import (
    Purl,
    PurlError,
    canonical_purl,
    decode_purl,
    normalize_purl,
    parse_purl,
    plain_parts,
    with_version,
)
from crakit.sbom.reader import DEFAULT_MAX_BYTES, load_bytes, parse_sbom, read_sbom

__all__ = [
    "CPE_ANY",
    "CPE_NA",
    "DEFAULT_MAX_BYTES",
    "Component",
    "CpeError",
    "Purl",
    "PurlError",
    "QualityReport",
    "Sbom",
    "SbomError",
    "SbomInvalid",
    "Wfn",
    "canonical_purl",
    "check_quality",
    "component_record",
    "components_csv",
    "convert_sbom",
    "decode_purl",
    "info_record",
    "load_bytes",
    "merge_sboms",
    "normalize_purl",
    "parse_cpe",
    "parse_purl",
    "parse_sbom",
    "plain_parts",
    "read_sbom",
    "to_cpe23",
    "validate_file",
    "with_version",
]

# Reached through the face but imported on first use (start-up time, see crakit._lazyface).
_LAZY: dict[str, tuple[str, ...]] = {
    "convert": ("convert_sbom",),
    "merge": ("merge_sboms",),
    "quality": ("QualityReport", "check_quality"),  # yaml and the field table: not for a scan
    "records": ("component_record", "components_csv", "info_record"),
    "validate": ("validate_file",),
}
__getattr__, __dir__ = lazy_face(__name__, exports_of(_LAZY))
if TYPE_CHECKING:
    from crakit.sbom.convert import convert_sbom
    from crakit.sbom.merge import merge_sboms
    from crakit.sbom.quality import QualityReport, check_quality
    from crakit.sbom.records import component_record, components_csv, info_record
    from crakit.sbom.validate import validate_file
