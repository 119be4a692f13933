"""Random secrets and their stored digests.

Tokens, session ids and invitation codes are 256-bit random values; only their SHA-256 is
stored, so a copy of the database does not let anyone act as a token holder. A fast hash is
right here (unlike passwords): the input has full entropy, nothing to brute-force.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
