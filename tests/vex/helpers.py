"""The caller's side of VEX: scan (pure), then apply the statements of VEX files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crakit.sbom import Sbom
from crakit.vex import apply_statements, read_vex
from crakit.vulndb import ScanResult, VulnDatabase, scan


def scan_with_vex(sboms: Sequence[Sbom], database: VulnDatabase, vex: Sequence[Path]) -> ScanResult:
    statements = [st for path in vex for st in read_vex(path)]
    products = [s.product for s in sboms if s.product is not None]
    return apply_statements(scan(sboms, database), statements, products)
