"""The obligations of a role, with article, dates and penalty tier (Arts 13, 14, 19, 20, 24, 64)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from crakit.manifest import Manifest
from crakit.regulation.applicability import Applicability
from crakit.regulation.role import Role
from crakit.regulation.rules import rules
from crakit.regulation.support import SupportDecision

_WHEN = {
    "placing": "before the product is placed on the market",
    "support-end": "throughout the support period",
    "retention": "until the documentation-retention date",
    "updates": "for every security update, 10 years after release or to the end of support, whichever is later",
    "event": "when the triggering event occurs",
}


@dataclass(frozen=True, slots=True)
class Obligation:
    id: str
    text: str
    ref: str
    applies_from: dt.date
    due: dt.date | None  # a fixed date by which it must be met, where one exists
    until: dt.date | None  # a date until which it lasts, where one exists
    when: str | None
    penalty_tier: str
    penalty: str
    penalty_ref: str
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "ref": self.ref,
            "due": self.due.isoformat() if self.due else None,
            "until": self.until.isoformat() if self.until else None,
            "applies_from": self.applies_from.isoformat(),
            "when": self.when,
            "penalty": {"tier": self.penalty_tier, "text": self.penalty, "ref": self.penalty_ref},
            "notes": list(self.notes),
        }


def obligations_for(
    manifest: Manifest, role: Role, applicability: Applicability, support: SupportDecision
) -> tuple[Obligation, ...]:
    """List the role's obligations; without the essential requirements (Art 69(2)) only Art 14 remains."""
    table = rules()
    small = manifest.manufacturer.size in ("micro", "small")
    relief = table.sme_relief
    placed = manifest.market.placed_on_market
    result: list[Obligation] = []
    for item in table.obligations_for(role):
        if item.needs_essential and not applicability.essential_requirements_apply:
            continue
        if role in ("importer", "distributor") and applicability.legacy:
            continue
        applies_from = table.dates.named(item.applies).date
        due = until = None
        if item.due == "placing" and placed is not None:
            due = max(placed, applies_from)
        elif item.due == "support-end" and support.end is not None:
            until = support.end.last_day()
        elif item.due == "retention":
            until = support.retention_until
        elif item.due == "updates":
            until = support.last_update_available_until
        penalty = table.penalty(item.penalty)
        notes: list[str] = []
        if item.early_warning and small:
            notes.append(f"{relief.text.capitalize()} ({relief.ref}).")
        result.append(
            Obligation(
                id=item.id,
                text=item.text,
                ref=item.ref,
                applies_from=applies_from,
                due=due,
                until=until,
                when=_WHEN.get(item.due) if item.due else None,
                penalty_tier=penalty.tier,
                penalty=penalty.text,
                penalty_ref=penalty.ref,
                notes=tuple(notes),
            )
        )
    return tuple(result)
