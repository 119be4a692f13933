"""Filing, validation against the Glossary, stages, routing and who sees what (API, both databases)."""

from __future__ import annotations

from typing import Any

from tests.platform_kit import AWARE, FINAL_FIELDS, NOTIFICATION_FIELDS, early_warning


def _file(as_: Any, **kw: Any) -> dict[str, Any]:
    reply = as_("manufacturer").post("/api/v1/notifications", early_warning(**kw))
    assert reply.status_code == 201, reply.text
    return dict(reply.json())


def test_early_warning_is_routed_to_the_coordinator_and_enisa(as_: Any) -> None:
    filed = _file(as_)
    assert filed["coordinator"] == "IE"
    assert filed["routing"]["article"].startswith("Art 14(7)")
    assert filed["fields"]["manufacturer_name"] == "ACME Devices"  # system-filled, Glossary field 4
    for party in ("manufacturer", "coordinator", "enisa"):
        assert as_(party).get(f"/api/v1/notifications/{filed['id']}").status_code == 200, party
    for party in ("recipient", "bystander", "other_manufacturer", "admin"):
        assert as_(party).get(f"/api/v1/notifications/{filed['id']}").status_code == 404, party


def test_dissemination_opens_the_notification_to_that_csirt_only(as_: Any) -> None:
    filed = _file(as_)
    path = f"/api/v1/notifications/{filed['id']}"
    reply = as_("coordinator").post(f"{path}/dissemination", {"member_states": ["DE"]})
    assert reply.status_code == 200, reply.text
    assert [d["member_state"] for d in reply.json()["disseminations"]] == ["DE"]
    assert as_("recipient").get(path).status_code == 200
    assert as_("recipient").get(path).json()["view"] == "recipient"
    assert as_("bystander").get(path).status_code == 404
    listed = as_("recipient").get("/api/v1/notifications").json()
    assert [n["id"] for n in listed["notifications"]] == [filed["id"]]
    assert as_("bystander").get("/api/v1/notifications").json()["notifications"] == []


def test_only_the_coordinator_disseminates(as_: Any) -> None:
    filed = _file(as_)
    path = f"/api/v1/notifications/{filed['id']}/dissemination"
    assert as_("enisa").post(path, {"member_states": ["DE"]}).status_code == 403
    assert as_("manufacturer").post(path, {"member_states": ["DE"]}).status_code == 403
    assert as_("bystander").post(path, {"member_states": ["DE"]}).status_code == 404
    assert as_("coordinator").post(path, {"member_states": ["IE"]}).status_code == 422  # its own
    assert (
        as_("coordinator").post(path, {"member_states": ["US"]}).json()["error"]["field"] == "member_states"
    )


def test_missing_required_field_is_a_422_naming_it(as_: Any) -> None:
    body = early_warning()
    del body["fields"]["summary"]
    reply = as_("manufacturer").post("/api/v1/notifications", body)
    assert reply.status_code == 422
    assert reply.json()["error"]["field"] == "summary"
    assert "required at the early-warning stage" in reply.json()["error"]["message"]


def test_limits_enums_and_stage_applicability_come_from_the_glossary(as_: Any) -> None:
    too_long = as_("manufacturer").post("/api/v1/notifications", early_warning(title="x" * 256))
    assert too_long.status_code == 422 and too_long.json()["error"]["field"] == "title"
    bad_enum = as_("manufacturer").post("/api/v1/notifications", early_warning(product_type="Gigantic"))
    assert bad_enum.json()["error"]["field"] == "product_type"
    pec_early = as_("manufacturer").post("/api/v1/notifications", early_warning(pec=True, pec_grounds=["a"]))
    assert pec_early.status_code == 422 and pec_early.json()["error"]["field"] == "pec"
    unknown = as_("manufacturer").post("/api/v1/notifications", early_warning(colour="red"))
    assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "colour"
    by_number = as_("manufacturer").post(
        "/api/v1/notifications", early_warning(case="N", **{"v19": "CVE-2026-1"})
    )
    assert by_number.status_code == 201 and by_number.json()["fields"]["cve_id"] == "CVE-2026-1"


def test_only_manufacturers_file(as_: Any) -> None:
    for party in ("coordinator", "enisa", "admin"):
        assert as_(party).post("/api/v1/notifications", early_warning()).status_code == 403, party


def test_stages_in_order_then_read_only_after_the_final_report(as_: Any) -> None:
    filed = _file(as_)
    path = f"/api/v1/notifications/{filed['id']}"
    owner = as_("manufacturer")
    missing = owner.post(f"{path}/stages", {"stage": "notification", "fields": {}})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "general_information"
    notification = owner.post(f"{path}/stages", {"stage": "notification", "fields": NOTIFICATION_FIELDS})
    assert notification.status_code == 201, notification.text
    assert notification.json()["fields"]["title"] == early_warning()["fields"]["title"]  # carried forward
    back = owner.post(f"{path}/stages", {"stage": "early-warning", "fields": {}})
    assert back.status_code == 422 and back.json()["error"]["field"] == "stage"
    intermediate = owner.post(
        f"{path}/stages", {"stage": "intermediate", "fields": {"status_update": "Patch in QA"}}
    )
    assert intermediate.status_code == 201, intermediate.text
    final = owner.post(f"{path}/stages", {"stage": "final", "fields": FINAL_FIELDS})
    assert final.status_code == 201, final.text
    assert final.json()["status"] == "closed"
    assert owner.patch(path, {"fields": {"summary": "changed"}}).status_code == 409
    assert owner.post(f"{path}/stages", {"stage": "final", "fields": {}}).status_code == 409
    stages = [r["stage"] for r in owner.get(path).json()["revisions"]]
    assert stages == ["early-warning", "notification", "intermediate", "final"]


