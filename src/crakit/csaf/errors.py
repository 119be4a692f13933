"""Errors raised by :mod:`crakit.csaf` (converted to exit codes by the CLI only)."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, CrakitError, InputError


class CsafInputError(InputError):
    """A file given to a CSAF command cannot be read as a CSAF document or decision file (exit 2)."""


class CsafInvalid(CrakitError):
    """A CSAF document failed a mandatory test (exit 1)."""

    exit_code = EXIT_FINDINGS
