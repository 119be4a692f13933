"""Mandatory tests on the product tree and product references (CSAF 2.0 6.1.1 to 6.1.7, 6.1.13, 6.1.25...)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from crakit.csaf.checks.registry import Finding
from crakit.csaf.jsonview import (
    AFFECTED,
    FIXED,
    JSON,
    NOT_AFFECTED,
    UNDER_INVESTIGATION,
    arr,
    defined_product_ids,
    full_product_names,
    groups,
    hashes,
    obj,
    product_tree,
    referenced_group_ids,
    referenced_product_ids,
    statuses,
    text,
    vulnerabilities,
    walk_branches,
)


def test_6_1_1(doc: JSON) -> Iterator[Finding]:
    """Missing Definition of Product ID."""
    defined = {pid for _, pid in defined_product_ids(doc)}
    for path, pid in referenced_product_ids(doc):
        if pid not in defined:
            yield path, f"product id {pid!r} is used but not defined in the product tree"


def test_6_1_2(doc: JSON) -> Iterator[Finding]:
    """Multiple Definition of Product ID."""
    seen = Counter(pid for _, pid in defined_product_ids(doc))
    for path, pid in defined_product_ids(doc):
        if seen[pid] > 1:
            yield path, f"product id {pid!r} is defined {seen[pid]} times"


def _on_cycles(edges: dict[str, set[str]]) -> set[str]:
    """Nodes that can reach themselves (Tarjan's strongly connected components, iterative: linear time)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: set[str] = set()
    counter = 0
    for start in list(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    cyclic.update(component)
    return cyclic


def test_6_1_3(doc: JSON) -> Iterator[Finding]:
    """Circular Definition of Product ID: a relationship must not (transitively) refer to its own product."""
    edges: dict[str, set[str]] = {}
    rels: list[tuple[int, str]] = []
    for i, rel in enumerate(arr(product_tree(doc).get("relationships"))):
        rel = obj(rel)
        pid = text(obj(rel.get("full_product_name")).get("product_id"))
        if pid is None:
            continue
        refs = {
            r
            for r in (text(rel.get("product_reference")), text(rel.get("relates_to_product_reference")))
            if r
        }
        edges.setdefault(pid, set()).update(refs)
        rels.append((i, pid))
    cyclic = _on_cycles(edges)
    for i, pid in rels:
        if pid in cyclic:
            yield (
                f"/product_tree/relationships/{i}/full_product_name/product_id",
                f"product id {pid!r} is defined through a relationship that refers back to itself",
            )


def test_6_1_4(doc: JSON) -> Iterator[Finding]:
    """Missing Definition of Product Group ID."""
    defined = set(groups(doc))
    for path, gid in referenced_group_ids(doc):
        if gid not in defined:
            yield path, f"product group id {gid!r} is used but not defined"


def test_6_1_5(doc: JSON) -> Iterator[Finding]:
    """Multiple Definition of Product Group ID."""
    ids = [
        (f"/product_tree/product_groups/{i}/group_id", text(obj(g).get("group_id")))
        for i, g in enumerate(arr(product_tree(doc).get("product_groups")))
    ]
    seen = Counter(gid for _, gid in ids if gid is not None)
    for path, gid in ids:
        if gid is not None and seen[gid] > 1:
            yield path, f"product group id {gid!r} is defined {seen[gid]} times"


_STATUS_GROUPS = {
    **dict.fromkeys(AFFECTED, "affected"),
    **dict.fromkeys(NOT_AFFECTED, "not affected"),
    **dict.fromkeys(FIXED, "fixed"),
    **dict.fromkeys(UNDER_INVESTIGATION, "under investigation"),
}


def test_6_1_6(doc: JSON) -> Iterator[Finding]:
    """Contradicting Product Status: a product is in at most one of affected/not affected/fixed/under investigation."""
    for v, vuln in vulnerabilities(doc):
        where: dict[str, set[str]] = {}
        for suffix, pid in statuses(vuln, tuple(_STATUS_GROUPS)):
            where.setdefault(pid, set()).add(_STATUS_GROUPS[suffix.split("/")[2]])
        for suffix, pid in statuses(vuln, tuple(_STATUS_GROUPS)):
            if len(where[pid]) > 1:
                yield (
                    f"/vulnerabilities/{v}{suffix}",
                    f"product {pid!r} is in contradicting status groups: {', '.join(sorted(where[pid]))}",
                )


def test_6_1_7(doc: JSON) -> Iterator[Finding]:
    """Multiple Scores with same Version per Product."""
    for v, vuln in vulnerabilities(doc):
        seen: dict[tuple[str, str], int] = {}
        entries: list[tuple[str, str, str]] = []
        for s, score in enumerate(arr(vuln.get("scores"))):
            score = obj(score)
            versions = []
            if isinstance(score.get("cvss_v2"), dict):
                versions.append(str(score["cvss_v2"].get("version", "2.0")))
            if isinstance(score.get("cvss_v3"), dict):
                versions.append(str(score["cvss_v3"].get("version")))
            for j, pid in enumerate(arr(score.get("products"))):
                if not isinstance(pid, str):
                    continue
                for version in versions:
                    seen[(pid, version)] = seen.get((pid, version), 0) + 1
                    entries.append((f"/vulnerabilities/{v}/scores/{s}/products/{j}", pid, version))
        for path, pid, version in entries:
            if seen[(pid, version)] > 1:
                yield path, f"product {pid!r} has more than one CVSS {version} score"


def test_6_1_13(doc: JSON) -> Iterator[Finding]:
    """PURL: every purl is a valid package URL."""
    from packageurl import PackageURL

    for path, fpn in full_product_names(doc):
        purl = obj(fpn.get("product_identification_helper")).get("purl")
        if not isinstance(purl, str):
            continue
        try:
            PackageURL.from_string(purl)
        except ValueError as exc:
            yield f"{path}/product_identification_helper/purl", f"invalid purl: {exc}"


def test_6_1_25(doc: JSON) -> Iterator[Finding]:
    """Multiple Use of Same Hash Algorithm within one hashes item."""
    for path, file_hashes in hashes(doc):
        algos = [text(obj(h).get("algorithm")) for h in file_hashes]
        counts = Counter(a for a in algos if a is not None)
        for j, algo in enumerate(algos):
            if algo is not None and counts[algo] > 1:
                yield f"{path}/file_hashes/{j}/algorithm", f"hash algorithm {algo!r} is used more than once"


_RANGE_WORDS = ("after", "all", "before", "earlier", "later", "prior", "versions")


def _has_range(name: str) -> bool:
    # Operators anywhere; the words only as whole whitespace-separated words ("after-eight" is a version name).
    if "<" in name or ">" in name:
        return True
    return any(word in _RANGE_WORDS for word in name.lower().split())


def test_6_1_31(doc: JSON) -> Iterator[Finding]:
    """Version Range in Product Version: product_version branches name a single version."""
    for path, branch, _ in walk_branches(doc):
        name = text(branch.get("name"))
        if branch.get("category") == "product_version" and name is not None and _has_range(name):
            yield f"{path}/name", f"product_version {name!r} looks like a version range"


def test_6_1_29(doc: JSON) -> Iterator[Finding]:
    """Remediation without Product Reference."""
    for v, vuln in vulnerabilities(doc):
        for i, rem in enumerate(arr(vuln.get("remediations"))):
            rem = obj(rem)
            if "product_ids" not in rem and "group_ids" not in rem:
                yield (
                    f"/vulnerabilities/{v}/remediations/{i}",
                    "remediation names neither product_ids nor group_ids",
                )


def test_6_1_32(doc: JSON) -> Iterator[Finding]:
    """Flag without Product Reference."""
    for v, vuln in vulnerabilities(doc):
        for i, flag in enumerate(arr(vuln.get("flags"))):
            flag = obj(flag)
            if "product_ids" not in flag and "group_ids" not in flag:
                yield f"/vulnerabilities/{v}/flags/{i}", "flag names neither product_ids nor group_ids"


def test_6_1_33(doc: JSON) -> Iterator[Finding]:
    """Multiple Flags with VEX Justification Codes per Product."""
    group_map = groups(doc)
    for v, vuln in vulnerabilities(doc):
        seen: dict[str, int] = {}
        for i, flag in enumerate(arr(vuln.get("flags"))):
            flag = obj(flag)
            pids = {p for p in arr(flag.get("product_ids")) if isinstance(p, str)}
            for gid in arr(flag.get("group_ids")):
                if isinstance(gid, str):
                    pids |= group_map.get(gid, set())
            for pid in sorted(pids):
                if pid in seen:
                    yield f"/vulnerabilities/{v}/flags/{i}", f"product {pid!r} already has flag {seen[pid]}"
                else:
                    seen[pid] = i
