"""Product category from the one core functionality (Arts 7 and 8, Annexes III-IV), explained with the
technical description of Implementing Regulation (EU) 2025/2392."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.regulation.law import (
    CATEGORY_RANK,
    AnnexEntry,
    Category,
    TechnicalDescription,
    annex_index,
    technical_descriptions,
)
from crakit.regulation.reasons import Reason


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    category: Category
    entries: tuple[AnnexEntry, ...]  # the core functionality's entry (none, or one)
    integrated: tuple[AnnexEntry, ...]
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()


LABEL = {
    "default": "default category",
    "important-class-i": "important, Class I",
    "important-class-ii": "important, Class II",
    "critical": "critical",
}


def description_reason(td: TechnicalDescription) -> Reason:
    """The technical description behind an entry, saying how far crakit could read it."""
    parts = [f"Technical description: {td.description}"]
    if td.includes:
        parts.append(f"It includes {'; '.join(td.includes)}.")
    if td.excludes:
        parts.append(f"Outside it: {'; '.join(td.excludes)}.")
    if td.read != "official":
        parts.append(
            "crakit read this description only in a secondary copy, not in the official text: check it "
            "against the Official Journal."
        )
    if td.not_read:
        parts.append(f"Not described, so not used: {td.not_read}.")
    return Reason(" ".join(parts), td.ref)


def decide_category(manifest: Manifest) -> CategoryDecision:
    """The category of the product's one core functionality; integrated functions never change it."""
    index = annex_index()
    descriptions = technical_descriptions()
    integrated = tuple(index[f] for f in manifest.product.integrated_functions)
    core_id = manifest.product.core_function
    reasons: list[Reason] = []
    warnings: list[Reason] = []
    if core_id is None:
        category: Category = "default"
        entries: tuple[AnnexEntry, ...] = ()
        reasons.append(
            Reason(
                "No Annex III or Annex IV entry matches the product's core functionality, so it is in the "
                "default category.",
                "Art 7(1), Art 8(1)",
            )
        )
    else:
        core = index[core_id]
        category, entries = core.category, (core,)
        reasons.append(
            Reason(
                f"The product's one core functionality matches {core.id} \u201c{core.name}\u201d: "
                f"{LABEL[core.category]} product.",
                f"{core.ref}, guidance para 144",
            )
        )
        reasons.append(description_reason(descriptions.of(core.id)))
    for entry in integrated:
        reasons.append(
            Reason(
                f"Integrated component with the function of {entry.id} \u201c{entry.name}\u201d: integrating it "
                "does not by itself change the product's category; the component placed on the market on its "
                "own is classified by its own core functionality.",
                "Art 7(1), Art 8(1)",
            )
        )
    higher = [e for e in integrated if CATEGORY_RANK[e.category] > CATEGORY_RANK[category]]
    if higher:
        top = max(higher, key=lambda e: CATEGORY_RANK[e.category])
        warnings.append(
            Reason(
                f"An integrated function ({top.id}, {LABEL[top.category]}) ranks above the core functionality: "
                "record in the technical documentation why it is not the product's core functionality (what "
                "the product is marketed and used for).",
                "Art 7(1), guidance para 144",
            )
        )
    return CategoryDecision(category, entries, integrated, tuple(reasons), tuple(warnings))
