"""VEX errors."""

from __future__ import annotations

from crakit.errors import EXIT_INPUT, InputError


class VexError(InputError):
    """A VEX document cannot be read (exit 2)."""

    exit_code = EXIT_INPUT
