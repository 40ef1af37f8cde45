"""Small read-side helpers: measures by code or id, and the measures an event serves."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..db.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..numbers import whole_number
from .models import (
    FocusArea,
    FocusAreaKind,
    IndicatorValue,
    Measure,
    Outcome,
    Plan,
    event_measures,
)

_CODE = re.compile(r"[A-Za-z0-9._-]{1,20}")


def find_measure(value: str) -> Measure | None:
    """A measure by code (`T1`, case-insensitive) or id; malformed values never reach the DB."""
    if _CODE.fullmatch(value):
        found = db.session.scalar(
            sa.select(Measure).where(sa.func.upper(Measure.code) == value.upper())
        )
        if found is not None or (measure_id := whole_number(value)) is None:
            return found
        return db.session.get(Measure, measure_id)
    return None


def all_measures() -> list[Measure]:
    return list(db.session.scalars(sa.select(Measure).order_by(Measure.code)))


def measures_of_event(event_id: int) -> list[Measure]:
    return list(
        db.session.scalars(
            sa.select(Measure)
            .join(event_measures, event_measures.c.measure_id == Measure.id)
            .where(event_measures.c.event_id == event_id)
            .order_by(Measure.code)
        )
    )


def set_event_measures(event_id: int, measure_ids: list[int]) -> None:
    """Replace the measures an event serves (the caller commits).

    The event counts as changed when they do: its page lists them and `?measure=` feeds
    gain or lose it.
    """
    before = set(
        db.session.scalars(
            sa.select(event_measures.c.measure_id).where(event_measures.c.event_id == event_id)
        )
    )
    if before == set(measure_ids):
        return
    db.session.execute(
        sa.update(Event).where(Event.id == event_id).values(updated_at=utcnow()),
        execution_options={"synchronize_session": "fetch"},
    )
    db.session.execute(sa.delete(event_measures).where(event_measures.c.event_id == event_id))
    for measure_id in dict.fromkeys(measure_ids):
        db.session.execute(
            sa.insert(event_measures).values(event_id=event_id, measure_id=measure_id)
        )


def focus_areas_of(plan_id: int | None) -> list[FocusArea]:
    """The welfare programme's focus areas first, then the safety plan's themes, in plan order."""
    kinds = list(FocusAreaKind)
    areas = db.session.scalars(sa.select(FocusArea).where(FocusArea.plan_id == plan_id))
    return sorted(areas, key=lambda a: (kinds.index(a.kind), a.position, a.code))


def event_ids_of_outcomes(outcome_ids) -> dict[int, int]:
    """outcome id -> event id, to link a figure or a status change to the event it came from."""
    ids = {i for i in outcome_ids if i is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(sa.select(Outcome.id, Outcome.event_id).where(Outcome.id.in_(ids))).all()
    )


def current_plan() -> Plan | None:
    """The plan the network implements now (the first one; there is one plan at a time)."""
    return db.session.scalar(sa.select(Plan).order_by(Plan.id).limit(1))


def indicator_value_at(indicator_id: int, municipality_id: int | None, year: int):
    """The figure saved for an indicator, a municipality (None: the whole region) and a year."""
    return db.session.scalar(
        sa.select(IndicatorValue).where(
            IndicatorValue.indicator_id == indicator_id,
            IndicatorValue.municipality_id.is_(None)
            if municipality_id is None
            else IndicatorValue.municipality_id == municipality_id,
            IndicatorValue.year == year,
        )
    )


def events_serving(measure_id: int) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(event_measures)
            .where(event_measures.c.measure_id == measure_id)
        )
        or 0
    )
