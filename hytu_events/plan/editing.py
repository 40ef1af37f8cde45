"""Changing the plan from the back office: what may be deleted, saving a form's values, and
what the change history records.

Nothing already saved is lost by a deletion: a focus area with measures, a measure that events
serve or outcomes advanced, and an indicator with figures are refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from ..extensions import db
from ..partners.models import Organisation
from .csvformat import MEASURE_COLUMNS, format_number
from .editing_forms import FocusAreaForm, IndicatorForm, MeasureForm, PlanForm
from .models import (
    FocusArea,
    FocusAreaKind,
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Measure,
    OutcomeMeasure,
    Plan,
    event_measures,
    measure_focus_areas,
    measure_indicators,
)
from .queries import events_serving, indicator_value_at

PLAN_FIELDS = ("name", "start_year", "end_year")
FOCUS_AREA_FIELDS = ("code", "kind", "name_fi", "name_sv", "name_en", "position")
#: A measure's own columns: those of its CSV layout but the lists of related rows.
MEASURE_FIELDS = tuple(
    c for c in MEASURE_COLUMNS if c not in ("focus_areas", "organisations", "indicators")
)
INDICATOR_FIELDS = (
    "code",
    "name",
    "name_sv",
    "name_en",
    "unit",
    "unit_sv",
    "unit_en",
    "source",
    "direction",
    "target_value",
)


# What the change history shows: plain values, and related rows by the names people know.


def snapshot(row) -> dict:
    fields = {
        Plan: PLAN_FIELDS,
        FocusArea: FOCUS_AREA_FIELDS,
        Measure: MEASURE_FIELDS,
        Indicator: INDICATOR_FIELDS,
    }[type(row)]
    values = {name: getattr(row, name) for name in fields}
    # Numbers as people type them back (21, not 21.0).
    values = {
        name: format_number(value) if isinstance(value, float) else value
        for name, value in values.items()
    }
    if isinstance(row, Measure):
        values["focus_areas"] = [a.code for a in row.focus_areas]
        values["organisations"] = [o.name for o in row.organisations]
        values["indicators"] = [i.code for i in row.indicators]
    return values


# Saving a validated form onto a row.


def apply_plan(plan: Plan, form: PlanForm) -> None:
    plan.name, plan.start_year, plan.end_year = (
        form.name.data,
        form.start_year.data,
        form.end_year.data,
    )


def apply_focus_area(area: FocusArea, form: FocusAreaForm) -> None:
    area.code = form.code.data
    area.kind = FocusAreaKind(form.kind.data)
    area.name_fi, area.name_sv, area.name_en = (
        form.name_fi.data,
        form.name_sv.data,
        form.name_en.data,
    )
    area.position = form.position.data or 0


def apply_measure(measure: Measure, form: MeasureForm) -> None:
    measure.code = form.code.data
    measure.title = form.title.data
    measure.title_sv = form.title_sv.data or None
    measure.title_en = form.title_en.data or None
    measure.description = form.description.data or ""
    measure.start_year, measure.end_year = form.start_year.data, form.end_year.data
    measure.target_text = form.target_text.data or None
    measure.target_number = form.target_number.number

    def rows(model, ids):
        return list(db.session.scalars(sa.select(model).where(model.id.in_(ids)))) if ids else []

    measure.focus_areas = rows(FocusArea, form.focus_areas.data)
    measure.organisations = rows(Organisation, form.organisations.data)
    measure.indicators = rows(Indicator, form.indicators.data)


def apply_indicator(indicator: Indicator, form: IndicatorForm) -> None:
    indicator.code = form.code.data
    indicator.name, indicator.unit, indicator.source = (
        form.name.data,
        form.unit.data,
        form.source.data,
    )
    for name in ("name_sv", "name_en", "unit_sv", "unit_en"):
        setattr(indicator, name, form[name].data or None)
    indicator.direction = IndicatorDirection(form.direction.data)
    indicator.target_value = form.target_value.number


@dataclass(frozen=True)
class SavedValue:
    value: IndicatorValue
    #: The figure it replaced, None when the year had none.
    previous: float | None


def save_indicator_value(
    indicator: Indicator, municipality_id: int | None, year: int, value: float
) -> SavedValue:
    """Add the figure, or replace the one saved for the same area and year (the caller commits)."""
    existing = indicator_value_at(indicator.id, municipality_id, year)
    if existing is not None:
        previous, existing.value = existing.value, value
        return SavedValue(existing, previous)
    row = IndicatorValue(
        indicator_id=indicator.id, municipality_id=municipality_id, year=year, value=value
    )
    db.session.add(row)
    db.session.flush()
    return SavedValue(row, None)


# Deletion rules: the reason a row may not be deleted, or None when it may.


def _count(query) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0


def why_not_delete_focus_area(area: FocusArea) -> str | None:
    measures = _count(
        sa.select(measure_focus_areas.c.measure_id).where(
            measure_focus_areas.c.focus_area_id == area.id
        )
    )
    if measures:
        return ngettext(
            "%(num)d measure belongs to this focus area: take it off the measure first.",
            "%(num)d measures belong to this focus area: take it off those measures first.",
            measures,
        )
    return None


def why_not_delete_measure(measure: Measure) -> str | None:
    events = events_serving(measure.id)
    outcomes = _count(
        sa.select(OutcomeMeasure.outcome_id).where(OutcomeMeasure.measure_id == measure.id)
    )
    if events or outcomes:
        return _(
            "Events serve this measure (%(events)d) or outcomes record it (%(outcomes)d): "
            "a measure with a history cannot be deleted.",
            events=events,
            outcomes=outcomes,
        )
    return None


def code_in_use_notice(measure: Measure) -> str | None:
    """Links and calendar subscriptions name a measure by its code (`?measure=T1`)."""
    if not events_serving(measure.id):
        return None
    return _(
        "Events serve this measure, and links and calendar subscriptions may name it by its "
        "code (?measure=%(code)s): a new code breaks them.",
        code=measure.code,
    )


def why_not_delete_indicator(indicator: Indicator) -> str | None:
    values = _count(sa.select(IndicatorValue.id).where(IndicatorValue.indicator_id == indicator.id))
    if values:
        return ngettext(
            "This indicator has %(num)d figure: an indicator with figures cannot be deleted.",
            "This indicator has %(num)d figures: an indicator with figures cannot be deleted.",
            values,
        )
    return None


# Counts for the plan's overview page, one grouped query each.


def _count_by(column) -> dict[int, int]:
    return dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())


def measures_per_focus_area() -> dict[int, int]:
    return _count_by(measure_focus_areas.c.focus_area_id)


def events_per_measure() -> dict[int, int]:
    return _count_by(event_measures.c.measure_id)


def values_per_indicator() -> dict[int, int]:
    return _count_by(IndicatorValue.indicator_id)


def measures_per_indicator() -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for indicator_id, code in db.session.execute(
        sa.select(measure_indicators.c.indicator_id, Measure.code)
        .join(Measure, Measure.id == measure_indicators.c.measure_id)
        .order_by(Measure.code)
    ):
        codes.setdefault(indicator_id, []).append(code)
    return codes
