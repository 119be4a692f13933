"""The consumer page of a product version (Art 13(19)): the end of the support period to the
month, the single point of contact for vulnerabilities (Art 13(17)), where security advisories
are published, and the same end date as a machine-readable OpenEoX core document.

The page is public and addressed by a random id per version (not the internal ids), so publishing
one version's page reveals nothing about the rest of the portfolio.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.portfolio.errors import NotFound
from crakit.portfolio.models import ProductRow, VersionRow

OPENEOX_SCHEMA = "https://docs.oasis-open.org/openeox/v1.0/schema/core.json"


@dataclass(frozen=True, slots=True)
class ConsumerPage:
    public_id: str
    product: str
    manufacturer: str
    version: str
    support_end: str | None  # YYYY-MM
    contact: tuple[str, ...]
    cvd_policy: str | None
    advisories: str | None
    updated: datetime

    @property
    def support_end_day(self) -> datetime | None:
        """The last moment of the support period's last month (a period "to the month" ends with it)."""
        if not self.support_end:
            return None
        year, month = (int(part) for part in self.support_end.split("-")[:2])
        last = calendar.monthrange(year, month)[1]
        return datetime(year, month, last, 23, 59, 59, tzinfo=UTC)

    def openeox(self) -> dict[str, Any]:
        """OpenEoX core 1.0: end of security support from the manifest; end of life is not known ("tba")."""
        end = self.support_end_day
        return {
            "$schema": OPENEOX_SCHEMA,
            "end_of_life": "tba",
            "end_of_security_support": end.isoformat().replace("+00:00", "Z") if end else "tba",
            "last_updated": self.updated.astimezone(UTC)
            .replace(microsecond=0)
            .isoformat()
            .replace("+00:00", "Z"),
        }


def consumer_page(session: Session, public_id: str) -> ConsumerPage:
    row = session.scalar(select(VersionRow).where(VersionRow.public_id == public_id))
    if row is None:
        raise NotFound("no such product page")
    product = session.get_one(ProductRow, row.product_id)
    facts = dict(row.facts)
    return ConsumerPage(
        row.public_id,
        product.name,
        product.manufacturer,
        row.version,
        facts.get("support_end"),
        tuple(facts.get("contact") or ()),
        facts.get("cvd_policy"),
        facts.get("advisories"),
        row.created_at,
    )


def public_id_of(session: Session, organisation_id: int, version_id: int) -> str:
    row = session.get(VersionRow, version_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"no version {version_id}")
    return row.public_id
