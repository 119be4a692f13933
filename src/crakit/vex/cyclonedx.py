"""CycloneDX VEX / VDR (``vulnerabilities[].analysis`` and ``affects``)."""

from __future__ import annotations

from typing import Any

from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, Status, VexStatement

# CycloneDX impact analysis state -> VEX status.
_STATE: dict[str, Status] = {
    "resolved": "fixed",
    "resolved_with_pedigree": "fixed",
    "exploitable": "affected",
    "in_triage": "under_investigation",
    "false_positive": "not_affected",
    "not_affected": "not_affected",
}


def _target(ref: str) -> ProductRef:
    # BOM-Link "urn:cdx:<serial>/<version>#<bom-ref>": the part after "#" is the bom-ref.
    if ref.startswith("urn:cdx:") and "#" in ref:
        from urllib.parse import unquote

        ref = unquote(ref.split("#", 1)[1])
    if ref.startswith("pkg:"):
        return ProductRef(purls=(ref,), refs=(ref,))
    return ProductRef(refs=(ref,))


def read_cyclonedx(doc: dict[str, Any], source: str) -> list[VexStatement]:
    vulns = doc.get("vulnerabilities")
    if not isinstance(vulns, list):
        raise VexError(f"{source}: CycloneDX document has no vulnerabilities (not a VEX/VDR)")
    out: list[VexStatement] = []
    for v in vulns:
        if not isinstance(v, dict) or not isinstance(v.get("id"), str):
            continue
        raw_analysis = v.get("analysis")
        analysis: dict[str, Any] = raw_analysis if isinstance(raw_analysis, dict) else {}
        state = analysis.get("state")
        # A VDR without analysis states that the listed components are affected.
        status: Status = _STATE.get(state, "affected") if isinstance(state, str) else "affected"
        aliases = tuple(
            r["id"] for r in v.get("references") or () if isinstance(r, dict) and isinstance(r.get("id"), str)
        )
        products = tuple(
            _target(a["ref"])
            for a in v.get("affects") or ()
            if isinstance(a, dict) and isinstance(a.get("ref"), str)
        )
        justification = analysis.get("justification")
        detail = analysis.get("detail")
        out.append(
            VexStatement(
                vulnerability=v["id"],
                aliases=aliases,
                products=products,
                subcomponents=(),
                status=status,
                justification=justification if isinstance(justification, str) else None,
                detail=detail if isinstance(detail, str) else None,
                source=source,
                timestamp=analysis.get("lastUpdated")
                if isinstance(analysis.get("lastUpdated"), str)
                else None,
            )
        )
    return out
