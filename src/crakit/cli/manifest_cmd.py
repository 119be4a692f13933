"""``crakit init`` and ``crakit manifest``."""

from __future__ import annotations

from pathlib import Path

import click

from crakit.cli.output import emit_json, format_option


@click.command()
@click.argument("path", default="product.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@format_option("text", default="text")
def init(path: Path, force: bool, fmt: str) -> None:
    """Write a commented product-manifest template to PATH (default: product.yaml).

    Edit it, then run `crakit classify PATH`.
    """
    from crakit.cli.output import atomic_output
    from crakit.errors import InputError
    from crakit.manifest import template_text

    if path.exists() and not force:
        raise InputError(f"{path} already exists", hint="use --force to overwrite it")
    with atomic_output(path, "manifest") as handle:
        handle.write(template_text().encode("utf-8"))
    if fmt == "json":
        emit_json({"written": str(path), "next": f"crakit classify {path}"})
        return
    click.echo(f"Wrote {path}. Edit it, then run: crakit classify {path}", err=True)


@click.group()
def manifest() -> None:
    """Validate product manifests and export their JSON Schema (docs/manifest.md)."""


@manifest.command("schema")
@click.option(
    "--format", "fmt", type=click.Choice(["json"]), default="json", help="Always JSON (a JSON Schema)."
)
def schema(fmt: str) -> None:
    """Print the JSON Schema of manifest format version 1."""
    from crakit.manifest import SCHEMA

    emit_json(SCHEMA)


@manifest.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@format_option("text", default="text")
def check(path: Path, fmt: str) -> None:
    """Validate the manifest at PATH; exit 0 when valid, 2 with the first problem otherwise."""
    from crakit.manifest import load_manifest

    loaded = load_manifest(path)
    if fmt == "json":
        emit_json(
            {"valid": True, "product": {"name": loaded.product.name, "version": loaded.product.version}}
        )
    else:
        click.echo(f"{path}: valid (product {loaded.product.name} {loaded.product.version})")
