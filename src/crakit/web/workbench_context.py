"""What the workbench's API and page modules share: the role checks, the vulnerability
database path, and the raw-body reader for manifests and SBOMs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request

from crakit.accounts import Principal
from crakit.portfolio import ORGANISATION_KIND, Forbidden, Permission, check

Json = dict[str, Any]


def require(principal: Principal, permission: Permission) -> int:
    """Check the caller's workbench role; returns the tenant (organisation id)."""
    if principal.organisation.kind != ORGANISATION_KIND:
        raise Forbidden("this account is not a workbench account")
    check(principal.role, permission)
    return int(principal.organisation.id)


def vulndb_path(request: Request) -> Path:
    path: Path = request.app.state.workbench_vulndb
    return path


async def raw_body(request: Request) -> bytes:
    """The whole body (the foundation's BodyLimit middleware has already bounded its size)."""
    return await request.body()
