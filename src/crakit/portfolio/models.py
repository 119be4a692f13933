"""Tables of the portfolio workbench. Every change needs a migration in ``migrations/``.

Tenant-scoped rows carry the tenant (``organisation_id``). A product is one row across its
versions; each version holds its manifest facts, its SBOMs' components (with the OSV package
key the monitor re-matches by) and its current findings; triage, alerts and their deliveries
refer to a version. Decisions go to the append-only, hash-chained history of the workspace
store (:func:`crakit.store.append`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from crakit.store import UTCDateTime


class WorkbenchBase(DeclarativeBase):
    """Declarative base of the workbench tables (their own metadata and Alembic tree)."""


class ProductRow(WorkbenchBase):
    __tablename__ = "wb_products"
    __table_args__ = (UniqueConstraint("organisation_id", "name", name="uq_wb_products_org_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(300))
    manufacturer: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class VersionRow(WorkbenchBase):
    __tablename__ = "wb_versions"
    __table_args__ = (UniqueConstraint("product_id", "version", name="uq_wb_versions_product_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("wb_products.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[str] = mapped_column(String(200))
    # the consumer page's address (Art 13(19)): random, so public pages do not list the portfolio
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    manifest: Mapped[str] = mapped_column(Text)  # the manifest as uploaded (YAML or JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)  # classification, support period, documents
    support_end: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    scanned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SbomRow(WorkbenchBase):
    __tablename__ = "wb_sboms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("wb_versions.id", ondelete="CASCADE"), index=True)
    format: Mapped[str] = mapped_column(String(40))
    spec_version: Mapped[str] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    components: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    uploaded_by: Mapped[str] = mapped_column(String(300))


class ComponentRow(WorkbenchBase):
    """One component with a purl; ``ecosystem``/``package`` (and ``source_package`` for
    distribution binaries) are the OSV keys the monitor re-matches by."""

    __tablename__ = "wb_components"
    __table_args__ = (
        Index("ix_wb_components_package", "ecosystem", "package"),
        Index("ix_wb_components_source", "ecosystem", "source_package"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("wb_versions.id", ondelete="CASCADE"), index=True)
    sbom_id: Mapped[int] = mapped_column(ForeignKey("wb_sboms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(200), nullable=True)
    purl: Mapped[str] = mapped_column(String(2000))
    ecosystem: Mapped[str | None] = mapped_column(String(60), nullable=True)
    package: Mapped[str | None] = mapped_column(String(500), nullable=True)
    source_package: Mapped[str | None] = mapped_column(String(500), nullable=True)


class FindingRow(WorkbenchBase):
    """A current finding of one version: one component purl affected by one vulnerability."""

    __tablename__ = "wb_findings"
    __table_args__ = (
        UniqueConstraint("version_id", "purl", "vuln_id", name="uq_wb_findings_version_purl_vuln"),
        Index("ix_wb_findings_purl", "purl"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("wb_versions.id", ondelete="CASCADE"), index=True)
    purl: Mapped[str] = mapped_column(String(2000))
    vuln_id: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    severity: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text, nullable=True)
    fixed: Mapped[list[str]] = mapped_column(JSON)
    exploited: Mapped[bool] = mapped_column(Boolean)
    kev: Mapped[list[str]] = mapped_column(JSON)  # KEV CVE ids, earliest listing first
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    exploited_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class TriageRow(WorkbenchBase):
    """The current VEX triage of (version, purl, vulnerability); kept when findings are re-matched."""

    __tablename__ = "wb_triage"
    __table_args__ = (
        UniqueConstraint("version_id", "purl", "vuln_id", name="uq_wb_triage_version_purl_vuln"),
        Index("ix_wb_triage_purl", "purl"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("wb_versions.id", ondelete="CASCADE"), index=True)
    purl: Mapped[str] = mapped_column(String(2000))
    vuln_id: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(40))
    justification: Mapped[str | None] = mapped_column(String(80), nullable=True)
    response: Mapped[str | None] = mapped_column(String(80), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_by: Mapped[str] = mapped_column(String(300))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AlertRow(WorkbenchBase):
    """A version became affected by, or known exploited through, one vulnerability (once each)."""

    __tablename__ = "wb_alerts"
    __table_args__ = (UniqueConstraint("version_id", "purl", "vuln_id", "kind", name="uq_wb_alerts_dedup"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("wb_versions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # affected | exploited
    purl: Mapped[str] = mapped_column(String(2000))
    vuln_id: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON)
    kev: Mapped[list[str]] = mapped_column(JSON)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ChannelRow(WorkbenchBase):
    """Where a tenant's alerts go: an e-mail address or a webhook URL (HMAC secret)."""

    __tablename__ = "wb_channels"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "target", name="uq_wb_channels_target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(20))  # email | webhook
    target: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DeliveryRow(WorkbenchBase):
    """The outbox: one row per (alert, channel), sent at most once."""

    __tablename__ = "wb_deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "channel_id", name="uq_wb_deliveries_alert_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("wb_alerts.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("wb_channels.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class MonitorRunRow(WorkbenchBase):
    """One monitoring run: what changed in the vulnerability data and what was re-matched."""

    __tablename__ = "wb_monitor_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    changed_advisories: Mapped[int] = mapped_column(Integer)
    changed_kev: Mapped[int] = mapped_column(Integer)
    touched_packages: Mapped[int] = mapped_column(Integer)
    rematched_components: Mapped[int] = mapped_column(Integer)
    alerts: Mapped[int] = mapped_column(Integer)


class SuppressionRow(WorkbenchBase):
    """A rule that suppresses matching findings (no alerts, shown as suppressed) until it expires."""

    __tablename__ = "wb_suppressions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("wb_products.id", ondelete="CASCADE"), nullable=True
    )  # None: every product
    vuln_id: Mapped[str | None] = mapped_column(String(200), nullable=True)  # an id or alias; None: any
    purl_prefix: Mapped[str | None] = mapped_column(String(2000), nullable=True)  # None: any component
    reason: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class SnapshotRow(WorkbenchBase):
    """Findings of a product on one day (UTC), for the charts of findings over time."""

    __tablename__ = "wb_snapshots"
    __table_args__ = (UniqueConstraint("product_id", "day", name="uq_wb_snapshots_product_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("wb_products.id", ondelete="CASCADE"), index=True)
    day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD
    findings: Mapped[int] = mapped_column(Integer)
    exploited: Mapped[int] = mapped_column(Integer)
