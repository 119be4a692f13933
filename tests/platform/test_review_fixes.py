"""Cases an independent review wrote from the law before reading the code (2026-12-03), where the
platform disagreed; each test names the article it holds the platform to."""

from __future__ import annotations

from typing import Any

import pytest

from crakit.platform import InvalidSubmission, private_webhook_target
from tests.platform_kit import NOTIFICATION_FIELDS, early_warning

PEC = {**NOTIFICATION_FIELDS, "pec": "Yes", "pec_grounds": ["a"]}


def _filed(as_: Any, **fields: Any) -> str:
    reply = as_("manufacturer").post("/api/v1/notifications", early_warning(**fields))
    assert reply.status_code == 201, reply.text
    return f"/api/v1/notifications/{reply.json()['id']}"


def test_field_4_is_always_the_filing_organisations_name(as_: Any) -> None:
    """A manufacturer cannot file, or later rename its filing, under another's name (field 4 is
    system-filled; the coordinator, ENISA and MISP exports all show it)."""
    path = _filed(as_, manufacturer_name="Siemens AG")
    assert as_("coordinator").get(path).json()["fields"]["manufacturer_name"] == "ACME Devices"
    assert as_("manufacturer").patch(path, {"fields": {"manufacturer_name": "Globex"}}).status_code == 422
    assert as_("coordinator").get(path).json()["fields"]["manufacturer_name"] == "ACME Devices"


def test_a_recipient_sees_only_its_own_dissemination(as_: Any) -> None:
    """Art 16(5) need-to-know: DE does not learn that FR received it too."""
    path = _filed(as_, member_states=["IE", "DE", "FR"])
    reply = as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE", "FR"]})
    assert reply.status_code == 200, reply.text
    seen = as_("recipient").get(path).json()
    assert [d["member_state"] for d in seen["disseminations"]] == ["DE"]
    assert {d["member_state"] for d in as_("coordinator").get(path).json()["disseminations"]} == {"DE", "FR"}


def test_a_recipient_cannot_loosen_the_coordinators_markings(as_: Any) -> None:
    """DR (EU) 2026/881 Art 3: TLP/PAP are the first line of protection; a recipient's export keeps
    the markings it received or stricter ones."""
    path = _filed(as_)
    as_("coordinator").post(
        f"{path}/dissemination", {"member_states": ["DE"], "tlp": "amber+strict", "pap": "red"}
    )
    event = as_("recipient").get(f"{path}/misp", params={"tlp": "clear", "pap": "clear"}).json()
    tags = {t["name"] for t in event["Event"]["Tag"]}
    assert {"tlp:amber+strict", "PAP:RED"} <= tags and not {"tlp:clear", "PAP:CLEAR"} & tags
    stricter = as_("recipient").get(f"{path}/misp", params={"tlp": "red", "pap": "red"}).json()
    assert "tlp:red" in {t["name"] for t in stricter["Event"]["Tag"]}


def test_an_idempotency_key_reused_for_another_case_is_a_conflict(as_: Any) -> None:
    owner = as_("manufacturer")
    assert (
        owner.post(
            "/api/v1/notifications", early_warning(case="A"), headers={"Idempotency-Key": "k"}
        ).status_code
        == 201
    )
    again = owner.post("/api/v1/notifications", early_warning(case="B"), headers={"Idempotency-Key": "k"})
    assert again.status_code == 409 and "another submission" in again.text


def test_pec_is_raised_in_the_72_hour_notification_only(as_: Any) -> None:
    """Art 16(2), third subparagraph: "in its notification under Article 14(2), point (b)", not in
    an intermediate report that shares the notification's fields."""
    path = _filed(as_)
    owner = as_("manufacturer")
    assert (
        owner.post(f"{path}/stages", {"stage": "notification", "fields": NOTIFICATION_FIELDS}).status_code
        == 201
    )
    late = owner.post(
        f"{path}/stages",
        {"stage": "intermediate", "fields": {"status_update": "QA", "pec": "Yes", "pec_grounds": ["a"]}},
    )
    assert late.status_code == 422 and late.json()["error"]["field"] == "pec", late.text
    fine = owner.post(f"{path}/stages", {"stage": "intermediate", "fields": {"status_update": "QA"}})
    assert fine.status_code == 201, fine.text
    assert owner.patch(path, {"fields": {"pec": "Yes", "pec_grounds": ["a"]}}).status_code == 422


