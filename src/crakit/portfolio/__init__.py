"""The portfolio workbench's domain: products and versions from manifests, SBOMs and their
components, findings kept per version, VEX triage with an audit trail, alerts with their
e-mail and webhook outbox, Art 14 cases opened from alerts, and continuous monitoring that
re-matches only the packages new vulnerability data touches.

Domain code only: the web layer (``crakit serve``), the CLI (``crakit monitor run``) and the job
runners (:mod:`crakit.jobs`) pass sessions, times and actors in.
"""

from crakit.portfolio.alerts import (
    SIGNATURE_HEADER,
    Alert,
    Channel,
    DeliveryReport,
    MailSettings,
    add_channel,
    deliver_pending,
    get_alert,
    list_alerts,
    list_channels,
    sign,
)
from crakit.portfolio.cases import open_case_from_alert
from crakit.portfolio.compare import Comparison, compare_versions
from crakit.portfolio.consumer import ConsumerPage, consumer_page
from crakit.portfolio.errors import Conflict, Forbidden, NotFound, PortfolioError
from crakit.portfolio.export import portfolio_csv, portfolio_rows
from crakit.portfolio.matching import Uploaded, add_sbom, parse_upload
from crakit.portfolio.models import WorkbenchBase
from crakit.portfolio.monitor import MonitorReport, import_files, import_mirror, run_monitor
from crakit.portfolio.products import (
    Added,
    ProductView,
    VersionView,
    add_manifest,
    get_product,
    list_products,
    version_row,
)
from crakit.portfolio.roles import (
    ADMIN,
    AUDITOR,
    ORGANISATION_KIND,
    PRODUCT_OWNER,
    ROLES,
    Permission,
    allowed,
    check,
)
from crakit.portfolio.suppression import Rule, add_rule, list_rules, revoke_rule
from crakit.portfolio.timeline import (
    Deadline,
    Point,
    SupportBar,
    case_deadlines,
    findings_over_time,
    support_periods,
    take_snapshots,
)
from crakit.portfolio.triage import (
    JUSTIFICATIONS,
    RESPONSES,
    STATES,
    Decision,
    FindingView,
    cyclonedx_vex,
    findings_of,
    openvex,
    set_triage,
    triage_history,
)
from crakit.store import MigrationTree

MIGRATIONS = MigrationTree("crakit.portfolio", "alembic_version_workbench")
# The workspace store's own tree (Art 14 cases and the history) is part of every workbench database.
STORE_MIGRATIONS = MigrationTree("crakit.store", "alembic_version")

__all__ = [
    "ADMIN",
    "AUDITOR",
    "JUSTIFICATIONS",
    "MIGRATIONS",
    "ORGANISATION_KIND",
    "PRODUCT_OWNER",
    "RESPONSES",
    "ROLES",
    "SIGNATURE_HEADER",
    "STATES",
    "STORE_MIGRATIONS",
    "Added",
    "Alert",
    "Channel",
    "Comparison",
    "Conflict",
    "ConsumerPage",
    "Deadline",
    "Decision",
    "DeliveryReport",
    "FindingView",
    "Forbidden",
    "MailSettings",
    "MonitorReport",
    "NotFound",
    "Permission",
    "Point",
    "PortfolioError",
    "ProductView",
    "Rule",
    "SupportBar",
    "Uploaded",
    "VersionView",
    "WorkbenchBase",
    "add_channel",
    "add_manifest",
    "add_rule",
    "add_sbom",
    "allowed",
    "case_deadlines",
    "check",
    "compare_versions",
    "consumer_page",
    "cyclonedx_vex",
    "deliver_pending",
    "findings_of",
    "findings_over_time",
    "get_alert",
    "get_product",
    "import_files",
    "import_mirror",
    "list_alerts",
    "list_channels",
    "list_products",
    "list_rules",
    "open_case_from_alert",
    "openvex",
    "parse_upload",
    "portfolio_csv",
    "portfolio_rows",
    "revoke_rule",
    "run_monitor",
    "set_triage",
    "sign",
    "support_periods",
    "take_snapshots",
    "triage_history",
    "version_row",
]
