"""OpenVEX (v0.0.1 and v0.2.0) statements."""

from __future__ import annotations

from typing import Any

from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, Status, VexStatement

_STATUSES: frozenset[str] = frozenset({"not_affected", "affected", "fixed", "under_investigation"})


def _product(item: Any) -> ProductRef | None:
    if isinstance(item, str):
        return ProductRef(purls=(item,)) if item.startswith("pkg:") else ProductRef(refs=(item,))
    if not isinstance(item, dict):
        return None
    purls: list[str] = []
    refs: list[str] = []
    cpes: list[str] = []
    ident = item.get("@id")
    if isinstance(ident, str):
        (purls if ident.startswith("pkg:") else refs).append(ident)
    identifiers = item.get("identifiers")
    if isinstance(identifiers, dict):
        for key, value in identifiers.items():
            if isinstance(value, str):
                if key == "purl":
                    purls.append(value)
                elif key.startswith("cpe"):
                    cpes.append(value)
    return ProductRef(tuple(purls), tuple(refs), tuple(cpes))


def read_openvex(doc: dict[str, Any], source: str) -> list[VexStatement]:
    statements = doc.get("statements")
    if not isinstance(statements, list):
        raise VexError(f"{source}: OpenVEX document has no statements list")
    doc_time = doc.get("timestamp") if isinstance(doc.get("timestamp"), str) else None
    out: list[VexStatement] = []
    for st in statements:
        if not isinstance(st, dict):
            continue
        vuln = st.get("vulnerability")
        aliases: tuple[str, ...] = ()
        if isinstance(vuln, dict):
            name = vuln.get("name") or vuln.get("@id")
            aliases = tuple(a for a in vuln.get("aliases") or () if isinstance(a, str))
        else:
            name = vuln
        status = st.get("status")
        if not isinstance(name, str) or status not in _STATUSES:
            raise VexError(f"{source}: OpenVEX statement without a vulnerability name or a valid status")
        products: list[ProductRef] = []
        subcomponents: list[ProductRef] = []
        for item in st.get("products") or ():
            p = _product(item)
            if p is not None:
                products.append(p)
            if isinstance(item, dict):
                for sub in item.get("subcomponents") or ():
                    s = _product(sub)
                    if s is not None:
                        subcomponents.append(s)
        # v0.0.1 put subcomponents beside products.
        for sub in st.get("subcomponents") or ():
            s = _product(sub)
            if s is not None:
                subcomponents.append(s)
        justification = st.get("justification")
        detail = st.get("impact_statement") or st.get("action_statement") or st.get("status_notes")
        status_value: Status = status
        out.append(
            VexStatement(
                vulnerability=name,
                aliases=aliases,
                products=tuple(products),
                subcomponents=tuple(subcomponents),
                status=status_value,
                justification=justification if isinstance(justification, str) else None,
                detail=detail if isinstance(detail, str) and detail else None,
                source=source,
                timestamp=st.get("timestamp") if isinstance(st.get("timestamp"), str) else doc_time,
            )
        )
    # OpenVEX: for one product and vulnerability, the latest statement is in force.
    out.sort(key=lambda s: s.timestamp or "")
    return out
