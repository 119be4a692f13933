"""Tables of the workspace store. Every change here needs an Alembic migration in ``migrations/``
(``tests/store/test_migrations.py`` fails otherwise)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crakit.store.types import UTCDateTime


class Base(DeclarativeBase):
    """Declarative base shared by every feature that keeps data in the workspace."""


class HistoryRow(Base):
    """Append-only, hash-chained log of changes to any subject (a report case, ...).

    The database refuses UPDATE and DELETE on this table (triggers in the migration).
    """

    __tablename__ = "history"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "seq", name="uq_history_subject_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class ReportCaseRow(Base):
    """One Article 14 case: an actively exploited vulnerability or a severe incident."""

    __tablename__ = "report_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(Text)
    manifest_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    product: Mapped[dict[str, Any]] = mapped_column(JSON)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)  # SBOM component and scan finding snapshots
    aware_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fix_available_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    early_warning_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    notification_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    final_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(200))
    # Why the event is reportable: the evidence of exploitation (Art 3(42)) or why the incident is severe
    # (Art 14(5)); for incidents, which criteria of Art 14(5) apply ("a", "b" or "a,b").
    qualification: Mapped[str | None] = mapped_column(Text, nullable=True)
    qualification_criteria: Mapped[str | None] = mapped_column(String(10), nullable=True)


class ReportSubmissionRow(Base):
    """A stage filed on the ENISA platform (several intermediate reports may exist, Art 14(6))."""

    __tablename__ = "report_submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("report_cases.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(200), nullable=True)
