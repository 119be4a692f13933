"""A case's stage as the body a reporting platform with an API takes (crakit's reference platform,
``POST /api/v1/notifications``): the same Glossary keys and texts as the draft for the ENISA form.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from crakit.reporting.cases import Case
from crakit.reporting.draft import build_draft, case_route
from crakit.reporting.kinds import Stage

PLATFORM_ID = re.compile(r"^CRA-\d{4}-[0-9A-F]{6,32}$")


def case_reference(case: Case) -> str:
    """A reference unique to this workspace case (case numbers restart in every workspace)."""
    return f"crakit-case-{case.id}-{case.created_at:%Y%m%dT%H%M%SZ}"


def platform_id(case: Case) -> str | None:
    """The platform's id recorded by an earlier ``report submit`` of this case, if any."""
    for submission in reversed(case.submissions):
        if submission.reference and PLATFORM_ID.match(submission.reference):
            return submission.reference
    return None


def stage_fields(case: Case, stage: Stage, now: datetime) -> dict[str, Any]:
    """Every field of the stage that has text (the draft's values: case fields, manifest, evidence)."""
    draft = build_draft(case, stage, now)
    return {item.field.key: item.text for item in draft.fields if item.text}


def platform_payload(case: Case, stage: Stage, now: datetime) -> dict[str, Any]:
    """The body of the first filing: stage, case reference, routing facts (Art. 14(7)), fields."""
    fields = case.fields
    chosen = case_route(case)
    body: dict[str, Any] = {
        "stage": stage.value,
        "case": case_reference(case),
        "kind": case.kind.value,
        "fields": stage_fields(case, stage, now),
    }
    routing = {
        "main_establishment": fields.get("main_establishment_ms") or case.product.get("main_establishment"),
        "authorised_representative": fields.get("authorised_representative_ms"),
        "importer": fields.get("importer_ms"),
        "distributor": fields.get("distributor_ms"),
        "most_users": fields.get("most_users_ms"),
    }
    body.update({key: value for key, value in routing.items() if value})
    if chosen.csirt is not None and not any(routing.values()):
        body["main_establishment"] = chosen.csirt.code
    return body


# The name the package face exports (the module is called ``platform_payload`` too).
notification_payload = platform_payload
