"""``crakit report``: Article 14 reporting (cases, clocks, ENISA form drafts, user notices).

Thin glue: parse options, call one function of :mod:`crakit.reporting`, print.
"""

from __future__ import annotations

from typing import Any

import click

from crakit.cli.output import emit_json, format_option, warn

CASE_ID = click.IntRange(1, 2**31 - 1)
TIME_HELP = "ISO 8601 with a time zone, e.g. 2026-10-02T08:15:00Z or 2026-10-02T10:15:00+02:00"


@click.group("report")
def report() -> None:
    """Article 14 reporting: cases, exact legal clocks, ENISA form drafts, user notices.

    \b
    Clocks (CRA Art 14(2) and 14(4)), all in UTC:
      early warning  = awareness + 24 h
      notification   = awareness + 72 h
      final report   = fix available + 14 days (vulnerability)
                       notification filed + 1 calendar month (incident)
    Cases live in the workspace store (.crakit/crakit.db, --workspace DIR,
    or CRAKIT_DATABASE_URL for PostgreSQL).
    """


def _rules(legal_tz: str, holidays: tuple[str, ...]) -> Any:
    from crakit.reporting import PeriodRules, holiday_calendar, legal_zone

    return PeriodRules(legal_zone(legal_tz), holiday_calendar(holidays))


def period_options(func: Any) -> Any:
    func = click.option(
        "--holiday",
        "holidays",
        multiple=True,
        metavar="YYYY-MM-DD",
        help="A public holiday for the 1182/71 reading (repeatable; weekends always count).",
    )(func)
    return click.option(
        "--legal-tz",
        default="UTC",
        show_default=True,
        help="IANA time zone whose calendar days the 1182/71 reading uses (e.g. Europe/Brussels).",
    )(func)


@report.command("clock")
@click.option("--kind", required=True, type=click.Choice(["vulnerability", "incident"]))
@click.option("--aware-at", required=True, help=f"When you became aware. {TIME_HELP}")
@click.option(
    "--fix-available-at", help="When a corrective or mitigating measure became available (vulnerability)."
)
@click.option("--notified-at", help="When the 72-hour notification was submitted (incident).")
@click.option(
    "--steward",
    is_flag=True,
    help="You report as an open-source software steward (Art 24(3)): deadlines only from 11 Dec 2027.",
)
@click.option(
    "--product",
    "manifest",
    type=click.Path(dir_okay=False),
    help="Product manifest: its role decides (a steward reports under Art 24(3)).",
)
@period_options
@format_option("table", default="table")
def clock_cmd(
    kind: str,
    aware_at: str,
    fix_available_at: str | None,
    notified_at: str | None,
    steward: bool,
    manifest: str | None,
    legal_tz: str,
    holidays: tuple[str, ...],
    fmt: str,
) -> None:
    """Compute the exact Article 14 due times of a vulnerability or incident.

    No deadline runs for awareness before 11 Sep 2026 (Art 71(2)), or for a
    steward before 11 Dec 2027 (Art 24(3)): then "applies" is false and every
    due time is null. A fix available before awareness starts the 14-day final
    report at awareness (Art 14(2)(c)).
    """
    from crakit.reporting import ClockInput, Kind, parse_instant
    from crakit.reporting import build_schedule as schedule

    if manifest:
        from crakit.manifest import load_manifest
        from crakit.regulation import classify

        steward = steward or classify(load_manifest(manifest)).role == "steward"
    clock = ClockInput(
        kind=Kind.parse(kind),
        aware_at=parse_instant(aware_at, "--aware-at"),
        fix_available_at=parse_instant(fix_available_at, "--fix-available-at") if fix_available_at else None,
        notified_at=parse_instant(notified_at, "--notified-at") if notified_at else None,
        steward=steward,
    )
    from crakit.cli.output import warn

    if clock.kind is Kind.INCIDENT and fix_available_at:
        warn(
            "--fix-available-at is not used for incidents: their final report runs from the notification (Art 14(4)(c))"
        )
    if clock.kind is Kind.VULNERABILITY and notified_at:
        warn(
            "--notified-at is not used for vulnerabilities: their final report runs from the fix (Art 14(2)(c))"
        )
    result = schedule(clock, _rules(legal_tz, holidays)).to_json()
    if not result["applies"]:
        warn(f"{result['applicability']['text']} ({result['applicability']['ref']})")
    if result["final_report_from_awareness"]:
        warn(
            "the fix was available before awareness: the 14-day final report runs from awareness (Art 14(2)(c))"
        )
    if fmt == "json":
        emit_json(result)
        return
    _print_clock_table(result)


