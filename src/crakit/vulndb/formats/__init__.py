"""Machine outputs of ``crakit scan``: JSON (the contract), SARIF 2.1.0, CycloneDX VDR."""

from crakit.vulndb.formats.cyclonedx_vdr import scan_to_vdr
from crakit.vulndb.formats.json_doc import info_to_json, iter_scan_json, scan_to_json, scan_to_json_bytes
from crakit.vulndb.formats.sarif import scan_to_sarif

__all__ = [
    "info_to_json",
    "iter_scan_json",
    "scan_to_json",
    "scan_to_json_bytes",
    "scan_to_sarif",
    "scan_to_vdr",
]
