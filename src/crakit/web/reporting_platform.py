"""The reporting platform as a feature of the web foundation: its routers, tables, navigation,
error statuses and background webhook delivery. The CLI passes it to :func:`create_app`."""

from __future__ import annotations

import logging
import os
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI

from crakit.accounts import Principal
from crakit.platform import (
    ADMIN,
    CSIRT,
    ENISA,
    MANUFACTURER,
    MIGRATIONS,
    InvalidSubmission,
    Keyring,
    MasterKeyError,
    NotAllowed,
    NotificationNotFound,
    PlatformConfig,
    StateConflict,
    claim_deliveries,
    decode_key,
    party,
    private_webhook_target,
    settle_delivery,
)
from crakit.store import Store
from crakit.web.api import audit, directory, handling, notifications
from crakit.web.api import webhooks as webhook_api
from crakit.web.app import create_app
from crakit.web.auth import now
from crakit.web.feature import Feature, NavItem
from crakit.web.pages import admin, filing, inbox, notification
from crakit.web.platform_context import is_party
from crakit.web.settings import WebSettings

log = logging.getLogger("crakit.platform")


def _home(principal: Principal) -> str:
    return "/admin" if party(principal) == ADMIN else "/inbox"


def deliver_webhooks(config: PlatformConfig) -> object:
    def deliver(store: Store) -> None:
        moment = now()
        with store.transaction() as session:
            batch = claim_deliveries(session, Keyring(session, config.master_key, moment), now=moment)
        if not batch:
            return
        with httpx.Client(timeout=10, follow_redirects=False) as client:
            for item in batch:
                error = None
                host = urlsplit(item.url).hostname or ""
                refused = None if config.private_webhooks else private_webhook_target(host, resolve=True)
                if refused:  # checked again at delivery: a public name may since point inwards
                    with store.transaction() as session:
                        settle_delivery(session, item.delivery_id, f"refused: {refused}", now=now())
                    continue
                try:
                    reply = client.post(item.url, content=item.body, headers=item.headers)
                    if reply.status_code >= 300:
                        error = f"HTTP {reply.status_code}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                with store.transaction() as session:
                    settle_delivery(session, item.delivery_id, error, now=now())

    deliver.__name__ = "deliver_webhooks"
    return deliver


def platform_feature(config: PlatformConfig) -> Feature:
    return Feature(
        name="platform",
        routers=(
            notifications.router,
            handling.router,
            webhook_api.router,
            audit.router,
            directory.router,
            inbox.router,
            notification.router,
            filing.router,
            admin.router,
        ),
        trees=(MIGRATIONS,),
        nav=(
            NavItem("Inbox", "/inbox", is_party(MANUFACTURER, CSIRT, ENISA)),
            NavItem("File a notification", "/file", is_party(MANUFACTURER)),
            NavItem("Administration", "/admin", is_party(ADMIN)),
        ),
        error_statuses=(
            (InvalidSubmission, 422),
            (NotificationNotFound, 404),
            (NotAllowed, 403),
            (StateConflict, 409),
            (MasterKeyError, 503),
        ),
        home=_home,
        footer="Reference implementation of CRA Articles 14 and 16 reporting (crakit). "
        "Not the ENISA Single Reporting Platform.",
        background=(deliver_webhooks(config),),  # type: ignore[arg-type]
        state={"platform_config": config},
    )


def app_from_environment() -> FastAPI:
    """The platform app from ``CRAKIT_PLATFORM_*`` and ``CRAKIT_WEB_*`` variables (what
    ``crakit platform serve`` hands uvicorn; the CLI does not import the web layer)."""
    from datetime import timedelta

    url = os.environ.get("CRAKIT_PLATFORM_DATABASE_URL")
    key = os.environ.get("CRAKIT_PLATFORM_MASTER_KEY")
    if not url or not key:
        raise MasterKeyError("CRAKIT_PLATFORM_DATABASE_URL and CRAKIT_PLATFORM_MASTER_KEY must be set")
    days = int(os.environ.get("CRAKIT_PLATFORM_RETENTION_DAYS", "365"))
    config = PlatformConfig(
        decode_key(key, "CRAKIT_PLATFORM_MASTER_KEY"),
        retention=timedelta(days=days),
        private_webhooks=os.environ.get("CRAKIT_PLATFORM_PRIVATE_WEBHOOKS") == "1",
    )
    settings = WebSettings.from_env(url, site_name="crakit reporting platform")
    return create_app(settings, [platform_feature(config)])
