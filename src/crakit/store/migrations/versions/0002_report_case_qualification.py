"""Report cases record why the event is reportable (Art 3(42), Art 14(5)).

Revision ID: 0002_case_qualification
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_case_qualification"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_cases") as batch:
        batch.add_column(sa.Column("qualification", sa.Text(), nullable=True))
        batch.add_column(sa.Column("qualification_criteria", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("report_cases") as batch:
        batch.drop_column("qualification_criteria")
        batch.drop_column("qualification")
