"""``crakit csaf``: write, validate, render and publish CSAF 2.0 advisories (docs/csaf.md)."""

from __future__ import annotations

from pathlib import Path

import click

from crakit.cli.output import emit_json, format_option


@click.group()
def csaf() -> None:
    """Write, validate, render and publish CSAF 2.0 advisories (CRA Annex I Part II(4) and (8))."""


@csaf.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@format_option("text", default="text")
@click.option(
    "--mandatory-only", is_flag=True, help="Skip the recommended (6.2) and informative (6.3) tests."
)
@click.option(
    "--spellcheck", is_flag=True, help="Run informative test 6.3.8 with hunspell (must be installed)."
)
def validate_cmd(files: tuple[Path, ...], fmt: str, mandatory_only: bool, spellcheck: bool) -> None:
    """Validate CSAF 2.0 documents: JSON schema plus the tests of section 6.

    Exit 1 when a document fails the schema or a mandatory test (6.1.x); recommended (6.2.x) and
    informative (6.3.x) findings are warnings and infos.
    """
    from crakit.csaf import CsafInvalid, ValidationOptions, validate_file

    checker = None
    if spellcheck:
        from crakit.csaf import CsafInputError, hunspell_checker

        checker = hunspell_checker()
        if checker is None:
            raise CsafInputError(
                "--spellcheck needs hunspell and a dictionary (e.g. apt-get install hunspell-en-us)"
            )
    options = ValidationOptions(
        recommended=not mandatory_only, informative=not mandatory_only, spellchecker=checker
    )
    from crakit.cli.output import progress

    reports = []
    with progress("validating", len(files), show=len(files) >= 20) as update:
        for done, path in enumerate(files, 1):
            reports.append((path, validate_file(path, options)))
            if update is not None:
                update(done, None)
    if fmt == "json":
        rows = [{"file": str(path), **report.as_dict()} for path, report in reports]
        emit_json(rows[0] if len(rows) == 1 else rows)
    else:
        for path, report in reports:
            verdict = "valid" if report.valid else "INVALID"
            click.echo(f"{path}: {verdict} ({len(report.messages)} findings)")
            for m in report.messages:
                click.echo(f"  {m.severity:<7} {m.test:<9} {m.path or '/'}: {m.text}")
    invalid = [str(path) for path, report in reports if not report.valid]
    if invalid:
        raise CsafInvalid(f"{len(invalid)} of {len(reports)} documents failed a mandatory CSAF test")


@csaf.command("new")
@click.option(
    "--manifest",
    "manifest_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Product manifest (crakit init).",
)
@click.option(
    "--decisions",
    "decisions_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The manufacturer's decisions (YAML, docs/csaf.md).",
)
@click.option(
    "--sbom",
    "sbom_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SBOM: names the components findings matched.",
)
@click.option(
    "--findings",
    "findings_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output of `crakit scan --format json`.",
)
@click.option(
    "--profile",
    type=click.Choice(["advisory", "vex"]),
    default="advisory",
    show_default=True,
    help="CSAF profile: security advisory or VEX.",
)
@click.option(
    "--include-undecided", is_flag=True, help="List scan findings without a decision as under investigation."
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout."
)
def new_cmd(
    manifest_path: Path,
    decisions_path: Path,
    sbom_path: Path | None,
    findings_path: Path | None,
    profile: str,
    include_undecided: bool,
    output: Path | None,
) -> None:
    """Write a CSAF 2.0 security advisory or VEX document (Annex I Part II(4) and (8)).

    The document is validated before it is written; it always passes the mandatory tests.
    """
    from crakit import __version__
    from crakit.cli.output import warn
    from crakit.csaf import (
        WriterOptions,
        components_from,
        load_decisions,
        load_findings,
        product_from,
        write_document,
    )
    from crakit.manifest import load_manifest

    manifest = load_manifest(manifest_path)
    sbom = None
    if sbom_path is not None:
        from crakit.sbom import read_sbom

        sbom = read_sbom(sbom_path)
    decisions = load_decisions(decisions_path)
    findings = load_findings(findings_path) if findings_path is not None else ()
    product = product_from(manifest, sbom, vendor=decisions.publisher_name)
    options = WriterOptions(
        profile="vex" if profile == "vex" else "advisory",
        include_undecided=include_undecided,
        generator_version=__version__,
    )
    written = write_document(product, decisions, findings, components_from(sbom), options)
    for message in written.warnings:
        warn(message)
    if output is None:
        click.echo(written.data.decode(), nl=False)
    else:
        from crakit.cli.output import write_file

        write_file(output, written.data, "advisory")
        click.echo(
            f"Wrote {output} (valid CSAF 2.0, {len(written.report.messages)} non-blocking findings)", err=True
        )


