"""VEX in and out: OpenVEX, CycloneDX VEX/VDR and CSAF VEX triage applied to scan findings."""

from crakit.vex.apply import apply_statements, apply_vex
from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, VexStatement
from crakit.vex.openvex_out import openvex_template
from crakit.vex.reader import parse_vex, read_vex

__all__ = [
    "ProductRef",
    "VexError",
    "VexStatement",
    "apply_statements",
    "apply_vex",
    "openvex_template",
    "parse_vex",
    "read_vex",
]