def _print_clock_table(result: dict[str, Any]) -> None:
    from rich.table import Table

    from crakit.cli.output import console

    table = Table(title=f"Article 14 clock ({result['kind']}, aware at {result['aware_at']})")
    for column in ("stage", "due (exact, UTC)", "1182/71 latest (info)", "basis"):
        table.add_column(column, no_wrap=column != "basis")
    info = result["regulation_1182_71"]
    for key, latest, label in (
        ("early_warning_due", "early_warning_latest", "early warning"),
        ("notification_due", "notification_latest", "notification"),
        ("final_report_due", "final_report_latest", "final report"),
    ):
        due = result[key] or ("no duty" if not result["applies"] else "not yet known")
        table.add_row(label, due, info[latest] or "-", result["basis"][key])
    console().print(table)


# --- cases ------------------------------------------------------------------------------------


def _remember_url(ctx: click.Context, _param: Any, value: str | None) -> None:
    if value:
        ctx.meta["crakit.database_url"] = value


def store_options(func: Any) -> Any:
    func = click.option(
        "--actor",
        help="Who makes this change, for the history (default: the OS user).",
    )(func)
    func = click.option(
        "--database-url",
        expose_value=False,
        callback=_remember_url,
        help="Workspace database URL instead of a folder, e.g. the workbench's "
        "postgresql+psycopg://... (default: CRAKIT_DATABASE_URL).",
    )(func)
    return click.option(
        "--workspace",
        type=click.Path(file_okay=False, path_type=str),
        help="Directory holding crakit.db (default .crakit/ here; CRAKIT_DATABASE_URL selects PostgreSQL).",
    )(func)


def _open_store(workspace: str | None) -> Any:
    import os
    from pathlib import Path

    from crakit.store import default_workspace, open_store, workspace_url

    if workspace:
        return open_store(workspace_url(Path(workspace)))
    ctx = click.get_current_context(silent=True)
    url = (ctx.meta.get("crakit.database_url") if ctx is not None else None) or os.environ.get(
        "CRAKIT_DATABASE_URL"
    )
    if url:
        return open_store(url)
    return open_store(workspace_url(default_workspace(Path.cwd())))


def _actor(actor: str | None) -> str:
    if actor and actor.strip():
        name = actor.strip()
        if len(name) > 200 or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            from crakit.errors import InputError

            raise InputError("--actor: at most 200 printable characters")
        return name
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _now() -> Any:
    from datetime import UTC, datetime

    # whole seconds: the history orders by sequence number, and people read these times
    return datetime.now(UTC).replace(microsecond=0)


def _field_pairs(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """``KEY=TEXT`` pairs; ``KEY=@file`` reads the text from a file."""
    from pathlib import Path

    from crakit.errors import InputError
    from crakit.reporting import parse_assignment

    pairs = []
    for item in values:
        key, value = parse_assignment(item)
        if value.startswith("@"):
            path = Path(value[1:])
            try:
                if path.stat().st_size > 1_000_000:
                    raise InputError(f"--field {key}: {path} is larger than 1 MB")
                value = path.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"--field {key}: cannot read {path}: {exc}") from None
        pairs.append((key, value))
    return pairs


def _print_case(case: Any) -> None:
    from rich.table import Table

    from crakit.cli.output import console
    from crakit.reporting import build_schedule as schedule

    data = case.to_json()
    clock = schedule(case.clock()).to_json()
    table = Table(title=f"Case {case.id}: {case.title}", show_header=False)
    table.add_column("", style="bold")
    table.add_column("")
    table.add_row("kind / status", f"{data['kind']} / {data['status']}")
    table.add_row("product", f"{case.product.get('name') or '-'} {case.product.get('version') or ''}")
    table.add_row("aware at", data["aware_at"])
    why = data["qualification"]
    criteria = f" (criteria {', '.join(why['criteria'])})" if why["criteria"] else ""
    table.add_row(f"reportable because ({why['ref']})", (why["text"] or "not recorded") + criteria)
    for label, key in (
        ("early warning", "early_warning"),
        ("notification", "notification"),
        ("final report", "final"),
    ):
        due = clock[f"{'final_report' if key == 'final' else key}_due"]
        due_text = due or ("no duty (Art 71(2))" if not clock["applies"] else "not yet known")
        table.add_row(label, f"due {due_text}; filed {data['submitted'][key] or '-'}")
    for key, value in sorted(case.fields.items()):
        table.add_row(key, value if len(value) < 200 else value[:197] + "...")
    console().print(table)


