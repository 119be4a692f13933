"""``crakit serve``, ``crakit workbench`` and ``crakit monitor``: the portfolio workbench (issue 13).

Thin glue: options → one call into :mod:`crakit.portfolio`, then print. ``serve`` starts the web
app with uvicorn (built by the web layer's factory) and the job runner as separate processes
(``python -m crakit.jobs``): the CLI, the web layer and the jobs never import each other.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from crakit.cli.output import emit_json, format_option, info

URL_VARIABLE = "CRAKIT_WORKBENCH_DATABASE_URL"
VULNDB_VARIABLE = "CRAKIT_WORKBENCH_VULNDB"
DEFAULT_DB = "crakit-workbench.db"


def database_option(func: Any) -> Any:
    return click.option(
        "--database-url",
        help=f"SQLAlchemy URL (default: ${URL_VARIABLE}, else sqlite file {DEFAULT_DB} here).",
    )(func)


def vulndb_option(func: Any) -> Any:
    return click.option(
        "--vulndb",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Vulnerability database file (default: $CRAKIT_DB, else the per-user data folder).",
    )(func)


def smtp_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--smtp-host", envvar="CRAKIT_SMTP_HOST", help="SMTP relay for alert e-mail."),
            click.option("--smtp-port", envvar="CRAKIT_SMTP_PORT", type=click.IntRange(1, 65535), default=25),
            click.option(
                "--mail-from",
                envvar="CRAKIT_MAIL_FROM",
                default="crakit-workbench@localhost",
                show_default=True,
                help="Sender address of alert e-mail.",
            ),
            click.option("--smtp-starttls", is_flag=True, envvar="CRAKIT_SMTP_STARTTLS"),
            click.option(
                "--private-webhooks",
                is_flag=True,
                help="Allow webhooks over plain http and to loopback/private addresses (tests, closed networks).",
            ),
        ]
    ):
        func = option(func)
    return func


def _url(database_url: str | None) -> str:
    if database_url:
        return database_url
    if os.environ.get(URL_VARIABLE):
        return os.environ[URL_VARIABLE]
    from crakit.store import sqlite_url

    return sqlite_url(Path.cwd() / DEFAULT_DB)


def _vulndb(path: Path | None) -> Path:
    from crakit.vulndb import default_path

    return (path or default_path()).resolve()


def _open(database_url: str | None) -> Any:
    from crakit import accounts, portfolio
    from crakit.store import open_database

    return open_database(
        _url(database_url), [accounts.MIGRATIONS, portfolio.STORE_MIGRATIONS, portfolio.MIGRATIONS]
    )


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _mail(host: str | None, port: int, sender: str, starttls: bool) -> Any:
    from crakit.portfolio import MailSettings

    if not host:
        return None
    return MailSettings(
        host,
        port,
        sender,
        starttls=starttls,
        username=os.environ.get("CRAKIT_SMTP_USER") or None,
        password=os.environ.get("CRAKIT_SMTP_PASSWORD") or None,
    )


@click.command("serve")
@database_option
@vulndb_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--insecure-cookies", is_flag=True, help="Send session cookies over plain HTTP (development only)."
)
@click.option(
    "--max-body",
    type=click.IntRange(1024, 10**9),
    default=100 * 1024 * 1024,
    show_default=True,
    help="Largest request body in bytes (SBOM uploads).",
)
@click.option(
    "--monitor-every",
    type=click.IntRange(0, 10080),
    default=60,
    show_default=True,
    help="Minutes between monitoring runs (0: no schedule; run `crakit monitor run` yourself).",
)
@click.option(
    "--mirror", help="Base URL the schedule downloads OSV and KEV from (as `crakit db update --mirror`)."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Job workers on PostgreSQL (procrastinate); SQLite runs the jobs in one process.",
)
@smtp_options
def serve(
    database_url: str | None,
    vulndb: Path | None,
    host: str,
    port: int,
    insecure_cookies: bool,
    max_body: int,
    monitor_every: int,
    mirror: str | None,
    workers: int,
    smtp_host: str | None,
    smtp_port: int,
    mail_from: str,
    smtp_starttls: bool,
    private_webhooks: bool,
) -> None:
    """Serve the workbench: the web UI, the API (/api/v1, /openapi.json) and, beside it, the
    job runner that monitors on a schedule and delivers alerts.

    \b
    Start:  crakit db build --osv osv/ --kev kev.json --db vulndb.sqlite
            crakit workbench token create --role admin --format json
            crakit serve --vulndb vulndb.sqlite --port 8080
    Exit codes: 0 stopped; 2 bad input (URL, missing database).
    """
    import uvicorn

    from crakit.vulndb import open_database

    url = _url(database_url)
    path = _vulndb(vulndb)
    open_database(path).close()  # exit 2 now, not at the first upload, when it is missing
    _open(url).close()  # migrate (and fail here with exit 2 on a bad URL) before the server starts
    environment = {
        URL_VARIABLE: url,
        VULNDB_VARIABLE: str(path),
        "CRAKIT_WEB_INSECURE_COOKIES": "1" if insecure_cookies else "0",
        "CRAKIT_WEB_MAX_BODY": str(max_body),
        "CRAKIT_WORKBENCH_PRIVATE_WEBHOOKS": "1" if private_webhooks else "0",
    }
    os.environ.update(environment)
    runner = None
    if monitor_every or smtp_host:
        command = [
            sys.executable,
            "-m",
            "crakit.jobs",
            "--database-url",
            url,
            "--vulndb",
            str(path),
            "--monitor-every",
            str(monitor_every),
            "--workers",
            str(workers),
        ]
        if mirror:
            command += ["--mirror", mirror]
        if private_webhooks:
            command.append("--private-webhooks")
        if smtp_host:
            command += ["--smtp-host", smtp_host, "--smtp-port", str(smtp_port), "--mail-from", mail_from]
            if smtp_starttls:
                command.append("--smtp-starttls")
        runner = subprocess.Popen(command)
    info(f"crakit workbench on http://{host}:{port}")
    try:
        uvicorn.run(
            "crakit.web.workbench:app_from_environment",
            factory=True,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=5,
        )
    finally:
        if runner is not None:
            runner.terminate()
            try:
                runner.wait(timeout=15)
            except subprocess.TimeoutExpired:
                runner.kill()


@click.group("workbench")
def workbench() -> None:
    """Workbench accounts: machine tokens and people, with a role each: admin (everything),
    product_owner (products, SBOMs, triage, cases) or auditor (reads everything, changes nothing).

    \b
    Exit codes: 0 ok; 2 bad input.
    """


@workbench.group("token")
def token_group() -> None:
    """Machine tokens (shown once; only a digest is stored)."""


@token_group.command("create")
@click.option("--role", required=True, type=click.Choice(["admin", "product_owner", "auditor"]))
@click.option("--organisation", default="default", show_default=True, help="The tenant the token acts for.")
@click.option("--label", help="What the token is for (default: the role).")
@database_option
@format_option("text")
def token_create(role: str, organisation: str, label: str | None, database_url: str | None, fmt: str) -> None:
    """Create a machine token for a workbench organisation (created when new)."""
    from crakit import accounts
    from crakit.portfolio import ORGANISATION_KIND

    with _open(database_url) as store, store.transaction() as session:
        now = _now()
        org = accounts.ensure_organisation(session, ORGANISATION_KIND, organisation, country=None, now=now)
        token = accounts.issue_token(session, org.id, role, label or role, now=now)
    if fmt == "json":
        emit_json({"token": token.token, "organisation": org.name, "role": role})
    else:
        click.echo(token.token)
        info(f"{role} token for {org.name}: store it now, it is not shown again")


@workbench.group("person")
def person_group() -> None:
    """People (password + TOTP) who sign in to the web UI."""


@person_group.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "product_owner", "auditor"]))
@click.option("--organisation", default="default", show_default=True)
@click.option(
    "--password-env",
    default="CRAKIT_PASSWORD",
    show_default=True,
    help="Environment variable holding the password (else you are asked).",
)
@database_option
@format_option("text")
def person_add(
    email: str, name: str, role: str, organisation: str, password_env: str, database_url: str | None, fmt: str
) -> None:
    """Create a person for a workbench organisation; prints the TOTP key for their authenticator."""
    from crakit import accounts
    from crakit.portfolio import ORGANISATION_KIND

    password = os.environ.get(password_env) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with _open(database_url) as store, store.transaction() as session:
        now = _now()
        org = accounts.ensure_organisation(session, ORGANISATION_KIND, organisation, country=None, now=now)
        made = accounts.create_person(session, email, name, password, now=now)
        accounts.add_membership(session, made.person.id, org.id, role, now=now)
    from crakit.cli.people import report_new_person

    report_new_person(made, org.name, role, fmt)


@click.group("monitor")
def monitor() -> None:
    """Continuous monitoring (issue 13): new advisories and KEV entries re-match only the
    components of the packages they touch, and raise alerts (in the app, by e-mail, by webhook).

    \b
    Exit codes: 0 ok (alerts or not); 2 bad input.
    """


@monitor.command("run")
@database_option
@vulndb_option
@click.option(
    "--osv",
    "osv",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="OSV records to import: a directory of JSON records or an osv.dev zip (repeatable).",
)
@click.option(
    "--kev", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="CISA KEV catalogue (JSON)."
)
@click.option(
    "--mirror", help="Download OSV and KEV from this base URL instead (as `crakit db update --mirror`)."
)
@smtp_options
@format_option("text")
def monitor_run(
    database_url: str | None,
    vulndb: Path | None,
    osv: tuple[Path, ...],
    kev: Path | None,
    mirror: str | None,
    smtp_host: str | None,
    smtp_port: int,
    mail_from: str,
    smtp_starttls: bool,
    private_webhooks: bool,
    fmt: str,
) -> None:
    """Import the given data (as `crakit db build` does), re-match what it touches, send alerts.

    Without --osv, --kev or --mirror, re-matches the whole portfolio against the database as it is.
    """
    from crakit import portfolio

    path = _vulndb(vulndb)
    if mirror and (osv or kev):
        from crakit.errors import InputError

        raise InputError("give --osv/--kev files or --mirror, not both")
    if osv or kev:
        importer = portfolio.import_files(path, list(osv), kev)
    elif mirror:
        importer = portfolio.import_mirror(path, mirror)
    else:
        importer = None
    with _open(database_url) as store:
        report = portfolio.run_monitor(store, path, importer)
        sent = portfolio.deliver_pending(
            store.transaction,
            _mail(smtp_host, smtp_port, mail_from, smtp_starttls),
            now=_now(),
            allow_private=private_webhooks,
        )
    data = {**report.to_json(), "deliveries": {"sent": sent.sent, "failed": sent.failed}}
    if fmt == "json":
        emit_json(data)
    else:
        info(
            f"{report.changed_advisories} advisories and {report.changed_kev} KEV entries changed; "
            f"{report.touched_packages} packages touched; {report.rematched_components} components in "
            f"{report.versions} versions re-matched; {len(report.alerts)} alerts; "
            f"{sent.sent} deliveries sent, {sent.failed} failed"
        )
