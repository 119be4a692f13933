"""Read a user's file with a size limit checked before reading, so hostile input cannot exhaust memory."""

from __future__ import annotations

from pathlib import Path

from crakit.errors import CrakitError, InputError

MIB = 1024 * 1024


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit:,} bytes"


def read_limited(
    path: str | Path,
    limit: int,
    what: str = "file",
    error: type[CrakitError] = InputError,
    *,
    too_large: str | None = None,
) -> bytes:
    """The file's bytes, or a one-line ``error`` (an :class:`InputError` unless the caller's own
    error class is given; exit 2) when it is missing, not a file, unreadable or too large.

    The one bounded read of crakit: the size is checked before reading, and a file that grows
    while it is read is cut off one byte past the limit. ``too_large``: the hint of a file over
    the limit (how to raise it, where the caller lets the user)."""
    p = Path(path)
    try:
        if not p.is_file():
            kind = "a directory" if p.is_dir() else ("missing" if not p.exists() else "not a regular file")
            raise error(f"{p}: {what} is {kind}")
        size = p.stat().st_size
        if size > limit:
            raise error(
                f"{p}: {size:,} bytes is too large for a {what} (limit {_size(limit)})", hint=too_large
            )
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise error(f"{p}: permission denied") from None
    except OSError as exc:
        raise error(f"{p}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(data) > limit:  # the file grew while we read it
        raise error(f"{p}: larger than the {what} limit of {_size(limit)}", hint=too_large)
    return data
