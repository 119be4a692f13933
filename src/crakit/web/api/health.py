"""``GET /api/v1/health``: 200 when the database answers (for load balancers and start-up checks)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import text

from crakit import __version__
from crakit.web.auth import transaction

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    version: str
    database: str


@router.get("/api/v1/health", response_model=Health, summary="Readiness: the database answers")
def health(request: Request) -> Health:
    dialect = transaction(
        request, lambda session: (session.execute(text("SELECT 1")), session.get_bind().dialect.name)[1]
    )
    return Health(status="ok", version=__version__, database=dialect)
