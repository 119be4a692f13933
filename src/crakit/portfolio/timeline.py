"""What the pictures show: findings over time (one snapshot per product and day), support
periods (Art 13(8)) on a timeline, and the due dates of open Art 14 cases opened from alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, cast, delete, func, insert, select
from sqlalchemy.orm import Session

from crakit.portfolio.models import AlertRow, FindingRow, ProductRow, SnapshotRow, VersionRow
from crakit.store import Store


def take_snapshots(session: Session, now: datetime) -> int:
    """Record today's findings and known exploited counts of every product (all its versions);
    a second run on the same day replaces the day's numbers. Returns the number of products."""
    day = now.date().isoformat()
    counts = session.execute(
        select(
            ProductRow.id,
            ProductRow.organisation_id,
            func.count(FindingRow.id),
            func.coalesce(func.sum(cast(FindingRow.exploited, Integer)), 0),
        )
        .join(VersionRow, VersionRow.product_id == ProductRow.id)
        .join(FindingRow, FindingRow.version_id == VersionRow.id, isouter=True)
        .group_by(ProductRow.id, ProductRow.organisation_id)
    ).all()
    session.execute(delete(SnapshotRow).where(SnapshotRow.day == day))
    rows = [
        {
            "organisation_id": org,
            "product_id": pid,
            "day": day,
            "findings": int(total),
            "exploited": int(exploited),
        }
        for pid, org, total, exploited in counts
    ]
    if rows:
        session.execute(insert(SnapshotRow), rows)
    return len(rows)


@dataclass(frozen=True, slots=True)
class Point:
    day: str
    findings: int
    exploited: int


def findings_over_time(session: Session, organisation_id: int, product_id: int | None = None) -> list[Point]:
    """Daily totals, oldest first: one product, or the whole portfolio."""
    query = (
        select(SnapshotRow.day, func.sum(SnapshotRow.findings), func.sum(SnapshotRow.exploited))
        .where(SnapshotRow.organisation_id == organisation_id)
        .group_by(SnapshotRow.day)
        .order_by(SnapshotRow.day)
    )
    if product_id is not None:
        query = query.where(SnapshotRow.product_id == product_id)
    return [Point(day, int(f or 0), int(e or 0)) for day, f, e in session.execute(query)]


@dataclass(frozen=True, slots=True)
class SupportBar:
    product: str
    version: str
    start: str  # YYYY-MM-DD: when the version was added
    end: str | None  # YYYY-MM: end of the support period
    ok: bool | None  # meets Art 13(8)


def support_periods(session: Session, organisation_id: int) -> list[SupportBar]:
    rows = session.execute(
        select(ProductRow.name, VersionRow.version, VersionRow.created_at, VersionRow.facts)
        .join(ProductRow, ProductRow.id == VersionRow.product_id)
        .where(VersionRow.organisation_id == organisation_id)
        .order_by(ProductRow.name, VersionRow.id)
    )
    return [
        SupportBar(
            name, version, created.date().isoformat(), facts.get("support_end"), facts.get("support_ok")
        )
        for name, version, created, facts in rows
    ]


@dataclass(frozen=True, slots=True)
class Deadline:
    case_id: int
    title: str
    stage: str  # early warning | notification | final report
    due: datetime


def case_deadlines(store: Store, organisation_id: int) -> list[Deadline]:
    """The next due dates of the open Art 14 cases opened from this organisation's alerts (Art 14(2))."""
    from crakit.reporting import exact_deadlines, get_case

    with store.transaction(write=False) as session:
        found = session.scalars(
            select(AlertRow.case_id).where(
                AlertRow.organisation_id == organisation_id, AlertRow.case_id.is_not(None)
            )
        )
        case_ids = sorted({cid for cid in found if cid is not None})
    out: list[Deadline] = []
    for case_id in case_ids:
        case = get_case(store, case_id)
        if not case.is_open:
            continue
        due = exact_deadlines(case.clock())
        stages: dict[str, datetime | None] = {
            "early warning": None if case.early_warning_at else due.early_warning_due,
            "notification": None if case.notification_at else due.notification_due,
            "final report": None if case.final_at else due.final_report_due,
        }
        out.extend(
            Deadline(case_id, case.title, stage, when) for stage, when in stages.items() if when is not None
        )
    return sorted(out, key=lambda d: d.due)
