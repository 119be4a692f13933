"""Cases in the store (SQLite and PostgreSQL): open, update, stages, close, history, status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crakit.reporting import (
    CaseClosed,
    CaseNotFound,
    FieldTooLong,
    Kind,
    NewCase,
    ReportingError,
    Stage,
    case_history,
    close_case,
    get_case,
    list_cases,
    open_case,
    record_submission,
    update_case,
)
from crakit.reporting.status import status_report
from crakit.store import open_store

AWARE = datetime(2026, 10, 2, 8, 15, tzinfo=UTC)
NOW = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(database_url):
    with open_store(database_url) as opened:
        yield opened


def new_vuln(**extra) -> NewCase:
    return NewCase(
        kind=Kind.VULNERABILITY, aware_at=AWARE, product={"name": "HomeGate", "version": "2.1"}, **extra
    )


def test_open_derives_title_and_records_who_and_when(store):
    case = open_case(store, new_vuln(fields=(("cve_id", "CVE-2026-1234"),)), actor="alice", now=NOW)
    assert "HomeGate" in case.title and "CVE-2026-1234" in case.title
    assert case.created_by == "alice" and case.created_at == NOW
    history = case_history(store, case.id)
    assert [(e.actor, e.action, e.at) for e in history.entries] == [("alice", "opened", NOW)]
    assert history.intact


def test_update_keeps_old_and_new_values_in_history(store):
    case = open_case(store, new_vuln(), actor="alice", now=NOW)
    update_case(store, case.id, [("summary", "first")], actor="bob", now=NOW + timedelta(minutes=1))
    update_case(
        store,
        case.id,
        [("3", "second"), ("summary", "second")],
        actor="carol",
        now=NOW + timedelta(minutes=2),
    )
    entries = case_history(store, case.id).entries
    updates = [
        (e.actor, e.detail["field"], e.detail["old"], e.detail["new"])
        for e in entries
        if e.action == "updated"
    ]
    # the unchanged repeat of "second" is not a change and leaves no entry
    assert updates == [("bob", "summary", None, "first"), ("carol", "summary", "first", "second")]
    assert get_case(store, case.id).fields["summary"] == "second"


def test_clearing_a_field(store):
    case = open_case(store, new_vuln(fields=(("summary", "x"),)), actor="a", now=NOW)
    updated = update_case(store, case.id, [("summary", "")], actor="a", now=NOW)
    assert "summary" not in updated.fields


def test_field_values_are_validated(store):
    case = open_case(store, new_vuln(), actor="a", now=NOW)
    with pytest.raises(FieldTooLong):
        update_case(store, case.id, [("title", "x" * 256)], actor="a", now=NOW)
    with pytest.raises(FieldTooLong):
        update_case(store, case.id, [("malicious_actor", "x" * 101)], actor="a", now=NOW)
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("member_states", "BE, US")], actor="a", now=NOW)
    with pytest.raises(ReportingError):
        update_case(
            store, case.id, [("suspected_malicious", "Yes")], actor="a", now=NOW
        )  # incident-only field
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("no_such_field", "x")], actor="a", now=NOW)
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("notification_type", "Incident")], actor="a", now=NOW)
    # nothing was half-applied
    assert case_history(store, case.id).entries[-1].action == "opened"
    ok = update_case(
        store,
        case.id,
        [("member_states", "nl be,BE"), ("mitigation_expected_shortly", "yes"), ("pec_grounds", "c, a")],
        actor="a",
        now=NOW,
    )
    assert ok.fields["member_states"] == "NL, BE"
    assert ok.fields["mitigation_expected_shortly"] == "Yes"
    assert ok.fields["pec_grounds"] == "a,c"


def test_exactly_at_limit_is_accepted(store):
    case = open_case(store, new_vuln(), actor="a", now=NOW)
    assert (
        len(
            update_case(store, case.id, [("malicious_actor", "x" * 100)], actor="a", now=NOW).fields[
                "malicious_actor"
            ]
        )
        == 100
    )


def test_clock_anchors_are_updatable_fields(store):
    case = open_case(store, new_vuln(), actor="a", now=NOW)
    updated = update_case(
        store, case.id, [("fix_available_at", "2026-10-07T12:00:00+02:00")], actor="a", now=NOW
    )
    assert updated.fix_available_at == datetime(2026, 10, 7, 10, tzinfo=UTC)
    with pytest.raises(ReportingError):
        update_case(store, case.id, [("fix_available_at", "2026-10-07T12:00:00")], actor="a", now=NOW)


def test_submissions_set_the_incident_final_clock(store):
    case = open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE), actor="a", now=NOW)
    filed = datetime(2026, 10, 4, 16, 0, tzinfo=UTC)
    case = record_submission(
        store, case.id, Stage.NOTIFICATION, filed, actor="b", now=filed, reference="SRP-1"
    )
    assert case.notification_at == filed
    from crakit.reporting import exact_deadlines

    assert exact_deadlines(case.clock()).final_report_due == datetime(2026, 11, 4, 16, 0, tzinfo=UTC)
    record_submission(
        store,
        case.id,
        Stage.INTERMEDIATE,
        filed + timedelta(days=2),
        actor="b",
        now=filed + timedelta(days=3),
    )
    record_submission(
        store,
        case.id,
        Stage.INTERMEDIATE,
        filed + timedelta(days=3),
        actor="b",
        now=filed + timedelta(days=3),
    )
    case = get_case(store, case.id)
    assert [s.stage for s in case.submissions] == [Stage.NOTIFICATION, Stage.INTERMEDIATE, Stage.INTERMEDIATE]
    assert case.submissions[0].reference == "SRP-1"


def test_submission_times_are_checked(store):
    case = open_case(store, new_vuln(), actor="a", now=NOW)
    with pytest.raises(ReportingError):
        record_submission(store, case.id, Stage.EARLY_WARNING, AWARE - timedelta(hours=1), actor="a", now=NOW)
    with pytest.raises(ReportingError):
        record_submission(store, case.id, Stage.EARLY_WARNING, NOW + timedelta(hours=1), actor="a", now=NOW)


def test_closed_case_is_read_only(store):
    case = open_case(store, new_vuln(), actor="a", now=NOW)
    close_case(store, case.id, actor="z", now=NOW, reason="final report filed")
    with pytest.raises(CaseClosed):
        update_case(store, case.id, [("summary", "x")], actor="a", now=NOW)
    with pytest.raises(CaseClosed):
        record_submission(store, case.id, Stage.FINAL, NOW, actor="a", now=NOW)
    with pytest.raises(CaseClosed):
        close_case(store, case.id, actor="a", now=NOW)
    history = case_history(store, case.id)
    assert (
        history.entries[-1].action == "closed"
        and history.entries[-1].detail["reason"] == "final report filed"
    )
    assert [c.id for c in list_cases(store, status="open")] == []
    assert [c.id for c in list_cases(store, status="closed")] == [case.id]


def test_unknown_case(store):
    with pytest.raises(CaseNotFound):
        get_case(store, 999)
    with pytest.raises(CaseNotFound):
        update_case(store, 999, [("summary", "x")], actor="a", now=NOW)


def test_status_orders_by_next_due_and_flags_overdue(store):
    late = open_case(
        store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE - timedelta(days=4)), actor="a", now=NOW
    )
    soon = open_case(store, new_vuln(), actor="a", now=NOW)
    done = open_case(store, new_vuln(), actor="a", now=NOW)
    record_submission(
        store, done.id, Stage.NOTIFICATION, NOW, actor="a", now=NOW
    )  # covers the early warning too
    closed = open_case(store, new_vuln(), actor="a", now=NOW)
    close_case(store, closed.id, actor="a", now=NOW)
    report = status_report(list_cases(store), NOW)
    assert [s.case.id for s in report] == [late.id, soon.id, done.id]
    assert report[0].overdue and not report[1].overdue
    assert report[1].next_due is not None and report[1].next_due.stage is Stage.EARLY_WARNING
    assert report[1].to_json()["time_left_seconds"] == int(timedelta(hours=23, minutes=15).total_seconds())
    # the notification is filed (covering the early warning); the final report waits for a fix
    assert [(p.stage, p.due) for p in report[2].pending] == [(Stage.FINAL, None)]
    assert report[2].next_due is None
