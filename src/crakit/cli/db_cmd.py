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
    "--nvd",
    "nvd",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="NVD CVE records: API 2.0 pages, JSON 2.0 feed files (.json/.json.gz), a folder or zip of them (repeatable).",
)
@click.option(
    "--cvelist",
    "cvelist",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="CVE List V5 records (CVE JSON 5): a folder (cvelistV5 layout), a zip or one file (repeatable).",
)
@click.option(
    "--euvd",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="ENISA EUVD exploited-vulnerabilities list (the EUVD API's JSON), a second exploited source beside KEV.",
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
    nvd: tuple[Path, ...],
    cvelist: tuple[Path, ...],
    euvd: Path | None,
    fresh: bool,
    db_path: Path | None,
    fmt: str,
) -> None:
    """Import OSV records, NVD / CVE List V5 records and the KEV and EUVD exploited lists
    (incremental by modification time; withdrawn and rejected records removed).

    OSV sources may also be given as arguments: `crakit db build --osv DIR1 DIR2 --kev FILE`.
    Firmware and C/C++ components (CPE names, or a name and version) are matched against the
    NVD configurations and CVE 5 records: `crakit db build --nvd DIR --cvelist DIR --kev FILE`.
    """
    osv = (*osv, *more_osv)
    from crakit.errors import InputError
    from crakit.vulndb import build_database, default_path

    if not osv and kev is None and not nvd and not cvelist and euvd is None:
        raise InputError(
            "nothing to import", hint="give --osv, --nvd, --cvelist PATH and/or --kev, --euvd FILE"
        )
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
        report = build_database(
            target,
            list(osv),
            kev,
            fresh=fresh,
            nvd=list(nvd),
            cvelist=list(cvelist),
            euvd=euvd,
            progress=update,
        )
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
    for key, label in (("nvd", "NVD"), ("cvelist", "CVE List V5")):
        got = data.get(key)
        if got:
            info(
                f"{label}: {got['read']} read, {got['added']} added, {got['updated']} updated, "
                f"{got['unchanged']} unchanged, {got['rejected_removed']} rejected, {got['invalid']} invalid, "
                f"{got['rules']} match rules"
            )
    if data.get("euvd_entries") is not None:
        info(f"EUVD exploited list: {data['euvd_entries']} CVEs")
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
@click.option("--no-osv", is_flag=True, help="Do not fetch OSV records (e.g. to refresh only NVD data).")
@click.option(
    "--nvd",
    "nvd",
    is_flag=False,
    flag_value="https://nvd.nist.gov/feeds/json/cve/2.0",
    default=None,
    metavar="[BASE_URL]",
    help="Fetch NVD's JSON 2.0 feeds (nvdcve-2.0-<year>.json.gz + .meta) from NVD or a mirror at BASE_URL;"
    " only feeds whose SHA-256 changed are downloaded again.",
)
@click.option(
    "--cvelist", metavar="URL", help="Fetch a CVE List V5 archive (a zip of CVE JSON 5 records) from URL."
)
@click.option(
    "--euvd",
    "euvd",
    is_flag=False,
    flag_value="https://euvdservices.enisa.europa.eu/api/exploitedvulnerabilities",
    default=None,
    metavar="[URL]",
    help="Fetch ENISA's EUVD exploited-vulnerabilities list (default: the EUVD API).",
)
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Network timeout per request, seconds."
)
@_DB_OPTION
@format_option("text", default="text")
def update(
    mirror: str | None,
    ecosystems: tuple[str, ...],
    no_kev: bool,
    no_osv: bool,
    nvd: str | None,
    cvelist: str | None,
    euvd: str | None,
    timeout: float,
    db_path: Path | None,
    fmt: str,
) -> None:
    """Download OSV records and the KEV catalogue (and, on request, NVD feeds, a CVE List V5
    archive and the EUVD exploited list), then import them incrementally."""
    from crakit.vulndb import UpdateOptions, default_path, update_database

    options = UpdateOptions(
        mirror=mirror,
        ecosystems=ecosystems,
        kev=not no_kev,
        timeout=timeout,
        osv=not no_osv,
        nvd=nvd,
        cvelist=cvelist,
        euvd=euvd,
    )
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
    click.echo(f"CPE data:   {data.cpe_records} CVEs with NVD / CVE 5 match rules")
    click.echo(f"EUVD:       {data.euvd_entries} exploited CVEs")
    click.echo("sources:")
    for name, location, imported, records in data.sources:
        click.echo(f"  {name}: {location} ({records} records, imported {imported})")
