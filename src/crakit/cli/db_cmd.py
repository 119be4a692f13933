"""``crakit db``: build, update and inspect the offline vulnerability database."""

from __future__ import annotations

from pathlib import Path

import click

from crakit.cli.output import emit_json, format_option, info

_DB_OPTION = click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Database file (default: $CRAKIT_DB or the user data directory).",
)


@click.group("db")
def db() -> None:
    """Build, update and inspect the offline vulnerability database (OSV + CISA KEV)."""


@db.command("build")
@click.argument("more_osv", nargs=-1, type=click.Path(path_type=Path, exists=True))
@click.option(
    "--osv",
    "osv",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Directory of OSV JSON records or an osv.dev all.zip (repeatable).",
)
@click.option(
    "--kev",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CISA KEV catalogue (JSON or CSV).",
)
@click.option(
    "--fresh", is_flag=True, help="Start from an empty database instead of updating the existing one."
)
@_DB_OPTION
@format_option("text", default="text")
def build(
    more_osv: tuple[Path, ...],
    osv: tuple[Path, ...],
    kev: Path | None,
    fresh: bool,
    db_path: Path | None,
    fmt: str,
) -> None:
    """Import OSV records and the KEV catalogue (incremental by `modified`; withdrawn records removed).

    OSV sources may also be given as arguments: `crakit db build --osv DIR1 DIR2 --kev FILE`.
    """
    osv = (*osv, *more_osv)
    from crakit.errors import InputError
    from crakit.vulndb import build_database, default_path

    if not osv and kev is None:
        raise InputError("nothing to import", hint="give --osv PATH and/or --kev FILE")
    if db_path is not None:  # the default location is created on first use; a path given gets
        # at most its own missing folder (`.crakit/vulns.db`), never a whole missing tree
        from crakit.cli.output import check_writable

        check_writable(db_path, "database", create_folder=True)
    target = db_path or default_path()
    if target.exists() and not fresh:
        from crakit.vulndb import open_database

        with open_database(target) as existing:  # importing into a damaged file would fail half-way
            existing.check_integrity()
    from crakit.cli.output import progress

    with progress("importing OSV records", None) as update:
        report = build_database(target, list(osv), kev, fresh=fresh, progress=update)
    _report(report, fmt)


def _report(report: object, fmt: str) -> None:
    from dataclasses import asdict

    data = asdict(report)  # type: ignore[call-overload]
    data["path"] = str(data["path"])
    if fmt == "json":
        emit_json(data)
        return
    stats = data.get("osv")
    if stats:
        info(
            f"OSV: {stats['read']} read, {stats['added']} added, {stats['updated']} updated, "
            f"{stats['unchanged']} unchanged, {stats['withdrawn_removed']} withdrawn, {stats['invalid']} invalid"
        )
    if data.get("kev_entries") is not None:
        info(f"KEV: {data['kev_entries']} entries")
    click.echo(data["path"])


@db.command("update")
@click.option(
    "--mirror", help="Base URL laid out like osv.dev's bucket / CISA's feed (default: the official sources)."
)
@click.option(
    "--ecosystem",
    "ecosystems",
    multiple=True,
    help="OSV ecosystem to fetch (repeatable; default: all crakit supports).",
)
@click.option("--no-kev", is_flag=True, help="Do not fetch the KEV catalogue.")
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Network timeout per request, seconds."
)
@_DB_OPTION
@format_option("text", default="text")
def update(
    mirror: str | None,
    ecosystems: tuple[str, ...],
    no_kev: bool,
    timeout: float,
    db_path: Path | None,
    fmt: str,
) -> None:
    """Download OSV records and the KEV catalogue, then import them incrementally."""
    from crakit.vulndb import UpdateOptions, default_path, update_database

    options = UpdateOptions(mirror=mirror, ecosystems=ecosystems, kev=not no_kev, timeout=timeout)
    from crakit.cli.output import progress

    with progress("importing OSV records", None) as update:
        report = update_database(db_path or default_path(), options, update)
    _report(report, fmt)


@db.command("info")
@_DB_OPTION
@format_option("text", default="text")
def info_cmd(db_path: Path | None, fmt: str) -> None:
    """Show sources, records per ecosystem, the KEV catalogue version and the data's age."""
    from crakit.formats import info_to_json
    from crakit.vulndb import open_database

    with open_database(db_path) as database:
        database.check_integrity()  # "healthy" must mean every page reads
        data = database.info()
    if fmt == "json":
        emit_json(info_to_json(data))
        return
    click.echo(f"database:   {data.path} (schema {data.schema_version})")
    click.echo(f"built:      {data.built_at}   updated: {data.updated_at}")
    age = f"{data.age_days:.1f} days old" if data.age_days is not None else "unknown age"
    click.echo(f"data as of: {data.data_as_of} ({age})")
    click.echo(f"records:    {data.records} OSV records ({data.withdrawn_removed} withdrawn seen)")
    for eco, n in data.ecosystems:
        click.echo(f"  {eco:<14} {n}")
    kev = f"{data.kev_entries} entries, catalogue {data.kev_catalog_version or '?'} released {data.kev_date_released or '?'}"
    click.echo(f"CISA KEV:   {kev}")
    click.echo("sources:")
    for name, location, imported, records in data.sources:
        click.echo(f"  {name}: {location} ({records} records, imported {imported})")
