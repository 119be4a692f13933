"""Open cases by their next due moment (for people, cron and CI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from crakit.reporting.cases import Case
from crakit.reporting.clocks import exact_deadlines
from crakit.reporting.kinds import Stage
from crakit.reporting.timeparse import format_instant

_ORDER = (Stage.EARLY_WARNING, Stage.NOTIFICATION, Stage.FINAL)


@dataclass(frozen=True, slots=True)
class Pending:
    """A stage not yet filed, with its due instant (``None`` while its start event is unknown)."""

    stage: Stage
    due: datetime | None


@dataclass(frozen=True, slots=True)
class CaseStatus:
    case: Case
    pending: tuple[Pending, ...]
    now: datetime

    @property
    def next_due(self) -> Pending | None:
        dated = [p for p in self.pending if p.due is not None]
        return min(dated, key=lambda p: p.due or self.now) if dated else None

    @property
    def overdue(self) -> tuple[Pending, ...]:
        return tuple(p for p in self.pending if p.due is not None and p.due < self.now)

    def to_json(self) -> dict[str, Any]:
        nxt = self.next_due
        left = (nxt.due - self.now) if nxt and nxt.due else None
        return {
            "id": self.case.id,
            "kind": self.case.kind.value,
            "title": self.case.title,
            # a stage waiting for its start event (fix, notification) still shows as next
            "next_stage": nxt.stage.value if nxt else (self.pending[0].stage.value if self.pending else None),
            "next_due": format_instant(nxt.due) if nxt else None,
            "time_left_seconds": int(left.total_seconds()) if left is not None else None,
            "time_left": human_delta(left) if left is not None else None,
            "overdue": bool(self.overdue),
            "pending": [
                {
                    "stage": p.stage.value,
                    "due": format_instant(p.due),
                    "overdue": p.due is not None and p.due < self.now,
                }
                for p in self.pending
            ],
        }


def pending_stages(case: Case) -> tuple[Pending, ...]:
    """Stages still to file. A stage counts as done once it or a later stage was filed
    ("unless already provided", Art 14(2)(b)/(c), 14(4)(b)/(c))."""
    deadlines = exact_deadlines(case.clock())
    due = {
        Stage.EARLY_WARNING: deadlines.early_warning_due,
        Stage.NOTIFICATION: deadlines.notification_due,
        Stage.FINAL: deadlines.final_report_due,
    }
    result = []
    for index, stage in enumerate(_ORDER):
        if any(case.submitted(later) is not None for later in _ORDER[index:]):
            continue
        result.append(Pending(stage, due[stage]))
    return tuple(result)


def case_status(case: Case, now: datetime) -> CaseStatus:
    return CaseStatus(case, pending_stages(case), now)


def status_report(cases: list[Case], now: datetime) -> list[CaseStatus]:
    """Open cases sorted by next due moment (cases with nothing due last)."""
    statuses = [case_status(c, now) for c in cases if c.is_open]
    far = now + timedelta(days=365 * 1000)
    return sorted(
        statuses, key=lambda s: ((s.next_due.due if s.next_due and s.next_due.due else far), s.case.id)
    )


def human_delta(delta: timedelta) -> str:
    """``2d 03h 15m`` or ``-5h 02m`` (overdue)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{sign}{days}d {hours:02d}h {minutes:02d}m"
    return f"{sign}{hours}h {minutes:02d}m"