@csaf.command("bump")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--summary", required=True, help="What changed in this revision.")
@click.option("--date", "date_text", help="Revision date (ISO 8601; default now, UTC).")
@click.option("--status", type=click.Choice(["draft", "interim", "final"]), help="New document status.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here (default: overwrite FILE).",
)
def bump_cmd(
    file: Path, summary: str, date_text: str | None, status: str | None, output: Path | None
) -> None:
    """Add a revision to FILE, keeping the tracking history valid (tests 6.1.14-6.1.22, 6.1.30)."""
    import datetime as dt

    from crakit.csaf import CsafInputError, CsafInvalid, bump_revision, dumps, read_document, validate

    document = read_document(file)
    when = None
    if date_text:
        try:
            when = dt.datetime.fromisoformat(date_text.replace("Z", "+00:00"))
        except ValueError:
            raise CsafInputError(f"--date: {date_text!r} is not an ISO 8601 date") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    new = bump_revision(document, summary, when, status)
    report = validate(new)
    if not report.valid:
        first = next(m for m in report.messages if m.severity == "error")
        raise CsafInvalid(f"after the bump the document fails {first.test} at {first.path}: {first.text}")
    from crakit.cli.output import write_file

    target = output or file
    write_file(target, dumps(new), "advisory")  # in place: the old version stays if this fails
    click.echo(f"{target}: version {new['document']['tracking']['version']}", err=True)


@csaf.command("render")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["html", "markdown"]), default="markdown", show_default=True
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout."
)
def render_cmd(file: Path, fmt: str, output: Path | None) -> None:
    """Render FILE as the advisory a user reads (Annex I Part II(8)): HTML or Markdown."""
    from crakit.csaf import CsafInputError, read_document
    from crakit.csaf import render_advisory as render

    doc = read_document(file)
    if not isinstance(doc, dict) or not isinstance(doc.get("document"), dict):
        raise CsafInputError(f"{file}: not a CSAF document (no 'document' object)")
    page = render(doc, fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(page, nl=False)
    else:
        from crakit.cli.output import write_file

        write_file(output, page.encode("utf-8"), "page")


@csaf.command("publish")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--base-url",
    required=True,
    help="Public https URL of DIRECTORY, e.g. https://example.com/.well-known/csaf",
)
@click.option(
    "--role",
    type=click.Choice(["csaf_publisher", "csaf_provider", "csaf_trusted_provider"]),
    help="Provider role (default: trusted provider when signing, else provider).",
)
@click.option("--sign-key", help="GnuPG key id: sign every document (.asc), as a trusted provider must.")
@click.option(
    "--openpgp-key", "openpgp_keys", multiple=True, help="FINGERPRINT=URL of a public OpenPGP key to list."
)
@click.option("--no-rolie", is_flag=True, help="Do not write ROLIE feeds.")
@format_option("text", default="text")
def publish_cmd(
    directory: Path,
    files: tuple[Path, ...],
    base_url: str,
    role: str | None,
    sign_key: str | None,
    openpgp_keys: tuple[str, ...],
    no_rolie: bool,
    fmt: str,
) -> None:
    """Publish FILES into DIRECTORY, a CSAF provider directory served as /.well-known/csaf/.

    Writes the year folders per TLP label, index.txt, changes.csv, .sha256/.sha512 files, ROLIE
    feeds and provider-metadata.json. Every document is validated first; an invalid one stops it (exit 1).
    """
    from crakit.cli.output import warn
    from crakit.csaf import CsafInputError, PublishOptions, gpg_signer, read_sources
    from crakit.csaf import publish_directory as publish

    keys = []
    for item in openpgp_keys:
        fingerprint, sep, url = item.partition("=")
        if not sep or not url.startswith("https://"):
            raise CsafInputError(f"--openpgp-key {item!r}: expected FINGERPRINT=https://...")
        keys.append((fingerprint, url))
    signer = gpg_signer(sign_key) if sign_key else None
    chosen = role or ("csaf_trusted_provider" if signer else "csaf_provider")
    options = PublishOptions(base_url=base_url, role=chosen, rolie=not no_rolie, openpgp_keys=tuple(keys))  # type: ignore[arg-type]
    result = publish(directory, read_sources(files), options, signer)
    for message in result.warnings:
        warn(message)
    if fmt == "json":
        emit_json(
            {
                "directory": str(directory),
                "role": chosen,
                "provider_metadata": f"{base_url.rstrip('/')}/provider-metadata.json",
                "documents": [
                    {"tlp": e.tlp, "path": e.relpath, "id": e.id, "updated": e.updated}
                    for e in result.entries
                ],
                "written": [str(p) for p in result.written],
            }
        )
    else:
        click.echo(f"{directory}: {len(result.entries)} documents, role {chosen}")
        click.echo(f"Add to /.well-known/security.txt:  CSAF: {base_url.rstrip('/')}/provider-metadata.json")
