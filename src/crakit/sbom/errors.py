"""Errors of the SBOM capability; the CLI turns them into exit codes."""

from __future__ import annotations

from crakit.errors import EXIT_FINDINGS, CrakitError, InputError


class SbomError(InputError):
    """The input is not a readable SBOM: wrong format, truncated, hostile or too large (exit 2)."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        # One line, always: parser messages (lxml, YAML) may carry newlines and control characters.
        super().__init__(" ".join(message.split()), hint=hint)


class SbomInvalid(CrakitError):
    """The SBOM reads but breaks its own schema or a quality rule the user gated on (exit 1)."""

    exit_code = EXIT_FINDINGS
