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
        from crakit.cli.output import write_file

        write_file(output, data, "document")
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


@docs.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--sbom", type=click.Path(path_type=Path), help="The product's SBOM (Annex VII points 2(b), 8)."
)
@click.option(
    "--vulndb", type=click.Path(path_type=Path), help="Vulnerability database for the scan (needs --sbom)."
)
@click.option(
    "--vex",
    type=click.Path(path_type=Path),
    multiple=True,
    help="VEX file with triage decisions (repeatable).",
)
@click.option("--csaf", type=click.Path(path_type=Path), help="Folder of the product's CSAF advisories.")
@click.option(
    "--evidence",
    type=click.Path(path_type=Path),
    help="Folder of the manufacturer's texts (see: crakit docs evidence).",
)
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="html", show_default=True)
@_output_option
def technical(
    manifest: Path,
    sbom: Path | None,
    vulndb: Path | None,
    vex: tuple[Path, ...],
    csaf: Path | None,
    evidence: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Technical documentation of MANIFEST's product (Art 31, Annex VII).

    \b
    The Annex VII structure, each point filled with what crakit knows: the
    classification and its reasons, the SBOM and its BSI TR-03183-2 quality, the
    vulnerability status with VEX decisions (--sbom --vulndb --vex), the CSAF
    advisories (--csaf), the support-period rationale, the conformity route,
    standards and certificates, the declaration (Appendix B) and Annex II
    (Appendix A), and the retention date (Art 13(13)). The risk assessment lists
    every Annex I point as applicable or not with its justification. The
    manufacturer's own texts come from --evidence DIR (one Markdown file per
    section; `crakit docs evidence` creates them). A completeness table lists
    every text still to write.
    \b
    Examples:
      crakit docs evidence product.yaml --dir evidence
      crakit docs technical product.yaml --evidence evidence --sbom sbom.cdx.json \\
          --vulndb .crakit/vulns.db --vex triage.openvex.json --format pdf -o technical.pdf
    """
    from crakit.documents import TechnicalInputs, build_technical, render
    from crakit.manifest import load_manifest

    document = build_technical(
        load_manifest(manifest),
        TechnicalInputs(evidence=evidence, sbom=sbom, vulndb=vulndb, vex=vex, csaf=csaf),
    )
    _write(render(document, fmt), output, fmt)
    _report_missing(document)


@docs.command("user-info")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--evidence", type=click.Path(path_type=Path), help="Folder of the manufacturer's texts.")
@_lang_option
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="html", show_default=True)
@_output_option
def user_info(manifest: Path, evidence: Path | None, lang: str, fmt: str, output: Path | None) -> None:
    """Information and instructions to the user (Art 13(18), Annex II).

    \b
    Every Annex II point: manufacturer and single point of contact, product
    identification, intended purpose, foreseeable risks, where the declaration
    is, the type of support and the end of support to the month with the notice
    of Art 13(19), instructions for secure use, updates, decommissioning and data
    removal, and where the SBOM is. Texts come from --evidence DIR
    (annex-ii-*.md) or documents.instructions_url.
    \b
    Example:
      crakit docs user-info product.yaml --evidence evidence --lang nl --format pdf -o info-nl.pdf
    """
    from crakit.documents import build_user_info, read_evidence, render
    from crakit.manifest import load_manifest

    document = build_user_info(load_manifest(manifest), evidence=read_evidence(evidence), lang=lang)
    _write(render(document, fmt), output, fmt)
    _report_missing(document)


@docs.command("security-txt")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--expires-days",
    type=click.IntRange(1, 366),
    default=365,
    show_default=True,
    help="Days until the file expires (RFC 9116 recommends less than a year).",
)
@click.option(
    "--sign-key", metavar="KEY", help="Sign with this GnuPG secret key (id, fingerprint or e-mail)."
)
@click.option("--gnupg-home", type=click.Path(path_type=Path, file_okay=False), help="GnuPG home directory.")
@_output_option
def security_txt(
    manifest: Path, expires_days: int, sign_key: str | None, gnupg_home: Path | None, output: Path | None
) -> None:
    """An RFC 9116 security.txt from MANIFEST's security_contact (Art 13(17), Annex I Part II(6)).

    \b
    Contact, Expires, Encryption, Policy, Acknowledgments, Canonical,
    Preferred-Languages, Hiring and CSAF; signed as an OpenPGP cleartext message
    when --sign-key is given (needs gpg). Publish it at
    https://<your site>/.well-known/security.txt. The file is checked against
    RFC 9116 before it is written.
    \b
    Example:
      crakit docs security-txt product.yaml --sign-key security@example.com -o security.txt
    """
    import datetime as dt

    from crakit.documents import check_security_txt, clearsign, write_security_txt
    from crakit.errors import EXIT_INTERNAL
    from crakit.manifest import load_manifest

    text = write_security_txt(
        load_manifest(manifest), expires=dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_days)
    )
    if sign_key:
        text = clearsign(text, sign_key, gnupg_home)
    report = check_security_txt(text.encode())
    if not report.valid:  # a bug: the writer must produce what the validator accepts
        for finding in report.findings:
            warn(f"{finding.severity}: {finding.message} ({finding.ref})")
        sys.exit(EXIT_INTERNAL)
    _write(text.encode(), output, "text")


@docs.command("check-security-txt")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--verify", "verify_signature", is_flag=True, help="Also verify the OpenPGP signature with gpg's keyring."
)
@click.option(
    "--gnupg-home", type=click.Path(path_type=Path, file_okay=False), help="GnuPG home with the public key."
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check_security_txt_cmd(file: Path, verify_signature: bool, gnupg_home: Path | None, fmt: str) -> None:
    """Validate FILE against RFC 9116; exit 1 when it is invalid.

    \b
    Errors break the RFC (no Contact, no or several Expires, an expiry in the
    past, http:// addresses, malformed lines or language tags); warnings and
    notices do not (an expiry more than a year ahead, unknown fields).
    """
    from crakit.documents import MAX_SECURITY_TXT_BYTES, check_security_txt, verify
    from crakit.errors import EXIT_FINDINGS
    from crakit.readlimit import read_limited

    data = read_limited(file, MAX_SECURITY_TXT_BYTES, "security.txt")
    report = check_security_txt(data)
    signature: dict[str, object] | None = None
    if verify_signature and report.signed:
        good, reason = verify(data, gnupg_home)
        signature = {"verified": good, "reason": reason}
    if fmt == "json":
        emit_json({**report.to_json(), "signature": signature})
    else:
        for finding in report.findings:
            where = f"line {finding.line}: " if finding.line else ""
            click.echo(f"{finding.severity}: {where}{finding.message} ({finding.ref})")
        if signature is not None:
            click.echo(
                f"signature: {'good' if signature['verified'] else 'NOT verified'} ({signature['reason']})"
            )
        click.echo(f"{file}: {'valid' if report.valid else 'INVALID'} (RFC 9116)")
    if not report.valid or (signature is not None and not signature["verified"]):
        sys.exit(EXIT_FINDINGS)


@docs.command("cvd-policy")
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="markdown", show_default=True)
@_output_option
def cvd_policy(manifest: Path, fmt: str, output: Path | None) -> None:
    """A coordinated vulnerability disclosure policy (Annex I Part II(5)-(6)).

    \b
    How to report (security_contact), the commitments set in the manifest's cvd
    section (acknowledge_days, assessment_days, disclosure_days, safe_harbour;
    those not set are listed as still to decide), disclosure through advisories
    (Annex I Part II(4)) and the duties of Art 13(6) and Art 14.
    """
    from crakit.documents import build_cvd_policy, render
    from crakit.manifest import load_manifest

    document = build_cvd_policy(load_manifest(manifest))
    _write(render(document, fmt), output, fmt)
    _report_missing(document)


@docs.command("upstream-report")
@click.argument("component")
@click.option("--sbom", type=click.Path(path_type=Path), required=True, help="The product's SBOM.")
@click.option("--vulndb", type=click.Path(path_type=Path), required=True, help="Vulnerability database.")
@click.option("--vex", type=click.Path(path_type=Path), multiple=True, help="VEX file (repeatable).")
@click.option(
    "--manifest", type=click.Path(path_type=Path), help="The product manifest (sender and contact)."
)
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="markdown", show_default=True)
@_output_option
def upstream_report(
    component: str,
    sbom: Path,
    vulndb: Path,
    vex: tuple[Path, ...],
    manifest: Path | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Report to the maintainer of COMPONENT the vulnerabilities found in it (Art 13(6)).

    \b
    COMPONENT is a purl (with or without @version) or a name as the SBOM writes
    it. One report per vulnerability, with what the scan and your VEX decisions
    say and the lines only you can write (how it shows in your product, your fix).
    \b
    Example:
      crakit docs upstream-report pkg:maven/org.apache.logging.log4j/log4j-core \\
          --sbom sbom.cdx.json --vulndb .crakit/vulns.db --manifest product.yaml
    """
    from crakit.documents import build_upstream_report, render
    from crakit.manifest import load_manifest

    document = build_upstream_report(
        sbom, vulndb, component, manifest=load_manifest(manifest) if manifest else None, vex=vex
    )
    _write(render(document, fmt), output, fmt)
    for note in document.notes:
        warn(f"{note.text} ({note.ref})")


@docs.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(_DOC_FORMATS), default="markdown", show_default=True)
@_output_option
def checklist(manifest: Path, fmt: str, output: Path | None) -> None:
    """What the manifest's operator must check or keep (Arts 13(12), 19, 20, 23, 24).

    \b
    Importers (Art 19) and distributors (Art 20): CE marking, declaration,
    documents, contact details, SBOM availability on request, and the Art 23
    records. Stewards: the Art 24 policy. Manufacturers: the Art 13(12) sequence.
    """
    from crakit.documents import build_checklist, render
    from crakit.manifest import load_manifest

    document = build_checklist(load_manifest(manifest))
    _write(render(document, fmt), output, fmt)


@docs.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("evidence"),
    show_default=True,
)
def evidence(manifest: Path, folder: Path) -> None:
    """Create the evidence folder: one Markdown file per text the manufacturer writes.

    \b
    Files are named after their Annex section (annex-vii-3-risk-assessment.md,
    annex-i-part-i-2a.md, annex-ii-8d-decommissioning.md, ...), each with what to
    write as a comment. Existing files are never overwritten. For the Annex I
    Part I(2) files, start with a line 'Applies: yes' or 'Applies: no'.
    """
    from crakit.documents import write_templates
    from crakit.manifest import load_manifest

    product = load_manifest(manifest).product
    written = write_templates(
        folder, hardware=product.kind != "software", component=product.kind == "component"
    )
    click.echo(f"{len(written)} file(s) created in {folder}", err=True)