@report.command("open")
@click.option("--kind", required=True, type=click.Choice(["vulnerability", "incident"]))
@click.option(
    "--product", "manifest", type=click.Path(dir_okay=False), help="Product manifest (crakit init)."
)
@click.option("--aware-at", required=True, help=f"When you became aware. {TIME_HELP}")
@click.option("--title", help="Form field 2 (default: derived from kind, product and CVE).")
@click.option("--fix-available-at", help="When a corrective or mitigating measure became available.")
@click.option(
    "--field",
    "fields",
    multiple=True,
    metavar="KEY=TEXT",
    help="Set a form field (repeatable; @file reads text).",
)
@click.option(
    "--findings", "findings_file", type=click.Path(dir_okay=False), help="`crakit scan --format json` output."
)
@click.option("--finding", "finding_id", help="The finding (vulnerability id or alias) this case is about.")
@click.option(
    "--sbom", "sbom_file", type=click.Path(dir_okay=False), help="SBOM holding the affected component."
)
@click.option("--component", help="Affected component: purl or name in --sbom, or free text.")
@click.option(
    "--why",
    "qualification",
    help="Why it is reportable: the evidence of exploitation (Art 3(42)) or why the incident is severe (Art 14(5)).",
)
@click.option(
    "--criteria",
    "qualification_criteria",
    help="Incidents: the Art 14(5) criteria met, a, b or a,b.",
)
@store_options
@format_option("table", default="table")
def open_cmd(
    kind: str,
    manifest: str | None,
    aware_at: str,
    title: str | None,
    fix_available_at: str | None,
    fields: tuple[str, ...],
    findings_file: str | None,
    finding_id: str | None,
    sbom_file: str | None,
    component: str | None,
    qualification: str | None,
    qualification_criteria: str | None,
    workspace: str | None,
    actor: str | None,
    fmt: str,
) -> None:
    """Open a case: an actively exploited vulnerability (Art 14(1)) or severe incident (Art 14(3)).

    Record with --why what makes it reportable: reliable evidence that a malicious actor exploited the
    vulnerability (Art 3(42)), or why the incident is severe (Art 14(5), --criteria a|b|a,b).
    """
    from pathlib import Path

    from crakit.reporting import Kind, NewCase, gather_evidence, open_case, parse_instant, product_snapshot

    aware = parse_instant(aware_at, "--aware-at")
    fix = parse_instant(fix_available_at, "--fix-available-at") if fix_available_at else None
    product = product_snapshot(Path(manifest)) if manifest else {}
    evidence, implied = gather_evidence(
        findings_file=Path(findings_file) if findings_file else None,
        finding_id=finding_id,
        sbom_file=Path(sbom_file) if sbom_file else None,
        component=component,
    )
    new = NewCase(
        kind=Kind.parse(kind),
        aware_at=aware,
        title=title,
        product=product,
        manifest_path=str(Path(manifest).resolve()) if manifest else None,
        fields=tuple(implied + _field_pairs(fields)),
        evidence=evidence,
        fix_available_at=fix,
        qualification=qualification,
        qualification_criteria=qualification_criteria,
    )
    with _open_store(workspace) as store:
        case = open_case(store, new, actor=_actor(actor), now=_now())
    if fmt == "json":
        emit_json(case.to_json())
        return
    from crakit.cli.output import info

    info(f"opened case {case.id}: {case.title}")
    _print_case(case)


