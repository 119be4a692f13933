"""``crakit scan``: match SBOMs against the offline vulnerability database (Annex I Part I(2)(a))."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crakit.cli.output import format_option, info, warn

FORMATS = ("table", "sarif", "cyclonedx-vdr", "openvex")


@click.command(
    "scan",
    epilog="""\b
Exit codes: 0 no finding at or above --fail-on (default none: report only);
1 the --fail-on gate tripped; 2 bad input, or no/corrupt database
(a scan without data never reports "0 vulnerabilities").
--fail-on exploited fails on CISA KEV- or ENISA EUVD-listed findings not
suppressed by VEX (the Annex I Part I(2)(a) gate); critical/high also trip on
exploited ones. Only exact matches count unless --fail-on-confidence says so.

\b
Components without a purl are matched by CPE when the database holds NVD or
CVE List V5 data (crakit db build --nvd DIR --cvelist DIR): the SBOM's own CPE
(exact), the alias table's CPE for a name and version (derived-cpe, high), a CVE 5
vendor/product name (cve5-product, high at most). Each finding says how (match.method) and
how sure (match.confidence).""",
)
@click.argument("sboms", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Database file (default: $CRAKIT_DB or the user data directory).",
)
@click.option(
    "--vex",
    "vex_files",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="OpenVEX, CycloneDX VEX/VDR or CSAF VEX document (repeatable).",
)
@click.option(
    "--build-vex",
    "build_vex",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="Build-time VEX (repeatable): Yocto cve-check JSON, or a Yocto layer / Buildroot tree /"
    " OpenWrt package folder whose CVE_STATUS, IGNORE_CVES and CVE patches mark CVEs fixed or not_affected.",
)
@format_option(*FORMATS, default="table")
@click.option(
    "--fail-on",
    type=click.Choice(["exploited", "critical", "high", "any", "none"]),
    default="none",
    show_default=True,
    help="Exit 1 when an unsuppressed finding reaches this level.",
)
@click.option(
    "--unknown-severity",
    type=click.Choice(["fail", "pass"]),
    default="fail",
    show_default=True,
    help="Whether findings no record gives a severity count for --fail-on critical|high.",
)
@click.option(
    "--fail-on-confidence",
    type=click.Choice(["exact", "high", "low"]),
    default="exact",
    show_default=True,
    help="Lowest match confidence that counts for --fail-on: exact (purl, or the SBOM's own CPE),"
    " high (alias-table or derived CPE, CVE 5 product name), low (an unmet running-on platform"
    " condition).",
)
@click.option(
    "--show-suppressed", is_flag=True, help="Also list findings a VEX statement marks not_affected or fixed."
)
@click.option(
    "--max-db-age",
    type=click.FloatRange(min=0),
    default=7.0,
    show_default=True,
    help="Warn when the newest record is older than this many days (0: never).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=0,
    show_default="0: one per CPU",
    help="Processes a large scan (3,000 components or more) is shared among, on Linux; 1 keeps it"
    " in one. The report is the same either way.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report here instead of stdout.",
)
def scan(
    sboms: tuple[Path, ...],
    db_path: Path | None,
    vex_files: tuple[Path, ...],
    build_vex: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    unknown_severity: str,
    fail_on_confidence: str,
    show_suppressed: bool,
    max_db_age: float,
    jobs: int,
    output: Path | None,
) -> None:
    """Scan SBOMs for known (and known exploited) vulnerabilities, offline."""
    import gc

    # A short-lived process building many small objects: cyclic GC only costs time here.
    gc.disable()
    from crakit.vulndb import GateTripped, evaluate_gate, open_database
    from crakit.vulndb import scan as run_scan

    if output is not None:  # refuse an unwritable output before doing the work
        from crakit.cli.output import check_writable

        check_writable(output, "report")
    db = open_database(db_path)
    documents, statements = read_inputs(sboms)
    if vex_files:
        from crakit.vex import read_vex

        for path in vex_files:
            statements.extend(read_vex(path))
    if build_vex:
        from crakit.vex import read_build_tree, read_vex

        for path in build_vex:
            statements.extend(read_build_tree(path) if path.is_dir() else read_vex(path))
    from crakit.cli.output import progress

    size = sum(len(d.components) for d in documents)
    # No refresh thread for the bar: a scan shared among processes forks only a one-thread process.
    with progress("matching packages", None, show=size >= 20_000, threaded=False) as update:
        result = run_scan(documents, db, update, workers=jobs)
    if statements:
        from crakit.vex import apply_statements

        result = apply_statements(result, statements, [s.product for s in documents if s.product is not None])
    _warnings(result, max_db_age)
    gate = evaluate_gate(result, fail_on, unknown_severity, fail_on_confidence)
    if gate.unknown_severity and fail_on in ("critical", "high"):
        warn(
            f"{gate.unknown_severity} finding(s) have no severity in any record; they "
            + (
                "count as failing --fail-on (--unknown-severity pass to leave them out)"
                if gate.unknown_counted
                else "were left out of --fail-on (--unknown-severity pass)"
            )
        )
    if gate.exploited_below_confidence and fail_on != "none" and not gate.tripped:
        warn(
            f"{gate.exploited_below_confidence} known exploited finding(s) matched below the "
            f"{fail_on_confidence} confidence were not counted by --fail-on "
            "(--fail-on-confidence high|low counts them; see match.confidence)"
        )
    _emit(result, gate, fmt, show_suppressed, output)
    from crakit.cli.errors import done_with_heap

    done_with_heap()  # the report is written: the executable need not free the findings one by one
    if gate.tripped:
        raise GateTripped(gate.message or "gate tripped")


def _warnings(result: Any, max_age: float) -> None:
    dbinfo = result.database
    if dbinfo is not None:
        if dbinfo.records == 0 and dbinfo.cpe_records == 0:
            warn(f"the database {dbinfo.path} holds no OSV records: nothing could be matched")
        elif dbinfo.records == 0 and result.components_without_purl < result.components:
            warn(
                f"the database {dbinfo.path} holds no OSV records: components with a purl were matched by CPE only"
            )
        if max_age and dbinfo.age_days is not None and dbinfo.age_days > max_age:
            warn(
                f"vulnerability data is {dbinfo.age_days:.0f} days old (newest record {dbinfo.data_as_of}); "
                "run `crakit db update`"
            )
        if (
            max_age
            and dbinfo.kev_entries
            and dbinfo.kev_age_days is not None
            and dbinfo.kev_age_days > max_age
        ):
            warn(
                f"the CISA KEV catalogue is {dbinfo.kev_age_days:.0f} days old ({dbinfo.kev_date_released}): "
                "newly exploited vulnerabilities are missing from `exploited`"
            )
        if dbinfo.kev_entries == 0 and dbinfo.euvd_entries == 0:
            warn("no CISA KEV catalogue in the database: `exploited` cannot be determined")
    if result.components == 0 or (
        result.components_without_purl == result.components and result.cpe_checked == 0
    ):
        warn("no component carries a usable purl, so nothing was checked: 0 findings is not a clean result")
    elif result.skipped and result.cpe_checked:
        warn(
            f"{len(result.skipped)} component(s) have neither a usable purl nor a CPE crakit could match:"
            " they were not checked (see skipped_components in --format json)"
        )
    for eco, count in result.uncovered:
        warn(f"the database has no {eco} advisories: {count} {eco} component(s) were not checked")
    if result.unevaluated:
        warn(
            f"{len(result.unevaluated)} advisory matches could not be evaluated (see not_evaluated in --format json)"
        )
    for note in result.vex_unmatched:
        warn(f"VEX statement in {note.source} for {note.vulnerability} ({note.status}) matched no finding")


def read_inputs(paths: tuple[Path, ...]) -> tuple[list[Any], list[Any]]:
    """SBOMs, and the statements of VEX documents given among them (``--vex a.json b.json`` leaves
    b.json here). Each file is read once; a file counts as VEX when it is not an SBOM, or is a
    component-less CycloneDX document, and its content reads as VEX; anything else keeps the SBOM
    reader's error."""
    from crakit.errors import InputError
    from crakit.sbom import DEFAULT_MAX_BYTES, SbomError, load_bytes, parse_sbom

    documents: list[Any] = []
    statements: list[Any] = []
    for path in paths:
        data = load_bytes(path, max_bytes=DEFAULT_MAX_BYTES)
        try:
            sbom = parse_sbom(data, source=str(path))
        except SbomError as exc:
            vex = _as_vex(data, path)
            if vex is None:
                raise SbomError(f"{path}: {exc.message}", hint=exc.hint) from None
            statements.extend(vex)
            continue
        if not sbom.components and sbom.product is None:
            vex = _as_vex(data, path)
            if vex is not None:
                statements.extend(vex)
                continue
        documents.append(sbom)
    if not documents:
        raise InputError("no SBOM among the inputs", hint="give at least one SBOM file")
    return documents, statements


