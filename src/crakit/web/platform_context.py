"""What the reporting platform's API and page modules share: one transaction with the tenant
keys of the configured master key, and the party checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.orm import Session

from crakit.accounts import PermissionDenied, Principal
from crakit.platform import Keyring, PlatformConfig, party
from crakit.web.auth import now, store_of

T = TypeVar("T")


def config_of(request: Request) -> PlatformConfig:
    config: PlatformConfig = request.app.state.platform_config
    return config


def run(request: Request, work: Callable[[Session, Keyring, datetime], T]) -> T:
    """One committed transaction (the commit precedes the response: a 201 means stored)."""
    moment = now()
    with store_of(request).transaction() as session:
        return work(session, Keyring(session, config_of(request).master_key, moment), moment)


def require(principal: Principal, *parties: str) -> None:
    if party(principal) not in parties:
        raise PermissionDenied(f"this needs a {' or '.join(parties)} account")


def is_party(*parties: str) -> Callable[[Principal], bool]:
    return lambda principal: party(principal) in parties


Json = dict[str, Any]