def test_enisa_partial_view_ends_at_full_dissemination_and_shows_delays(as_: Any) -> None:
    """Art 16(2): ENISA is told of a delay with its justification (second subparagraph), and its
    partial view lasts until the notification is fully disseminated (third subparagraph)."""
    path = _filed(as_, member_states=["IE", "DE", "FR"])
    assert (
        as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": PEC}).status_code
        == 201
    )
    delayed = as_("coordinator").post(
        f"{path}/delay",
        {
            "member_states": ["FR"],
            "ground": "cra-art16-cvd",
            "justification": "Coordinated disclosure with the upstream project ends on Friday.",
            "until": "2099-01-01T00:00:00Z",
        },
    )
    assert delayed.status_code == 200, delayed.text
    partial = as_("enisa").get(path).json()
    assert partial["view"] == "enisa-partial"
    assert (
        partial["delays"][0]["ground"] == "cra-art16-cvd"
        and "upstream" in partial["delays"][0]["justification"]
    )
    as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE"]})
    assert as_("enisa").get(path).json()["view"] == "enisa-partial"  # FR still waits
    as_("coordinator").post(f"{path}/dissemination", {"member_states": ["FR"]})
    assert as_("enisa").get(path).json()["view"] == "enisa-full"


def test_the_coordinator_sees_which_fields_and_clocks_a_revision_changed(as_: Any) -> None:
    """A later awareness moves every deadline (Art 14(2)): the coordinator sees that it moved."""
    path = _filed(as_)
    later = "2026-12-01T00:00:00Z"
    assert as_("manufacturer").patch(path, {"fields": {"aware_at": later}}).status_code == 200
    revisions = as_("coordinator").get(path).json()["revisions"]
    assert revisions[-1]["fields"] == ["aware_at"] and revisions[-1]["clocks"] == {"aware_at": later}


def test_a_norwegian_main_establishment_falls_back_to_the_authorised_representative(as_: Any) -> None:
    """Art 14(7): Norway is not in the Union; point (a) names the authorised representative's State."""
    body = early_warning(case="NO-1", main="NO")
    body["authorised_representative"] = "NL"
    reply = as_("manufacturer").post("/api/v1/notifications", body)
    assert reply.status_code == 201, reply.text
    assert reply.json()["coordinator"] == "NL" and "14(7)(a)" in reply.json()["routing"]["article"]


def test_bad_filter_values_and_non_numbers_are_refused(as_: Any, http: Any, tokens: dict[str, str]) -> None:
    assert as_("enisa").get("/api/v1/notifications", params={"member_state": "XX"}).status_code == 422
    raw = '{"stage": "early-warning", "case": "N", "main_establishment": "IE", "fields": {"title": NaN}}'
    reply = http.post(
        "/api/v1/notifications",
        content=raw,
        headers={"Authorization": f"Bearer {tokens['manufacturer']}", "Content-Type": "application/json"},
    )
    assert reply.status_code in (400, 422), reply.text


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example/x",  # plain http
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://169.254.169.254/latest/meta-data",
        "https://10.1.2.3/x",
        "https://localhost/x",
    ],
)
def test_webhooks_cannot_point_into_the_servers_network(as_: Any, app: Any, url: str) -> None:
    from datetime import UTC, datetime

    from crakit.platform import Keyring, register_webhook
    from tests.platform_kit import MASTER

    now = datetime.now(UTC)
    with app.state.store.transaction() as session, pytest.raises(InvalidSubmission):
        register_webhook(session, Keyring(session, MASTER, now), 1, url, now=now)


def test_delivery_resolves_names_again() -> None:
    assert private_webhook_target("localhost", resolve=True)
    assert private_webhook_target("127.0.0.1", resolve=True)
    assert private_webhook_target("93.184.215.14", resolve=True) is None


def test_the_coordinator_sees_what_is_still_to_disseminate_and_keeps_its_own_field(as_: Any) -> None:
    """Art 16(2): "without delay" to the indicated Member States; v30 is addressed to the coordinator."""
    path = _filed(as_, member_states=["IE", "DE", "FR", "NL"])
    fields = {**NOTIFICATION_FIELDS, "csirt_info": "Call our PSIRT lead before sharing."}
    assert (
        as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": fields}).status_code
        == 201
    )
    assert as_("coordinator").get(path).json()["awaiting_dissemination"] == ["DE", "FR", "NL"]
    as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE"]})
    as_("coordinator").post(
        f"{path}/delay",
        {
            "member_states": ["NL"],
            "ground": "cra-art16-cvd",
            "justification": "CVD ends Friday.",
            "until": "2099-01-01T00:00:00Z",
        },
    )
    coordinator = as_("coordinator").get(path).json()
    assert coordinator["awaiting_dissemination"] == ["FR"] and coordinator["fields"]["csirt_info"]
    recipient = as_("recipient").get(path).json()
    assert "csirt_info" not in recipient["fields"] and "awaiting_dissemination" not in recipient
