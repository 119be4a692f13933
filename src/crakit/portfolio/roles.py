"""Workbench roles: what each may do. The web layer checks every route against these (and a
test generated from the route table proves it for every role)."""

from __future__ import annotations

from typing import Literal

from crakit.portfolio.errors import Forbidden

ADMIN = "admin"
PRODUCT_OWNER = "product_owner"
AUDITOR = "auditor"
ROLES: tuple[str, ...] = (ADMIN, PRODUCT_OWNER, AUDITOR)
# The organisation kind under which workbench tenants are kept in the shared accounts tables.
ORGANISATION_KIND = "workbench"

Permission = Literal["read", "write", "admin"]
_ALLOWED: dict[Permission, frozenset[str]] = {
    "read": frozenset(ROLES),  # the auditor reads everything, changes nothing
    "write": frozenset({ADMIN, PRODUCT_OWNER}),  # products, SBOMs, triage, cases from alerts
    "admin": frozenset({ADMIN}),  # alert channels
}


def allowed(role: str, permission: Permission) -> bool:
    return role in _ALLOWED[permission]


def check(role: str, permission: Permission) -> None:
    if not allowed(role, permission):
        raise Forbidden(f"the workbench role {role!r} may not {permission} here")
