"""Offline vulnerability database (OSV + CISA KEV) and SBOM scanner.

Annex I Part I(2)(a): products are placed on the market without known exploitable
vulnerabilities; Art 14(1): actively exploited ones start a 24-hour clock. This package finds
both for every component of an SBOM, with ecosystem-exact version semantics; VEX triage is
applied by the caller (:mod:`crakit.vex`).
"""

from typing import TYPE_CHECKING, Any

from crakit.vulndb.ecosystems import PackageRef, package_ref
from crakit.vulndb.errors import DatabaseCorrupt, DatabaseMissing, GateTripped, SourceError, VulnDbError
from crakit.vulndb.gate import FAIL_ON, GateOutcome, evaluate_gate
from crakit.vulndb.matcher import scan
from crakit.vulndb.model import (
    SEVERITY_ORDER,
    DatabaseInfo,
    Finding,
    KevListing,
    ScanResult,
    Skipped,
    Unevaluated,
    VexNote,
    Vulnerability,
    VulnId,
)
from crakit.vulndb.store import VulnDatabase, default_path, open_database

if TYPE_CHECKING:
    from crakit.vulndb.build import BuildReport, build_database
    from crakit.vulndb.changes import DataChanges, changes_since
    from crakit.vulndb.update import UpdateOptions, update_database
    from crakit.vulndb.vers import VersError
    from crakit.vulndb.vers import contains as vers_contains
    from crakit.vulndb.vers import validate as vers_validate


def __getattr__(name: str) -> Any:
    # The importers (zip, csv, CVSS) are only needed to build: a scan should not pay for them.
    if name in ("BuildReport", "build_database"):
        from crakit.vulndb import build

        return getattr(build, name)
    if name in ("DataChanges", "changes_since"):  # the workbench's monitor only
        from crakit.vulndb import changes

        return getattr(changes, name)
    if name in ("UpdateOptions", "update_database"):
        from crakit.vulndb import update

        return getattr(update, name)
    if name in ("VersError", "vers_contains", "vers_validate"):  # vers ranges: not the scan path
        from crakit.vulndb import vers

        return getattr(vers, name.removeprefix("vers_"))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "FAIL_ON",
    "SEVERITY_ORDER",
    "BuildReport",
    "DataChanges",
    "DatabaseCorrupt",
    "DatabaseInfo",
    "DatabaseMissing",
    "Finding",
    "GateOutcome",
    "GateTripped",
    "KevListing",
    "PackageRef",
    "ScanResult",
    "Skipped",
    "SourceError",
    "Unevaluated",
    "UpdateOptions",
    "VersError",
    "VexNote",
    "VulnDatabase",
    "VulnDbError",
    "VulnId",
    "Vulnerability",
    "build_database",
    "changes_since",
    "default_path",
    "evaluate_gate",
    "open_database",
    "package_ref",
    "scan",
    "update_database",
    "vers_contains",
    "vers_validate",
]