@report.command("list")
@click.option(
    "--status", "status", type=click.Choice(["open", "closed", "all"]), default="all", show_default=True
)
@store_options
@format_option("table", default="table")
def list_cmd(status: str, workspace: str | None, actor: str | None, fmt: str) -> None:
    """List the cases of the workspace."""
    from crakit.reporting import list_cases

    with _open_store(workspace) as store:
        cases = list_cases(store, status=None if status == "all" else status)
    if fmt == "json":
        emit_json({"cases": [c.to_json() for c in cases]})
        return
    from rich.table import Table

    from crakit.cli.output import console

    table = Table(title="Article 14 cases")
    for column in ("id", "kind", "status", "aware at", "title"):
        table.add_column(column)
    for case in cases:
        data = case.to_json()
        table.add_row(str(case.id), data["kind"], data["status"], data["aware_at"], case.title)
    console().print(table)


@report.command("show")
@click.argument("case_id", type=CASE_ID)
@click.option("--history", "with_history", is_flag=True, help="Also print the change history.")
@store_options
@format_option("table", default="table")
def show_cmd(case_id: int, with_history: bool, workspace: str | None, actor: str | None, fmt: str) -> None:
    """Show one case: fields, clocks, filed stages (and its history)."""
    from crakit.reporting import build_schedule as schedule
    from crakit.reporting import case_history, get_case

    with _open_store(workspace) as store:
        case = get_case(store, case_id)
        history = case_history(store, case_id)
    if fmt == "json":
        data = case.to_json()
        data["clock"] = schedule(case.clock()).to_json()
        data["history"] = history.to_json()
        emit_json(data)
        return
    _print_case(case)
    if with_history:
        _print_history(history)


def _print_history(history: Any) -> None:
    from rich.table import Table

    from crakit.cli.output import console, warn

    table = Table(title="History (append-only, hash-chained)")
    for column in ("#", "at", "who", "action", "detail"):
        table.add_column(column)
    for entry in history.to_json()["entries"]:
        detail = ", ".join(f"{k}={v}" for k, v in entry["detail"].items() if v not in (None, {}, []))
        table.add_row(str(entry["seq"]), entry["at"], entry["actor"], entry["action"], detail[:160])
    console().print(table)
    if not history.intact:
        warn("the history's hash chain is broken: entries were altered outside crakit")


@report.command("history")
@click.argument("case_id", type=CASE_ID)
@store_options
@format_option("table", default="table")
def history_cmd(case_id: int, workspace: str | None, actor: str | None, fmt: str) -> None:
    """Print a case's append-only history (who changed what, when); exit 1 if the chain is broken."""
    from crakit.errors import PolicyFailure
    from crakit.reporting import case_history

    with _open_store(workspace) as store:
        history = case_history(store, case_id)
    if fmt == "json":
        emit_json(history.to_json())
    else:
        _print_history(history)
    if not history.intact:
        raise PolicyFailure(f"case {case_id}: history hash chain is broken")


@report.command("update")
@click.argument("case_id", type=CASE_ID)
@click.option(
    "--field",
    "fields",
    multiple=True,
    required=True,
    metavar="KEY=TEXT",
    help="Set a field (repeatable; KEY= clears it; @file reads text). Keys: `crakit report fields`.",
)
@store_options
@format_option("table", default="table")
def update_cmd(
    case_id: int, fields: tuple[str, ...], workspace: str | None, actor: str | None, fmt: str
) -> None:
    """Change form fields or clock anchors (e.g. fix_available_at) of a case."""
    from crakit.reporting import update_case

    with _open_store(workspace) as store:
        case = update_case(store, case_id, _field_pairs(fields), actor=_actor(actor), now=_now())
    if fmt == "json":
        emit_json(case.to_json())
        return
    _print_case(case)


