"""Checking what a manufacturer submits for one stage, with the manufacturer side's own field
definition: ENISA Glossary v1.3 as packaged in :mod:`crakit.reporting` (one definition, its keys).

* every value is normalised by :func:`crakit.reporting.fields.normalise` (limits, enums, dates,
  Member State codes, PEC grounds);
* a field marked not applicable ("-") at the stage is refused (e.g. PEC on an early warning:
  Art 16(2) third subparagraph ties it to the 72-hour notification);
* every field required at the stage (R, or carried forward from a stage where it was R) must be
  present after merging with what earlier stages carried;
* an intermediate report (Art 14(6)) must carry a status update.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crakit.platform.errors import InvalidSubmission
from crakit.reporting import Kind, ReportingError, Stage, glossary, parse_instant
from crakit.reporting import normalise_field as normalise
from crakit.reporting import resolve_field_key as resolve_key

ROUTING_FIELDS = (
    "main_establishment_ms",
    "authorised_representative_ms",
    "importer_ms",
    "distributor_ms",
    "most_users_ms",
)
STATUS_UPDATE = "status_update"
EXTRA_KEYS = frozenset((*ROUTING_FIELDS, STATUS_UPDATE))
MAX_FIELDS = 100
CLOCK_KEYS = ("aware_at", "incident_aware_at", "fix_available_at")
FIRST_STAGES = (Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL)
_RANK = {Stage.EARLY_WARNING: 0, Stage.NOTIFICATION: 1, Stage.INTERMEDIATE: 2, Stage.FINAL: 3}


def parse_stage(text: str) -> Stage:
    try:
        return Stage.parse(text)
    except ReportingError as exc:
        raise InvalidSubmission(exc.message, field="stage", hint=exc.hint) from None


def kind_of(declared: str | None, fields: Mapping[str, Any]) -> Kind:
    """The track: ``kind`` in the body, or form field 1 (notification type)."""
    typed = fields.get("notification_type", fields.get("1"))
    candidates = [str(v).strip().lower() for v in (declared, typed) if v not in (None, "")]
    if not candidates:
        raise InvalidSubmission(
            "field notification_type (1) is required: Vulnerability or Incident", field="notification_type"
        )
    if len(set(candidates)) > 1:
        raise InvalidSubmission("kind and notification_type disagree", field="notification_type")
    try:
        return Kind.parse(candidates[0])
    except ReportingError:
        raise InvalidSubmission(
            f"notification_type {candidates[0]!r} is not Vulnerability or Incident", field="notification_type"
        ) from None


def _as_text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):  # JSON's NaN/Infinity extensions
            raise InvalidSubmission(f"field {key}: NaN and Infinity are not values", field=key)
        return str(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    raise InvalidSubmission(f"field {key}: expected text, a yes/no or a list of codes", field=key)


def clean(kind: Kind, stage: Stage, raw: Mapping[str, Any]) -> dict[str, str]:
    """Validated, normalised fields of one submission ("" clears a field)."""
    if len(raw) > MAX_FIELDS:
        raise InvalidSubmission(f"at most {MAX_FIELDS} fields per submission", field="fields")
    cleaned: dict[str, str] = {}
    for name, value in raw.items():
        if name in ("notification_type", "1"):
            continue  # follows from the kind (checked by kind_of)
        label = str(name)[:60]
        try:
            key = resolve_key(str(name), kind)
        except ReportingError as exc:
            raise InvalidSubmission(exc.message, field=label, hint=exc.hint) from None
        if key.startswith("notice.") or (key not in EXTRA_KEYS and key not in _GLOSSARY_KEYS):
            raise InvalidSubmission(f"field {label} is not part of the platform's form", field=label)
        if key in _GLOSSARY_KEYS:
            item = glossary().field(key, kind)
            if item.status_at(stage) == "-" and value not in (None, "", False):
                raise InvalidSubmission(
                    f"field {key} ({item.number}) is not part of the {stage.value} stage ({item.cra})",
                    field=key,
                )
        try:
            key, text = normalise(kind, key, _as_text(key, value))
        except ReportingError as exc:
            raise InvalidSubmission(exc.message, field=key, hint=exc.hint) from None
        cleaned[key] = text
    return cleaned


_GLOSSARY_KEYS = frozenset(f.key for f in glossary().fields)


def merge(previous: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    merged = dict(previous)
    for key, value in new.items():
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    return merged


def check_required(kind: Kind, stage: Stage, merged: Mapping[str, str]) -> None:
    for item in glossary().for_kind(kind):
        if item.key == "notification_type":
            continue
        if item.required_at(stage) and not merged.get(item.key):
            raise InvalidSubmission(
                f"field {item.key} ({item.number} '{item.name}') is required at the {stage.value} stage ({item.cra})",
                field=item.key,
            )
    if stage is Stage.INTERMEDIATE and not merged.get(STATUS_UPDATE):
        raise InvalidSubmission(
            "field status_update is required in an intermediate report (Art 14(6))", field=STATUS_UPDATE
        )


def check_order(current: Stage | None, wanted: Stage) -> None:
    """Stages move forward; intermediate reports come between the notification and the final report."""
    if current is None:
        if wanted not in FIRST_STAGES:
            raise InvalidSubmission(
                "an intermediate report needs a notification first (Art 14(6))", field="stage"
            )
        return
    if wanted is Stage.INTERMEDIATE:
        if current not in (Stage.NOTIFICATION, Stage.INTERMEDIATE):
            raise InvalidSubmission(
                "an intermediate report comes after the 72-hour notification (Art 14(6))", field="stage"
            )
        return
    if _RANK[wanted] <= _RANK[current]:
        raise InvalidSubmission(
            f"the {wanted.value} stage cannot follow {current.value}; to change fields, update the notification",
            field="stage",
        )


@dataclass(frozen=True, slots=True)
class Clocks:
    aware_at: datetime
    fix_available_at: datetime | None


def clocks(kind: Kind, merged: Mapping[str, str], *, now: datetime) -> Clocks:
    """Clock anchors from the fields (v26/i37 awareness, v22 fix available)."""
    aware_key = "aware_at" if kind is Kind.VULNERABILITY else "incident_aware_at"
    aware = parse_instant(merged[aware_key], aware_key)
    if aware > now + timedelta(minutes=5):  # five minutes of clock skew between machines
        raise InvalidSubmission(f"{aware_key} is in the future: awareness is a past moment", field=aware_key)
    fix_text = merged.get("fix_available_at")
    fix = parse_instant(fix_text, "fix_available_at") if fix_text else None
    if fix is not None and fix < aware - timedelta(days=3650):
        raise InvalidSubmission("fix_available_at is implausibly early", field="fix_available_at")
    return Clocks(aware, fix)


def member_states(merged: Mapping[str, str], coordinator: str) -> list[str]:
    """Field 5 as codes; the coordinator's Member State is pre-filled, as on the live form."""
    codes = [code.strip() for code in merged.get("member_states", "").split(",") if code.strip()]
    if coordinator not in codes:
        codes.insert(0, coordinator)
    return codes
