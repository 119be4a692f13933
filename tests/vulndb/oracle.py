"""An independent OSV evaluator for cross-checking the scanner.

It follows the pseudo-code of osv-schema docs/schema.md ("Evaluation") literally and compares
versions with univers (aboutcode-org), not with crakit's own orderings, and reads the records
straight from their JSON files.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from univers import versions as uv

_CLASSES: dict[str, type[uv.Version]] = {
    "PyPI": uv.PypiVersion,
    "Go": uv.GolangVersion,
    "crates.io": uv.SemverVersion,
    "npm": uv.SemverVersion,
    "Maven": uv.MavenVersion,
    "NuGet": uv.NugetVersion,
    "RubyGems": uv.RubygemsVersion,
}
SUPPORTED = frozenset(_CLASSES)
PURL_TYPE = {
    "PyPI": "pypi",
    "Go": "golang",
    "crates.io": "cargo",
    "npm": "npm",
    "Maven": "maven",
    "NuGet": "nuget",
    "RubyGems": "gem",
}


@functools.cache
def parse(ecosystem: str, range_type: str, version: str) -> uv.Version | None:
    cls = uv.SemverVersion if range_type == "SEMVER" else _CLASSES[ecosystem]
    text = version
    if cls in (uv.SemverVersion, uv.GolangVersion):
        text = version[1:] if version.startswith("v") else version
        cls = uv.SemverVersion
    try:
        return cls(text)
    except Exception:
        return None


def name_key(ecosystem: str, name: str) -> str:
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem == "crates.io":
        return name.lower().replace("_", "-")
    if ecosystem in ("npm", "NuGet"):
        return name.lower()
    return name


def records(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if not record.get("withdrawn"):
            yield record


def affected_entries(record: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for affected in record.get("affected") or ():
        pkg = affected.get("package") or {}
        eco = pkg.get("ecosystem")
        if eco in SUPPORTED and pkg.get("name"):
            yield eco, name_key(eco, pkg["name"]), affected


def evaluable(affected: dict[str, Any]) -> bool:
    return bool(affected.get("versions")) or any(r.get("type") != "GIT" for r in affected.get("ranges") or ())


def is_vulnerable(ecosystem: str, version: str, affected: dict[str, Any]) -> bool | None:
    """True/False per the spec; None when univers cannot parse a version involved."""
    for listed in affected.get("versions") or ():
        if listed == version:
            return True
    for rng in affected.get("ranges") or ():
        kind = rng.get("type")
        if kind == "GIT":
            continue
        v = parse(ecosystem, kind, version)
        if v is None:
            return None
        events = rng.get("events") or []
        limits = [e["limit"] for e in events if "limit" in e]
        if limits:
            parsed = [None if lim == "*" else parse(ecosystem, kind, lim) for lim in limits]
            if not any(p is None or v < p for p in parsed):
                continue
        keyed = []
        for event in events:
            ((what, value),) = event.items()
            if what == "limit":
                continue
            if what == "introduced" and value == "0":
                keyed.append((0, None, what))
                continue
            p = parse(ecosystem, kind, value)
            if p is None:
                return None
            keyed.append((1, p, what))
        keyed.sort(key=functools.cmp_to_key(_cmp_events))
        vulnerable = False
        for _, p, what in keyed:
            if what == "introduced" and (p is None or v >= p):
                vulnerable = True
            elif (what == "fixed" and v >= p) or (what == "last_affected" and v > p):
                vulnerable = False
        if vulnerable:
            return True
    return False


def _cmp_events(a: tuple[int, Any, str], b: tuple[int, Any, str]) -> int:
    if a[0] != b[0]:
        return a[0] - b[0]
    if a[1] is None or b[1] is None:
        return 0
    return -1 if a[1] < b[1] else (1 if a[1] > b[1] else 0)