@report.command("submitted")
@click.argument("case_id", type=CASE_ID)
@click.option(
    "--stage", required=True, type=click.Choice(["early-warning", "notification", "final", "intermediate"])
)
@click.option(
    "--at", "at", required=True, help=f"When the stage was filed on the ENISA platform. {TIME_HELP}"
)
@click.option("--reference", help="The platform's notification id or a receipt reference.")
@click.option(
    "--evidence",
    "evidence_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="A file proving the filing (PDF or screenshot of the SRP confirmation, the text sent); "
    "its SHA-256 goes into the history (repeatable).",
)
@store_options
@format_option("table", default="table")
def submitted_cmd(
    case_id: int,
    stage: str,
    at: str,
    reference: str | None,
    evidence_files: tuple[str, ...],
    workspace: str | None,
    actor: str | None,
    fmt: str,
) -> None:
    """Record that a stage was filed (the incident final clock runs from the notification)."""
    from crakit.reporting import Stage, get_case, parse_instant, record_submission

    with _open_store(workspace) as store:
        earlier = get_case(store, case_id).submitted(Stage.parse(stage))
        if earlier is not None:
            # Re-recording moves the clock that runs from this filing (the incident final report).
            warn(
                f"case {case_id}: the {stage} stage was already recorded as filed at {earlier:%Y-%m-%dT%H:%M:%SZ}; replacing it"
            )
        case = record_submission(
            store,
            case_id,
            Stage.parse(stage),
            parse_instant(at, "--at"),
            actor=_actor(actor),
            now=_now(),
            reference=reference,
            attachments=tuple(_fingerprint(path) for path in evidence_files),
        )
    from crakit.reporting import stage_records

    for record in stage_records(case):
        if record.stage.value == stage and record.state == "late":
            warn(
                f"case {case_id}: the {stage} stage is recorded as filed late (due {record.due:%Y-%m-%dT%H:%M:%SZ})"
            )
        elif record.state == "missed":
            warn(
                f"case {case_id}: the {record.stage.value} stage stays recorded as missed (due {record.due:%Y-%m-%dT%H:%M:%SZ})"
            )
    if fmt == "json":
        emit_json(case.to_json())
        return
    _print_case(case)


@report.command("submit")
@click.argument("case_id", type=CASE_ID)
@click.option(
    "--stage", required=True, type=click.Choice(["early-warning", "notification", "final", "intermediate"])
)
@click.option("--platform", "platform_url", required=True, help="Base URL of a crakit reporting platform.")
@click.option(
    "--token",
    envvar="CRAKIT_PLATFORM_TOKEN",
    required=True,
    help="Manufacturer token ($CRAKIT_PLATFORM_TOKEN).",
)
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(1, 600), help="Seconds.")
@store_options
@format_option("table", default="table")
def submit_cmd(
    case_id: int,
    stage: str,
    platform_url: str,
    token: str,
    timeout: float,
    workspace: str | None,
    actor: str | None,
    fmt: str,
) -> None:
    """File a stage on a reporting platform with an API (crakit's reference platform) and record the
    platform's notification id and reception time in the case history.

    The ENISA platform itself has no API (SRP FAQ Q15): file there by hand and use `report submitted`.
    """
    from crakit.reporting import (
        Stage,
        get_case,
        parse_instant,
        platform_id,
        record_submission,
        stage_fields,
    )
    from crakit.reporting import notification_payload as platform_payload

    chosen = Stage.parse(stage)
    with _open_store(workspace) as store:
        case = get_case(store, case_id)
        known = platform_id(case)
        if known is None:
            path, body = "/api/v1/notifications", platform_payload(case, chosen, _now())
        else:
            path = f"/api/v1/notifications/{known}/stages"
            body = {"stage": chosen.value, "fields": stage_fields(case, chosen, _now())}
        reply = _post_to_platform(
            platform_url, path, body, token, timeout, f"{case.id}:{stage}:{len(case.submissions)}"
        )
        received = parse_instant(str(reply.get("updated_at") or reply.get("received_at")), "platform reply")
        case = record_submission(
            store,
            case_id,
            chosen,
            min(received, _now()),
            actor=_actor(actor),
            now=_now(),
            reference=str(reply["id"]),
            attachments=(
                {
                    "platform": platform_url,
                    "platform_id": reply["id"],
                    "coordinator": reply.get("coordinator"),
                },
            ),
        )
    if fmt == "json":
        emit_json(
            {"platform_id": reply["id"], "coordinator": reply.get("coordinator"), "case": case.to_json()}
        )
        return
    from crakit.cli.output import info

    info(
        f"case {case_id}: {stage} filed on {platform_url} as {reply['id']} (coordinator {reply.get('coordinator')})"
    )


