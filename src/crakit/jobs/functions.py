"""The job functions: the same code whichever runner calls them (procrastinate or in-process)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crakit import accounts, portfolio
from crakit.store import open_database

log = logging.getLogger("crakit.jobs")


@dataclass(frozen=True, slots=True)
class JobConfig:
    database_url: str
    vulndb: Path
    mirror: str | None = None  # None: the official sources of `crakit db update`
    mail: portfolio.MailSettings | None = None
    update: bool = True  # False: re-match against the database as it is (no download)
    private_webhooks: bool = False  # allow webhooks to loopback/private addresses (tests, closed networks)

    def to_json(self) -> dict[str, Any]:
        mail = self.mail
        return {
            "database_url": self.database_url,
            "vulndb": str(self.vulndb),
            "mirror": self.mirror,
            "update": self.update,
            "private_webhooks": self.private_webhooks,
            "mail": None
            if mail is None
            else {"host": mail.host, "port": mail.port, "sender": mail.sender, "starttls": mail.starttls},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> JobConfig:
        mail = data.get("mail")
        return cls(
            data["database_url"],
            Path(data["vulndb"]),
            data.get("mirror"),
            portfolio.MailSettings(mail["host"], mail["port"], mail["sender"], mail["starttls"])
            if mail
            else None,
            bool(data.get("update", True)),
            bool(data.get("private_webhooks", False)),
        )


def _store(config: JobConfig) -> Any:
    return open_database(
        config.database_url,
        [accounts.MIGRATIONS, portfolio.STORE_MIGRATIONS, portfolio.MIGRATIONS],
        migrate=False,
    )


def monitor(config: JobConfig) -> portfolio.MonitorReport:
    """One monitoring run (download, re-match what changed), then deliver the alerts it raised."""
    importer = portfolio.import_mirror(config.vulndb, config.mirror) if config.update else None
    with _store(config) as store:
        report = portfolio.run_monitor(store, config.vulndb, importer)
        portfolio.deliver_pending(
            store.transaction, config.mail, now=datetime.now(UTC), allow_private=config.private_webhooks
        )
    log.info("monitor: %s", report.to_json())
    return report


def deliver_alerts(config: JobConfig) -> portfolio.DeliveryReport:
    """Send queued alert deliveries (retries of failed ones included)."""
    with _store(config) as store:
        return portfolio.deliver_pending(
            store.transaction, config.mail, now=datetime.now(UTC), allow_private=config.private_webhooks
        )
