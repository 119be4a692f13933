"""Errors of the reporting capability (each one a :class:`crakit.errors.CrakitError`)."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, EXIT_INPUT, CrakitError


class ReportingError(CrakitError):
    """Base of every reporting error; bad input by default (exit 2)."""

    exit_code = EXIT_INPUT


class CaseNotFound(ReportingError):
    """No case with the given id exists in the workspace."""


class FieldTooLong(ReportingError):
    """Text for an ENISA form field is longer than the field's character limit."""


class CaseClosed(ReportingError):
    """The case is closed; its record is read-only (as the SRP record after the final report)."""


class Overdue(ReportingError):
    """At least one open case has passed a due moment (``report status`` exits 1)."""

    exit_code = EXIT_FINDINGS
