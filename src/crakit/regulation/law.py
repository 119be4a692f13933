"""Loading the law-as-data files shipped inside the package (STYLE.md 6).

The YAML files under ``data/`` are versioned; code holds only the logic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml

Category = Literal["default", "important-class-i", "important-class-ii", "critical"]

# Order of severity: the highest category among a product's functions wins (Art 7(1), Art 8(1)).
CATEGORY_RANK: dict[str, int] = {
    "default": 0,
    "important-class-i": 1,
    "important-class-ii": 2,
    "critical": 3,
}


@dataclass(frozen=True, slots=True)
class AnnexEntry:
    """One Annex III or Annex IV product category."""

    id: str  # "III.I.12", "III.II.2", "IV.3"
    category: Category
    name: str
    ref: str
    note: str | None = None

    @property
    def annex(self) -> str:
        return "IV" if self.id.startswith("IV.") else "III"


def load_data(name: str) -> Any:
    """Parse one packaged data file (``crakit/regulation/data/<name>``)."""
    text = resources.files("crakit.regulation").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def annex_entries() -> tuple[AnnexEntry, ...]:
    """All 26 Annex III/IV entries, in the Annexes' order."""
    data = load_data("annexes.yaml")
    return tuple(
        AnnexEntry(
            id=str(e["id"]),
            category=e["category"],
            name=str(e["name"]),
            ref=str(e["ref"]),
            note=e.get("note"),
        )
        for e in data["entries"]
    )


@cache
def annex_index() -> dict[str, AnnexEntry]:
    return {e.id: e for e in annex_entries()}


# --- Implementing Regulation (EU) 2025/2392: technical descriptions (Art 7(4)) ---------------------

Readership = Literal["official", "secondary", "not-read"]


@dataclass(frozen=True, slots=True)
class AvaVan:
    """Common Criteria vulnerability-analysis levels a description sets (``max`` None: no upper bound)."""

    min: int
    max: int | None

    def text(self) -> str:
        if self.max is None:
            return f"AVA_VAN.{self.min} or higher"
        return (
            f"AVA_VAN level {self.min} or {self.max}"
            if self.max == self.min + 1
            else (f"AVA_VAN level {self.min} to {self.max}")
        )


@dataclass(frozen=True, slots=True)
class TechnicalDescription:
    """crakit's paraphrase of one entry of the Implementing Regulation's annexes, with what it covers."""

    entry: str  # the Annex III/IV id it describes
    ref: str
    read: Readership
    description: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    not_read: str | None
    ava_van: AvaVan | None
    suggest_terms: Mapping[str, tuple[str, ...]]  # vocabulary role -> phrases

    @property
    def verified(self) -> bool:
        return self.read == "official"


@dataclass(frozen=True, slots=True)
class TechnicalDescriptions:
    act: str
    ref: str
    in_force: str
    principles: tuple[tuple[str, str], ...]  # (text, ref)
    entries: Mapping[str, TechnicalDescription]

    def of(self, entry: str) -> TechnicalDescription:
        if entry not in self.entries:
            raise KeyError(f"technical_descriptions.yaml has no entry {entry!r}")
        return self.entries[entry]


_READ = ("official", "secondary", "not-read")
_SUGGEST_ROLES = ("strong", "head", "function", "support", "veto")


def _description(entry: str, raw: Mapping[str, Any]) -> TechnicalDescription:
    read = str(raw["read"])
    if read not in _READ:
        raise ValueError(f"technical_descriptions.yaml: {entry}: read must be one of {_READ}")
    ava = raw.get("ava_van")
    terms = raw.get("suggest") or {}
    unknown = set(terms) - set(_SUGGEST_ROLES)
    if unknown:
        raise ValueError(f"technical_descriptions.yaml: {entry}: unknown suggest roles {sorted(unknown)}")
    return TechnicalDescription(
        entry=entry,
        ref=str(raw["ref"]),
        read=read,  # type: ignore[arg-type]  # checked against _READ above
        description=str(raw["description"]),
        includes=tuple(str(i) for i in raw.get("includes") or ()),
        excludes=tuple(str(i) for i in raw.get("excludes") or ()),
        not_read=str(raw["not_read"]) if raw.get("not_read") else None,
        ava_van=AvaVan(int(ava["min"]), int(ava["max"]) if ava.get("max") is not None else None)
        if ava
        else None,
        suggest_terms={role: tuple(str(p) for p in terms.get(role) or ()) for role in _SUGGEST_ROLES},
    )


@cache
def technical_descriptions() -> TechnicalDescriptions:
    """The packaged technical descriptions; every Annex III/IV entry has one."""
    data = load_data("technical_descriptions.yaml")
    entries = {str(k): _description(str(k), v) for k, v in data["entries"].items()}
    missing = set(annex_index()) - set(entries)
    extra = set(entries) - set(annex_index())
    if missing or extra:
        raise ValueError(f"technical_descriptions.yaml: missing {sorted(missing)}, unknown {sorted(extra)}")
    return TechnicalDescriptions(
        act=str(data["act"]),
        ref=str(data["ref"]),
        in_force=str(data["in_force"]),
        principles=tuple((str(p["text"]), str(p["ref"])) for p in data.get("principles") or ()),
        entries=entries,
    )
