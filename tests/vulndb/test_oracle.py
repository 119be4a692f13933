"""Acceptance-style cross-check: an SBOM of every boundary version in the shared OSV corpus gives
exactly the findings an independent evaluator (``oracle.py``, univers orderings) gives."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from crakit.sbom import Component, Sbom
from crakit.vulndb import open_database, scan
from tests.vulndb import oracle

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def _boundary_components(
    folder: Path,
) -> tuple[list[tuple[str, str, str]], dict[tuple[str, str], list[tuple[str, dict]]]]:
    by_package: dict[tuple[str, str], list[tuple[str, dict]]] = defaultdict(list)
    raw_name: dict[tuple[str, str], str] = {}
    versions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in oracle.records(folder):
        for eco, key, affected in oracle.affected_entries(record):
            if not oracle.evaluable(affected):
                continue
            by_package[(eco, key)].append((record["id"], affected))
            raw_name.setdefault((eco, key), affected["package"]["name"])
            for rng in affected.get("ranges") or ():
                if rng.get("type") == "GIT":
                    continue
                for event in rng.get("events") or ():
                    for value in event.values():
                        if value not in ("0", "*"):
                            versions[(eco, key)].add(value)
            versions[(eco, key)].update(affected.get("versions") or ())
    comps = []
    for (eco, key), vs in versions.items():
        for v in sorted(vs):
            comps.append((eco, raw_name[(eco, key)], v))
    return comps, by_package


def _purl(eco: str, name: str, version: str) -> str:
    ptype = oracle.PURL_TYPE[eco]
    if eco == "Maven":
        group, _, artifact = name.partition(":")
        return f"pkg:maven/{group}/{artifact}@{version}"
    if eco == "Go":
        version = version if version.startswith("v") else f"v{version}"
    if eco == "npm" and name.startswith("@"):
        name = "%40" + name[1:]
    return f"pkg:{ptype}/{name}@{version}"


def test_boundary_sbom_matches_independent_evaluator(shared_data: Path, corpus_db: Path) -> None:
    comps, by_package = _boundary_components(shared_data / "osv")
    assert len(comps) > 10_000
    components = tuple(
        Component(ref=str(i), name=name, version=v, purl=_purl(eco, name, v))
        for i, (eco, name, v) in enumerate(comps)
    )
    with open_database(corpus_db) as db:
        result = scan([Sbom("cyclonedx", "1.6", "json", components)], db)
    found: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        found[f.purl].update((f.id, *f.aliases))
    listed: dict[str, set[str]] = defaultdict(set)
    for f in result.findings:
        listed[f.purl].add(f.id)

    undecided = 0
    missing: list[tuple[str, str]] = []
    expected_ids: dict[str, set[str]] = defaultdict(set)
    for (eco, name, v), comp in zip(comps, components, strict=True):
        for vid, affected in by_package[(eco, oracle.name_key(eco, name))]:
            verdict = oracle.is_vulnerable(eco, v, affected)
            if verdict is None:
                undecided += 1
                continue
            if verdict:
                expected_ids[comp.purl or ""].add(vid)
                if vid not in found[comp.purl or ""]:
                    missing.append((comp.purl or "", vid))
    extra = [(purl, vid) for purl, ids in listed.items() for vid in ids if vid not in expected_ids[purl]]
    print(
        f"\n{len(components)} components, {len(result.findings)} findings, {undecided} oracle-undecided checks"
    )
    assert undecided < len(components) // 100
    assert missing == [], missing[:20]
    assert extra == [], extra[:20]
