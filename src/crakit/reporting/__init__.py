"""Article 14 reporting: cases, exact legal clocks, the ENISA form filled per stage, routing,
user notices (Art 14(8)) and candidates from scan data.

Domain code only: the CLI (``crakit report``) passes the store, the actor and the time in.
"""

from crakit.reporting.cases import (
    Case,
    CaseId,
    NewCase,
    case_history,
    close_case,
    get_case,
    list_cases,
    open_case,
    record_submission,
    update_case,
)
from crakit.reporting.clocks import ClockInput, Deadlines, add_calendar_months, exact_deadlines
from crakit.reporting.errors import CaseClosed, CaseNotFound, FieldTooLong, Overdue, ReportingError
from crakit.reporting.kinds import Kind, Stage
from crakit.reporting.periods import PeriodRules, latest_moments
from crakit.reporting.routing import Route, RoutingInput, route
from crakit.reporting.schedule import Schedule, schedule
from crakit.reporting.timeparse import format_instant, parse_instant

__all__ = [
    "Case",
    "CaseClosed",
    "CaseId",
    "CaseNotFound",
    "ClockInput",
    "Deadlines",
    "FieldTooLong",
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
    "case_history",
    "close_case",
    "exact_deadlines",
    "format_instant",
    "get_case",
    "latest_moments",
    "list_cases",
    "open_case",
    "parse_instant",
    "record_submission",
    "route",
    "schedule",
    "update_case",
]
