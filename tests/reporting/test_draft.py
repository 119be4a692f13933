"""Drafts of the ENISA form: required fields per stage (Glossary v1.3), limits, sources, rendering."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crakit.reporting import FieldTooLong, Kind, NewCase, Stage, open_case, record_submission, update_case
from crakit.reporting.draft import build_draft, render_draft
from crakit.reporting.form import glossary
from crakit.store import open_store

AWARE = datetime(2026, 10, 2, 8, 15, tzinfo=UTC)
NOW = datetime(2026, 10, 2, 9, 0, tzinfo=UTC)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "homegate-router.yaml"

# Required per stage, read off the Glossary v1.3 table (R, or C carried from an R).
VULN_REQUIRED = {
    Stage.EARLY_WARNING: {"1", "2", "3", "4", "5", "6", "7", "v26"},
    Stage.NOTIFICATION: {"1", "2", "3", "4", "5", "6", "7", "v26", "v21"},
    Stage.FINAL: {"1", "2", "3", "4", "5", "6", "7", "v26", "v21", "16", "17", "v22", "v23", "v24", "v25"},
}
INCIDENT_REQUIRED = {
    Stage.EARLY_WARNING: {"1", "2", "3", "4", "5", "6", "7", "i31", "i37"},
    Stage.NOTIFICATION: {"1", "2", "3", "4", "5", "6", "7", "i31", "i37", "i32", "i38", "i39"},
    Stage.FINAL: {
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "i31",
        "i37",
        "i32",
        "i39",
        "16",
        "17",
        "i33",
        "i34",
        "i35",
        "i36",
    },
}
PRODUCT = {
    "name": "HomeGate AX3000",
    "version": "2.1",
    "manufacturer": "Example NV",
    "main_establishment": "BE",
    "member_states": ["BE", "NL", "FR"],
    "type": "Important",
    "class": "Class I",
    "annex_entries": [{"id": "III.I.12", "name": "Routers", "ref": "Annex III"}],
    "support_end": "2035-03",
}


@pytest.fixture
def store(database_url):
    with open_store(database_url) as opened:
        yield opened


def test_glossary_has_39_fields_18_common_12_vulnerability_9_incident():
    spec = glossary()
    assert spec.version == "1.3"
    tracks = [f.track for f in spec.fields]
    assert (len(tracks), tracks.count("both"), tracks.count("vulnerability"), tracks.count("incident")) == (
        39,
        18,
        12,
        9,
    )
    assert len({f.key for f in spec.fields}) == 39
    assert (
        spec.field("v27").limit == 100 and spec.field("v30").limit == 800 and spec.field("16").limit == 2000
    )


@pytest.mark.parametrize("kind", [Kind.VULNERABILITY, Kind.INCIDENT])
@pytest.mark.parametrize("stage", [Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL])
def test_required_fields_per_stage_match_the_glossary(store, kind, stage):
    case = open_case(store, NewCase(kind=kind, aware_at=AWARE), actor="a", now=NOW)
    draft = build_draft(case, stage, NOW)
    expected = (VULN_REQUIRED if kind is Kind.VULNERABILITY else INCIDENT_REQUIRED)[stage]
    assert {f.field.number for f in draft.fields if f.required} == expected
    # a bare case: the awareness time and notification type are known, the rest is named missing
    assert {f.field.number for f in draft.missing} == expected - {"1", "2", "v26", "i37"}


def test_pec_is_only_part_of_the_72h_vulnerability_stage(store):
    vuln = open_case(store, NewCase(kind=Kind.VULNERABILITY, aware_at=AWARE), actor="a", now=NOW)
    incident = open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE), actor="a", now=NOW)
    numbers = lambda case, stage: {f.field.number for f in build_draft(case, stage, NOW).fields}  # noqa: E731
    assert {"v28", "v29"} <= numbers(vuln, Stage.NOTIFICATION)
    assert not {"v28", "v29"} & numbers(vuln, Stage.EARLY_WARNING)
    assert not {"v28", "v29"} & numbers(vuln, Stage.FINAL)
    assert not any(n.startswith("v") for n in numbers(incident, Stage.NOTIFICATION))
    assert "18" not in numbers(vuln, Stage.EARLY_WARNING)  # attack vector: not at 24 h


def test_pec_grounds_are_spelled_out_and_checked(store):
    case = open_case(store, NewCase(kind=Kind.VULNERABILITY, aware_at=AWARE), actor="a", now=NOW)
    case = update_case(store, case.id, [("pec_grounds", "a c")], actor="a", now=NOW)
    draft = build_draft(case, Stage.NOTIFICATION, NOW)
    grounds = next(f for f in draft.fields if f.field.number == "v29")
    assert grounds.text.startswith("(a) ") and "(c) " in grounds.text
    assert any("v28" in w for w in draft.warnings)  # grounds without PEC switched on


def walk(store, kind: Kind, fields: list[tuple[str, str]]):
    case = open_case(store, NewCase(kind=kind, aware_at=AWARE, product=PRODUCT), actor="a", now=NOW)
    return update_case(store, case.id, fields, actor="a", now=NOW)


def test_vulnerability_walked_through_all_stages_is_complete(store):
    case = walk(
        store,
        Kind.VULNERABILITY,
        [
            ("summary", "Auth bypass in the web UI is exploited."),
            ("general_information", "Missing check on /api/login; one request gives admin."),
            ("measures_taken", "Hotfix 2.1.1 released."),
            ("user_measures", "Install 2.1.1."),
            ("security_update", "2.1.1 adds the check."),
            ("severity", "Critical: remote, unauthenticated."),
            ("impact", "Full takeover of the router."),
            ("fix_available_at", "2026-10-07T10:00:00Z"),
            ("pec", "yes"),
            ("pec_grounds", "b"),
        ],
    )
    for stage in (Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL):
        draft = build_draft(case, stage, NOW)
        assert draft.missing == (), (stage, [f.field.number for f in draft.missing])
        assert draft.route.csirt is not None and draft.route.csirt.code == "BE"
        text = render_draft(draft, "markdown")
        for item in draft.fields:
            assert f"### {item.field.number}. " in text
    final = build_draft(case, Stage.FINAL, NOW)
    assert final.deadline()["due"] == "2026-10-21T10:00:00Z"
    values = {f.field.number: f.text for f in final.fields}
    assert values["8"] == "Important" and values["9"] == "Class I" and values["11"] == "No"
    assert values["5"] == "BE, NL, FR" and values["v22"] == "2026-10-07T10:00:00Z"
    # v27 is "required if available": listed, never blocking
    assert [f.field.number for f in final.wanted_if_available] == ["v27"]


def test_incident_walked_through_all_stages_is_complete(store):
    case = walk(
        store,
        Kind.INCIDENT,
        [
            ("summary", "Tampered update served from CDN."),
            ("suspected_malicious", "yes"),
            ("incident_nature", "Supply-chain compromise of the update channel."),
            ("occurred_at", "2026-10-01T22:00:00+02:00"),
            ("initial_assessment", "Three units affected."),
            ("measures_taken", "CDN keys rotated."),
            ("user_measures", "Re-flash firmware 2.1.2."),
            ("mitigation_applied", "Signed updates enforced."),
            ("incident_severity", "High."),
            ("incident_impact", "Integrity of configuration lost on affected units."),
            ("root_cause", "Stolen CDN key."),
        ],
    )
    assert case.fields["occurred_at"] == "2026-10-01T20:00:00Z"
    case = record_submission(
        store,
        case.id,
        Stage.NOTIFICATION,
        datetime(2026, 10, 4, 8, 0, tzinfo=UTC),
        actor="a",
        now=datetime(2026, 10, 4, 9, 0, tzinfo=UTC),
    )
    for stage in (Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL):
        assert build_draft(case, stage, NOW).missing == ()
    assert build_draft(case, Stage.FINAL, NOW).deadline()["due"] == "2026-11-04T08:00:00Z"


def test_intermediate_report_needs_a_status_update(store):
    case = walk(store, Kind.INCIDENT, [])
    draft = build_draft(case, Stage.INTERMEDIATE, NOW)
    assert "notes" in {f.field.number for f in draft.missing}
    case = update_case(store, case.id, [("status_update", "Patch in QA.")], actor="a", now=NOW)
    assert "notes" not in {f.field.number for f in build_draft(case, Stage.INTERMEDIATE, NOW).missing}


def test_text_over_a_limit_from_the_manifest_is_refused(store):
    product = dict(PRODUCT, name="N" * 256)
    case = open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE, product=product), actor="a", now=NOW)
    with pytest.raises(FieldTooLong) as info:
        build_draft(case, Stage.EARLY_WARNING, NOW)
    assert "256/255" in info.value.diagnostics()


def test_finding_feeds_cve_and_severity_and_warns_when_not_exploited(store):
    finding = {"id": "GHSA-xxxx", "aliases": ["CVE-2026-9999"], "severity": "high", "exploited": False}
    case = open_case(
        store,
        NewCase(kind=Kind.VULNERABILITY, aware_at=AWARE, evidence={"finding": finding}),
        actor="a",
        now=NOW,
    )
    draft = build_draft(case, Stage.FINAL, NOW)
    values = {f.field.number: f for f in draft.fields}
    assert values["v19"].text == "CVE-2026-9999" and values["v19"].source == "scan finding"
    assert "HIGH" in values["v24"].text
    assert any("not listed as known exploited" in w for w in draft.warnings)


def test_end_of_support_indicator_follows_the_draft_date(store):
    product = dict(PRODUCT, support_end="2026-09")
    case = open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE, product=product), actor="a", now=NOW)
    values = {f.field.number: f.text for f in build_draft(case, Stage.EARLY_WARNING, NOW).fields}
    assert values["11"] == "Yes"
    early = datetime(2026, 9, 30, 23, 0, tzinfo=UTC)
    assert {f.field.number: f.text for f in build_draft(case, Stage.EARLY_WARNING, early).fields}[
        "11"
    ] == "No"


def test_non_eu_manufacturer_routed_by_importer_in_the_draft(store):
    product = dict(PRODUCT, main_establishment=None)
    case = open_case(
        store,
        NewCase(kind=Kind.INCIDENT, aware_at=AWARE, product=product, fields=(("importer_ms", "de"),)),
        actor="a",
        now=NOW,
    )
    draft = build_draft(case, Stage.EARLY_WARNING, NOW)
    assert draft.route.csirt is not None and draft.route.csirt.code == "DE"
    assert "CERT-Bund" in render_draft(draft, "markdown")
    bare = open_case(store, NewCase(kind=Kind.INCIDENT, aware_at=AWARE, product=product), actor="a", now=NOW)
    assert any("authorised representative" in w for w in build_draft(bare, Stage.EARLY_WARNING, NOW).warnings)


def test_html_escapes_user_text_and_markdown_fences_hold_backticks(store):
    case = walk(store, Kind.INCIDENT, [("summary", "<script>alert(1)</script> ```x```")])
    draft = build_draft(case, Stage.EARLY_WARNING, NOW)
    html = render_draft(draft, "html")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    markdown = render_draft(draft, "markdown")
    assert "````text\n<script>alert(1)</script> ```x```\n````" in markdown


def test_product_snapshot_from_the_example_manifest():
    from crakit.reporting.product import product_snapshot

    snapshot = product_snapshot(EXAMPLE)
    assert snapshot["name"] == "HomeGate AX3000" and snapshot["main_establishment"] == "BE"
    assert snapshot["type"] == "Important" and snapshot["class"] == "Class I"
