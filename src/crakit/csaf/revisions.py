"""Bumping the revision of an existing CSAF document without breaking its tracking history."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from crakit.csaf.errors import CsafInputError
from crakit.csaf.versions import parse_datetime, parse_version


def bump_revision(doc: Any, summary: str, date: dt.datetime | None = None, status: str | None = None) -> Any:
    """A copy of ``doc`` with a new revision appended and version and dates moved along.

    The new number follows the document's scheme (integer +1, semantic minor +1), so tests 6.1.14,
    6.1.16, 6.1.21, 6.1.22 and 6.1.30 keep passing; the date may not go back in time.
    """
    new = copy.deepcopy(doc)
    tracking = new.get("document", {}).get("tracking") if isinstance(new, dict) else None
    if not isinstance(tracking, dict) or not isinstance(tracking.get("revision_history"), list):
        raise CsafInputError("not a CSAF document with a revision history")
    history = tracking["revision_history"]
    versions = [parse_version(r.get("number")) for r in history if isinstance(r, dict)]
    if not versions or any(v is None for v in versions):
        raise CsafInputError("the revision history has an unreadable number")
    latest = max(versions, key=lambda v: v.sort_key() if v else ())
    assert latest is not None
    number = f"{latest.major}.{latest.minor + 1}.0" if latest.semantic else str(latest.major + 1)
    when = (date or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    newest = max(
        (parse_datetime(r.get("date")) for r in history if isinstance(r, dict)), key=lambda d: d or when
    )
    if newest is not None and when < newest:
        raise CsafInputError(f"the new revision date {when.isoformat()} is older than the newest revision")
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    history.append({"date": stamp, "number": number, "summary": summary})
    tracking["version"] = number
    tracking["current_release_date"] = stamp
    if status is not None:
        tracking["status"] = status
    return new
