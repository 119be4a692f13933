"""``crakit docs``: conformity documents generated from the product's own evidence (Arts 13, 28, 30, 31)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from crakit.cli.output import emit_json, warn

_DOC_FORMATS = ("html", "pdf", "markdown", "json")


def _output_option(func: Any) -> Any:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Write to this file instead of stdout (a PDF is never written to a terminal).",
    )(func)


def _lang_option(func: Any) -> Any:
    return click.option(
        "--lang",
        default="en",
        show_default=True,
        metavar="CODE",
        help="Language of the document: en, fr, nl, de (any language with a catalogue file).",
    )(func)


def _write(data: bytes, output: Path | None, fmt: str) -> None:
    if output is not None:
        try:
            output.write_bytes(data)
        except OSError as exc:
            from crakit.errors import InputError

            raise InputError(f"{output}: cannot write ({exc.strerror})") from None
        click.echo(f"wrote {output}", err=True)
        return
    if fmt == "pdf" and sys.stdout.isatty():
        from crakit.errors import InputError

        raise InputError("a PDF is not written to a terminal", hint="add -o FILE.pdf or redirect stdout")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _report_missing(document: Any) -> None:
    missing = document.missing()
    if missing:
        warn(f"{len(missing)} element(s) still to write: " + ", ".join(item.ref for item in missing))


@click.group()
def docs() -> None:
    """Conformity documents from the product's own evidence (Arts 13, 28, 30, 31).

    \b
    Every document is generated from the manifest, crakit's decisions and the
    manufacturer's evidence files; never edit the output: fix the source and
    generate again. Each document lists what the manufacturer still has to write.
    \b
      declaration         EU declaration of conformity (Annex V; --simplified: Annex VI)
      technical           technical documentation (Annex VII)
      user-info           information and instructions to the user (Annex II)
      security-txt        RFC 9116 security.txt (signed with --sign-key)
      check-security-txt  validate a security.txt against RFC 9116
      cvd-policy          coordinated vulnerability disclosure policy (Annex I Part II(5)-(6))
      upstream-report     report a vulnerability to a component's maintainer (Art 13(6))
      checklist           what importers and distributors check (Arts 19, 20, 23); stewards (Art 24)
      evidence            create the evidence folder with one file per section to write
    \b
    Exit codes: 0 written; 1 the law asks for no such document here (the reason is
    printed) or a checked security.txt is invalid; 2 bad input.
    """


@docs.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--simplified", is_flag=True, help="The simplified declaration of Annex VI (Art 13(20)).")
@_lang_option
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="html", show_default=True)
@_output_option
def declaration(manifest: Path, simplified: bool, lang: str, fmt: str, output: Path | None) -> None:
    """EU declaration of conformity of MANIFEST's product (Art 28, Annex V).

    \b
    Every Annex V point in order, filled from the manifest and crakit's
    classification: the procedure of Art 32 followed, the notified body and
    certificate where one is needed (conformity.*), the standards applied
    (standards.*), the signature block (declaration.*), and the CE marking rules
    of Art 30. --simplified writes the Annex VI text with the address of the full
    declaration (declaration.url). Points still to fill are listed (JSON:
    "missing") and the document is marked as a draft.
    \b
    A product outside the CRA, a steward, an importer or a distributor gets no
    declaration: exit 1 with the reason.
    \b
    Examples:
      crakit docs declaration product.yaml --lang fr --format pdf -o doc-fr.pdf
      crakit docs declaration product.yaml --format json | jq .missing
      crakit docs declaration product.yaml --simplified --lang nl
    """
    from crakit.documents import build_declaration, declaration_json, render
    from crakit.manifest import load_manifest

    document = build_declaration(load_manifest(manifest), lang=lang, simplified=simplified)
    if fmt == "json":
        emit_json(declaration_json(document))
    else:
        _write(render(document, fmt), output, fmt)
    for note in document.notes:
        warn(f"{note.text} ({note.ref})")
    _report_missing(document)
