"""Small read-side helpers: measures by code or id, and the measures an event serves."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..extensions import db
from ..numbers import whole_number
from .models import FocusArea, FocusAreaKind, IndicatorValue, Measure, Plan, event_measures

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


def focus_areas_of(plan_id: int | None) -> list[FocusArea]:
    """The welfare programme's focus areas first, then the safety plan's themes, in plan order."""
    kinds = list(FocusAreaKind)
    areas = db.session.scalars(sa.select(FocusArea).where(FocusArea.plan_id == plan_id))
    return sorted(areas, key=lambda a: (kinds.index(a.kind), a.position, a.code))


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
