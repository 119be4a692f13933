"""Product identifiers for the product tree: CPE 2.3 names, package URLs and product ids."""

from __future__ import annotations

import hashlib
import re

from crakit.csaf.model import ProductId

_CPE_PLAIN = set("abcdefghijklmnopqrstuvwxyz0123456789-._")
_CPE_ESCAPED = set("!\"#$%&'()*+,/:;<=>?@[\\]^`{|}~")


def _cpe_component(value: str) -> str:
    """One CPE 2.3 formatted-string component: lowercase ASCII, spaces as underscores, specials escaped.

    Characters CPE cannot carry (non-ASCII, controls) are dropped; an empty result is "" so that the
    caller can leave the CPE out rather than invent one.
    """
    out = []
    for char in "_".join(value.strip().lower().split()):
        if char in _CPE_PLAIN:
            out.append(char)
        elif char in _CPE_ESCAPED:
            out.append("\\" + char)
    return "".join(out)


def cpe23(vendor: str, product: str, version: str, part: str = "a") -> str | None:
    """``cpe:2.3:<part>:<vendor>:<product>:<version>:*:*:*:*:*:*:*`` (part a, h or o), or None.

    None when the vendor or product name has no character CPE can express.
    """
    if part not in ("a", "h", "o"):
        raise ValueError(f"CPE part must be a, h or o, not {part!r}")
    fields = [_cpe_component(vendor), _cpe_component(product), _cpe_component(version) or "-"]
    if not fields[0] or not fields[1] or "-" in fields[:2]:
        return None
    return f"cpe:2.3:{part}:{fields[0]}:{fields[1]}:{fields[2]}:*:*:*:*:*:*:*"


def generic_purl(vendor: str, product: str, version: str) -> str:
    """A ``pkg:generic`` package URL for a product that no package ecosystem names."""
    from packageurl import PackageURL

    namespace = re.sub(r"[^A-Za-z0-9._-]+", "-", vendor.strip()).strip("-").lower() or None
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", product.strip()).strip("-").lower() or "product"
    return str(
        PackageURL(type="generic", namespace=namespace, name=name, version=version or None).to_string()
    )


def product_id(*parts: str) -> ProductId:
    """A stable product id from the identifying parts (same inputs, same id across revisions)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12].upper()
    return ProductId(f"CSAFPID-{digest}")


def is_valid_purl(value: str) -> bool:
    from packageurl import PackageURL

    try:
        PackageURL.from_string(value)
    except ValueError:
        return False
    return True
