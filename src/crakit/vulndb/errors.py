"""Errors of the vulnerability database and scanner (exit 2 unless said otherwise)."""

from __future__ import annotations

from crakit.errors import EXIT_INPUT, CrakitError, PolicyFailure


class VulnDbError(CrakitError):
    """Base of every vulnerability-database error."""

    exit_code = EXIT_INPUT


class DatabaseMissing(VulnDbError):
    """No database where one was expected: a scan must never report "0 vulnerabilities" without
    data (Annex I Part I(2)(a) cannot be shown on an empty database)."""


class DatabaseCorrupt(VulnDbError):
    """The file is not a crakit vulnerability database, or it is damaged."""


class SourceError(VulnDbError):
    """An OSV or KEV input (file, archive, download) cannot be read."""


class GateTripped(PolicyFailure):
    """``--fail-on`` found findings at or above the threshold (exit 1)."""
