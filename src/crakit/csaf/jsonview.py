"""Defensive read access to an untrusted CSAF document held as decoded JSON.

The tests of CSAF 2.0 section 6 run even on documents that fail the schema, so every accessor
tolerates a wrong type and yields nothing instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

JSON = Any

# Product status names and the CSAF 2.0 section 3.2.3.9 groups they belong to.
AFFECTED = ("first_affected", "known_affected", "last_affected")
NOT_AFFECTED = ("known_not_affected",)
FIXED = ("first_fixed", "fixed")
UNDER_INVESTIGATION = ("under_investigation",)
ALL_STATUSES = (
    "first_affected",
    "first_fixed",
    "fixed",
    "known_affected",
    "known_not_affected",
    "last_affected",
    "recommended",
    "under_investigation",
)


def obj(value: JSON) -> dict[str, JSON]:
    return value if isinstance(value, dict) else {}


def arr(value: JSON) -> list[JSON]:
    return value if isinstance(value, list) else []


def text(value: JSON) -> str | None:
    return value if isinstance(value, str) else None


def ptr(*parts: str | int) -> str:
    """A JSON pointer (RFC 6901) from path parts."""
    out = []
    for part in parts:
        out.append(str(part).replace("~", "~0").replace("/", "~1"))
    return "/" + "/".join(out)


def document(doc: JSON) -> dict[str, JSON]:
    return obj(obj(doc).get("document"))


def tracking(doc: JSON) -> dict[str, JSON]:
    return obj(document(doc).get("tracking"))


def category(doc: JSON) -> str:
    return text(document(doc).get("category")) or ""


def vulnerabilities(doc: JSON) -> Iterator[tuple[int, dict[str, JSON]]]:
    for i, vuln in enumerate(arr(obj(doc).get("vulnerabilities"))):
        if isinstance(vuln, dict):
            yield i, vuln


def product_tree(doc: JSON) -> dict[str, JSON]:
    return obj(obj(doc).get("product_tree"))


def walk_branches(doc: JSON) -> Iterator[tuple[str, dict[str, JSON], tuple[dict[str, JSON], ...]]]:
    """Every branch with its pointer and its ancestors (outermost first), depth first."""
    stack: list[tuple[str, JSON, tuple[dict[str, JSON], ...]]] = [
        ("/product_tree/branches", product_tree(doc).get("branches"), ())
    ]
    while stack:
        prefix, branches, ancestors = stack.pop()
        items = [(i, b) for i, b in enumerate(arr(branches)) if isinstance(b, dict)]
        for i, branch in reversed(items):
            path = f"{prefix}/{i}"
            yield path, branch, ancestors
            if "branches" in branch:
                stack.append((f"{path}/branches", branch["branches"], (*ancestors, branch)))


def full_product_names(doc: JSON) -> Iterator[tuple[str, dict[str, JSON]]]:
    """Every full_product_name_t element with its pointer (branches, full_product_names, relationships)."""
    for path, branch, _ in walk_branches(doc):
        product = branch.get("product")
        if isinstance(product, dict):
            yield f"{path}/product", product
    tree = product_tree(doc)
    for i, fpn in enumerate(arr(tree.get("full_product_names"))):
        if isinstance(fpn, dict):
            yield f"/product_tree/full_product_names/{i}", fpn
    for i, rel in enumerate(arr(tree.get("relationships"))):
        fpn = obj(rel).get("full_product_name")
        if isinstance(fpn, dict):
            yield f"/product_tree/relationships/{i}/full_product_name", fpn


def defined_product_ids(doc: JSON) -> Iterator[tuple[str, str]]:
    """(pointer, product id) for every definition of a product id."""
    for path, fpn in full_product_names(doc):
        pid = text(fpn.get("product_id"))
        if pid is not None:
            yield f"{path}/product_id", pid


def _ids_at(container: dict[str, JSON], key: str, base: str) -> Iterator[tuple[str, str]]:
    for j, pid in enumerate(arr(container.get(key))):
        if isinstance(pid, str):
            yield f"{base}/{key}/{j}", pid


def referenced_product_ids(doc: JSON) -> Iterator[tuple[str, str]]:
    """(pointer, product id) for every place that refers to a product id (CSAF 2.0 6.1.1 paths)."""
    tree = product_tree(doc)
    for i, group in enumerate(arr(tree.get("product_groups"))):
        yield from _ids_at(obj(group), "product_ids", f"/product_tree/product_groups/{i}")
    for i, rel in enumerate(arr(tree.get("relationships"))):
        rel = obj(rel)
        for key in ("product_reference", "relates_to_product_reference"):
            pid = text(rel.get(key))
            if pid is not None:
                yield f"/product_tree/relationships/{i}/{key}", pid
    for v, vuln in vulnerabilities(doc):
        base = f"/vulnerabilities/{v}"
        for i, flag in enumerate(arr(vuln.get("flags"))):
            yield from _ids_at(obj(flag), "product_ids", f"{base}/flags/{i}")
        status = obj(vuln.get("product_status"))
        for key in ALL_STATUSES:
            yield from _ids_at(status, key, f"{base}/product_status")
        for i, rem in enumerate(arr(vuln.get("remediations"))):
            yield from _ids_at(obj(rem), "product_ids", f"{base}/remediations/{i}")
        for i, score in enumerate(arr(vuln.get("scores"))):
            yield from _ids_at(obj(score), "products", f"{base}/scores/{i}")
        for i, threat in enumerate(arr(vuln.get("threats"))):
            yield from _ids_at(obj(threat), "product_ids", f"{base}/threats/{i}")


def referenced_group_ids(doc: JSON) -> Iterator[tuple[str, str]]:
    for v, vuln in vulnerabilities(doc):
        for key in ("flags", "remediations", "threats"):
            for i, item in enumerate(arr(vuln.get(key))):
                yield from _ids_at(obj(item), "group_ids", f"/vulnerabilities/{v}/{key}/{i}")


def groups(doc: JSON) -> dict[str, set[str]]:
    """group id -> its product ids."""
    out: dict[str, set[str]] = {}
    for group in arr(product_tree(doc).get("product_groups")):
        group = obj(group)
        gid = text(group.get("group_id"))
        if gid is not None:
            out.setdefault(gid, set()).update(p for p in arr(group.get("product_ids")) if isinstance(p, str))
    return out


def covered_products(item: dict[str, JSON], group_map: dict[str, set[str]]) -> set[str]:
    """Product ids an item (flag, remediation, threat) applies to, directly or through its groups."""
    out = {p for p in arr(item.get("product_ids")) if isinstance(p, str)}
    for gid in arr(item.get("group_ids")):
        if isinstance(gid, str):
            out |= group_map.get(gid, set())
    return out


def statuses(vuln: dict[str, JSON], names: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(pointer suffix, product id) of the product status lists named."""
    status = obj(vuln.get("product_status"))
    for key in names:
        for j, pid in enumerate(arr(status.get(key))):
            if isinstance(pid, str):
                yield f"/product_status/{key}/{j}", pid


def hashes(doc: JSON) -> Iterator[tuple[str, list[JSON]]]:
    """(pointer of a hashes[] item, its file_hashes list)."""
    for path, fpn in full_product_names(doc):
        helper = obj(fpn.get("product_identification_helper"))
        for i, item in enumerate(arr(helper.get("hashes"))):
            yield f"{path}/product_identification_helper/hashes/{i}", arr(obj(item).get("file_hashes"))
