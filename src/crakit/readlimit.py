"""Read a user's file with a size limit checked before reading, so hostile input cannot exhaust memory."""

from __future__ import annotations

from pathlib import Path

from crakit.errors import InputError

MIB = 1024 * 1024


def read_limited(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The file's bytes, or a one-line :class:`InputError` (exit 2) when it is missing or too large."""
    p = Path(path)
    try:
        if not p.is_file():
            kind = "a directory" if p.is_dir() else ("missing" if not p.exists() else "not a regular file")
            raise InputError(f"{p}: {what} is {kind}")
        size = p.stat().st_size
        if size > limit:
            raise InputError(f"{p}: {size:,} bytes is too large for a {what} (limit {limit // MIB} MiB)")
        with p.open("rb") as handle:
            data = handle.read(limit + 1)
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read the {what} ({exc.strerror or exc})") from None
    if len(data) > limit:  # the file grew while we read it
        raise InputError(f"{p}: larger than the {what} limit of {limit // MIB} MiB")
    return data
