"""Validating what users type into a case: ENISA form fields plus a few crakit fields.

Text is checked against the field's character limit when it is entered, not only when
a draft is produced, so nobody finds out at 71 hours that the summary is too long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crakit.reporting.catalogue import NOTICE_PARTS, languages
from crakit.reporting.errors import ReportingError
from crakit.reporting.form import FormField, check_limit, glossary, normalise_choice
from crakit.reporting.kinds import Kind
from crakit.reporting.routing import member_state
from crakit.reporting.timeparse import format_instant, parse_instant


@dataclass(frozen=True, slots=True)
class ExtraField:
    """A case field that is not on the ENISA form but feeds routing, drafts or the user notice."""

    key: str
    description: str
    limit: int
    country: bool = False


EXTRA_FIELDS: tuple[ExtraField, ...] = (
    ExtraField(
        "main_establishment_ms",
        "Member State of the main establishment (Art 14(7)); overrides the manifest",
        2,
        True,
    ),
    ExtraField(
        "authorised_representative_ms",
        "Member State of the authorised representative (Art 14(7)(a))",
        2,
        True,
    ),
    ExtraField("importer_ms", "Member State of the importer (Art 14(7)(b))", 2, True),
    ExtraField("distributor_ms", "Member State of the distributor (Art 14(7)(c))", 2, True),
    ExtraField("most_users_ms", "Member State with the most users (Art 14(7)(d))", 2, True),
    ExtraField("affected_versions", "Affected versions, for the user notice (Art 14(8))", 1000),
    ExtraField("fixed_versions", "Versions that fix the problem, for the user notice (Art 14(8))", 1000),
    ExtraField("advisory_url", "Where users find the advisory (Art 14(8))", 1000),
    ExtraField("contact", "Security contact for users (Art 13(17))", 500),
    ExtraField(
        "status_update", "Status update for an intermediate report a CSIRT requested (Art 14(6))", 4000
    ),
    ExtraField("srp_notification_id", "Notification ID the ENISA platform assigned", 255),
)
_EXTRA = {e.key: e for e in EXTRA_FIELDS}
NOTICE_LIMIT = 4000
_AWARENESS = {"aware_at", "incident_aware_at", "v26", "i37"}

# Fields held in their own columns (clock anchors, why the event is reportable) or derived from the kind.
COLUMN_FIELDS = {"title", "aware_at", "incident_aware_at", "fix_available_at"}
QUALIFICATION_FIELDS = {"qualification", "qualification_criteria"}
QUALIFICATION_LIMIT = 4000
_CRITERIA = {"a", "b"}
DERIVED_FIELDS = {"notification_type"}


def split_list(text: str) -> list[str]:
    return [part for part in re.split(r"[\s,;]+", text.strip()) if part]


def _normalise_glossary(item: FormField, value: str) -> str:
    if item.type == "text":
        check_limit(item, value)
        return value
    if item.type in ("enum", "bool"):
        return normalise_choice(item, value)
    if item.type == "datetime":
        return format_instant(parse_instant(value, f"field {item.key}")) or ""
    if item.type == "countries":
        codes = []
        for code in split_list(value):
            csirt = member_state(code, f"field {item.key}")
            if csirt is not None and csirt.code not in codes:
                codes.append(csirt.code)
        return ", ".join(codes)
    if item.type == "grounds":
        found = []
        for part in split_list(value):
            ground = glossary().ground(part)
            if ground.code not in found:
                found.append(ground.code)
        return ",".join(sorted(found))
    raise ReportingError(f"field {item.key}: unsupported type {item.type}")  # pragma: no cover - data error


def resolve_key(name: str, kind: Kind) -> str:
    """The canonical key for a field named by key or glossary number."""
    wanted = name.strip().lower().replace("-", "_")
    if wanted in _EXTRA or wanted in QUALIFICATION_FIELDS:
        return wanted
    if wanted in _AWARENESS:
        # v26 and i37 are the same clock anchor; accept either name on both tracks
        return "aware_at" if kind is Kind.VULNERABILITY else "incident_aware_at"
    if wanted.startswith("notice."):
        return _notice_key(wanted)
    return glossary().field(wanted, kind).key


def _notice_key(key: str) -> str:
    """``notice.<lang>.what_happened|what_to_do``: the user notice's text in one language (Art 14(8))."""
    parts = key.split(".")
    if len(parts) != 3 or parts[1] not in languages() or parts[2] not in NOTICE_PARTS:
        raise ReportingError(
            f"unknown notice field {key!r}",
            hint=f"use notice.<{'|'.join(languages())}>.<{'|'.join(NOTICE_PARTS)}>",
        )
    return key


def normalise(kind: Kind, name: str, value: str) -> tuple[str, str]:
    """Validate one ``KEY=TEXT`` pair; returns ``(key, value to store)`` ("" means: clear the field)."""
    key = resolve_key(name, kind)
    value = value.strip()
    if key in DERIVED_FIELDS:
        raise ReportingError(f"field {key} follows from the case kind and cannot be set")
    if not value:
        return key, ""
    if key == "qualification":
        if len(value) > QUALIFICATION_LIMIT:
            raise ReportingError(
                f"field qualification has {len(value)} characters, over crakit's limit of {QUALIFICATION_LIMIT}"
            )
        return key, value
    if key == "qualification_criteria":
        return key, _criteria(kind, value)
    if key.startswith("notice."):
        if len(value) > NOTICE_LIMIT:
            raise ReportingError(
                f"field {key} has {len(value)} characters, over crakit's limit of {NOTICE_LIMIT}"
            )
        return key, value
    if key == "advisory_url" and not value.lower().startswith(("https://", "http://")):
        raise ReportingError("advisory_url must be an http(s) address")
    if key in _EXTRA:
        extra = _EXTRA[key]
        if extra.country:
            csirt = member_state(value, key)
            return key, csirt.code if csirt else ""
        if len(value) > extra.limit:
            raise ReportingError(
                f"field {key} has {len(value)} characters, over crakit's limit of {extra.limit}"
            )
        return key, value
    return key, _normalise_glossary(glossary().field(key, kind), value)


def _criteria(kind: Kind, value: str) -> str:
    """Which Art 14(5) criteria make an incident severe: "a" (protection of sensitive or important data or
    functions affected), "b" (malicious code introduced or executed)."""
    if kind is not Kind.INCIDENT:
        raise ReportingError(
            "qualification_criteria belongs to incidents (Art 14(5)); for a vulnerability record the evidence "
            "of exploitation (Art 3(42)) in qualification"
        )
    parts = {p.strip().lower().removeprefix("14(5)(").rstrip(")") for p in split_list(value)}
    if not parts or not parts <= _CRITERIA:
        raise ReportingError(f"qualification_criteria {value!r}: use a, b or a,b (Art 14(5)(a), 14(5)(b))")
    return ",".join(sorted(parts))


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``KEY=TEXT`` (the first ``=`` separates; TEXT may hold more)."""
    if "=" not in text:
        raise ReportingError(
            f"--field {text!r} is not KEY=TEXT", hint="e.g. --field summary='Exploited in the wild'"
        )
    key, value = text.split("=", 1)
    if not key.strip():
        raise ReportingError(f"--field {text!r} has no key")
    return key.strip(), value


# Names the package face exports.
normalise_field = normalise
resolve_field_key = resolve_key
