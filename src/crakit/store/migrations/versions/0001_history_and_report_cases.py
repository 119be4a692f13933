"""History (append-only, hash-chained) and Article 14 report cases.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crakit.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = (
    "CREATE TRIGGER history_no_update BEFORE UPDATE ON history "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
    "CREATE TRIGGER history_no_delete BEFORE DELETE ON history "
    "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
)
_POSTGRES_TRIGGERS = (
    "CREATE FUNCTION crakit_history_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'history is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON history "
    "FOR EACH ROW EXECUTE FUNCTION crakit_history_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("subject_type", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("subject_type", "subject_id", "seq", name="uq_history_subject_seq"),
    )
    op.create_index("ix_history_subject_type", "history", ["subject_type"])
    op.create_index("ix_history_subject_id", "history", ["subject_id"])
    op.create_table(
        "report_cases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("manifest_path", sa.Text(), nullable=True),
        sa.Column("product", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("aware_at", UTCDateTime(), nullable=False),
        sa.Column("fix_available_at", UTCDateTime(), nullable=True),
        sa.Column("early_warning_at", UTCDateTime(), nullable=True),
        sa.Column("notification_at", UTCDateTime(), nullable=True),
        sa.Column("final_at", UTCDateTime(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_report_cases_status", "report_cases", ["status"])
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("report_cases.id"), nullable=False),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
    )
    op.create_index("ix_report_submissions_case_id", "report_submissions", ["case_id"])
    dialect = op.get_bind().dialect.name
    triggers = (
        _SQLITE_TRIGGERS if dialect == "sqlite" else _POSTGRES_TRIGGERS if dialect == "postgresql" else ()
    )
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS history_append_only ON history")
        op.execute("DROP FUNCTION IF EXISTS crakit_history_append_only()")
    op.drop_table("report_submissions")
    op.drop_table("report_cases")
    op.drop_table("history")
