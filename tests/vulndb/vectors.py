"""Readers for the third-party version-ordering vectors (osv-scalibr, osv.dev, vers-spec, univers)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

from crakit.vulndb.versions import VersionScheme

Case = tuple[str, str, str]  # (a, op, b)


def comparison_lines(path: Path) -> Iterator[Case]:
    """osv-scalibr / osv.dev style: one ``a < b`` / ``a = b`` / ``a > b`` per line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("//", "#")):
            continue
        parts = line.split(" ")
        if len(parts) != 3 or parts[1] not in ("<", "=", ">"):
            continue
        yield parts[0], parts[1], parts[2]


def check(scheme: VersionScheme, case: Case) -> bool:
    a, op, b = case
    want = {"<": -1, "=": 0, ">": 1}[op]
    return scheme.compare(a, b) == want and scheme.compare(b, a) == -want


def sorted_lists(path: Path, scheme_name: str) -> Iterator[tuple[list[str], list[str]]]:
    """vers-spec ``*_version_cmp_test.json``: (input versions, expected ascending order); an
    equality case yields its versions as both, so the keys must all be equal."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tests = data["tests"] if isinstance(data, dict) else data
    for test in tests:
        if test["input"].get("input_scheme") != scheme_name:
            continue
        versions = list(test["input"]["versions"])
        if test.get("test_type") == "comparison":
            yield versions, list(test["expected_output"])
        elif test.get("test_type") == "equality" and test["expected_output"] is True:
            yield versions, versions


def check_sorted(scheme: VersionScheme, versions: list[str], expected: list[str]) -> bool:
    """Sorting ``versions`` by the scheme gives ``expected`` (up to versions the scheme calls equal);
    an equality case (``versions is expected``) needs all keys equal."""
    want = [scheme.key(v) for v in expected]
    if versions is expected:
        return all(k == want[0] for k in want)
    return [scheme.key(v) for v in sorted(versions, key=scheme.key)] == want


def vers_contains(scheme: VersionScheme, vers: str, version: str) -> bool:
    """The vers-spec containment algorithm over ``scheme``'s ordering (used only to exercise it)."""
    constraints: list[tuple[str, str]] = []
    for item in vers.split("/", 1)[1].split("|"):
        for op in ("<=", ">=", "!=", "<", ">", "="):
            if item.startswith(op):
                constraints.append((op, item[len(op) :]))
                break
        else:
            constraints.append(("=", item))
    v = scheme.key(version)
    for op, ver in constraints:
        if op == "=" and scheme.key(ver) == v:
            return True
        if op == "!=" and scheme.key(ver) == v:
            return False
    ranges = sorted(
        ((op, ver) for op, ver in constraints if op not in ("=", "!=")), key=lambda c: scheme.key(c[1])
    )
    if not ranges:
        return False

    def ok(op: str, ver: str) -> bool:
        k = scheme.key(ver)
        return {"<": v < k, "<=": v <= k, ">": v > k, ">=": v >= k}[op]

    if ranges[0][0] in ("<", "<=") and ok(*ranges[0]):
        return True
    if ranges[-1][0] in (">", ">=") and ok(*ranges[-1]):
        return True
    for (op1, v1), (op2, v2) in itertools.pairwise(ranges):
        if op1 in (">", ">=") and op2 in ("<", "<=") and ok(op1, v1) and ok(op2, v2):
            return True
    return False
