"""Errors of the reporting platform (each one a CrakitError; the web layer maps them to HTTP)."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, EXIT_INPUT, CrakitError


class PlatformError(CrakitError):
    """Base of every platform error; bad input by default."""

    exit_code = EXIT_INPUT


class InvalidSubmission(PlatformError):
    """A submission breaks the form's rules (a required field missing, a limit exceeded); names the field."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class NotificationNotFound(PlatformError):
    """No such notification, or the caller may not know it exists."""


class NotAllowed(PlatformError):
    """The caller sees the notification but this action belongs to another party."""

    exit_code = EXIT_FINDINGS


class StateConflict(PlatformError):
    """The action does not fit the notification's state (read-only after the final report, invalidated...)."""


class MasterKeyError(PlatformError):
    """The master key is missing, malformed or does not match the keys in the database."""


class AuditBroken(PlatformError):
    """The audit log's hash chain is broken (``audit verify`` exits 1)."""

    exit_code = EXIT_FINDINGS
