"""CycloneDX VEX / VDR (``vulnerabilities[].analysis`` and ``affects``).

``affects[].versions[]`` narrows a statement to some versions of the target: ``version`` names one,
``range`` is a ``vers`` string (package-url/vers-spec). A suppression that reached versions its
author never assessed would hide a possibly exploitable vulnerability (Annex I Part I(2)(a)), so
a statement with versions applies only to a component whose version is listed or in a range, and
never to a component without a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crakit.sbom import with_version
from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, Status, VexStatement

if TYPE_CHECKING:
    from crakit.sbom import Component

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


@dataclass(frozen=True, slots=True)
class VersionedProductRef(ProductRef):
    """A target narrowed by ``affects[].versions``. Its own identity fields stay empty, so a
    matcher that does not know :meth:`covers` never applies it (the finding stays visible);
    ``crakit.vex.apply.matches`` calls :meth:`covers` when present."""

    target: ProductRef = field(default_factory=ProductRef)
    versions: tuple[str, ...] = ()
    ranges: tuple[str, ...] = ()  # canonical vers strings

    def label(self) -> str:
        return f"{self.target.label()} ({', '.join((*self.versions, *self.ranges))})"

    def covers(self, comp: Component) -> bool:
        """Is ``comp`` the target, at one of the listed versions or inside one of the ranges?"""
        from crakit.vex.apply import matches

        if not matches(self.target, comp):
            return False
        version = component_version(comp)
        if version is None:
            return False
        return version in self.versions or any(_in_range(r, version) for r in self.ranges)


def component_version(comp: Component) -> str | None:
    """The version the purl states (as the scanner reads it), else the component's own."""
    if comp.purl:
        from crakit.sbom import PurlError
        from crakit.vulndb import package_ref

        try:
            ref = package_ref(comp.purl)
        except PurlError:
            ref = None
        if ref is not None and ref.version:
            return ref.version
        base = comp.purl.split("#", 1)[0].split("?", 1)[0]
        if "@" in base.rpartition("/")[2]:
            from urllib.parse import unquote

            return unquote(base.rpartition("@")[2]) or comp.version
    return comp.version


def _in_range(vers: str, version: str) -> bool:
    from crakit.vulndb import VersError
    from crakit.vulndb import vers_contains as contains

    try:
        return contains(vers, version)
    except VersError:
        # A version the range's ordering cannot place is not shown to be covered.
        return False


def _narrowed(target: ProductRef, entry: dict[str, Any], has_state: bool, source: str) -> ProductRef | None:
    """``target`` restricted to ``entry["versions"]``; None when no listed version applies."""
    items = entry.get("versions")
    if not isinstance(items, list) or not items:
        return target
    versions: list[str] = []
    ranges: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        # A VDR without analysis states affectedness per version: "unaffected" ones are not claims.
        if not has_state and item.get("status") == "unaffected":
            continue
        if isinstance(item.get("version"), str) and item["version"]:
            versions.append(item["version"])
        elif isinstance(item.get("range"), str):
            from crakit.vulndb import VersError
            from crakit.vulndb import vers_validate as validate

            try:
                ranges.append(validate(item["range"]))
            except VersError as exc:
                raise VexError(f"{source}: affects[].versions[].range {item['range']!r}: {exc}") from None
    if not versions and not ranges:
        return None
    purls = target.purls
    if (
        not ranges
        and purls
        and all("@" not in p.split("?", 1)[0].split("#", 1)[0].rpartition("/")[2] for p in purls)
    ):
        # Plain versions of a versionless purl: versioned purls, which every matcher understands.
        return ProductRef(purls=tuple(with_version(p, v) for p in purls for v in versions))
    return VersionedProductRef(target=target, versions=tuple(versions), ranges=tuple(ranges))


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
        narrowed = (
            _narrowed(_target(a["ref"]), a, isinstance(state, str), source)
            for a in v.get("affects") or ()
            if isinstance(a, dict) and isinstance(a.get("ref"), str)
        )
        products = tuple(p for p in narrowed if p is not None)
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
