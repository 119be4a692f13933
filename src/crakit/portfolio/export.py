"""The portfolio as rows (one per product version) for CSV and JSON export: what a spreadsheet
or a dashboard needs to answer the CRA's questions per shipped version."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crakit.portfolio.models import AlertRow
from crakit.portfolio.products import list_products

COLUMNS = (
    "product",
    "manufacturer",
    "version",
    "category",
    "support_end",
    "support_ok",
    "components",
    "findings",
    "exploited",
    "open_exploited_alerts",
)


def portfolio_rows(session: Session, organisation_id: int) -> list[dict[str, Any]]:
    """One row per product version, products by name, versions oldest first."""
    open_alerts = dict(
        session.execute(
            select(AlertRow.version_id, func.count())
            .where(
                AlertRow.organisation_id == organisation_id,
                AlertRow.kind == "exploited",
                AlertRow.case_id.is_(None),
            )
            .group_by(AlertRow.version_id)
        ).all()
    )
    return [
        {
            "product": product.name,
            "manufacturer": product.manufacturer,
            "version": version.version,
            "category": version.facts.get("category"),
            "support_end": version.facts.get("support_end"),
            "support_ok": version.facts.get("support_ok"),
            "components": version.components,
            "findings": version.findings,
            "exploited": version.exploited,
            "open_exploited_alerts": int(open_alerts.get(version.id, 0)),
        }
        for product in list_products(session, organisation_id)
        for version in product.versions
    ]


def portfolio_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        # a cell starting with = + - @ would be a formula in a spreadsheet (CSV injection): quote it
        writer.writerow(
            {k: ("'" + v if isinstance(v, str) and v[:1] in "=+-@\t\r" else v) for k, v in row.items()}
        )
    return out.getvalue()
