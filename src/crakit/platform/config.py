"""The platform's own settings (the web foundation knows none of them)."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from crakit.platform.errors import MasterKeyError

MASTER_KEY_BYTES = 32
DEFAULT_KEY_FILE = "crakit-platform-master.key"
DEFAULT_RETENTION = timedelta(days=365)


@dataclass(frozen=True, slots=True)
class PlatformConfig:
    """``master_key`` wraps every tenant's data key (AES-256-GCM); ``retention`` runs from the final
    report (or invalidation); ``retention_mode`` is ``redact`` (keep a skeleton) or ``purge``."""

    master_key: bytes
    retention: timedelta = DEFAULT_RETENTION
    retention_mode: str = "redact"
    # Webhooks to plain http and to loopback/private/link-local addresses: off by default (SSRF);
    # for tests and closed networks only.
    private_webhooks: bool = False

    def __post_init__(self) -> None:
        if len(self.master_key) != MASTER_KEY_BYTES:
            raise MasterKeyError(f"the master key must be {MASTER_KEY_BYTES} bytes")
        if self.retention_mode not in ("redact", "purge"):
            raise MasterKeyError("retention mode must be redact or purge")

    def __repr__(self) -> str:  # never print the key
        return f"PlatformConfig(retention={self.retention}, retention_mode={self.retention_mode!r})"


def decode_key(text: str, where: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(f"{where}: the master key is not base64") from None
    if len(key) != MASTER_KEY_BYTES:
        raise MasterKeyError(
            f"{where}: the master key must decode to {MASTER_KEY_BYTES} bytes, not {len(key)}"
        )
    return key


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(MASTER_KEY_BYTES)).decode()


def load_key_file(path: Path, *, create: bool) -> bytes:
    """Read a base64 master key file; ``create`` writes a new one (mode 0600) when absent."""
    if not path.exists():
        if not create:
            raise MasterKeyError(
                f"no master key: {path} does not exist",
                hint="run `crakit platform init`, or set CRAKIT_PLATFORM_MASTER_KEY / --master-key-file",
            )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key_text() + "\n")
    try:
        return decode_key(path.read_text(encoding="ascii"), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise MasterKeyError(f"cannot read master key file {path}: {exc}") from None
