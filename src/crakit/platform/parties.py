"""The parties of the platform and what each may see of a notification.

* the filing manufacturer (its representatives and machine tokens);
* the coordinator CSIRT chosen by Art 14(7) routing;
* ENISA, at the same time (Art 14(1)), but only a partial view of a 72-hour vulnerability
  notification filed under particular exceptional circumstances until the coordinator releases
  it (Art 16(2), third subparagraph);
* the CSIRTs of other Member States once the coordinator disseminates to them (Art 16(2));
* platform administrators, who manage tenants and tokens and read the audit log but never
  notification content (need-to-know, recital 69).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from crakit.accounts import Principal
from crakit.platform.models import NotificationRow

MANUFACTURER, CSIRT, ENISA, ADMIN = "manufacturer", "csirt", "enisa", "admin"
PARTIES = (MANUFACTURER, CSIRT, ENISA, ADMIN)
# Roles a person may hold in each kind of organisation (tokens carry the organisation kind).
PERSON_ROLES = {
    MANUFACTURER: ("primary", "backup"),
    CSIRT: ("analyst",),
    ENISA: ("analyst",),
    ADMIN: ("admin",),
}
MAX_BACKUP_REPRESENTATIVES = 20  # ENISA AR registration guidance: one primary, up to 20 backups


class View(StrEnum):
    OWNER = "owner"
    COORDINATOR = "coordinator"
    RECIPIENT = "recipient"
    ENISA_FULL = "enisa-full"
    ENISA_PARTIAL = "enisa-partial"


def party(principal: Principal) -> str:
    return principal.organisation.kind


def pec_restricts_enisa(row: NotificationRow) -> bool:
    """ENISA's view is partial while PEC is invoked and the coordinator has not released it."""
    return bool(row.pec) and row.enisa_released_at is None


def view_of(principal: Principal, row: NotificationRow, recipients: Collection[str]) -> View | None:
    """What this caller sees of the notification; ``None``: it does not exist for them (404)."""
    kind = party(principal)
    if kind == MANUFACTURER:
        return View.OWNER if principal.organisation.id == row.organisation_id else None
    if kind == CSIRT:
        if principal.organisation.country == row.coordinator:
            return View.COORDINATOR
        return View.RECIPIENT if principal.organisation.country in recipients else None
    if kind == ENISA:
        return View.ENISA_PARTIAL if pec_restricts_enisa(row) else View.ENISA_FULL
    return None