def test_updates_until_the_final_report(as_: Any) -> None:
    filed = _file(as_)
    path = f"/api/v1/notifications/{filed['id']}"
    reply = as_("manufacturer").patch(path, {"fields": {"summary": "Exploitation confirmed in 3 networks."}})
    assert reply.status_code == 200
    assert as_("coordinator").get(path).json()["fields"]["summary"] == "Exploitation confirmed in 3 networks."
    assert as_("coordinator").patch(path, {"fields": {"summary": "x"}}).status_code == 403


def test_incident_track_and_its_clock(as_: Any) -> None:
    body = {
        "stage": "early-warning",
        "case": "INC-1",
        "main_establishment": "DE",
        "fields": {
            "notification_type": "Incident",
            "title": "Tampered update",
            "summary": "Update server served a modified image.",
            "product_name": "Router",
            "product_version": "2",
            "member_states": "DE",
            "suspected_malicious": "yes",
            "incident_aware_at": AWARE,
        },
    }
    reply = as_("manufacturer").post("/api/v1/notifications", body)
    assert reply.status_code == 201, reply.text
    data = reply.json()
    assert data["kind"] == "incident" and data["coordinator"] == "DE"
    assert data["fields"]["suspected_malicious"] == "Yes"
    assert data["deadlines"]["stages"]["final_report"]["due"] is None  # runs from the 72-hour notification


def test_deadlines_count_from_awareness_not_from_the_early_warning(as_: Any) -> None:
    filed = _file(as_, aware_at="2026-10-02T08:15:00Z")
    stages = filed["deadlines"]["stages"]
    assert stages["early_warning"]["due"] == "2026-10-03T08:15:00Z"
    assert stages["notification"]["due"] == "2026-10-05T08:15:00Z"
    counter = filed["deadlines"]["live_platform_counter"]["notification_due"]
    assert counter != stages["notification"]["due"]


def test_routing_fallback_when_the_main_establishment_is_outside_the_union(as_: Any) -> None:
    body = early_warning(case="US-1", main="US")
    body["importer"] = "NL"
    reply = as_("manufacturer").post("/api/v1/notifications", body)
    assert reply.status_code == 201, reply.text
    assert reply.json()["coordinator"] == "NL"
    assert "14(7)(b)" in reply.json()["routing"]["article"]
    nowhere = as_("manufacturer").post("/api/v1/notifications", early_warning(case="US-2", main="US"))
    assert nowhere.status_code == 422 and nowhere.json()["error"]["field"] == "main_establishment"


def test_same_case_twice_is_a_conflict_and_idempotency_keys_replay(as_: Any) -> None:
    owner = as_("manufacturer")
    first = owner.post("/api/v1/notifications", early_warning(case="K"), headers={"Idempotency-Key": "k-1"})
    again = owner.post("/api/v1/notifications", early_warning(case="K"), headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert owner.post("/api/v1/notifications", early_warning(case="K")).status_code == 409


def test_tenants_never_see_each_other(as_: Any) -> None:
    mine = _file(as_)
    theirs = as_("other_manufacturer").post("/api/v1/notifications", early_warning(case="G-1"))
    assert theirs.status_code == 201
    ids = [n["id"] for n in as_("manufacturer").get("/api/v1/notifications").json()["notifications"]]
    assert ids == [mine["id"]]
    assert as_("other_manufacturer").get(f"/api/v1/notifications/{mine['id']}").status_code == 404
    assert as_("admin").get("/api/v1/notifications").status_code == 403


def test_invalidation_with_a_reason(as_: Any) -> None:
    filed = _file(as_)
    path = f"/api/v1/notifications/{filed['id']}"
    reply = as_("coordinator").post(
        f"{path}/invalidation", {"reason": "Wrong coordinator: main establishment is in NL"}
    )
    assert reply.status_code == 200
    seen = as_("manufacturer").get(path).json()
    assert seen["status"] == "invalidated" and seen["invalidation"]["reason"].startswith("Wrong coordinator")
    assert (
        as_("manufacturer")
        .post(f"{path}/stages", {"stage": "notification", "fields": NOTIFICATION_FIELDS})
        .status_code
        == 409
    )
    assert as_("recipient").post(f"{path}/invalidation", {"reason": "x"}).status_code == 404


def test_inbox_filters(as_: Any) -> None:
    _file(as_, case="A")
    _file(as_, case="B", main="DE")
    enisa = as_("enisa")
    assert enisa.get("/api/v1/notifications").json()["total"] == 2
    only_de = enisa.get("/api/v1/notifications", params={"member_state": "DE"}).json()
    assert [n["coordinator"] for n in only_de["notifications"]] == ["DE"]
    assert enisa.get("/api/v1/notifications", params={"stage": "final"}).json()["total"] == 0
    soon = enisa.get("/api/v1/notifications", params={"due_before": "2100-01-01T00:00:00Z"}).json()
    assert soon["total"] == 2
    assert (
        enisa.get("/api/v1/notifications", params={"due_before": "2000-01-01T00:00:00Z"}).json()["total"] == 0
    )
