"""Errors of accounts: who someone is and what they may do (each one a CrakitError)."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, EXIT_INPUT, CrakitError


class AccountsError(CrakitError):
    """Base of every accounts error; bad input by default."""

    exit_code = EXIT_INPUT


class NotAuthenticated(AccountsError):
    """No valid token, session or password was given."""


class PermissionDenied(AccountsError):
    """The caller is known but may not do this."""

    exit_code = EXIT_FINDINGS


class Throttled(AccountsError):
    """Too many attempts or requests in the current window; retry later."""

    def __init__(self, message: str, *, retry_after: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.retry_after = retry_after


class UnknownOrganisation(AccountsError):
    """No organisation with that name or id."""


class AccountConflict(AccountsError):
    """The account, organisation or membership already exists, or a limit is reached."""


class InvitationInvalid(AccountsError):
    """The invitation does not exist, expired, or was already used."""
