"""Apply VEX statements to scan findings (Annex I Part I(2)(a): only *exploitable* ones count).

Rules: a statement applies to a finding when one of its vulnerability names equals the finding's
id or an alias, and its product is the finding's component, or its product is the scanned
product (SBOM metadata component) and it names no subcomponent or names this component. For one
finding the statement read last wins (files in command-line order; OpenVEX statements by time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

import msgspec

from crakit.sbom import Component, CpeError, PurlError, to_cpe23, with_version
from crakit.vex.cyclonedx import VersionedProductRef
from crakit.vex.model import ProductRef, VexStatement
from crakit.vulndb import Finding, ScanResult, VexNote, package_ref


def _purl_key(purl: str) -> tuple[str, str, str | None] | None:
    try:
        ref = package_ref(purl)
    except PurlError:
        return None
    if ref is None:
        base = purl.split("#", 1)[0].split("?", 1)[0]
        name, _, version = base.partition("@")
        return ("", name.lower(), version or None)
    return (ref.ecosystem, ref.name, ref.version)


def _purl_matches(stmt: str, comp: str) -> bool:
    if stmt == comp:
        return True
    a, b = _purl_key(stmt), _purl_key(comp)
    if a is None or b is None:
        return False
    # A statement purl without a version covers every version of the package.
    return (
        a[0] == b[0]
        and a[1] == b[1]
        and (a[2] is None or a[2] == b[2] or a[2].lstrip("v") == (b[2] or "").lstrip("v"))
    )


def _cpe23(cpe: str) -> str:
    """Either CPE binding as the 2.3 formatted string (a 2.2 URI in the SBOM, 2.3 in the VEX)."""
    try:
        return to_cpe23(cpe)
    except CpeError:
        return cpe


def matches(ref: ProductRef, comp: Component) -> bool:
    if isinstance(ref, VersionedProductRef):  # CycloneDX affects[].versions: target and version/vers range
        return ref.covers(comp)
    # A purl without a version names the component's own, as the scanner reads it.
    if comp.purl and ref.purls:
        shipped = with_version(comp.purl, comp.version)
        if any(_purl_matches(p, shipped) for p in ref.purls):
            return True
    if comp.ref and comp.ref in ref.refs:
        return True
    if ref.cpes and (comp.cpe or comp.cpes):
        mine = {*comp.cpes, *((comp.cpe,) if comp.cpe else ())}
        if mine.intersection(ref.cpes) or {_cpe23(c) for c in mine}.intersection(_cpe23(c) for c in ref.cpes):
            return True
    if not (ref.purls or ref.refs or ref.cpes) and ref.name:
        return ref.name.lower() == comp.name.lower() and (ref.version is None or ref.version == comp.version)
    return False


def _applies(st: VexStatement, f: Finding, products: Sequence[Component]) -> bool:
    ids = {f.id, *f.aliases}
    if st.vulnerability not in ids and not ids.intersection(st.aliases):
        return False
    for prod in st.products:
        if matches(prod, f.component):
            return True
        if any(matches(prod, p) for p in products) and (
            not st.subcomponents or any(matches(s, f.component) for s in st.subcomponents)
        ):
            return True
    return False


def apply_statements(
    result: ScanResult, statements: Sequence[VexStatement], products: Sequence[Component] = ()
) -> ScanResult:
    """``result`` with each finding's status set by the last statement that applies to it."""
    by_name: dict[str, list[int]] = defaultdict(list)  # vulnerability name -> statement indexes
    for i, st in enumerate(statements):
        for name in {st.vulnerability, *st.aliases}:
            by_name[name].append(i)
    used: set[int] = set()
    findings: list[Finding] = []
    for f in result.findings:
        candidates = sorted({i for name in f.all_ids for i in by_name.get(name, ())})
        chosen: VexStatement | None = None
        for i in candidates:
            if _applies(statements[i], f, products):
                chosen = statements[i]
                used.add(i)
        if chosen is not None:
            f = msgspec.structs.replace(
                f,
                status=chosen.status,
                justification=chosen.justification or chosen.detail,
                vex_source=chosen.source,
            )
        findings.append(f)
    unmatched = [
        VexNote(st.source, st.vulnerability, tuple(p.label() for p in st.products), st.status)
        for i, st in enumerate(statements)
        if i not in used
    ]
    return replace(result, findings=findings, vex_unmatched=[*result.vex_unmatched, *unmatched])
