"""Article 14 cases in the workspace store, with every change in the append-only history.

A case is one actively exploited vulnerability (Art 14(1)) or one severe incident
(Art 14(3)). The ENISA platform shows it as one record with stage tabs; crakit keeps
the clock anchors, the text for each form field and the evidence trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NewType

from sqlalchemy import select
from sqlalchemy.orm import Session

from crakit.reporting.clocks import ClockInput
from crakit.reporting.errors import CaseClosed, CaseNotFound, ReportingError
from crakit.reporting.fields import COLUMN_FIELDS, QUALIFICATION_FIELDS, normalise
from crakit.reporting.kinds import Kind, Stage
from crakit.reporting.timeparse import ensure_utc, format_instant, parse_instant
from crakit.store import ReportCaseRow, ReportSubmissionRow, Store, append, entries, verify_chain
from crakit.store.history import HistoryEntry

CaseId = NewType("CaseId", int)
SUBJECT = "report-case"
OPEN, CLOSED = "open", "closed"
_STAGE_COLUMN = {
    Stage.EARLY_WARNING: "early_warning_at",
    Stage.NOTIFICATION: "notification_at",
    Stage.FINAL: "final_at",
}


@dataclass(frozen=True, slots=True)
class Submission:
    """A stage the manufacturer filed on the ENISA platform."""

    stage: Stage
    at: datetime
    recorded_at: datetime
    recorded_by: str
    reference: str | None


@dataclass(frozen=True, slots=True)
class Case:
    """One case file."""

    id: CaseId
    kind: Kind
    status: str
    title: str
    product: Mapping[str, Any]
    fields: Mapping[str, str]
    evidence: Mapping[str, Any]
    aware_at: datetime
    fix_available_at: datetime | None
    early_warning_at: datetime | None
    notification_at: datetime | None
    final_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    created_by: str
    manifest_path: str | None = None
    submissions: tuple[Submission, ...] = ()
    qualification: str | None = None  # why it is reportable (Art 3(42) / Art 14(5))
    qualification_criteria: str | None = None  # incidents: "a", "b" or "a,b" (Art 14(5))

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def steward(self) -> bool:
        """Reported by an open-source software steward (Art 24(3)), from the product snapshot."""
        return self.product.get("role") == "steward"

    def clock(self) -> ClockInput:
        """The clock anchors: awareness, fix available (vulnerability), notification filed (incident)."""
        return ClockInput(
            self.kind, self.aware_at, self.fix_available_at, self.notification_at, steward=self.steward
        )

    def submitted(self, stage: Stage) -> datetime | None:
        column = _STAGE_COLUMN.get(stage)
        return getattr(self, column) if column else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "status": self.status,
            "title": self.title,
            "aware_at": format_instant(self.aware_at),
            "fix_available_at": format_instant(self.fix_available_at),
            "submitted": {
                "early_warning": format_instant(self.early_warning_at),
                "notification": format_instant(self.notification_at),
                "final": format_instant(self.final_at),
                "intermediate": [
                    format_instant(s.at) for s in self.submissions if s.stage is Stage.INTERMEDIATE
                ],
            },
            "qualification": {
                "text": self.qualification,
                "criteria": self.qualification_criteria.split(",") if self.qualification_criteria else [],
                "ref": "Art 3(42)" if self.kind is Kind.VULNERABILITY else "Art 14(5)",
            },
            "closed_at": format_instant(self.closed_at),
            "created_at": format_instant(self.created_at),
            "created_by": self.created_by,
            "manifest": self.manifest_path,
            "product": dict(self.product),
            "fields": dict(self.fields),
            "evidence": dict(self.evidence),
            "submissions": [
                {
                    "stage": s.stage.value,
                    "at": format_instant(s.at),
                    "recorded_at": format_instant(s.recorded_at),
                    "recorded_by": s.recorded_by,
                    "reference": s.reference,
                }
                for s in self.submissions
            ],
        }


@dataclass(frozen=True, slots=True)
class NewCase:
    """What ``report open`` knows at the start."""

    kind: Kind
    aware_at: datetime
    title: str | None = None
    product: Mapping[str, Any] = field(default_factory=dict)
    manifest_path: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix_available_at: datetime | None = None
    qualification: str | None = None
    qualification_criteria: str | None = None


def _case(row: ReportCaseRow, submissions: Iterable[ReportSubmissionRow] = ()) -> Case:
    return Case(
        id=CaseId(row.id),
        kind=Kind(row.kind),
        status=row.status,
        title=row.title,
        product=dict(row.product),
        fields=dict(row.fields),
        evidence=dict(row.evidence),
        aware_at=row.aware_at,
        fix_available_at=row.fix_available_at,
        early_warning_at=row.early_warning_at,
        notification_at=row.notification_at,
        final_at=row.final_at,
        closed_at=row.closed_at,
        created_at=row.created_at,
        created_by=row.created_by,
        manifest_path=row.manifest_path,
        qualification=row.qualification,
        qualification_criteria=row.qualification_criteria,
        submissions=tuple(
            Submission(Stage(s.stage), s.at, s.recorded_at, s.recorded_by, s.reference) for s in submissions
        ),
    )


def _default_title(kind: Kind, product: Mapping[str, Any], fields: Mapping[str, str]) -> str:
    what = "Actively exploited vulnerability" if kind is Kind.VULNERABILITY else "Severe incident"
    name = product.get("name") or fields.get("product_name") or "the product"
    title = f"{what} in {name}"
    if fields.get("cve_id"):
        title += f" ({fields['cve_id']})"
    return title[:255]


def _load(session: Session, case_id: int, *, lock: bool = False) -> ReportCaseRow:
    """The case row; ``lock`` for a read-modify-write (SELECT ... FOR UPDATE on PostgreSQL: a
    concurrent change waits for this transaction, and this one reads the latest committed values,
    so each history entry records the true old value; SQLite already holds its write lock)."""
    row = session.get(ReportCaseRow, case_id, with_for_update=lock)
    if row is None:
        raise CaseNotFound(f"no case {case_id} in this workspace", hint="see `crakit report list`")
    return row


def _submissions(session: Session, case_id: int) -> list[ReportSubmissionRow]:
    return list(
        session.scalars(
            select(ReportSubmissionRow)
            .where(ReportSubmissionRow.case_id == case_id)
            .order_by(ReportSubmissionRow.at, ReportSubmissionRow.id)
        )
    )


def _apply(row: ReportCaseRow, key: str, value: str) -> tuple[Any, Any]:
    """Set one validated field on the row; returns (old, new) as stored text."""
    kind = Kind(row.kind)
    if key in QUALIFICATION_FIELDS:
        old_value = getattr(row, key)
        setattr(row, key, value or None)
        return old_value, value or None
    if key in COLUMN_FIELDS:
        if key == "title":
            if not value:
                raise ReportingError("the title cannot be empty")
            old_title, row.title = row.title, value
            return old_title, value
        column = "fix_available_at" if key == "fix_available_at" else "aware_at"
        if column == "aware_at" and not value:
            raise ReportingError("the awareness time cannot be cleared: it starts every clock")
        instant = parse_instant(value, key) if value else None
        if instant is not None and column == "fix_available_at" and kind is not Kind.VULNERABILITY:
            raise ReportingError("fix_available_at belongs to vulnerability cases (Art 14(2)(c))")
        old_time = getattr(row, column)
        setattr(row, column, instant)
        return format_instant(old_time), format_instant(instant)
    fields = dict(row.fields)
    old = fields.get(key)
    if value:
        fields[key] = value
    else:
        fields.pop(key, None)
    row.fields = fields
    return old, value or None


def open_case(store: Store, new: NewCase, *, actor: str, now: datetime) -> Case:
    """Open a case (Art 14(1) or 14(3)); the clock starts at ``new.aware_at``."""
    aware = ensure_utc(new.aware_at, "aware-at")
    if aware > now + timedelta(minutes=5):  # five minutes of clock skew between machines
        raise ReportingError(
            "--aware-at is in the future: awareness is a past moment", hint="check the date and its offset"
        )
    validated = [normalise(new.kind, key, value) for key, value in new.fields]
    if new.fix_available_at is not None and new.kind is not Kind.VULNERABILITY:
        raise ReportingError("--fix-available-at belongs to vulnerability cases (Art 14(2)(c))")
    with store.transaction() as session:
        row = ReportCaseRow(
            kind=new.kind.value,
            status=OPEN,
            title="(pending)",
            manifest_path=new.manifest_path,
            product=dict(new.product),
            fields={},
            evidence=dict(new.evidence),
            aware_at=aware,
            fix_available_at=ensure_utc(new.fix_available_at) if new.fix_available_at else None,
            created_at=now,
            created_by=actor,
        )
        for key, value in (
            ("qualification", new.qualification),
            ("qualification_criteria", new.qualification_criteria),
        ):
            if value:
                _apply(row, *normalise(new.kind, key, value))
        for key, value in validated:
            if key != "title":
                _apply(row, key, value)
        titles = [value for key, value in validated if key == "title" and value]
        row.title = (
            new.title or (titles[-1] if titles else None) or _default_title(new.kind, row.product, row.fields)
        )
        normalise(new.kind, "title", row.title)  # the title has a 255-character limit too
        session.add(row)
        session.flush()
        append(
            session,
            SUBJECT,
            str(row.id),
            at=now,
            actor=actor,
            action="opened",
            detail={
                "kind": row.kind,
                "title": row.title,
                "aware_at": format_instant(aware),
                "fix_available_at": format_instant(row.fix_available_at),
                "manifest": new.manifest_path,
                "product": dict(new.product),
                "fields": dict(row.fields),
                "evidence": dict(new.evidence),
                "qualification": row.qualification,
                "qualification_criteria": row.qualification_criteria,
            },
        )
        return _case(row)


def get_case(store: Store, case_id: int) -> Case:
    with store.transaction(write=False) as session:
        row = _load(session, case_id)
        return _case(row, _submissions(session, case_id))


def list_cases(store: Store, *, status: str | None = None) -> list[Case]:
    """Cases, oldest first; ``status`` filters on open/closed."""
    with store.transaction(write=False) as session:
        query = select(ReportCaseRow).order_by(ReportCaseRow.id)
        if status is not None:
            query = query.where(ReportCaseRow.status == status)
        rows = list(session.scalars(query))
        return [_case(row, _submissions(session, row.id)) for row in rows]


def update_case(
    store: Store, case_id: int, changes: Iterable[tuple[str, str]], *, actor: str, now: datetime
) -> Case:
    """Change form fields or clock anchors; each real change is one history entry."""
    with store.transaction() as session:
        row = _load(session, case_id, lock=True)
        if row.status != OPEN:
            raise CaseClosed(f"case {case_id} is closed; its record is read-only")
        kind = Kind(row.kind)
        for name, value in changes:
            key, stored = normalise(kind, name, value)
            if key == "title":
                normalise(kind, "title", stored)
            old, new = _apply(row, key, stored)
            if old != new:
                append(
                    session,
                    SUBJECT,
                    str(case_id),
                    at=now,
                    actor=actor,
                    action="updated",
                    detail={"field": key, "old": old, "new": new},
                )
        if row.notification_at is not None and row.notification_at < row.aware_at:
            raise ReportingError("the awareness time cannot be after the notification was filed")
        session.flush()
        return _case(row, _submissions(session, case_id))


def record_submission(
    store: Store,
    case_id: int,
    stage: Stage,
    at: datetime,
    *,
    actor: str,
    now: datetime,
    reference: str | None = None,
    attachments: tuple[dict[str, Any], ...] = (),
) -> Case:
    """Record when a stage was filed on the ENISA platform (the incident final clock runs from the
    notification, Art 14(4)(c))."""
    at = ensure_utc(at, "--at")
    if at > now:
        raise ReportingError(
            "a stage cannot be recorded as filed in the future", hint="check --at and its offset"
        )
    with store.transaction() as session:
        row = _load(session, case_id, lock=True)
        if row.status != OPEN:
            raise CaseClosed(f"case {case_id} is closed; its record is read-only")
        if at < row.aware_at:
            raise ReportingError(
                "a stage cannot be filed before the awareness time", hint="check --at and its offset"
            )
        column = _STAGE_COLUMN.get(stage)
        previous = getattr(row, column) if column else None
        if column:
            setattr(row, column, at)
        record = _stage_record(_case(row), stage)
        session.add(
            ReportSubmissionRow(
                case_id=case_id,
                stage=stage.value,
                at=at,
                recorded_at=now,
                recorded_by=actor,
                reference=reference,
            )
        )
        append(
            session,
            SUBJECT,
            str(case_id),
            at=now,
            actor=actor,
            action="submitted",
            detail={
                "stage": stage.value,
                "at": format_instant(at),
                "replaces": format_instant(previous),
                "reference": reference,
                "evidence": list(attachments),
                # Art 14 deadlines: a stage filed after its due time stays recorded as late.
                "due": format_instant(record.due) if record else None,
                "late": bool(record and record.state == "late"),
                "missed": [r.stage.value for r in _records(_case(row)) if r.state == "missed"],
            },
        )
        session.flush()
        return _case(row, _submissions(session, case_id))


def _records(case: Case) -> tuple[Any, ...]:
    from crakit.reporting.status import stage_records

    return stage_records(case)


def _stage_record(case: Case, stage: Stage) -> Any:
    return next((r for r in _records(case) if r.stage is stage), None)


def close_case(store: Store, case_id: int, *, actor: str, now: datetime, reason: str | None = None) -> Case:
    """Close a case; afterwards its record is read-only."""
    with store.transaction() as session:
        row = _load(session, case_id, lock=True)
        if row.status != OPEN:
            raise CaseClosed(f"case {case_id} is already closed")
        row.status, row.closed_at = CLOSED, now
        append(
            session, SUBJECT, str(case_id), at=now, actor=actor, action="closed", detail={"reason": reason}
        )
        session.flush()
        return _case(row, _submissions(session, case_id))


def record_event(
    store: Store, case_id: int, action: str, detail: dict[str, Any], *, actor: str, now: datetime
) -> None:
    """Add an evidence entry (a draft produced, a notice drafted) to the case history."""
    with store.transaction() as session:
        _load(session, case_id, lock=True)
        append(session, SUBJECT, str(case_id), at=now, actor=actor, action=action, detail=detail)


@dataclass(frozen=True, slots=True)
class History:
    entries: tuple[HistoryEntry, ...]
    intact: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "entries": [
                {
                    "seq": e.seq,
                    "at": format_instant(e.at),
                    "actor": e.actor,
                    "action": e.action,
                    "detail": e.detail,
                    "hash": e.hash,
                }
                for e in self.entries
            ],
        }


def case_history(store: Store, case_id: int) -> History:
    """The case's history, oldest first, and whether its hash chain is intact."""
    with store.transaction(write=False) as session:
        _load(session, case_id)
        chain = entries(session, SUBJECT, str(case_id))
    return History(tuple(chain), verify_chain(chain))
