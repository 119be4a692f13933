"""Errors of the portfolio workbench (the web layer maps them to HTTP statuses)."""

from __future__ import annotations

from crakit.errors import CrakitError


class PortfolioError(CrakitError):
    """A request the workbench cannot carry out as asked (bad input: HTTP 422, exit 2)."""


class NotFound(PortfolioError):
    """No such product, version, finding or alert for this organisation (HTTP 404)."""


class Conflict(PortfolioError):
    """The request contradicts what is stored (HTTP 409), e.g. a case already opened from an alert."""


class Forbidden(PortfolioError):
    """The caller's workbench role does not allow this (HTTP 403)."""
