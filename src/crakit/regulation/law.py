"""Loading the law-as-data files shipped inside the package (STYLE.md 6).

The YAML files under ``data/`` are versioned; code holds only the logic.
"""

from __future__ import annotations

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
