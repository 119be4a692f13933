"""Portfolio workbench: products, versions, SBOMs, components, findings, triage, alerts,
alert channels and their delivery outbox, monitoring runs.

Revision ID: w0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crakit.store import UTCDateTime

revision = "w0001"
down_revision = None
branch_labels = None
depends_on = None


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _version_fk() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(
        "version_id", sa.Integer(), sa.ForeignKey("wb_versions.id", ondelete="CASCADE"), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "wb_products",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("manufacturer", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("organisation_id", "name", name="uq_wb_products_org_name"),
    )
    op.create_index("ix_wb_products_organisation_id", "wb_products", ["organisation_id"])
    op.create_table(
        "wb_versions",
        _id(),
        sa.Column(
            "product_id", sa.Integer(), sa.ForeignKey("wb_products.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("public_id", sa.String(40), nullable=False, unique=True),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("support_end", sa.String(20), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("scanned_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("product_id", "version", name="uq_wb_versions_product_version"),
    )
    op.create_index("ix_wb_versions_product_id", "wb_versions", ["product_id"])
    op.create_index("ix_wb_versions_organisation_id", "wb_versions", ["organisation_id"])
    op.create_table(
        "wb_sboms",
        _id(),
        _version_fk(),
        sa.Column("format", sa.String(40), nullable=False),
        sa.Column("spec_version", sa.String(20), nullable=False),
        sa.Column("name", sa.String(500), nullable=True),
        sa.Column("components", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", UTCDateTime(), nullable=False),
        sa.Column("uploaded_by", sa.String(300), nullable=False),
    )
    op.create_index("ix_wb_sboms_version_id", "wb_sboms", ["version_id"])
    op.create_table(
        "wb_components",
        _id(),
        _version_fk(),
        sa.Column("sbom_id", sa.Integer(), sa.ForeignKey("wb_sboms.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("version", sa.String(200), nullable=True),
        sa.Column("purl", sa.String(2000), nullable=False),
        sa.Column("ecosystem", sa.String(60), nullable=True),
        sa.Column("package", sa.String(500), nullable=True),
        sa.Column("source_package", sa.String(500), nullable=True),
    )
    op.create_index("ix_wb_components_version_id", "wb_components", ["version_id"])
    op.create_index("ix_wb_components_sbom_id", "wb_components", ["sbom_id"])
    op.create_index("ix_wb_components_package", "wb_components", ["ecosystem", "package"])
    op.create_index("ix_wb_components_source", "wb_components", ["ecosystem", "source_package"])
    op.create_table(
        "wb_findings",
        _id(),
        _version_fk(),
        sa.Column("purl", sa.String(2000), nullable=False),
        sa.Column("vuln_id", sa.String(200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("severity", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("fixed", sa.JSON(), nullable=False),
        sa.Column("exploited", sa.Boolean(), nullable=False),
        sa.Column("kev", sa.JSON(), nullable=False),
        sa.Column("first_seen", UTCDateTime(), nullable=False),
        sa.Column("exploited_since", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("version_id", "purl", "vuln_id", name="uq_wb_findings_version_purl_vuln"),
    )
    op.create_index("ix_wb_findings_version_id", "wb_findings", ["version_id"])
    op.create_index("ix_wb_findings_purl", "wb_findings", ["purl"])
    op.create_table(
        "wb_triage",
        _id(),
        _version_fk(),
        sa.Column("purl", sa.String(2000), nullable=False),
        sa.Column("vuln_id", sa.String(200), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("justification", sa.String(80), nullable=True),
        sa.Column("response", sa.String(80), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(300), nullable=False),
        sa.Column("decided_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("version_id", "purl", "vuln_id", name="uq_wb_triage_version_purl_vuln"),
    )
    op.create_index("ix_wb_triage_version_id", "wb_triage", ["version_id"])
    op.create_index("ix_wb_triage_purl", "wb_triage", ["purl"])
    op.create_table(
        "wb_alerts",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _version_fk(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("purl", sa.String(2000), nullable=False),
        sa.Column("vuln_id", sa.String(200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("kev", sa.JSON(), nullable=False),
        sa.Column("detected_at", UTCDateTime(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("version_id", "purl", "vuln_id", "kind", name="uq_wb_alerts_dedup"),
    )
    op.create_index("ix_wb_alerts_organisation_id", "wb_alerts", ["organisation_id"])
    op.create_index("ix_wb_alerts_version_id", "wb_alerts", ["version_id"])
    op.create_index("ix_wb_alerts_detected_at", "wb_alerts", ["detected_at"])
    op.create_index("ix_wb_alerts_purl", "wb_alerts", ["purl"])
    op.create_table(
        "wb_channels",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(100), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("organisation_id", "kind", "target", name="uq_wb_channels_target"),
    )
    op.create_index("ix_wb_channels_organisation_id", "wb_channels", ["organisation_id"])
    op.create_table(
        "wb_deliveries",
        _id(),
        sa.Column(
            "alert_id", sa.Integer(), sa.ForeignKey("wb_alerts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "channel_id", sa.Integer(), sa.ForeignKey("wb_channels.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("alert_id", "channel_id", name="uq_wb_deliveries_alert_channel"),
    )
    op.create_index("ix_wb_deliveries_alert_id", "wb_deliveries", ["alert_id"])
    op.create_index("ix_wb_deliveries_channel_id", "wb_deliveries", ["channel_id"])
    op.create_index("ix_wb_deliveries_status", "wb_deliveries", ["status"])
    op.create_table(
        "wb_monitor_runs",
        _id(),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("finished_at", UTCDateTime(), nullable=False),
        sa.Column("changed_advisories", sa.Integer(), nullable=False),
        sa.Column("changed_kev", sa.Integer(), nullable=False),
        sa.Column("touched_packages", sa.Integer(), nullable=False),
        sa.Column("rematched_components", sa.Integer(), nullable=False),
        sa.Column("alerts", sa.Integer(), nullable=False),
    )

    op.create_table(
        "wb_suppressions",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "product_id", sa.Integer(), sa.ForeignKey("wb_products.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("vuln_id", sa.String(200), nullable=True),
        sa.Column("purl_prefix", sa.String(2000), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_wb_suppressions_organisation_id", "wb_suppressions", ["organisation_id"])

    op.create_table(
        "wb_snapshots",
        _id(),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "product_id", sa.Integer(), sa.ForeignKey("wb_products.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("exploited", sa.Integer(), nullable=False),
        sa.UniqueConstraint("product_id", "day", name="uq_wb_snapshots_product_day"),
    )
    op.create_index("ix_wb_snapshots_organisation_id", "wb_snapshots", ["organisation_id"])
    op.create_index("ix_wb_snapshots_product_id", "wb_snapshots", ["product_id"])


def downgrade() -> None:
    for table in (
        "wb_snapshots",
        "wb_suppressions",
        "wb_monitor_runs",
        "wb_deliveries",
        "wb_channels",
        "wb_alerts",
        "wb_triage",
        "wb_findings",
        "wb_components",
        "wb_sboms",
        "wb_versions",
        "wb_products",
    ):
        op.drop_table(table)
