"""Recording what came out of an event: attendance, agreements, follow-ups, measures advanced,
indicator values produced and municipal plan statuses moved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from .. import audit
from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..plan.models import IndicatorValue, MunicipalPlanStatus, MunicipalPlanStatusChange
from ..plan.queries import indicator_value_at
from ..plan.statuses import change_status
from .models import FollowUp, FollowUpStatus, Outcome, OutcomeMeasure


class OutcomeError(ValueError):
    """The outcome cannot be saved as given; `message` is shown to the coordinator."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class FollowUpInput:
    what: str
    who: str = ""
    due_on: date | None = None
    status: FollowUpStatus = FollowUpStatus.OPEN


@dataclass
class IndicatorInput:
    indicator_id: int
    year: int
    value: float
    municipality_id: int | None = None


@dataclass
class StatusMove:
    municipality_id: int
    status: MunicipalPlanStatus
    note: str = ""


@dataclass
class OutcomeInput:
    summary: str = ""
    agreements: str = ""
    manual_attendance: int | None = None
    #: measure id -> note on how the event advanced it
    measures: dict[int, str] = field(default_factory=dict)
    follow_ups: list[FollowUpInput] = field(default_factory=list)
    indicator_values: list[IndicatorInput] = field(default_factory=list)
    status_moves: list[StatusMove] = field(default_factory=list)


OUTCOME_FIELDS = ["summary", "agreements", "manual_attendance"]


def can_record_outcome(event: Event, now: datetime) -> bool:
    return event.status is EventStatus.PUBLISHED and event.ends_at <= now


def record_outcome(
    event: Event,
    data: OutcomeInput,
    *,
    user_id: int | None = None,
    now: datetime | None = None,
    zone: ZoneInfo | None = None,
) -> Outcome:
    """Create or replace the event's outcome (the caller commits; OutcomeError on bad input).

    Saving again replaces follow-ups, measures, produced indicator values and status moves
    with what the form now holds, so a correction never leaves a stale copy behind.
    """
    now = now or utcnow()
    if not can_record_outcome(event, now):
        raise OutcomeError(_("Outcomes can be recorded for published events that have ended."))
    if data.manual_attendance is not None and data.manual_attendance < 0:
        raise OutcomeError(_("Attendance cannot be negative."), "manual_attendance")
    outcome = db.session.scalar(sa.select(Outcome).where(Outcome.event_id == event.id))
    before = audit.snapshot(outcome, OUTCOME_FIELDS) if outcome else None
    if outcome is None:
        outcome = Outcome(event_id=event.id)
        db.session.add(outcome)
    outcome.summary = data.summary.strip()
    outcome.agreements = data.agreements.strip()
    outcome.manual_attendance = data.manual_attendance
    outcome.recorded_by_id = user_id
    outcome.recorded_at = now
    outcome.measures = [
        OutcomeMeasure(measure_id=measure_id, note=note.strip())
        for measure_id, note in data.measures.items()
    ]
    outcome.follow_ups = [
        FollowUp(what=f.what.strip(), who=f.who.strip(), due_on=f.due_on, status=f.status)
        for f in data.follow_ups
        if f.what.strip()
    ]
    db.session.flush()
    _replace_indicator_values(outcome, data.indicator_values)
    _replace_status_moves(outcome, event, data.status_moves, zone or ZoneInfo("Europe/Helsinki"))
    audit.record(
        "outcome.recorded",
        outcome,
        before=before,
        after=audit.snapshot(outcome, OUTCOME_FIELDS),
        event_id=event.id,
    )
    db.session.flush()
    return outcome


def _replace_indicator_values(outcome: Outcome, values: list[IndicatorInput]) -> None:
    db.session.execute(sa.delete(IndicatorValue).where(IndicatorValue.outcome_id == outcome.id))
    seen: set[tuple] = set()
    for value in values:
        key = (value.indicator_id, value.municipality_id, value.year)
        if key in seen:
            raise OutcomeError(_("The same indicator value is given twice."), "indicator_values")
        seen.add(key)
        if indicator_value_at(value.indicator_id, value.municipality_id, value.year) is not None:
            raise OutcomeError(
                _("This indicator already has a value for that year and place."),
                "indicator_values",
            )
        db.session.add(
            IndicatorValue(
                indicator_id=value.indicator_id,
                municipality_id=value.municipality_id,
                year=value.year,
                value=value.value,
                outcome_id=outcome.id,
            )
        )
    db.session.flush()


def _replace_status_moves(
    outcome: Outcome, event: Event, moves: list[StatusMove], zone: ZoneInfo
) -> None:
    db.session.execute(
        sa.delete(MunicipalPlanStatusChange).where(
            MunicipalPlanStatusChange.outcome_id == outcome.id
        )
    )
    day = event.starts_at.astimezone(zone).date()
    for move in moves:
        change_status(
            move.municipality_id, move.status, day, outcome_id=outcome.id, note=move.note.strip()
        )


def events_needing_outcomes(now: datetime, limit: int | None = None) -> list[Event]:
    """Published events that have ended without an outcome, most recent first."""
    query = (
        sa.select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= now)
        .where(~sa.exists().where(Outcome.event_id == Event.id))
        .order_by(Event.ends_at.desc(), Event.id.desc())
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def event_ids_of_outcomes(outcome_ids) -> dict[int, int]:
    """outcome id -> event id, to link a figure or a status change to the event it came from."""
    ids = {i for i in outcome_ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(sa.select(Outcome.id, Outcome.event_id).where(Outcome.id.in_(ids))).all()
    )


def outcomes_recording(measure_id: int) -> int:
    """How many outcomes record that their event advanced the measure (the plan asks before
    deleting it)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutcomeMeasure)
            .where(OutcomeMeasure.measure_id == measure_id)
        )
        or 0
    )
