"""VEX in: OpenVEX, CycloneDX VEX/VDR and CSAF VEX triage, read into one form and applied to scan
findings by the caller (the scanner itself knows nothing of VEX)."""

from crakit.vex.apply import apply_statements
from crakit.vex.buildsystems import read_build_tree
from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, VexStatement
from crakit.vex.reader import parse_vex, read_vex

__all__ = [
    "ProductRef",
    "VexError",
    "VexStatement",
    "apply_statements",
    "parse_vex",
    "read_build_tree",
    "read_vex",
]
