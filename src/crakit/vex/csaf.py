"""CSAF 2.0 VEX (profile 4.5): product statuses, flags (justifications) and impact threats."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from crakit.vex.errors import VexError
from crakit.vex.model import ProductRef, Status, VexStatement

_STATUS: dict[str, Status] = {
    "known_not_affected": "not_affected",
    "fixed": "fixed",
    "first_fixed": "fixed",
    "under_investigation": "under_investigation",
    "known_affected": "affected",
    "first_affected": "affected",
    "last_affected": "affected",
}


def _helper_ref(product: dict[str, Any], name: str | None, version: str | None) -> ProductRef:
    helper = product.get("product_identification_helper")
    purls: tuple[str, ...] = ()
    cpes: tuple[str, ...] = ()
    if isinstance(helper, dict):
        if isinstance(helper.get("purl"), str):
            purls = (helper["purl"],)
        if isinstance(helper.get("cpe"), str):
            cpes = (helper["cpe"],)
    return ProductRef(purls=purls, cpes=cpes, name=name, version=version)


def _walk(branches: Any, path: dict[str, str]) -> Iterator[tuple[str, ProductRef]]:
    for branch in branches or ():
        if not isinstance(branch, dict):
            continue
        here = dict(path)
        if isinstance(branch.get("category"), str) and isinstance(branch.get("name"), str):
            here[branch["category"]] = branch["name"]
        product = branch.get("product")
        if isinstance(product, dict) and isinstance(product.get("product_id"), str):
            name = here.get("product_name") or product.get("name")
            version = here.get("product_version") or here.get("product_version_range")
            yield product["product_id"], _helper_ref(product, name, version)
        yield from _walk(branch.get("branches"), here)


def _products(tree: dict[str, Any]) -> tuple[dict[str, ProductRef], dict[str, tuple[str, str]]]:
    """product_id -> reference, and relationship id -> (component id, product id)."""
    products: dict[str, ProductRef] = dict(_walk(tree.get("branches"), {}))
    for product in tree.get("full_product_names") or ():
        if isinstance(product, dict) and isinstance(product.get("product_id"), str):
            products[product["product_id"]] = _helper_ref(product, product.get("name"), None)
    relations: dict[str, tuple[str, str]] = {}
    for rel in tree.get("relationships") or ():
        if not isinstance(rel, dict):
            continue
        full = rel.get("full_product_name")
        comp, prod = rel.get("product_reference"), rel.get("relates_to_product_reference")
        if (
            isinstance(full, dict)
            and isinstance(full.get("product_id"), str)
            and isinstance(comp, str)
            and isinstance(prod, str)
        ):
            relations[full["product_id"]] = (comp, prod)
    return products, relations


def read_csaf(doc: dict[str, Any], source: str) -> list[VexStatement]:
    tree = doc.get("product_tree")
    vulns = doc.get("vulnerabilities")
    if not isinstance(tree, dict) or not isinstance(vulns, list):
        raise VexError(f"{source}: CSAF document without product_tree or vulnerabilities (not a CSAF VEX)")
    products, relations = _products(tree)
    empty = ProductRef()
    out: list[VexStatement] = []
    for v in vulns:
        if not isinstance(v, dict):
            continue
        ids = [v["cve"]] if isinstance(v.get("cve"), str) else []
        ids += [
            i["text"] for i in v.get("ids") or () if isinstance(i, dict) and isinstance(i.get("text"), str)
        ]
        if not ids:
            continue
        justification: dict[str, str] = {}
        for flag in v.get("flags") or ():
            if isinstance(flag, dict) and isinstance(flag.get("label"), str):
                for pid in flag.get("product_ids") or ():
                    justification[pid] = flag["label"]
        detail: dict[str, str] = {}
        for threat in v.get("threats") or ():
            if (
                isinstance(threat, dict)
                and threat.get("category") == "impact"
                and isinstance(threat.get("details"), str)
            ):
                for pid in threat.get("product_ids") or ():
                    detail[pid] = threat["details"]
        raw_status = v.get("product_status")
        status_map: dict[str, Any] = raw_status if isinstance(raw_status, dict) else {}
        for category, pids in status_map.items():
            status = _STATUS.get(category)
            if status is None or not isinstance(pids, list):
                continue
            for pid in pids:
                if not isinstance(pid, str):
                    continue
                if pid in relations:
                    comp_id, prod_id = relations[pid]
                    prods: tuple[ProductRef, ...] = (products.get(prod_id, empty),)
                    subs: tuple[ProductRef, ...] = (products.get(comp_id, empty),)
                else:
                    prods, subs = (products.get(pid, empty),), ()
                out.append(
                    VexStatement(
                        vulnerability=ids[0],
                        aliases=tuple(ids[1:]),
                        products=prods,
                        subcomponents=subs,
                        status=status,
                        justification=justification.get(pid),
                        detail=detail.get(pid),
                        source=source,
                    )
                )
    return out
