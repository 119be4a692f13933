"""Errors of the documents package: bad input (exit 2) and documents the law does not call for (exit 1)."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, CrakitError, InputError


class DocumentError(InputError):
    """An input the documents cannot be built from (an evidence file, a language, an option)."""


class NotApplicable(CrakitError):
    """The law asks for no such document for this product (out of scope, a steward, an importer).

    Exit 1 with the reason: the answer is a finding, not a usage error."""

    exit_code = EXIT_FINDINGS