def _post_to_platform(
    base: str, path: str, body: dict[str, Any], token: str, timeout: float, key: str
) -> Any:
    import httpx

    from crakit.errors import InputError
    from crakit.reporting import ReportingError

    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"crakit-submit-{key}"}
    try:
        response = httpx.post(base.rstrip("/") + path, json=body, headers=headers, timeout=timeout)
    except httpx.HTTPError as exc:
        raise InputError(f"cannot reach the platform at {base}: {exc}", hint="check --platform") from None
    try:
        data = response.json()
    except ValueError:
        data = {}
    if response.status_code >= 400:
        error = data.get("error", {}) if isinstance(data, dict) else {}
        raise ReportingError(
            f"the platform refused the {body.get('stage')} stage (HTTP {response.status_code}): "
            f"{error.get('message', response.text[:200])}",
            hint=f"field {error['field']}" if error.get("field") else None,
        )
    if not isinstance(data, dict) or "id" not in data:
        raise ReportingError("the platform's reply has no notification id")
    return data


def _fingerprint(path: str) -> dict[str, Any]:
    """Name, size and SHA-256 of an evidence file (read in chunks: screenshots and PDFs can be large)."""
    import hashlib
    from pathlib import Path

    from crakit.errors import InputError

    digest = hashlib.sha256()
    size = 0
    try:
        with Path(path).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read evidence file {path}: {exc.strerror}") from None
    return {"file": Path(path).name, "bytes": size, "sha256": digest.hexdigest()}


@report.command("close")
@click.argument("case_id", type=CASE_ID)
@click.option("--reason", help="Why the case is closed (kept in the history).")
@store_options
@format_option("table", default="table")
def close_cmd(case_id: int, reason: str | None, workspace: str | None, actor: str | None, fmt: str) -> None:
    """Close a case; its record becomes read-only."""
    from crakit.reporting import close_case

    with _open_store(workspace) as store:
        case = close_case(store, case_id, actor=_actor(actor), now=_now(), reason=reason)
    if fmt == "json":
        emit_json(case.to_json())
        return
    from crakit.cli.output import info

    info(f"closed case {case.id}")


@report.command("status")
@click.option("--now", "now_text", help=f"Evaluate as of this moment instead of now. {TIME_HELP}")
@store_options
@format_option("table", default="table")
def status_cmd(now_text: str | None, workspace: str | None, actor: str | None, fmt: str) -> None:
    """Open cases by next due moment, with time left; exit 1 when any is overdue."""
    from crakit.errors import PolicyFailure
    from crakit.reporting import format_instant, list_cases, parse_instant, status_report

    now = parse_instant(now_text, "--now") if now_text else _now()
    with _open_store(workspace) as store:
        statuses = status_report(list_cases(store, status="open"), now)
    overdue = [s for s in statuses if s.overdue]
    if fmt == "json":
        emit_json(
            {"now": format_instant(now), "overdue": len(overdue), "cases": [s.to_json() for s in statuses]}
        )
    else:
        _print_status(statuses, format_instant(now), len(overdue))
    if overdue:
        raise PolicyFailure(
            f"{len(overdue)} open case(s) overdue: " + ", ".join(str(s.case.id) for s in overdue)
        )


def _print_status(statuses: list[Any], now: str | None, overdue: int) -> None:
    """One block per case: a line of short fields that never wrap, then its title and record
    indented beneath (readable at 80 columns)."""
    from rich.markup import escape

    from crakit.cli.output import console
    from crakit.cli.render import hanging_list, plain_width

    out = console()
    plain_width(out)
    head = f"[bold]Open cases as of {(now or '').replace('T', ' ')}[/]"
    out.print(head + (f": [bold red]{overdue} overdue[/]" if overdue else f": {len(statuses)} open"))
    if not statuses:
        return
    rows = []
    for item in statuses:
        data = item.to_json()
        due = (data["next_due"] or "-").replace("T", " ").replace(":00Z", "Z")
        left = data["time_left"] or "-"
        rows.append((str(data["id"]), data["kind"], data["next_stage"] or "-", due, left, data))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    widths = [
        max(w, len(h))
        for w, h in zip(widths, ("#", "kind", "next stage", "due (UTC)", "time left"), strict=True)
    ]
    titles = ("#", "kind", "next stage", "due (UTC)", "time left")
    out.print("[bold]" + "  ".join(t.ljust(w) for t, w in zip(titles, widths, strict=True)).rstrip() + "[/]")
    for *fields, data in rows:
        line = "  ".join(f.ljust(w) for f, w in zip(fields, widths, strict=True)).rstrip()
        if data["overdue"]:
            line = line[: -len(fields[4])] + f"[bold red]OVERDUE by {fields[4].lstrip('-')}[/]"
        out.print(line)
        record = [f"missed {m}" for m in data["missed"]] + [f"late {x}" for x in data["late"]]
        if not data["applies"]:
            record = ["no Art 14 duty for this awareness date (Art 71(2))"]
        text = escape(data["title"]) + (f"\n[yellow]{'; '.join(record)}[/]" if record else "")
        out.print(hanging_list([(" " * widths[0], text)]))


