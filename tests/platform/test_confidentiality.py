"""PEC partial view for ENISA, delays on DR (EU) 2026/881 grounds, encryption at rest, key rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from tests.platform_kit import MASTER, NOTIFICATION_FIELDS, early_warning

PEC = {**NOTIFICATION_FIELDS, "pec": "Yes", "pec_grounds": ["a", "c"]}


def _pec_notification(as_: Any) -> str:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning())
    assert filed.status_code == 201, filed.text
    path = f"/api/v1/notifications/{filed.json()['id']}"
    reply = as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": PEC})
    assert reply.status_code == 201, reply.text
    return path


def test_enisa_sees_only_the_partial_view_under_pec_until_released(as_: Any) -> None:
    path = _pec_notification(as_)
    partial = as_("enisa").get(path).json()
    assert partial["view"] == "enisa-partial"
    assert set(partial["fields"]) <= {
        "manufacturer_name",
        "product_name",
        "product_version",
        "product_type",
        "product_class",
        "product_category",
        "attack_vector",
        "pec",
        "pec_grounds",
    }
    assert partial["fields"]["attack_vector"] == "network"  # the general nature of the exploit
    assert partial["pec"]["grounds"] == ["a", "c"]  # the fact that grounds were raised
    body = str(partial)
    for secret in (
        "Authentication bypass",
        "CVE-2026-12345",
        "Missing authorisation",
        "management interface",
    ):
        assert secret not in body
    assert "disseminations" not in partial and "case" not in partial
    listed = as_("enisa").get("/api/v1/notifications").json()["notifications"][0]
    assert "Authentication bypass" not in listed["title"]
    misp = as_("enisa").get(f"{path}/misp").json()
    assert "CVE-2026-12345" not in str(misp) and "Missing authorisation" not in str(misp)
    coordinator = as_("coordinator").get(path).json()
    assert coordinator["fields"]["cve_id"] == "CVE-2026-12345"
    assert as_("enisa").post(f"{path}/enisa-release").status_code == 403
    assert as_("coordinator").post(f"{path}/enisa-release").status_code == 200
    full = as_("enisa").get(path).json()
    assert full["view"] == "enisa-full" and full["fields"]["cve_id"] == "CVE-2026-12345"


def test_pec_needs_a_ground_and_cannot_be_withdrawn(as_: Any) -> None:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning()).json()
    path = f"/api/v1/notifications/{filed['id']}"
    no_ground = as_("manufacturer").post(
        f"{path}/stages", {"stage": "notification", "fields": {**NOTIFICATION_FIELDS, "pec": "Yes"}}
    )
    assert no_ground.status_code == 422 and no_ground.json()["error"]["field"] == "pec_grounds"
    as_("manufacturer").post(f"{path}/stages", {"stage": "notification", "fields": PEC})
    withdraw = as_("manufacturer").patch(path, {"fields": {"pec": "No", "pec_grounds": None}})
    assert withdraw.status_code == 409


def test_delay_records_who_which_ground_until_when_and_informs_enisa(as_: Any) -> None:
    filed = as_("manufacturer").post("/api/v1/notifications", early_warning()).json()
    path = f"/api/v1/notifications/{filed['id']}"
    until = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    body = {
        "member_states": ["DE", "NL"],
        "ground": "dr-art3-content-risk",
        "justification": "Patch expected within days; TLP cannot contain the risk.",
        "until": until,
    }
    assert (
        as_("coordinator").post(f"{path}/delay", {**body, "ground": "because"}).json()["error"]["field"]
        == "ground"
    )
    past = {**body, "until": "2020-01-01T00:00:00Z"}
    assert as_("coordinator").post(f"{path}/delay", past).status_code == 422
    assert as_("enisa").post(f"{path}/delay", body).status_code == 403
    reply = as_("coordinator").post(f"{path}/delay", body)
    assert reply.status_code == 200, reply.text
    delay = as_("enisa").get(path).json()["delays"][0]
    assert delay["ground"] == "dr-art3-content-risk" and delay["member_states"] == ["DE", "NL"]
    assert delay["decided_by"].startswith("token:") and delay["enisa_informed_at"] == delay["decided_at"]
    assert "delays" not in as_("manufacturer").get(path).json()
    grounds = as_("coordinator").get("/api/v1/delay-grounds").json()["grounds"]
    assert {g["code"] for g in grounds} == {
        "dr-art3-content-risk",
        "dr-art4-recipient-csirt",
        "dr-art5-platform-compromised",
        "cra-art16-cvd",  # Art 16(2), second subparagraph, names coordinated disclosure itself
    }


def test_form_fields_are_encrypted_at_rest(app: Any, as_: Any) -> None:
    _pec_notification(as_)
    with app.state.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT sealed FROM notifications")).scalars().all()
        revisions = connection.execute(text("SELECT sealed FROM notification_revisions")).scalars().all()
        keys = connection.execute(text("SELECT wrapped FROM tenant_keys")).scalars().all()
    stored = " ".join([*rows, *revisions, *keys])
    for plain in ("Authentication bypass", "CVE-2026-12345", "ACME Gateway", "Missing authorisation"):
        assert plain not in stored
    assert len(keys) == 1  # one data key: the filing manufacturer's


def test_rotation_reseals_everything_and_drops_old_keys(app: Any, as_: Any) -> None:
    from crakit.platform import rotate_keys

    path = _pec_notification(as_)
    before = as_("coordinator").get(path).json()["fields"]
    with app.state.store.engine.connect() as connection:
        old_sealed = connection.execute(text("SELECT sealed FROM notifications")).scalar_one()
    new_master = bytes(reversed(MASTER))
    with app.state.store.transaction() as session:
        result = rotate_keys(session, MASTER, None, now=datetime.now(UTC))
    assert result.tenants == 1 and result.rows_resealed == 3  # the notification and its two revisions
    assert as_("coordinator").get(path).json()["fields"] == before
    with app.state.store.engine.connect() as connection:
        assert connection.execute(text("SELECT sealed FROM notifications")).scalar_one() != old_sealed
        assert connection.execute(text("SELECT version FROM tenant_keys")).scalars().all() == [2]
    with app.state.store.transaction() as session:
        moved = rotate_keys(session, MASTER, new_master, now=datetime.now(UTC))
    assert moved.master_changed
    # the running app still holds the old master key: it can no longer open anything (503, not data)
    assert as_("coordinator").get(path).status_code == 503
