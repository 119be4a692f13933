"""The reviewable alias table (``cpe_aliases.yaml``): which CPE vendor:product pairs name one
upstream project, and which component names derive a CPE candidate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

_SQUASH = re.compile(r"[-_. ]+")


def squash(name: str) -> str:
    """A component name as the table compares it: lower-case, without ``-``, ``_``, ``.``, spaces."""
    return _SQUASH.sub("", name.strip().lower())


@dataclass(frozen=True, slots=True)
class AliasGroup:
    names: tuple[str, ...]
    cpes: tuple[tuple[str, str, str], ...]  # (part, vendor, product); the first is canonical


@dataclass(frozen=True, slots=True)
class AliasTable:
    by_name: dict[str, AliasGroup]
    by_cpe: dict[tuple[str, str], AliasGroup]  # (vendor, product) -> group

    def derive(self, name: str) -> tuple[str, str, str] | None:
        """The canonical (part, vendor, product) for a component name, or None."""
        key = squash(name)
        group = self.by_name.get(key)
        if group is None and key.endswith("sources"):  # Zephyr's west spdx: "<module>-sources"
            group = self.by_name.get(key.removesuffix("sources"))
        if group is None and name.lower().startswith("kernel-module-"):
            group = self.by_name.get("linux")
        return group.cpes[0] if group is not None else None

    def equivalents(self, vendor: str, product: str) -> tuple[tuple[str, str], ...]:
        """Other (vendor, product) pairs that name the same project."""
        group = self.by_cpe.get((vendor, product))
        if group is None:
            return ()
        return tuple((v, p) for _, v, p in group.cpes if (v, p) != (vendor, product))


@lru_cache(maxsize=1)
def alias_table() -> AliasTable:
    text = resources.files("crakit.vulndb").joinpath("cpe_aliases.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    by_name: dict[str, AliasGroup] = {}
    by_cpe: dict[tuple[str, str], AliasGroup] = {}
    for item in data["products"]:
        cpes = tuple(
            (part, vendor, product) for part, vendor, product in (c.split(":", 2) for c in item["cpes"])
        )
        group = AliasGroup(tuple(item["names"]), cpes)
        for name in group.names:
            by_name[squash(name)] = group
        for _, vendor, product in group.cpes:
            by_cpe[(vendor, product)] = group
    return AliasTable(by_name, by_cpe)