# --- ENISA form -------------------------------------------------------------------------------


@report.command("draft")
@click.argument("case_id", type=CASE_ID)
@click.option(
    "--stage", required=True, type=click.Choice(["early-warning", "notification", "final", "intermediate"])
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@click.option("--check", is_flag=True, help="Exit 1 when a required field of the stage is still missing.")
@store_options
@format_option("markdown", "html", default="markdown")
def draft_cmd(
    case_id: int,
    stage: str,
    output: str | None,
    check: bool,
    workspace: str | None,
    actor: str | None,
    fmt: str,
) -> None:
    """Text for every ENISA form field of a stage, with missing fields, deadline and CSIRT."""
    import hashlib

    import orjson

    from crakit.errors import PolicyFailure
    from crakit.reporting import Stage, build_draft, get_case, record_event, render_draft

    now = _now()
    with _open_store(workspace) as store:
        draft = build_draft(get_case(store, case_id), Stage.parse(stage), now)
        if fmt == "json":
            text = orjson.dumps(draft.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
        else:
            text = render_draft(draft, fmt)
        record_event(
            store,
            case_id,
            "drafted",
            {
                "stage": stage,
                "format": fmt,
                "sha256": hashlib.sha256(text.encode()).hexdigest(),
                "missing": [f.field.number for f in draft.missing],
            },
            actor=_actor(actor),
            now=now,
        )
    _write(text, output)
    if check and draft.missing:
        raise PolicyFailure(
            f"{len(draft.missing)} required field(s) missing: "
            + ", ".join(f.field.number for f in draft.missing)
        )
    if check and draft.route.csirt is None:
        raise PolicyFailure(f"no coordinator CSIRT can be chosen: {draft.route.reason}")


def _write(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from pathlib import Path

    from crakit.cli.output import write_file

    write_file(Path(output), text.encode("utf-8"))


@report.command("fields")
@click.option(
    "--kind", type=click.Choice(["vulnerability", "incident"]), help="Only the fields of this track."
)
@format_option("table", default="table")
def fields_cmd(kind: str | None, fmt: str) -> None:
    """The ENISA Glossary v1.3 field list: number, key, status per stage, limit, CRA article."""
    from crakit.reporting import EXTRA_FIELDS, Kind, glossary

    spec = glossary()
    items = spec.for_kind(Kind.parse(kind)) if kind else spec.fields
    if fmt == "json":
        emit_json(
            {
                "spec": {"name": spec.spec, "version": spec.version, "date": spec.date},
                "fields": [
                    {
                        "number": f.number,
                        "key": f.key,
                        "name": f.name,
                        "track": f.track,
                        "status": dict(
                            zip(("early-warning", "notification", "final"), f.status, strict=True)
                        ),
                        "limit": f.limit,
                        "type": f.type,
                        "choices": list(f.choices) or None,
                        "cra": f.cra,
                    }
                    for f in items
                ],
                "pec_grounds": [
                    {"code": g.code, "key": g.key, "text": g.text, "cra": g.cra} for g in spec.pec_grounds
                ],
                "crakit_fields": [
                    {"key": e.key, "description": e.description, "limit": e.limit} for e in EXTRA_FIELDS
                ],
            }
        )
        return
    from rich.table import Table

    from crakit.cli.output import console

    table = Table(title=f"{spec.spec} v{spec.version} ({spec.date}); status EW / 72h / final")
    for column in ("#", "key", "name", "track", "status", "limit", "CRA"):
        table.add_column(column)
    for f in items:
        table.add_row(f.number, f.key, f.name, f.track, " / ".join(f.status), str(f.limit or "-"), f.cra)
    console().print(table)


# --- user notice ------------------------------------------------------------------------------


@report.command("notice")
@click.argument("case_id", type=CASE_ID)
@click.option(
    "--lang", "language", default="en", show_default=True, help="Language of the notice (en, de, fr)."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file.")
@store_options
@format_option("markdown", "html", default="markdown")
def notice_cmd(
    case_id: int, language: str, output: str | None, workspace: str | None, actor: str | None, fmt: str
) -> None:
    """Draft the notice to affected users (Art 14(8)): what happened, what to do, which versions."""
    import hashlib

    import orjson

    from crakit.cli.output import warn
    from crakit.reporting import build_notice, get_case, record_event, render_notice

    now = _now()
    with _open_store(workspace) as store:
        notice = build_notice(get_case(store, case_id), language.strip().lower(), now)
        if fmt == "json":
            text = orjson.dumps(notice.to_json(), option=orjson.OPT_INDENT_2).decode() + "\n"
        else:
            text = render_notice(notice, fmt)
        record_event(
            store,
            case_id,
            "notice-drafted",
            {"language": notice.language, "format": fmt, "sha256": hashlib.sha256(text.encode()).hexdigest()},
            actor=_actor(actor),
            now=now,
        )
    for part in notice.untranslated:
        warn(
            f"{part} is the case's own text, not translated to {notice.language}; "
            f"set it with --field notice.{notice.language}.{part}=..."
        )
    _write(text, output)


# --- candidates -------------------------------------------------------------------------------


@report.command("candidates")
@click.argument("sboms", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--db", "db_path", type=click.Path(dir_okay=False), help="Vulnerability database (crakit db build)."
)
@click.option(
    "--vex", "vex_files", multiple=True, type=click.Path(dir_okay=False), help="VEX documents to apply."
)
@click.option(
    "--findings",
    "findings_file",
    type=click.Path(dir_okay=False),
    help="Use a `crakit scan --format json` file instead of scanning.",
)
@click.option("--fail", "fail", is_flag=True, help="Exit 1 when there is any candidate.")
@format_option("table", default="table")
def candidates_cmd(
    sboms: tuple[str, ...],
    db_path: str | None,
    vex_files: tuple[str, ...],
    findings_file: str | None,
    fail: bool,
    fmt: str,
) -> None:
    """Known exploited (KEV) vulnerabilities in versions you ship: candidates for a case (Art 14(1)).

    A high CVSS score alone is never a candidate; you decide whether to open a case.
    """
    from pathlib import Path

    from crakit.errors import InputError, PolicyFailure
    from crakit.reporting import find_candidates, load_findings

    if findings_file:
        findings = load_findings(Path(findings_file))
    elif sboms:
        from crakit.formats import finding_to_json
        from crakit.sbom import read_sbom
        from crakit.vex import apply_statements, read_vex
        from crakit.vulndb import open_database, scan

        database = open_database(Path(db_path) if db_path else None)
        documents = [read_sbom(Path(p)) for p in sboms]
        result = scan(documents, database)
        statements = [st for v in vex_files for st in read_vex(Path(v))]
        if statements:
            products = [d.product for d in documents if d.product is not None]
            result = apply_statements(result, statements, products)
        findings = [finding_to_json(f) for f in result.findings]
    else:
        raise InputError("give SBOM files (with --db) or --findings FILE")
    report_ = find_candidates(findings)
    if fmt == "json":
        emit_json(report_.to_json())
    else:
        from rich.table import Table

        from crakit.cli.output import console, info

        table = Table(title="Candidates for an Article 14 case (known exploited, in shipped versions)")
        for column in ("vulnerability", "component", "KEV since", "severity", "fixed in"):
            table.add_column(column)
        for c in report_.candidates:
            table.add_row(
                c.cve or c.id,
                f"{c.component or c.purl} {c.version or ''}",
                c.kev_date_added or "-",
                c.severity or "-",
                ", ".join(c.fixed) or "-",
            )
        console().print(table)
        info(
            f"{len(report_.candidates)} candidate(s) among {report_.considered} finding(s); "
            f"{report_.not_exploited} not known exploited, {report_.suppressed} suppressed by VEX."
        )
    if fail and report_.candidates:
        raise PolicyFailure(f"{len(report_.candidates)} known exploited vulnerability candidate(s)")