def _as_vex(data: bytes, path: Path) -> list[Any] | None:
    from crakit.vex import VexError, parse_vex

    try:
        statements: list[Any] = parse_vex(data, str(path))
    except VexError:
        return None
    if not statements:
        return None
    info(f"{path}: a VEX document, applied as --vex")
    return statements


def _emit(result: Any, gate: Any, fmt: str, show_suppressed: bool, output: Path | None) -> None:
    from crakit.cli.output import atomic_output
    from crakit.formats import ScanFormat, write_scan

    chosen = ScanFormat(fmt)
    if chosen is ScanFormat.TABLE:
        if output is None:
            _table(result, show_suppressed, None)
        else:
            with atomic_output(output, "report") as handle:
                _table(result, show_suppressed, handle)
        return
    if output is not None:
        with atomic_output(output, "report") as handle:
            write_scan(result, chosen, handle, gate=gate, show_suppressed=show_suppressed)
        return
    import sys

    sys.stdout.flush()
    stdout = sys.stdout.buffer
    write_scan(result, chosen, stdout, gate=gate, show_suppressed=show_suppressed)
    stdout.write(b"\n")
    stdout.flush()


def _table(result: Any, show_suppressed: bool, handle: Any) -> None:
    """Findings for people: one row per finding, exploited first, tokens never split."""
    import io
    from collections import Counter

    from rich.console import Console
    from rich.table import Table

    from crakit.cli.output import console
    from crakit.cli.render import middle_ellipsis, plain_width, severity, totals

    buffer = io.StringIO() if handle is not None else None
    out = Console(file=buffer, width=200, no_color=True, highlight=False) if buffer is not None else console()
    plain_width(out)
    rows = result.findings if show_suppressed else result.active()
    triaged = any(f.status != "affected" for f in rows)
    cells: list[list[str]] = []
    widths = [len("Severity"), len("Vulnerability"), 0, len("Fixed in"), len("Status")]
    for f in rows:
        ids = [f.id, *(a for a in f.aliases if a.startswith("CVE-"))]
        sev = [severity(f.severity)]
        if f.vulnerability.kev:
            first = f.vulnerability.kev[0]
            sev.append(f"[bold red]KEV[/] {first.date_added or ''}")
            if first.link == "related":
                ids.append(f"{first.cve} (related)")
        if f.vulnerability.euvd:  # ENISA's exploited list, beside (or instead of) KEV
            sev.append(f"[bold red]EUVD[/] {f.vulnerability.euvd[0].date or ''}")
        fixed = ", ".join(f.fixed) or "-"
        status = [f.status, *([f.justification] if f.justification else [])]
        widths[0] = max(
            widths[0], len(f.severity), 14 if f.vulnerability.kev else 0, 15 if f.vulnerability.euvd else 0
        )
        widths[1] = max(widths[1], *(len(i) for i in ids))
        widths[3] = max(widths[3], min(len(fixed), 24))
        widths[4] = max(widths[4], *(len(x) for x in status))
        name = f"{f.component.name} {f.version or f.component.version or ''}".strip()
        if f.modules:
            name += f" +{len(f.modules)} more"
        if f.method != "purl":  # how a CPE finding matched, and how sure it is
            name += f" ({f.method}, {f.confidence})"
        cells.append(["\n".join(sev), "\n".join(ids), f"{name}\n{f.key}", fixed, "\n".join(status)])
    columns = ["Severity", "Vulnerability", "Package", "Fixed in"] + (["Status"] if triaged else [])
    used = [w for i, w in enumerate(widths) if i != 2 and (i != 4 or triaged)]
    room = max(16, out.width - sum(used) - 2 * (len(columns) - 1))
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    for i, title in enumerate(columns):
        width = room if i == 2 else widths[i]
        table.add_column(title, no_wrap=True, min_width=width, max_width=width, overflow="ellipsis")
    for row in cells:
        name, purl = row[2].split("\n", 1)
        row[2] = f"{middle_ellipsis(name, room)}\n[dim]{middle_ellipsis(purl, room)}[/]"
        table.add_row(*row[: len(columns)], end_section=True)
    active = result.active()
    counts = Counter(f.severity for f in active)
    exploited = sum(f.exploited for f in active)
    lists = sorted({c for f in active for c in f.vulnerability.catalogues}, key=("KEV", "EUVD").index)
    names = " and ".join("CISA KEV" if c == "KEV" else "ENISA EUVD" for c in lists)
    out.print(
        f"[bold]{len(active)} findings[/] in {result.components} components: {totals(counts)}"
        + (f"; [bold red]{exploited} known exploited[/] ({names})" if exploited else "")
    )
    if rows:
        out.print(table)
    suppressed = len(result.findings) - len(active)
    if suppressed and not show_suppressed:
        out.print(f"{suppressed} finding(s) suppressed by VEX (--show-suppressed lists them)")
    if result.skipped:
        reasons = Counter(s.reason for s in result.skipped)
        out.print(
            f"[yellow]{len(result.skipped)} component(s) not checked[/]: "
            + ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
            + " (names in --format json: skipped_components)"
        )
    if buffer is not None:
        handle.write(buffer.getvalue().encode("utf-8"))
