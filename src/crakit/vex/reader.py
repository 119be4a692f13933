"""Recognise and read a VEX document (OpenVEX, CycloneDX VEX/VDR, CSAF VEX, Yocto cve-check)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crakit.decoding import load_json, load_yaml
from crakit.readlimit import read_limited
from crakit.vex.buildsystems import is_cve_check, read_cve_check
from crakit.vex.csaf import read_csaf
from crakit.vex.cyclonedx import read_cyclonedx
from crakit.vex.errors import VexError
from crakit.vex.model import VexStatement
from crakit.vex.openvex import read_openvex

MAX_VEX_BYTES = 64 * 1024 * 1024


def parse_vex(data: bytes, source: str) -> list[VexStatement]:
    """Statements of one VEX document, whichever of the three formats it is."""
    doc: Any
    if data.lstrip()[:1] in (b"{", b"["):
        doc = load_json(data, source, VexError)
    else:  # OpenVEX documents are sometimes written as YAML
        doc = load_yaml(data, source, VexError)
    if not isinstance(doc, dict):
        raise VexError(f"{source}: not a VEX document (expected a JSON object)")
    context = doc.get("@context")
    if "statements" in doc or (isinstance(context, str) and "openvex" in context):
        return read_openvex(doc, source)
    if doc.get("bomFormat") == "CycloneDX":
        return read_cyclonedx(doc, source)
    document = doc.get("document")
    if isinstance(document, dict) and "csaf_version" in document:
        return read_csaf(doc, source)
    if is_cve_check(doc):  # Yocto cve-check output: build-time VEX
        return read_cve_check(doc, source)
    raise VexError(f"{source}: not OpenVEX, CycloneDX VEX/VDR, CSAF VEX or Yocto cve-check output")


def read_vex(path: Path) -> list[VexStatement]:
    return parse_vex(read_limited(path, MAX_VEX_BYTES, "VEX document", VexError), str(path))
