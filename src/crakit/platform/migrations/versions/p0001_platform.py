"""Reporting platform: tenant keys, notifications and revisions, dissemination and delays,
the hash-chained audit log and its head, webhooks and their delivery outbox.

Revision ID: p0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crakit.store import UTCDateTime

revision = "p0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=300), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject", sa.String(length=40), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seq"),
    )
    op.create_index(op.f("ix_audit_log_organisation_id"), "audit_log", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_audit_log_subject"), "audit_log", ["subject"], unique=False)
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(length=200), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("coordinator", sa.String(length=2), nullable=False),
        sa.Column("routing", sa.JSON(), nullable=False),
        sa.Column("member_states", sa.JSON(), nullable=False),
        sa.Column("aware_at", UTCDateTime(), nullable=False),
        sa.Column("fix_available_at", UTCDateTime(), nullable=True),
        sa.Column("early_warning_at", UTCDateTime(), nullable=True),
        sa.Column("notification_at", UTCDateTime(), nullable=True),
        sa.Column("final_at", UTCDateTime(), nullable=True),
        sa.Column("intermediate_requested_at", UTCDateTime(), nullable=True),
        sa.Column("pec", sa.Boolean(), nullable=False),
        sa.Column("pec_grounds", sa.JSON(), nullable=False),
        sa.Column("enisa_released_at", UTCDateTime(), nullable=True),
        sa.Column("enisa_released_by", sa.String(length=300), nullable=True),
        sa.Column("invalidated_at", UTCDateTime(), nullable=True),
        sa.Column("invalidated_by", sa.String(length=300), nullable=True),
        sa.Column("invalidation_reason", sa.Text(), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("redacted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "case_ref", name="uq_notifications_org_case"),
        sa.UniqueConstraint("organisation_id", "idempotency_key", name="uq_notifications_org_idempotency"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index(op.f("ix_notifications_coordinator"), "notifications", ["coordinator"], unique=False)
    op.create_index(op.f("ix_notifications_created_at"), "notifications", ["created_at"], unique=False)
    op.create_index(
        op.f("ix_notifications_organisation_id"), "notifications", ["organisation_id"], unique=False
    )
    op.create_index(op.f("ix_notifications_stage"), "notifications", ["stage"], unique=False)
    op.create_table(
        "tenant_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("wrapped", sa.Text(), nullable=False),
        sa.Column("master_key_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "version", name="uq_tenant_keys_org_version"),
    )
    op.create_index(op.f("ix_tenant_keys_organisation_id"), "tenant_keys", ["organisation_id"], unique=False)
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret_sealed", sa.Text(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("disabled_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_webhooks_organisation_id"), "webhooks", ["organisation_id"], unique=False)
    op.create_table(
        "dissemination_delays",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("member_states", sa.JSON(), nullable=False),
        sa.Column("ground", sa.String(length=40), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("until", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(length=300), nullable=False),
        sa.Column("enisa_informed_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_dissemination_delays_notification_id"),
        "dissemination_delays",
        ["notification_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_dissemination_delays_organisation_id"),
        "dissemination_delays",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "disseminations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("member_state", sa.String(length=2), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("by", sa.String(length=300), nullable=False),
        sa.Column("tlp", sa.String(length=20), nullable=False),
        sa.Column("pap", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id", "member_state", name="uq_disseminations_target"),
    )
    op.create_index(op.f("ix_disseminations_member_state"), "disseminations", ["member_state"], unique=False)
    op.create_index(
        op.f("ix_disseminations_notification_id"), "disseminations", ["notification_id"], unique=False
    )
    op.create_index(
        op.f("ix_disseminations_organisation_id"), "disseminations", ["organisation_id"], unique=False
    )
    op.create_table(
        "notification_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(length=300), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("notification_id", "seq", name="uq_revisions_notification_seq"),
    )
    op.create_index(
        op.f("ix_notification_revisions_notification_id"),
        "notification_revisions",
        ["notification_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_notification_revisions_organisation_id"),
        "notification_revisions",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("delivered_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_next_attempt_at"), "webhook_deliveries", ["next_attempt_at"], unique=False
    )
    op.create_index(op.f("ix_webhook_deliveries_status"), "webhook_deliveries", ["status"], unique=False)
    op.create_index(
        op.f("ix_webhook_deliveries_webhook_id"), "webhook_deliveries", ["webhook_id"], unique=False
    )

    op.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :genesis)").bindparams(genesis=GENESIS)
    )


def downgrade() -> None:
    for table in (
        "webhook_deliveries",
        "webhooks",
        "audit_head",
        "audit_log",
        "dissemination_delays",
        "disseminations",
        "notification_revisions",
        "notifications",
        "tenant_keys",
    ):
        op.drop_table(table)
