"""Errors of the workspace store."""

from __future__ import annotations

from crakit.errors import EXIT_INPUT, CrakitError


class StoreError(CrakitError):
    """The workspace database cannot be opened, migrated or written (exit 2: fix the URL or path)."""

    exit_code = EXIT_INPUT
