"""``crakit platform``: the reference reporting platform (CRA Art 14, 16) — set up, serve, tokens,
people, audit verification, key rotation and retention.

Thin glue: options → one call into :mod:`crakit.platform` / :mod:`crakit.web`, then print.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from crakit.cli.output import emit_json, format_option, info

URL_VARIABLE = "CRAKIT_PLATFORM_DATABASE_URL"
KEY_VARIABLE = "CRAKIT_PLATFORM_MASTER_KEY"
DEFAULT_DB = "crakit-platform.db"


def database_option(func: Any) -> Any:
    return click.option(
        "--database-url",
        help=f"SQLAlchemy URL (default: ${URL_VARIABLE}, else sqlite file {DEFAULT_DB} here).",
    )(func)


def key_option(func: Any) -> Any:
    return click.option(
        "--master-key-file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Base64 master key file (default: ${KEY_VARIABLE}, else ./crakit-platform-master.key).",
    )(func)


def _url(database_url: str | None) -> str:
    if database_url:
        return database_url
    if os.environ.get(URL_VARIABLE):
        return os.environ[URL_VARIABLE]
    from crakit.store import sqlite_url

    return sqlite_url(Path.cwd() / DEFAULT_DB)


def _master(path: Path | None, *, create: bool = False) -> bytes:
    from crakit.platform import DEFAULT_KEY_FILE, decode_key, load_key_file

    if path is not None:
        return load_key_file(path, create=create)
    if os.environ.get(KEY_VARIABLE):
        return decode_key(os.environ[KEY_VARIABLE], KEY_VARIABLE)
    return load_key_file(Path.cwd() / DEFAULT_KEY_FILE, create=create)


def _open(database_url: str | None) -> Any:
    from crakit import accounts, platform
    from crakit.store import open_database

    return open_database(_url(database_url), [accounts.MIGRATIONS, platform.MIGRATIONS])


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


@click.group("platform")
def platform() -> None:
    """The reference reporting platform: receives Art 14 notifications, routes them to the
    coordinator CSIRT (Art 14(7)) and ENISA, disseminates or delays (Art 16(2)), keeps
    unpatched vulnerabilities confidential.

    \b
    Start:  crakit platform init
            crakit platform token create --role manufacturer --organisation "ACME" --format json
            crakit platform serve --port 8000
    Exit codes: 0 ok; 1 audit chain broken; 2 bad input; 3 internal error.
    """


@platform.command("init")
@database_option
@key_option
@format_option("text")
def init_cmd(database_url: str | None, master_key_file: Path | None, fmt: str) -> None:
    """Create or migrate the database; seed the 27 coordinator CSIRTs, ENISA and the operator."""
    from crakit import platform as domain
    from crakit.platform import key_id

    master = _master(master_key_file, create=True)
    with _open(database_url) as store, store.transaction() as session:
        seeded = domain.seed(session, now=_now())
    result = {"database": store.dialect, "seeded": [o.name for o in seeded], "master_key_id": key_id(master)}
    if fmt == "json":
        emit_json(result)
    else:
        info(f"platform database ready ({store.dialect}); {len(seeded)} organisations seeded")


@platform.command("serve")
@database_option
@key_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--insecure-cookies", is_flag=True, help="Send session cookies over plain HTTP (development only)."
)
@click.option(
    "--rate-limit", type=click.IntRange(1, 10**7), help="Requests per token per minute (default 600)."
)
@click.option(
    "--max-body", type=click.IntRange(1024, 10**8), help="Largest request body in bytes (default 1 MB)."
)
@click.option("--retention-days", type=click.IntRange(1, 36500), default=365, show_default=True)
@click.option(
    "--private-webhooks",
    is_flag=True,
    help="Allow webhooks over plain http and to loopback/private addresses (tests, closed networks; "
    "off by default so a webhook cannot reach the server's own network).",
)
def serve_cmd(
    database_url: str | None,
    master_key_file: Path | None,
    host: str,
    port: int,
    insecure_cookies: bool,
    rate_limit: int | None,
    max_body: int | None,
    retention_days: int,
    private_webhooks: bool,
) -> None:
    """Serve the API (/api/v1, /openapi.json) and the web UI with uvicorn."""
    import base64

    import uvicorn

    # create=True: a fresh platform may be served before `init` wrote a key here; data keys are made
    # on first use, so a key that does not match existing data fails loudly at the first read (503)
    master = _master(master_key_file, create=True)
    url = _url(database_url)
    _open(url).close()  # migrate (and fail here, with exit 2, on a bad URL) before the server starts
    # The CLI never imports the web layer (cli, web and jobs stay apart): it hands the settings over
    # in this process's environment and uvicorn builds the app from the web layer's factory.
    settings = {
        URL_VARIABLE: url,
        KEY_VARIABLE: base64.b64encode(master).decode(),
        "CRAKIT_PLATFORM_RETENTION_DAYS": str(retention_days),
        "CRAKIT_PLATFORM_PRIVATE_WEBHOOKS": "1" if private_webhooks else "0",
        "CRAKIT_WEB_INSECURE_COOKIES": "1" if insecure_cookies else "0",
        "CRAKIT_WEB_RATE_LIMIT": str(rate_limit) if rate_limit else None,
        "CRAKIT_WEB_MAX_BODY": str(max_body) if max_body else None,
    }
    os.environ.update({key: value for key, value in settings.items() if value is not None})
    info(f"crakit platform on http://{host}:{port}")
    uvicorn.run(
        "crakit.web.reporting_platform:app_from_environment",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,
    )


@platform.group("token")
def token_group() -> None:
    """Machine tokens (shown once; only a digest is stored)."""


@token_group.command("create")
@click.option("--role", required=True, type=click.Choice(["manufacturer", "csirt", "enisa", "admin"]))
@click.option("--organisation", required=True, help="Organisation name (a CSIRT is its Member State's).")
@click.option("--member-state", help="ISO code; required for --role csirt.")
@click.option("--label", help="What the token is for (default: the organisation name).")
@database_option
@format_option("text")
def token_create(
    role: str,
    organisation: str,
    member_state: str | None,
    label: str | None,
    database_url: str | None,
    fmt: str,
) -> None:
    """Create a machine token for an organisation."""
    from crakit.platform import create_token

    with _open(database_url) as store, store.transaction() as session:
        org, token = create_token(session, role, organisation, member_state, now=_now(), label=label)
    if fmt == "json":
        emit_json({"token": token.token, "organisation": org.name, "role": role, "member_state": org.country})
    else:
        click.echo(token.token)
        info(
            f"token for {role} {org.name}{f' ({org.country})' if org.country else ''}: store it now, it is not shown again"
        )


@platform.group("person")
def person_group() -> None:
    """People (password + TOTP)."""


@person_group.command("add")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(["primary", "backup", "analyst", "admin"]))
@click.option(
    "--organisation-kind",
    "kind",
    required=True,
    type=click.Choice(["manufacturer", "csirt", "enisa", "admin"]),
)
@click.option("--organisation", required=True)
@click.option("--member-state", help="ISO code, for a CSIRT.")
@click.option(
    "--password-env",
    default="CRAKIT_PASSWORD",
    show_default=True,
    help="Environment variable holding the password (else you are asked).",
)
@database_option
@format_option("text")
def person_add(
    email: str,
    name: str,
    role: str,
    kind: str,
    organisation: str,
    member_state: str | None,
    password_env: str,
    database_url: str | None,
    fmt: str,
) -> None:
    """Create a person acting for an organisation; prints the TOTP key for their authenticator."""
    from crakit import accounts
    from crakit.errors import InputError
    from crakit.platform import PERSON_ROLES, organisation_for

    if role not in PERSON_ROLES[kind]:
        raise InputError(f"--role for a {kind}: one of {', '.join(PERSON_ROLES[kind])}")
    password = os.environ.get(password_env) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with _open(database_url) as store, store.transaction() as session:
        now = _now()
        org = organisation_for(session, kind, organisation, member_state, now=now)
        made = accounts.create_person(session, email, name, password, now=now)
        accounts.add_membership(session, made.person.id, org.id, role, now=now)
    from crakit.cli.people import report_new_person

    report_new_person(made, org.name, role, fmt)


@platform.group("audit")
def audit_group() -> None:
    """The append-only, hash-chained audit log."""


@audit_group.command("verify")
@database_option
@format_option("text")
def audit_verify(database_url: str | None, fmt: str) -> None:
    """Exit 0 when the chain is intact; 1, naming the first broken entry, after any edit or deletion."""
    from crakit.platform import AuditBroken, verify_audit

    with _open(database_url) as store, store.transaction() as session:
        result = verify_audit(session)
    if fmt == "json":
        emit_json(result.to_json())
    elif result.intact:
        info(f"audit log intact: {result.entries} entries")
    if not result.intact:
        raise AuditBroken(f"audit log broken at entry {result.first_broken}: {result.reason}")


@platform.command("rotate-key")
@database_option
@key_option
@click.option(
    "--new-master-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also move to this master key (created if absent); configure it before the next start.",
)
@format_option("text")
def rotate_key(
    database_url: str | None, master_key_file: Path | None, new_master_key_file: Path | None, fmt: str
) -> None:
    """New data key for every tenant, every sealed row re-encrypted, old data keys deleted (one transaction)."""
    from crakit.platform import record_audit, rotate_keys

    old = _master(master_key_file)
    new = _master(new_master_key_file, create=True) if new_master_key_file else None
    with _open(database_url) as store, store.transaction() as session:
        now = _now()
        result = rotate_keys(session, old, new, now=now)
        record_audit(
            session,
            at=now,
            actor="cli rotate-key",
            organisation_id=None,
            action="keys.rotated",
            subject=None,
            detail={"tenants": result.tenants, "master_changed": result.master_changed},
        )
    data = {
        "tenants": result.tenants,
        "rows_resealed": result.rows_resealed,
        "master_changed": result.master_changed,
    }
    if fmt == "json":
        emit_json(data)
    else:
        info(f"rotated {result.tenants} tenant keys; {result.rows_resealed} rows re-encrypted")


@platform.command("purge")
@database_option
@key_option
@click.option("--retention-days", type=click.IntRange(0, 36500), default=365, show_default=True)
@click.option("--mode", type=click.Choice(["redact", "purge"]), default="redact", show_default=True)
@format_option("text")
def purge_cmd(
    database_url: str | None, master_key_file: Path | None, retention_days: int, mode: str, fmt: str
) -> None:
    """Redact (or delete) notifications whose final report (or invalidation) is older than the retention."""
    from datetime import timedelta

    from crakit.platform import Keyring, PlatformConfig, purge_expired

    config = PlatformConfig(
        _master(master_key_file), retention=timedelta(days=retention_days), retention_mode=mode
    )
    with _open(database_url) as store, store.transaction() as session:
        now = _now()
        result = purge_expired(
            session, Keyring(session, config.master_key, now), config, actor="cli purge", now=now
        )
    if fmt == "json":
        emit_json(result.to_json())
    else:
        info(f"{mode}: {len(result.notifications)} notifications")
