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
class StageRecord:
    """What happened to one stage, for the record.

    ``state``: ``on-time`` or ``late`` (filed, before or after its deadline); ``covered`` (a later stage
    filed before this one's deadline holds its content, Art 14(2)(b)/(c) "unless already provided");
    ``missed`` (not filed by its deadline: a later filing covers the content but not the missed deadline);
    ``pending``, ``overdue``, ``waiting`` (its start event is unknown); ``not-applicable`` (no Art 14 duty
    for this awareness date, Art 71(2), Art 24(3)).
    """

    stage: Stage
    due: datetime | None
    filed_at: datetime | None
    covered_at: datetime | None
    state: str

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "due": format_instant(self.due),
            "filed_at": format_instant(self.filed_at),
            "covered_at": format_instant(self.covered_at),
            "state": self.state,
        }


@dataclass(frozen=True, slots=True)
class CaseStatus:
    case: Case
    pending: tuple[Pending, ...]
    now: datetime
    stages: tuple[StageRecord, ...] = ()
    applies: bool = True

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
            "applies": self.applies,
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
            "missed": [r.stage.value for r in self.stages if r.state == "missed"],
            "late": [r.stage.value for r in self.stages if r.state == "late"],
            "stages": [r.to_json() for r in self.stages],
        }


def stage_records(case: Case, now: datetime | None = None) -> tuple[StageRecord, ...]:
    """The record of every stage: filed on time or late, covered, missed, or still open."""
    deadlines = exact_deadlines(case.clock())
    due = {
        Stage.EARLY_WARNING: deadlines.early_warning_due,
        Stage.NOTIFICATION: deadlines.notification_due,
        Stage.FINAL: deadlines.final_report_due,
    }
    records = []
    for index, stage in enumerate(_ORDER):
        filed = case.submitted(stage)
        later = [t for t in (case.submitted(s) for s in _ORDER[index + 1 :]) if t is not None]
        covered = min(later) if later else None
        deadline = due[stage]
        if not deadlines.applies:
            state = "not-applicable"
        elif filed is not None:
            state = "late" if deadline is not None and filed > deadline else "on-time"
        elif covered is not None:
            state = "missed" if deadline is not None and covered > deadline else "covered"
        elif deadline is None:
            state = "waiting"
        elif now is not None and deadline < now:
            state = "overdue"
        else:
            state = "pending"
        records.append(StageRecord(stage, deadline, filed, None if filed else covered, state))
    return tuple(records)


def pending_stages(case: Case) -> tuple[Pending, ...]:
    """Stages still to file. A stage counts as done once it or a later stage was filed
    ("unless already provided", Art 14(2)(b)/(c), 14(4)(b)/(c)); none while no duty applies."""
    return tuple(
        Pending(r.stage, r.due) for r in stage_records(case) if r.state in ("pending", "overdue", "waiting")
    )


def case_status(case: Case, now: datetime) -> CaseStatus:
    records = stage_records(case, now)
    pending = tuple(Pending(r.stage, r.due) for r in records if r.state in ("pending", "overdue", "waiting"))
    return CaseStatus(case, pending, now, records, applies=all(r.state != "not-applicable" for r in records))


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
