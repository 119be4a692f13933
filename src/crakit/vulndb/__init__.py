"""Offline vulnerability database (OSV + CISA KEV) and SBOM scanner.

Annex I Part I(2)(a): products are placed on the market without known exploitable
vulnerabilities; Art 14(1): actively exploited ones start a 24-hour clock. This package finds
both for every component of an SBOM, with ecosystem-exact version semantics and VEX triage.
"""

from typing import TYPE_CHECKING, Any

from crakit.vulndb.errors import DatabaseCorrupt, DatabaseMissing, GateTripped, SourceError, VulnDbError
from crakit.vulndb.matcher import scan
from crakit.vulndb.model import (
    DatabaseInfo,
    Finding,
    ScanResult,
    Unevaluated,
    VexNote,
    VulnId,
    finding_to_json,
)
from crakit.vulndb.store import VulnDatabase, default_path, open_database

if TYPE_CHECKING:
    from crakit.vulndb.build import BuildReport, build_database


def __getattr__(name: str) -> Any:
    # The importers (zip, csv, CVSS) are only needed to build: a scan should not pay for them.
    if name in ("BuildReport", "build_database"):
        from crakit.vulndb import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BuildReport",
    "DatabaseCorrupt",
    "DatabaseInfo",
    "DatabaseMissing",
    "Finding",
    "GateTripped",
    "ScanResult",
    "SourceError",
    "Unevaluated",
    "VexNote",
    "VulnDatabase",
    "VulnDbError",
    "VulnId",
    "build_database",
    "default_path",
    "finding_to_json",
    "open_database",
    "scan",
]
