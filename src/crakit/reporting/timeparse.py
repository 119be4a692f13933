"""Reading and writing instants: time-zone-aware input in, UTC out.

The Article 14 clocks run on instants. A local time without its offset is
ambiguous by up to 14 hours, so it is refused rather than guessed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crakit.reporting.errors import ReportingError

# The time-zone advice only where the time zone is what is missing.
_HINT = 'add a time zone, e.g. "2026-10-02T08:15:00Z" or "2026-10-02T10:15:00+02:00"'
_FORMAT = 'write it like "2026-10-02T08:15:00Z" or "2026-10-02T10:15:00+02:00"'


def parse_instant(text: str, what: str = "time") -> datetime:
    """Parse an ISO 8601 date-time that carries a UTC offset (``Z`` or ``+HH:MM``) into UTC.

    Raises :class:`ReportingError` (exit 2) for text that is not a date-time or has no offset.
    """
    raw = text.strip()
    if raw[-1:] in ("z", "Z"):
        raw = raw[:-1] + "+00:00"
    if len(raw) > 64:
        raise ReportingError(f"{what}: not an ISO 8601 date-time (too long)", hint=_FORMAT)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise ReportingError(f"{what}: {text!r} is not an ISO 8601 date-time", hint=_FORMAT) from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ReportingError(f"{what}: {text!r} has no time zone", hint=_HINT)
    # Deadlines run up to a month past the event: keep every sum inside datetime's range.
    if not 1970 <= value.year <= 2199:
        raise ReportingError(f"{what}: {text!r} is outside the years 1970 to 2199")
    return value.astimezone(UTC)


def ensure_utc(value: datetime, what: str = "time") -> datetime:
    """Return ``value`` in UTC; refuse a naive datetime (programming or input error)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ReportingError(f"{what}: {value.isoformat()} has no time zone", hint=_HINT)
    return value.astimezone(UTC)


def format_instant(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix (the JSON contract), or ``None``."""
    if value is None:
        return None
    utc = ensure_utc(value)
    spec = "seconds" if utc.microsecond == 0 else "microseconds"
    return utc.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
