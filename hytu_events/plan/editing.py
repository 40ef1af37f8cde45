"""Changing the plan from the back office: saving checked values onto the plan, its focus areas,
measures and indicators, what may be deleted, and what the change history records.

Each operation records its own audit entry, shown on the row's page; the caller commits. A
deletion never loses anything already saved: a focus area with measures, a measure that events
serve or outcomes advanced, and an indicator with figures are refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import audit
from ..extensions import db
from ..partners.models import Organisation
from .csvformat import MEASURE_COLUMNS, format_number
from .models import (
    FocusArea,
    Indicator,
    IndicatorValue,
    Measure,
    Plan,
    event_measures,
    measure_focus_areas,
    measure_indicators,
)
from .queries import events_serving

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


# Saving checked values (a form's `values()`) onto a row.

#: The rows coordinators add, change and delete one by one, by their audit action prefix.
ACTION_NAMES = {FocusArea: "focus_area", Measure: "measure", Indicator: "indicator"}
#: A measure's lists of related rows, given by their ids.
_RELATED = {"focus_areas": FocusArea, "organisations": Organisation, "indicators": Indicator}

Row = FocusArea | Measure | Indicator


def _apply(row, values: dict[str, Any]) -> None:
    # In the order given: the forms put a row's own columns before its related rows, whose
    # queries flush the session, so the row is complete when it is flushed.
    for name, value in values.items():
        if name in _RELATED:
            model = _RELATED[name]
            value = (
                list(db.session.scalars(sa.select(model).where(model.id.in_(value))))
                if value
                else []
            )
        setattr(row, name, value)


def save_plan(plan: Plan | None, values: dict[str, Any]) -> Plan:
    """Name the plan (`plan` None: there is none yet) or change its name and period."""
    created = plan is None
    if plan is None:
        plan = Plan()
        db.session.add(plan)
    before = None if created else snapshot(plan)
    _apply(plan, values)
    audit.record(
        "plan.created" if created else "plan.updated", plan, before=before, after=snapshot(plan)
    )
    return plan


def create(model: type[Row], values: dict[str, Any], *, plan_id: int | None = None) -> Row:
    """Add a focus area, measure or indicator (focus areas and measures belong to `plan_id`).

    IntegrityError: someone saved the same code between the form's check and this save.
    """
    row = model(plan_id=plan_id) if hasattr(model, "plan_id") else model()
    db.session.add(row)
    _apply(row, values)
    db.session.flush()
    audit.record(f"{ACTION_NAMES[model]}.created", row, after=snapshot(row))
    return row


def update(row: Row, values: dict[str, Any]) -> Row:
    """Change a focus area, measure or indicator; IntegrityError as for `create`."""
    before = snapshot(row)
    _apply(row, values)
    db.session.flush()
    audit.record(f"{ACTION_NAMES[type(row)]}.updated", row, before=before, after=snapshot(row))
    return row


def delete(row: Row) -> str | None:
    """Delete a focus area, measure or indicator, unless a rule below refuses: then the reason.

    IntegrityError: something came to depend on the row between the check and the delete.
    """
    reason = why_not_delete(row)
    if reason is None:
        audit.record(f"{ACTION_NAMES[type(row)]}.deleted", row, before=snapshot(row))
        db.session.delete(row)
        db.session.flush()
    return reason


# Deletion rules: the reason a row may not be deleted, or None when it may.

#: How many outcomes record a measure. Outcomes live above the plan (hytu_events.outcomes),
#: which registers its count at start-up (`count_outcomes_with`), so the plan never imports it.
_outcome_counts: list[Callable[[int], int]] = []


def count_outcomes_with(count: Callable[[int], int]) -> None:
    """Register a count of the outcomes that record a measure (by its id)."""
    if count not in _outcome_counts:
        _outcome_counts.append(count)


def why_not_delete(row: Row) -> str | None:
    rules = {
        FocusArea: why_not_delete_focus_area,
        Measure: why_not_delete_measure,
        Indicator: why_not_delete_indicator,
    }
    return rules[type(row)](row)


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
    outcomes = sum(count(measure.id) for count in _outcome_counts)
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
