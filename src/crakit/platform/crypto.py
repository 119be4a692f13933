"""Encryption at rest: a data key per tenant, wrapped by the master key (AES-256-GCM, ``cryptography``).

Recital 69 asks that the platform keep notifications confidential, above all about
vulnerabilities with no security update yet. Every form field of a notification is sealed
under its tenant's data key; the database alone (a backup, a stolen disk) discloses nothing
of them. Rotation issues new data keys, re-seals every row and can re-wrap under a new master
key; old data keys are deleted afterwards, so old backups cannot be opened with new keys.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from crakit.platform.errors import MasterKeyError
from crakit.platform.models import TenantKeyRow

NONCE = 12


def key_id(master: bytes) -> str:
    """A public fingerprint of the master key (to tell a wrong key from damaged data)."""
    return hashlib.sha256(b"crakit-master-key-id" + master).hexdigest()[:32]


def _seal_bytes(key: bytes, plain: bytes, aad: bytes) -> str:
    nonce = secrets.token_bytes(NONCE)
    return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, aad)).decode("ascii")


def _open_bytes(key: bytes, sealed: str, aad: bytes) -> bytes:
    raw = base64.b64decode(sealed)
    return AESGCM(key).decrypt(raw[:NONCE], raw[NONCE:], aad)


@dataclass(frozen=True, slots=True)
class DataKey:
    organisation_id: int
    version: int
    key: bytes

    def __repr__(self) -> str:
        return f"DataKey(organisation_id={self.organisation_id}, version={self.version})"


def _wrap_aad(organisation_id: int, version: int) -> bytes:
    return f"tenant-key:{organisation_id}:{version}".encode()


def _unwrap(row: TenantKeyRow, master: bytes) -> DataKey:
    if row.master_key_id != key_id(master):
        raise MasterKeyError(
            "the configured master key is not the one these data keys were wrapped with",
            hint="give the master key used at `crakit platform init` (or the last `rotate-key`)",
        )
    try:
        key = _open_bytes(master, row.wrapped, _wrap_aad(row.organisation_id, row.version))
    except (InvalidTag, ValueError):
        raise MasterKeyError(f"tenant key {row.organisation_id}/{row.version} cannot be unwrapped") from None
    return DataKey(row.organisation_id, row.version, key)


def current_key(session: Session, organisation_id: int, master: bytes, *, now: datetime) -> DataKey:
    """The tenant's newest data key, created on first use."""
    row = session.scalar(
        select(TenantKeyRow)
        .where(TenantKeyRow.organisation_id == organisation_id)
        .order_by(TenantKeyRow.version.desc())
        .limit(1)
    )
    if row is not None:
        return _unwrap(row, master)
    try:
        # Two first submissions of a new tenant can race to create its key (PostgreSQL runs them
        # side by side): the loser's savepoint rolls back and it uses the winner's key.
        with session.begin_nested():
            return _new_key(session, organisation_id, 1, master, now=now)
    except IntegrityError:
        row = session.scalar(
            select(TenantKeyRow).where(
                TenantKeyRow.organisation_id == organisation_id, TenantKeyRow.version == 1
            )
        )
        if row is None:  # pragma: no cover - the conflict was on this very row
            raise
        return _unwrap(row, master)


def _new_key(
    session: Session, organisation_id: int, version: int, master: bytes, *, now: datetime
) -> DataKey:
    key = AESGCM.generate_key(bit_length=256)
    session.add(
        TenantKeyRow(
            organisation_id=organisation_id,
            version=version,
            wrapped=_seal_bytes(master, key, _wrap_aad(organisation_id, version)),
            master_key_id=key_id(master),
            created_at=now,
        )
    )
    session.flush()
    return DataKey(organisation_id, version, key)


def key_version(session: Session, organisation_id: int, version: int, master: bytes) -> DataKey:
    row = session.scalar(
        select(TenantKeyRow).where(
            TenantKeyRow.organisation_id == organisation_id, TenantKeyRow.version == version
        )
    )
    if row is None:
        raise MasterKeyError(f"tenant key {organisation_id}/{version} is missing")
    return _unwrap(row, master)


def seal(key: DataKey, value: Any, context: str) -> str:
    """Encrypt a JSON value; ``context`` (e.g. the notification id) is bound as associated data, so
    a sealed value copied onto another row does not open."""
    plain = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return _seal_bytes(key.key, plain, context.encode())


def unseal(key: DataKey, sealed: str, context: str) -> Any:
    try:
        return json.loads(_open_bytes(key.key, sealed, context.encode()))
    except (InvalidTag, ValueError):
        raise MasterKeyError(f"sealed data of {context} does not open with its tenant key") from None


class Keyring:
    """Data keys of one transaction, unwrapped once each."""

    def __init__(self, session: Session, master: bytes, now: datetime) -> None:
        self._session, self._master, self._now = session, master, now
        self._cache: dict[tuple[int, int], DataKey] = {}

    def current(self, organisation_id: int) -> DataKey:
        key = current_key(self._session, organisation_id, self._master, now=self._now)
        self._cache[(organisation_id, key.version)] = key
        return key

    def version(self, organisation_id: int, version: int) -> DataKey:
        cached = self._cache.get((organisation_id, version))
        if cached is None:
            cached = key_version(self._session, organisation_id, version, self._master)
            self._cache[(organisation_id, version)] = cached
        return cached


@dataclass(frozen=True, slots=True)
class RotationResult:
    tenants: int
    rows_resealed: int
    master_changed: bool


def rotate(
    session: Session,
    old_master: bytes,
    new_master: bytes,
    *,
    now: datetime,
    reseal_tenant: Callable[[int, DataKey, DataKey], int],
) -> RotationResult:
    """New data key per tenant (wrapped by ``new_master``); ``reseal_tenant(org, old, new)`` re-seals
    the tenant's rows and returns how many; then the old data keys are deleted."""
    tenants = sorted(set(session.scalars(select(TenantKeyRow.organisation_id))))
    resealed = 0
    for organisation_id in tenants:
        newest = session.scalar(
            select(TenantKeyRow)
            .where(TenantKeyRow.organisation_id == organisation_id)
            .order_by(TenantKeyRow.version.desc())
            .limit(1)
        )
        assert newest is not None
        old_keys = {
            row.version: _unwrap(row, old_master)
            for row in session.scalars(
                select(TenantKeyRow).where(TenantKeyRow.organisation_id == organisation_id)
            )
        }
        fresh = _new_key(session, organisation_id, newest.version + 1, new_master, now=now)
        for old in old_keys.values():
            resealed += reseal_tenant(organisation_id, old, fresh)
        session.execute(
            delete(TenantKeyRow).where(
                TenantKeyRow.organisation_id == organisation_id, TenantKeyRow.version != fresh.version
            )
        )
    return RotationResult(len(tenants), resealed, key_id(old_master) != key_id(new_master))
