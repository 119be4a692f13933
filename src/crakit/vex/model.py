"""VEX statements read from OpenVEX, CycloneDX VEX/VDR and CSAF VEX into one lean form.

A manufacturer's triage (Annex I Part I(2)(a): *exploitable* vulnerabilities) is recorded as
VEX; a ``not_affected`` or ``fixed`` statement suppresses a finding but never hides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["affected", "not_affected", "fixed", "under_investigation"]


@dataclass(frozen=True, slots=True)
class ProductRef:
    """Ways a VEX document names a product or component."""

    purls: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()  # CycloneDX bom-refs (bare, the part after "#" of a BOM-Link)
    cpes: tuple[str, ...] = ()
    name: str | None = None
    version: str | None = None

    def label(self) -> str:
        for value in (*self.purls, *self.refs, *self.cpes):
            return value
        return " ".join(x for x in (self.name, self.version) if x) or "?"


@dataclass(frozen=True, slots=True)
class VexStatement:
    vulnerability: str
    aliases: tuple[str, ...]
    products: tuple[ProductRef, ...]
    subcomponents: tuple[ProductRef, ...]
    status: Status
    justification: str | None
    detail: str | None
    source: str
    timestamp: str | None = None
