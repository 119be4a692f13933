"""Art 14 applicability and the record of each stage (issue 10, point 7), on SQLite and PostgreSQL.

Written from the law: Art 71(2) and Art 24(3) (when the duty starts), Art 14(2)/(4) (deadlines; "unless
the relevant information has already been provided" appears in points (b) and (c), not in (a)), Art 14(2)(b)
and (4)(b) (content asked for where available), Art 3(42) and Art 14(5) (why an event is reportable), Art
14(7) (one route for `classify` and the drafts), Art 64(10)(a). Several cases come from the independent
review of issue 10, restated here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crakit.cli.main import cli
from crakit.errors import CrakitError
from crakit.reporting import Kind, NewCase, Stage, open_case, record_submission, update_case
from crakit.reporting.clocks import ClockInput, exact_deadlines
from crakit.reporting.draft import build_draft
from crakit.reporting.status import case_status, stage_records
from crakit.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@pytest.fixture
def store(database_url):
    with open_store(database_url) as opened:
        yield opened


def _case(store, kind: Kind, aware: str, *, product=None, fix: str | None = None, **extra):
    return open_case(
        store,
        NewCase(
            kind=kind,
            aware_at=at(aware),
            product=product or {"name": "P", "main_establishment": "BE", "member_states": ["BE"]},
            fix_available_at=at(fix) if fix else None,
            **extra,
        ),
        actor="t",
        now=at("2026-12-02T12:00:00Z"),
    )


def _file(store, case, filed: dict[str, str]):
    for stage, when in filed.items():
        case = record_submission(
            store, case.id, Stage(stage), at(when), actor="t", now=at("2026-12-02T12:00:00Z")
        )
    return case


def _states(case) -> dict[str, str]:
    return {r.stage.value: r.state for r in stage_records(case)}


# --- when no clock runs (Art 71(2), Art 24(3)) -------------------------------------------------------------


def test_no_clock_for_awareness_before_11_sep_2026(store):
    case = _case(store, Kind.VULNERABILITY, "2026-09-08T10:00:00Z")
    status = case_status(case, at("2026-12-01T00:00:00Z")).to_json()
    assert status["applies"] is False and status["overdue"] is False and status["pending"] == []
    deadlines = exact_deadlines(case.clock())
    assert (deadlines.early_warning_due, deadlines.notification_due) == (None, None)
    draft = build_draft(case, Stage.EARLY_WARNING, at("2026-12-01T00:00:00Z")).to_json()
    assert draft["deadline"]["due"] is None
    assert any("No Art 14 deadline" in w and "Art 71(2)" in w for w in draft["warnings"])


def test_a_steward_case_has_no_clock_before_11_dec_2027(store):
    case = _case(
        store, Kind.VULNERABILITY, "2026-11-15T09:00:00Z", product={"name": "lib", "role": "steward"}
    )
    assert case.steward and not exact_deadlines(case.clock()).applies
    assert not case_status(case, at("2026-12-01T00:00:00Z")).overdue


def test_the_clock_is_the_same_for_a_legacy_product():
    # Art 69(3): reporting applies to products placed before 11 Dec 2027 as well.
    deadlines = exact_deadlines(ClockInput(Kind.VULNERABILITY, at("2026-10-01T12:00:00Z")))
    assert deadlines.early_warning_due == at("2026-10-02T12:00:00Z")
    assert deadlines.notification_due == at("2026-10-04T12:00:00Z")


# --- late and missed stay on the record -------------------------------------------------------------------


def test_a_missed_early_warning_stays_missed_when_the_notification_covers_it(store):
    case = _case(store, Kind.VULNERABILITY, "2026-10-05T09:00:00Z", fix="2026-10-09T09:00:00Z")
    case = _file(store, case, {"notification": "2026-10-06T15:00:00Z", "final": "2026-10-20T09:00:00Z"})
    assert _states(case) == {"early-warning": "missed", "notification": "on-time", "final": "on-time"}
    status = case_status(case, at("2026-11-01T00:00:00Z")).to_json()
    assert status["missed"] == ["early-warning"] and not status["overdue"]
    draft = build_draft(case, Stage.FINAL, at("2026-11-01T00:00:00Z"))
    assert any("early-warning stage was missed" in w for w in draft.warnings)


def test_a_combined_filing_within_24_hours_covers_the_early_warning(store):
    case = _file(
        store,
        _case(store, Kind.VULNERABILITY, "2026-11-02T08:00:00Z"),
        {"notification": "2026-11-02T20:00:00Z"},
    )
    assert _states(case)["early-warning"] == "covered"
    assert _states(case)["notification"] == "on-time"


def test_every_stage_filed_late_is_recorded_late(store):
    case = _case(store, Kind.VULNERABILITY, "2026-11-10T06:00:00Z", fix="2026-11-15T12:00:00Z")
    case = _file(
        store,
        case,
        {
            "early-warning": "2026-11-11T08:00:00Z",
            "notification": "2026-11-13T09:00:00Z",
            "final": "2026-12-01T12:00:00Z",
        },
    )
    assert set(_states(case).values()) == {"late"}
    records = {r.stage: r for r in stage_records(case)}
    assert records[Stage.FINAL].due == at("2026-11-29T12:00:00Z")


def test_a_late_incident_notification_moves_the_final_report(store):
    case = _case(store, Kind.INCIDENT, "2026-11-01T10:00:00Z")
    case = _file(
        store,
        case,
        {
            "early-warning": "2026-11-01T18:00:00Z",
            "notification": "2026-11-04T18:00:00Z",
            "final": "2026-12-01T12:00:00Z",
        },
    )
    # Art 14(4)(c): one month after the notification actually filed.
    assert _states(case) == {"early-warning": "on-time", "notification": "late", "final": "on-time"}
    assert exact_deadlines(case.clock()).final_report_due == at("2026-12-04T18:00:00Z")


def test_the_history_records_a_late_filing(store):
    from crakit.reporting import case_history

    case = _file(
        store,
        _case(store, Kind.VULNERABILITY, "2026-11-20T06:00:00Z"),
        {"early-warning": "2026-11-21T07:00:00Z"},
    )
    entry = case_history(store, case.id).to_json()["entries"][-1]
    assert entry["detail"]["late"] is True and entry["detail"]["due"] == "2026-11-21T06:00:00Z"


def test_micro_enterprise_late_early_warning_names_the_fine_relief(store):
    case = _case(
        store,
        Kind.VULNERABILITY,
        "2026-11-25T09:00:00Z",
        product={"name": "P", "size": "micro", "main_establishment": "BE"},
    )
    case = _file(store, case, {"early-warning": "2026-11-26T11:00:00Z"})
    draft = build_draft(case, Stage.NOTIFICATION, at("2026-11-26T12:00:00Z"))
    assert any("Art 64(10)(a)" in w for w in draft.warnings)


# --- a fix before awareness -------------------------------------------------------------------------------


def test_a_fix_before_awareness_runs_the_final_report_from_awareness():
    clock = ClockInput(
        Kind.VULNERABILITY, at("2026-10-20T12:00:00Z"), fix_available_at=at("2026-10-17T12:00:00Z")
    )
    deadlines = exact_deadlines(clock)
    assert deadlines.final_report_due == at("2026-11-03T12:00:00Z")
    assert deadlines.final_from_awareness
    # read literally, 14 days after the fix would still fall after awareness: shown as the cautious date
    assert deadlines.final_literal_due == at("2026-10-31T12:00:00Z")
    old_fix = ClockInput(
        Kind.VULNERABILITY, at("2026-12-15T12:00:00Z"), fix_available_at=at("2026-10-16T12:00:00Z")
    )
    assert exact_deadlines(old_fix).final_report_due == at("2026-12-29T12:00:00Z")
    assert exact_deadlines(old_fix).final_literal_due is None  # would lie before the duty existed


# --- content of the 72-hour stage and why the case is reportable -----------------------------------------


def test_the_72_hour_draft_asks_for_measures_and_sensitivity_where_available(store):
    case = _case(
        store, Kind.VULNERABILITY, "2026-11-20T07:00:00Z", qualification="KEV listing and vendor telemetry"
    )
    draft = build_draft(case, Stage.NOTIFICATION, at("2026-11-20T08:00:00Z")).to_json()
    assert {"15", "16", "17"} <= set(draft["wanted_if_available"])
    fields = {f["number"]: f for f in draft["fields"]}
    assert (
        fields["16"]["status_label"].startswith("required where available") and not fields["16"]["required"]
    )
    assert not {"15", "16", "17"} & set(draft["missing_required"])  # never blocking
    assert any("Art 14(2)(b)" in w for w in draft["warnings"])
    filled = update_case(
        store,
        case.id,
        [("measures_taken", "Patch 2.1.4 released")],
        actor="t",
        now=at("2026-11-20T09:00:00Z"),
    )
    assert (
        "16"
        not in build_draft(filled, Stage.NOTIFICATION, at("2026-11-20T09:00:00Z")).to_json()[
            "wanted_if_available"
        ]
    )


def test_an_incident_notification_still_requires_the_initial_assessment(store):
    case = _case(store, Kind.INCIDENT, "2026-11-20T07:00:00Z")
    draft = build_draft(case, Stage.NOTIFICATION, at("2026-11-20T08:00:00Z")).to_json()
    assert "i39" in draft["missing_required"] and draft["complete"] is False


def test_cases_record_why_they_are_reportable(store):
    vulnerability = _case(store, Kind.VULNERABILITY, "2026-11-25T10:00:00Z")
    assert any(
        "Art 3(42)" in w
        for w in build_draft(vulnerability, Stage.EARLY_WARNING, at("2026-11-25T11:00:00Z")).warnings
    )
    incident = _case(store, Kind.INCIDENT, "2026-11-25T10:00:00Z")
    assert any(
        "Art 14(5)" in w
        for w in build_draft(incident, Stage.EARLY_WARNING, at("2026-11-25T11:00:00Z")).warnings
    )
    recorded = update_case(
        store,
        incident.id,
        [("qualification", "Ransomware reached the update server"), ("qualification_criteria", "b, a")],
        actor="t",
        now=at("2026-11-25T12:00:00Z"),
    )
    assert recorded.to_json()["qualification"] == {
        "text": "Ransomware reached the update server",
        "criteria": ["a", "b"],
        "ref": "Art 14(5)",
    }
    assert not any(
        "Art 14(5)" in w
        for w in build_draft(recorded, Stage.EARLY_WARNING, at("2026-11-25T13:00:00Z")).warnings
    )


def test_criteria_belong_to_incidents_only(store):
    from crakit.reporting import ReportingError

    case = _case(store, Kind.VULNERABILITY, "2026-11-25T10:00:00Z")
    with pytest.raises(ReportingError, match="Art 3\\(42\\)"):
        update_case(
            store, case.id, [("qualification_criteria", "a")], actor="t", now=at("2026-11-25T12:00:00Z")
        )
    incident = _case(store, Kind.INCIDENT, "2026-11-25T10:00:00Z")
    with pytest.raises(ReportingError, match="Art 14\\(5\\)"):
        update_case(
            store, incident.id, [("qualification_criteria", "c")], actor="t", now=at("2026-11-25T12:00:00Z")
        )


# --- the CLI: one route, --steward/--product, applies -----------------------------------------------------


@pytest.fixture
def run(tmp_path, database_url, monkeypatch):
    monkeypatch.delenv("CRAKIT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    if database_url.startswith("postgresql"):
        monkeypatch.setenv("CRAKIT_DATABASE_URL", database_url)
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli, list(args))
        exit_code = (
            result.exception.exit_code if isinstance(result.exception, CrakitError) else result.exit_code
        )
        if result.exception and not isinstance(result.exception, (CrakitError, SystemExit)):
            raise result.exception
        assert exit_code == code, (args, result.output, result.exception)
        return result.stdout

    return invoke


def test_report_draft_routes_like_classify(run, tmp_path):
    manifest = tmp_path / "swiss.yaml"
    manifest.write_text(
        (EXAMPLES / "homegate-router.yaml")
        .read_text()
        .replace("country: BE", "country: CH\n  authorised_representative: AT")
    )
    route = json.loads(run("classify", str(manifest), "--format", "json"))["csirt_route"]
    assert route["member_state"] == "AT" and route["ref"] == "Art 14(7)(a)"
    opened = json.loads(
        run(
            "report",
            "open",
            "--kind",
            "vulnerability",
            "--product",
            str(manifest),
            "--aware-at",
            "2026-11-02T08:00:00Z",
            "--format",
            "json",
        )
    )
    draft = json.loads(
        run("report", "draft", str(opened["id"]), "--stage", "early-warning", "--format", "json")
    )
    assert draft["routing"]["member_state"] == route["member_state"]
    assert draft["routing"]["article"] == route["ref"]


def test_report_clock_json_says_whether_the_duty_applies(run):
    before = json.loads(
        run("report", "clock", "--kind", "incident", "--aware-at", "2026-09-01T10:00:00Z", "--format", "json")
    )
    assert before["applies"] is False
    assert before["early_warning_due"] is None and before["notification_due"] is None
    assert "Art 71(2)" in before["applicability"]["ref"]
    steward = json.loads(
        run(
            "report",
            "clock",
            "--kind",
            "vulnerability",
            "--aware-at",
            "2026-11-01T10:00:00Z",
            "--product",
            str(EXAMPLES / "tinytls-steward.yaml"),
            "--format",
            "json",
        )
    )
    assert steward["applies"] is False and steward["steward"] is True
    after = json.loads(
        run(
            "report",
            "clock",
            "--kind",
            "vulnerability",
            "--aware-at",
            "2026-11-01T10:00:00Z",
            "--format",
            "json",
        )
    )
    assert after["applies"] is True and after["early_warning_due"] == "2026-11-02T10:00:00Z"


def test_report_open_records_why(run):
    opened = json.loads(
        run(
            "report",
            "open",
            "--kind",
            "incident",
            "--aware-at",
            "2026-11-02T08:00:00Z",
            "--why",
            "Malware in the update channel",
            "--criteria",
            "b",
            "--format",
            "json",
        )
    )
    assert opened["qualification"]["criteria"] == ["b"]
    run(
        "report",
        "open",
        "--kind",
        "vulnerability",
        "--aware-at",
        "2026-11-02T08:00:00Z",
        "--criteria",
        "a",
        code=2,
    )
