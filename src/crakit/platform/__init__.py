"""The reference reporting platform (CRA Art 14, 16): notifications per stage and track,
validated against the ENISA Glossary the manufacturer side uses, Art 14(7) routing, ENISA's
partial view under PEC, dissemination and delays (DR (EU) 2026/881), invalidation, legal
deadlines, per-tenant encryption at rest, a hash-chained audit log, retention, webhooks and
MISP export.

Domain code only (no web imports); callers pass a database session, the caller, keys and time.
"""

from crakit.platform.audit import Verification
from crakit.platform.audit import entries as audit_entries
from crakit.platform.audit import record as record_audit
from crakit.platform.audit import verify as verify_audit
from crakit.platform.config import DEFAULT_KEY_FILE, PlatformConfig, decode_key, load_key_file, new_key_text
from crakit.platform.crypto import Keyring, RotationResult, key_id
from crakit.platform.errors import (
    AuditBroken,
    InvalidSubmission,
    MasterKeyError,
    NotAllowed,
    NotificationNotFound,
    PlatformError,
    StateConflict,
)
from crakit.platform.handling import (
    TLP,
    DelayGround,
    delay_grounds,
    disseminate,
    invalidate,
    release_to_enisa,
    request_intermediate,
)
from crakit.platform.handling import delay as delay_dissemination
from crakit.platform.keys import rotate_keys
from crakit.platform.misp import event as misp_event
from crakit.platform.models import PlatformBase
from crakit.platform.notifications import Filed, Filters, Submission, add_stage
from crakit.platform.notifications import file as file_notification
from crakit.platform.notifications import listing as list_notifications
from crakit.platform.notifications import read as read_notification
from crakit.platform.notifications import update as update_notification
from crakit.platform.parties import (
    ADMIN,
    CSIRT,
    ENISA,
    MANUFACTURER,
    MAX_BACKUP_REPRESENTATIVES,
    PARTIES,
    PERSON_ROLES,
    View,
    party,
)
from crakit.platform.retention import PurgeResult
from crakit.platform.retention import purge as purge_expired
from crakit.platform.setup import create_token, organisation_for, seed
from crakit.platform.webhooks import Outgoing, Webhook, verify_signature
from crakit.platform.webhooks import claim as claim_deliveries
from crakit.platform.webhooks import disable as disable_webhook
from crakit.platform.webhooks import listed as list_webhooks
from crakit.platform.webhooks import private_target as private_webhook_target
from crakit.platform.webhooks import register as register_webhook
from crakit.platform.webhooks import settle as settle_delivery
from crakit.store import MigrationTree

MIGRATIONS = MigrationTree("crakit.platform", "alembic_version_platform")

__all__ = [
    "ADMIN",
    "CSIRT",
    "DEFAULT_KEY_FILE",
    "ENISA",
    "MANUFACTURER",
    "MAX_BACKUP_REPRESENTATIVES",
    "MIGRATIONS",
    "PARTIES",
    "PERSON_ROLES",
    "TLP",
    "AuditBroken",
    "DelayGround",
    "Filed",
    "Filters",
    "InvalidSubmission",
    "Keyring",
    "MasterKeyError",
    "NotAllowed",
    "NotificationNotFound",
    "Outgoing",
    "PlatformBase",
    "PlatformConfig",
    "PlatformError",
    "PurgeResult",
    "RotationResult",
    "StateConflict",
    "Submission",
    "Verification",
    "View",
    "Webhook",
    "add_stage",
    "audit_entries",
    "claim_deliveries",
    "create_token",
    "decode_key",
    "delay_dissemination",
    "delay_grounds",
    "disable_webhook",
    "disseminate",
    "file_notification",
    "invalidate",
    "key_id",
    "list_notifications",
    "list_webhooks",
    "load_key_file",
    "misp_event",
    "new_key_text",
    "organisation_for",
    "party",
    "private_webhook_target",
    "purge_expired",
    "read_notification",
    "record_audit",
    "register_webhook",
    "release_to_enisa",
    "request_intermediate",
    "rotate_keys",
    "seed",
    "settle_delivery",
    "update_notification",
    "verify_audit",
    "verify_signature",
]
