"""A notification as a MISP event (JSON), with TLP 2.0 and PAP tags, for CSIRT-to-CSIRT sharing.

The event holds what the caller's view holds (ENISA under PEC exports only the partial view).
The vulnerability object follows MISP's ``vulnerability`` template (misp-objects, uuid
81650945-f186-437b-8945-9f31715d32da); its ``state`` is Embargo until a fix is available
(the template was designed for unpublished vulnerabilities). Incidents become text attributes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crakit.platform.errors import InvalidSubmission

VULNERABILITY_TEMPLATE = "81650945-f186-437b-8945-9f31715d32da"
NAMESPACE = uuid.UUID("1b4e28ba-2fa1-11d2-883f-0016d3cca427")
TLP_TAGS = {
    "clear": "tlp:clear",
    "green": "tlp:green",
    "amber": "tlp:amber",
    "amber+strict": "tlp:amber+strict",
    "red": "tlp:red",
}
PAP_TAGS = {"clear": "PAP:CLEAR", "green": "PAP:GREEN", "amber": "PAP:AMBER", "red": "PAP:RED"}


def _attribute(relation: str | None, kind: str, value: str, category: str = "Other") -> dict[str, Any]:
    item: dict[str, Any] = {"type": kind, "category": category, "value": value, "to_ids": False}
    if relation is not None:
        item["object_relation"] = relation
    return item


def _epoch(value: str | None) -> str:
    if not value:
        return "0"
    return str(int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()))


def event(notification: Mapping[str, Any], *, tlp: str, pap: str) -> dict[str, Any]:
    """``notification`` is the caller's view (:func:`crakit.platform.views.present`)."""
    if tlp not in TLP_TAGS:
        raise InvalidSubmission(f"tlp: one of {', '.join(TLP_TAGS)} (TLP 2.0)", field="tlp")
    if pap not in PAP_TAGS:
        raise InvalidSubmission(f"pap: one of {', '.join(PAP_TAGS)}", field="pap")
    if notification.get("view") == "recipient":
        # A CSIRT that received the notification shares it under the markings the coordinator
        # gave it, or stricter ones, never looser (DR (EU) 2026/881 Art 3: TLP/PAP are the first
        # line of protection).
        for given in notification.get("disseminations") or ():
            tlp = max(tlp, given["tlp"], key=list(TLP_TAGS).index)
            pap = max(pap, given["pap"], key=list(PAP_TAGS).index)
    fields: Mapping[str, str] = notification.get("fields", {})
    received = notification["received_at"]
    tags = [
        {"name": TLP_TAGS[tlp]},
        {"name": PAP_TAGS[pap]},
        {
            "name": 'rsit:vulnerable="vulnerable-system"'
            if notification["kind"] == "vulnerability"
            else 'rsit:information-content-security="unauthorised-modification-of-information"'
        },
    ]
    attributes: list[dict[str, Any]] = [
        _attribute(
            None, "text", f"CRA Art 14 notification {notification['id']} ({notification['stage']})", "Other"
        ),
    ]
    objects: list[dict[str, Any]] = []
    if notification["kind"] == "vulnerability":
        relations = [
            ("id", "vulnerability", fields.get("cve_id")),
            ("id", "vulnerability", fields.get("euvd_id")),
            ("summary", "text", fields.get("summary")),
            ("description", "text", fields.get("general_information")),
            ("created", "datetime", received),
            ("modified", "datetime", notification.get("updated_at")),
            ("state", "text", "Fixed" if fields.get("fix_available_at") else "Embargo"),
        ]
        objects.append(
            {
                "name": "vulnerability",
                "meta-category": "vulnerability",
                "template_uuid": VULNERABILITY_TEMPLATE,
                "description": "Vulnerability object describing a common vulnerability",
                "uuid": str(uuid.uuid5(NAMESPACE, f"{notification['id']}:vulnerability")),
                "Attribute": [
                    _attribute(rel, kind, str(value), "Vulnerability" if kind == "vulnerability" else "Other")
                    for rel, kind, value in relations
                    if value
                ],
            }
        )
    for key in (
        "product_name",
        "product_version",
        "component",
        "attack_vector",
        "incident_nature",
        "root_cause",
    ):
        if fields.get(key):
            attributes.append(_attribute(None, "text", f"{key}: {fields[key]}"))
    title = notification.get("title") or notification["id"]
    return {
        "Event": {
            "uuid": str(uuid.uuid5(NAMESPACE, notification["id"])),
            "info": f"CRA Art 14 {notification['kind']} notification {notification['id']}: {title}"[:1000],
            "date": received[:10],
            "timestamp": _epoch(notification.get("updated_at")),
            "threat_level_id": "1",
            "analysis": "2" if notification["stage"] == "final" else "1",
            "distribution": "0",
            "published": False,
            "Orgc": {"name": fields.get("manufacturer_name") or "manufacturer"},
            "Tag": tags,
            "Attribute": attributes,
            "Object": objects,
        }
    }
