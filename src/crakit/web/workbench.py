"""The portfolio workbench as a feature of the web foundation (issue 13): its routers, tables,
navigation and error statuses. ``crakit serve`` hands uvicorn :func:`app_from_environment`;
the monitoring schedule runs beside it in the job runner (:mod:`crakit.jobs`), never here."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from crakit import portfolio
from crakit.accounts import Principal
from crakit.errors import InputError
from crakit.vulndb import DatabaseCorrupt, DatabaseMissing
from crakit.web.api import alerts, portfolio_export, products, suppressions
from crakit.web.app import create_app
from crakit.web.feature import Feature, NavItem
from crakit.web.pages import consumer, dashboard
from crakit.web.pages import portfolio as portfolio_pages
from crakit.web.settings import WebSettings

URL_VARIABLE = "CRAKIT_WORKBENCH_DATABASE_URL"
VULNDB_VARIABLE = "CRAKIT_WORKBENCH_VULNDB"


def _is_workbench(principal: Principal) -> bool:
    return principal.organisation.kind == portfolio.ORGANISATION_KIND


def workbench_feature(vulndb: Path, *, private_webhooks: bool = False) -> Feature:
    return Feature(
        name="workbench",
        routers=(
            products.router,
            alerts.router,
            suppressions.router,
            portfolio_export.router,
            portfolio_pages.router,
            consumer.router,
            dashboard.router,
        ),
        trees=(portfolio.STORE_MIGRATIONS, portfolio.MIGRATIONS),
        nav=(
            NavItem("Products", "/products", _is_workbench),
            NavItem("Dashboard", "/dashboard", _is_workbench),
            NavItem("Alerts", "/alerts", _is_workbench),
        ),
        error_statuses=(
            (portfolio.NotFound, 404),
            (portfolio.Conflict, 409),
            (portfolio.Forbidden, 403),
            (portfolio.PortfolioError, 422),
            (DatabaseMissing, 503),
            (DatabaseCorrupt, 503),
        ),
        home=lambda _principal: "/products",
        footer="crakit portfolio workbench: findings, known exploited vulnerabilities (Art 14(1)), "
        "support periods (Art 13(8)).",
        state={"workbench_vulndb": vulndb, "workbench_private_webhooks": private_webhooks},
    )


def app_from_environment() -> FastAPI:
    """The workbench app from ``CRAKIT_WORKBENCH_*`` and ``CRAKIT_WEB_*`` variables."""
    url = os.environ.get(URL_VARIABLE)
    vulndb = os.environ.get(VULNDB_VARIABLE)
    if not url or not vulndb:
        raise InputError(f"{URL_VARIABLE} and {VULNDB_VARIABLE} must be set")
    settings = WebSettings.from_env(url, site_name="crakit workbench")
    private = os.environ.get("CRAKIT_WORKBENCH_PRIVATE_WEBHOOKS") == "1"
    return create_app(settings, [workbench_feature(Path(vulndb), private_webhooks=private)])
