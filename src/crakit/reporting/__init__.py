"""Article 14 reporting: cases, exact legal clocks, the ENISA form filled per stage, routing,
user notices (Art 14(8)) and candidates from scan data.

Domain code only: the CLI (``crakit report``) passes the store, the actor and the time in.
The face is lazy (:mod:`crakit._lazyface`): a name's module is imported when it is first used.
"""

from typing import TYPE_CHECKING

from crakit._lazyface import exports_of, lazy_face

_MODULES: dict[str, tuple[str, ...]] = {
    "candidates": ("Candidate", "CandidateReport", "find_candidates"),
    "cases": (
        "Case",
        "CaseId",
        "NewCase",
        "case_history",
        "close_case",
        "get_case",
        "list_cases",
        "open_case",
        "record_event",
        "record_submission",
        "update_case",
    ),
    "clocks": ("ClockInput", "Deadlines", "add_calendar_months", "exact_deadlines"),
    "draft": ("build_draft", "render_draft"),
    "errors": ("CaseClosed", "CaseNotFound", "FieldTooLong", "Overdue", "ReportingError"),
    "evidence": ("gather_evidence", "load_findings"),
    "fields": ("EXTRA_FIELDS", "normalise_field", "parse_assignment", "resolve_field_key"),
    "form": ("FormField", "Glossary", "glossary"),
    "kinds": ("Kind", "Stage"),
    "notice": ("build_notice", "render_notice"),
    "periods": ("PeriodRules", "holiday_calendar", "latest_moments", "legal_zone"),
    "platform_payload": ("notification_payload", "platform_id", "stage_fields"),
    "product": ("product_snapshot",),
    "routing": ("Csirt", "Route", "RoutingInput", "csirts", "member_state", "route"),
    "schedule": ("Schedule", "build_schedule"),
    "status": ("stage_records", "status_report"),
    "timeparse": ("format_instant", "parse_instant"),
}
__getattr__, __dir__ = lazy_face(__name__, exports_of(_MODULES))
__all__ = [
    "EXTRA_FIELDS",
    "Candidate",
    "CandidateReport",
    "Case",
    "CaseClosed",
    "CaseId",
    "CaseNotFound",
    "ClockInput",
    "Csirt",
    "Deadlines",
    "FieldTooLong",
    "FormField",
    "Glossary",
    "Kind",
    "NewCase",
    "Overdue",
    "PeriodRules",
    "ReportingError",
    "Route",
    "RoutingInput",
    "Schedule",
    "Stage",
    "add_calendar_months",
    "build_draft",
    "build_notice",
    "build_schedule",
    "case_history",
    "close_case",
    "csirts",
    "exact_deadlines",
    "find_candidates",
    "format_instant",
    "gather_evidence",
    "get_case",
    "glossary",
    "holiday_calendar",
    "latest_moments",
    "legal_zone",
    "list_cases",
    "load_findings",
    "member_state",
    "normalise_field",
    "notification_payload",
    "open_case",
    "parse_assignment",
    "parse_instant",
    "platform_id",
    "product_snapshot",
    "record_event",
    "record_submission",
    "render_draft",
    "render_notice",
    "resolve_field_key",
    "route",
    "stage_fields",
    "stage_records",
    "status_report",
    "update_case",
]

if TYPE_CHECKING:
    from crakit.reporting.candidates import Candidate, CandidateReport, find_candidates
    from crakit.reporting.cases import (
        Case,
        CaseId,
        NewCase,
        case_history,
        close_case,
        get_case,
        list_cases,
        open_case,
        record_event,
        record_submission,
        update_case,
    )
    from crakit.reporting.clocks import ClockInput, Deadlines, add_calendar_months, exact_deadlines
    from crakit.reporting.draft import build_draft, render_draft
    from crakit.reporting.errors import CaseClosed, CaseNotFound, FieldTooLong, Overdue, ReportingError
    from crakit.reporting.evidence import gather_evidence, load_findings
    from crakit.reporting.fields import EXTRA_FIELDS, normalise_field, parse_assignment, resolve_field_key
    from crakit.reporting.form import FormField, Glossary, glossary
    from crakit.reporting.kinds import Kind, Stage
    from crakit.reporting.notice import build_notice, render_notice
    from crakit.reporting.periods import PeriodRules, holiday_calendar, latest_moments, legal_zone
    from crakit.reporting.platform_payload import notification_payload, platform_id, stage_fields
    from crakit.reporting.product import product_snapshot
    from crakit.reporting.routing import Csirt, Route, RoutingInput, csirts, member_state, route
    from crakit.reporting.schedule import Schedule, build_schedule
    from crakit.reporting.status import stage_records, status_report
    from crakit.reporting.timeparse import format_instant, parse_instant
