"""``crakit sbom``: read, validate, quality-check, convert and merge SBOMs (Annex I Part II(1))."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crakit.cli.output import console, emit_json, format_option

_MAX_BYTES = click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=512 * 1024 * 1024,
    show_default=True,
    help="Refuse files larger than this (bounds memory).",
)
_FILE = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


def _read(file: Path, max_bytes: int) -> Any:
    from crakit.sbom import read_sbom

    return read_sbom(file, max_bytes=max_bytes)


@click.group()
def sbom() -> None:
    """Read, validate, quality-check, convert and merge SBOMs.

    CycloneDX 1.0-1.7 (JSON, XML) and SPDX 2.1-2.3 (JSON, YAML, tag-value) and
    3.0 (JSON-LD); the format is detected from the content, never the file name.
    Exit codes: 0 ok, 1 invalid or a required field missing, 2 unreadable input.
    """


@sbom.command()
@_FILE
@format_option("text")
@_MAX_BYTES
def info(file: Path, fmt: str, max_bytes: int) -> None:
    """Format, version, component count, tools, creation time and product of FILE."""
    from crakit.sbom import info_record

    record = info_record(_read(file, max_bytes))
    if fmt == "json":
        emit_json(record)
        return
    product = record["product"]
    lines = [
        ("format", f"{record['format']} {record['spec_version']} ({record['serialization']})"),
        ("components", str(record["components"])),
        ("top-level dependencies", str(record["top_level_dependencies"])),
        ("product", f"{product['name']} {product['version'] or ''}".strip() if product else "-"),
        ("created", record["created"] or "-"),
        ("tools", ", ".join(record["tools"]) or "-"),
        ("authors", ", ".join(record["authors"]) or "-"),
        ("uri", record["uri"] or "-"),
    ]
    for key, value in lines:
        click.echo(f"{key + ':':<24}{value}")


@sbom.command()
@_FILE
@format_option("table", "csv", default="table")
@_MAX_BYTES
def components(file: Path, fmt: str, max_bytes: int) -> None:
    """List the components of FILE (the product itself is not one of them in CycloneDX)."""
    from crakit.sbom import component_record, components_csv

    doc = _read(file, max_bytes)
    if fmt == "json":
        emit_json([component_record(c) for c in doc.components])
    elif fmt == "csv":
        click.echo(components_csv(doc.components), nl=False)
    else:
        from rich.table import Table

        table = Table("name", "version", "purl", "licenses", "top", box=None)
        for c in doc.components:
            table.add_row(
                c.name, c.version or "", c.purl or "", ", ".join(c.licenses), "*" if c.top_level else ""
            )
        console().print(table)


@sbom.command()
@_FILE
@format_option("text")
@_MAX_BYTES
@click.option(
    "--max-errors", type=click.IntRange(min=1), default=20, show_default=True, help="Errors to list."
)
def validate(file: Path, fmt: str, max_bytes: int, max_errors: int) -> None:
    """Validate FILE strictly against the official schema of its own version (exit 1 when invalid)."""
    from crakit.sbom import SbomInvalid, validate_file

    report = validate_file(file, max_bytes=max_bytes, max_errors=max_errors)
    if fmt == "json":
        emit_json(
            {
                "valid": report.valid,
                "format": report.format,
                "spec_version": report.spec_version,
                "serialization": report.serialization,
                "schema": report.schema,
                "error_count": report.error_count,
                "errors": [{"pointer": e.pointer, "message": e.message} for e in report.errors],
                "note": report.note,
            }
        )
    else:
        label = f"{report.format} {report.spec_version} ({report.serialization})"
        if report.valid:
            click.echo(f"valid: {label} against {report.schema}")
        else:
            for e in report.errors:
                click.echo(f"{e.pointer}: {e.message}")
        if report.note:
            click.echo(f"note: {report.note}", err=True)
    if not report.valid:
        against = f"against {report.schema}" if report.schema else "(no schema: unsupported version)"
        raise SbomInvalid(f"{file}: invalid, {report.error_count} error(s) {against}")


@sbom.command()
@_FILE
@format_option("table", default="table")
@_MAX_BYTES
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Failing components to print (text output).",
)
def check(file: Path, fmt: str, max_bytes: int, limit: int) -> None:
    """Quality of FILE against BSI TR-03183-2 v2.0 and the CRA minimum (Annex I Part II(1)).

    Exit 1 when a required field is missing in the document or any component.
    """
    from crakit.errors import PolicyFailure
    from crakit.sbom import check_quality

    report = check_quality(_read(file, max_bytes))
    if fmt == "json":
        emit_json(
            {
                "passed": report.passed,
                "score": report.score,
                "components": report.components,
                "fields": [
                    {
                        "id": f.rule.id,
                        "title": f.rule.title,
                        "level": f.rule.level,
                        "required": f.rule.required,
                        "reference": f.rule.reference,
                        "assessed": f.assessed,
                        "covered": f.covered if f.assessed else None,
                        "total": f.total if f.assessed else None,
                        "percent": f.percent,
                    }
                    for f in report.fields
                ],
                "failing_components": [
                    {"ref": c.ref, "name": c.name, "version": c.version, "missing": list(c.missing)}
                    for c in report.failing
                ],
            }
        )
    else:
        from rich.table import Table

        table = Table("field", "level", "required", "coverage", box=None)
        for f in report.fields:
            table.add_row(
                f.rule.title,
                f.rule.level,
                "yes" if f.rule.required else "",
                f"{f.percent:.1f}% ({f.covered}/{f.total})" if f.percent is not None else "not assessed",
            )
        out = console()
        out.print(table)
        for c in report.failing[:limit]:
            out.print(f"  {c.name} {c.version or ''}: missing {', '.join(c.missing)}")
        if len(report.failing) > limit:
            out.print(f"  ... and {len(report.failing) - limit} more failing components (use --format json)")
        out.print(
            f"score: {report.score:.1f}% ({len(report.failing)} of {report.components} components incomplete)"
        )
        skipped = [f.rule.id for f in report.fields if not f.assessed]
        if skipped:
            out.print(f"not assessed for this format: {', '.join(skipped)} (see docs/sbom.md)")
    if not report.passed:
        raise PolicyFailure(
            f"{file}: required SBOM fields missing (BSI TR-03183-2 v2.0 / CRA Annex I Part II(1))"
        )


_TARGET = click.option(
    "--to",
    "target",
    type=click.Choice(["cyclonedx-1.6", "spdx-2.3"]),
    default="cyclonedx-1.6",
    show_default=True,
    help="Format to write.",
)


@sbom.command()
@_FILE
@_TARGET
@format_option(default="json")
@_MAX_BYTES
def convert(file: Path, target: str, fmt: str, max_bytes: int) -> None:
    """Write FILE as CycloneDX 1.6 JSON or SPDX 2.3 JSON on stdout."""
    from crakit.sbom import convert_sbom as convert_doc

    emit_json(convert_doc(_read(file, max_bytes), target))


@sbom.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@_TARGET
@click.option(
    "--product", "product_name", help="Name of the merged product (default: the first document's product)."
)
@format_option(default="json")
@_MAX_BYTES
def merge(files: tuple[Path, ...], target: str, product_name: str | None, fmt: str, max_bytes: int) -> None:
    """Merge the SBOMs of one product's parts into one, deduplicated by package URL."""
    from crakit.sbom import convert_sbom as convert_doc
    from crakit.sbom import merge_sboms

    merged = merge_sboms([_read(f, max_bytes) for f in files], product_name=product_name)
    emit_json(convert_doc(merged, target))
