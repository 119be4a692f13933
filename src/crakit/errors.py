"""The one error base of crakit.

Every layer converts third-party exceptions at its edge into a subclass of
:class:`CrakitError`; only the CLI turns them into exit codes (STYLE.md 5).
"""

from __future__ import annotations

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_FINDINGS = 1  # findings, an invalid document, a policy gate that tripped
EXIT_INPUT = 2  # bad input or usage
EXIT_INTERNAL = 3  # a bug in crakit


class CrakitError(Exception):
    """An error with a one-line, user-facing explanation and an exit code."""

    exit_code: int = EXIT_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """The single line (plus an optional hint) the CLI prints on stderr."""
        if self.hint:
            return f"{self.message} ({self.hint})"
        return self.message


class InputError(CrakitError):
    """A file or argument the user gave cannot be used."""

    exit_code = EXIT_INPUT


class PolicyFailure(CrakitError):
    """A gate the user asked for tripped (exit 1)."""

    exit_code = EXIT_FINDINGS
