"""Language tags (BCP 47 / RFC 5646) checked against the IANA Language Subtag Registry.

The registry copy is the one the ``csaf`` package ships (IANA registries are CC0); CSAF 2.0 tests
6.1.12 (valid tag), 6.2.14 (private use) and 6.2.15 (i-default) use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from crakit.csaf._csafdata import load_json

_LANGTAG = re.compile(
    r"^(?P<language>[a-z]{2,3}(?:-(?P<extlang>[a-z]{3}(?:-[a-z]{3}){0,2}))?|[a-z]{4}|[a-z]{5,8})"
    r"(?:-(?P<script>[a-z]{4}))?"
    r"(?:-(?P<region>[a-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)"
    r"(?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)"
    r"(?:-(?P<private>x(?:-[a-z0-9]{1,8})+))?$"
)
_PRIVATE_ONLY = re.compile(r"^x(?:-[a-z0-9]{1,8})+$")


@dataclass(frozen=True, slots=True)
class LanguageTag:
    language: str | None
    extlang: str | None
    script: str | None
    region: str | None
    variants: tuple[str, ...]
    private: str | None
    grandfathered: bool = False


@cache
def _registry() -> dict[str, Any] | None:
    return load_json("bcp47", "registry.json")


def registry_available() -> bool:
    return _registry() is not None


def parse_tag(value: str) -> LanguageTag | None:
    """Split a tag into subtags (syntax only); None when it is not well formed."""
    tag = value.lower()
    reg = _registry() or {}
    if tag in reg.get("grandfathered", {}):
        return LanguageTag(None, None, None, None, (), None, grandfathered=True)
    if _PRIVATE_ONLY.match(tag):
        return LanguageTag(None, None, None, None, (), tag)
    m = _LANGTAG.match(tag)
    if m is None:
        return None
    language = m["language"].split("-", 1)[0]
    variants = tuple(v for v in m["variants"].split("-") if v)
    return LanguageTag(language, m["extlang"], m["script"], m["region"], variants, m["private"])


def _in_ranges(kind: str, subtag: str) -> bool:
    reg = _registry() or {}
    return any(lo <= subtag <= hi for lo, hi in reg.get("ranges", {}).get(kind, []))


def _private(kind: str, subtag: str) -> bool:
    """A private-use subtag: a registered private-use range or a single subtag so described (AA, ZZ)."""
    reg = _registry() or {}
    entry = reg.get(kind, {}).get(subtag, {})
    return _in_ranges(kind, subtag) or entry.get("description") == "Private use"


def is_valid(value: str) -> bool:
    """Well formed and every subtag registered (or in a private-use range)."""
    parsed = parse_tag(value)
    if parsed is None:
        return False
    reg = _registry()
    if reg is None or parsed.grandfathered or parsed.language is None:
        return True
    if parsed.language not in reg["language"] and not _in_ranges("language", parsed.language):
        return False
    if parsed.extlang and any(e not in reg["extlang"] for e in parsed.extlang.split("-")):
        return False
    if parsed.script and parsed.script not in reg["script"] and not _in_ranges("script", parsed.script):
        return False
    if parsed.region and parsed.region not in reg["region"] and not _in_ranges("region", parsed.region):
        return False
    return all(v in reg["variant"] for v in parsed.variants)


def uses_private_subtag(value: str) -> bool:
    """Private-use language, script or region, or a private-use (x-) section (test 6.2.14)."""
    parsed = parse_tag(value)
    if parsed is None:
        return False
    if parsed.private:
        return True
    return bool(
        (parsed.language and _private("language", parsed.language))
        or (parsed.script and _private("script", parsed.script))
        or (parsed.region and _private("region", parsed.region))
    )
