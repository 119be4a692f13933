"""Product category from the Annex III/IV entries of its core functionality (Arts 7 and 8)."""

from __future__ import annotations

from dataclasses import dataclass

from crakit.manifest import Manifest
from crakit.regulation.law import CATEGORY_RANK, AnnexEntry, Category, annex_index
from crakit.regulation.reasons import Reason


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    category: Category
    entries: tuple[AnnexEntry, ...]
    reasons: tuple[Reason, ...]


_LABEL = {
    "important-class-i": "important, Class I",
    "important-class-ii": "important, Class II",
    "critical": "critical",
}


def decide_category(manifest: Manifest) -> CategoryDecision:
    """The highest category among the product's declared core functions wins."""
    index = annex_index()
    entries = tuple(index[f] for f in manifest.product.functions)
    if not entries:
        return CategoryDecision(
            "default",
            (),
            (
                Reason(
                    "No Annex III or Annex IV entry matches the product's core functionality, so it is in the "
                    "default category. Integrating a component that has such a function does not by itself "
                    "change this.",
                    "Art 7(1), Art 8(1)",
                ),
            ),
        )
    reasons = [
        Reason(
            f"Core functionality matches {e.id} \u201c{e.name}\u201d: {_LABEL[e.category]} product.",
            e.ref,
        )
        for e in entries
    ]
    top = max(entries, key=lambda e: CATEGORY_RANK[e.category])
    if len(entries) > 1:
        reasons.append(
            Reason(
                f"Of several matching entries the highest category applies: {_LABEL[top.category]} ({top.id}).",
                "Art 7(1), Art 8(1), Art 32",
            )
        )
    return CategoryDecision(top.category, entries, tuple(reasons))
