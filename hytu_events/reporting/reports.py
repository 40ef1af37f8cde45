"""Outcomes, follow-ups and indicator values as tables for CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from ..events.models import Event
from ..extensions import db
from ..feedback import report_tables as feedback_tables
from ..i18n import current_language
from ..outcomes.attendance import participants_by_event
from ..outcomes.models import FollowUp, Outcome
from ..partners.models import Municipality
from ..plan.csvformat import format_number
from ..plan.models import Indicator, IndicatorValue
from ..spreadsheets import to_csv
from .dashboard import DashboardFilter, held_events

KINDS = ("outcomes", "follow-ups", "indicator-values", "feedback", "feedback-measures")


def _outcomes(scope, zone: ZoneInfo) -> tuple[list[str], list[list]]:
    header = [
        _("Date"),
        _("Event"),
        _("Type"),
        _("Municipalities"),
        _("Participants"),
        _("Summary"),
        _("Agreements"),
        _("Measures advanced"),
        _("Recorded"),
    ]
    outcomes = list(
        db.session.scalars(
            sa.select(Outcome)
            .join(Event, Event.id == Outcome.event_id)
            .where(Outcome.event_id.in_(scope))
            .options(sa.orm.joinedload(Outcome.event))
            .order_by(Event.starts_at, Event.id)
        ).unique()
    )
    _people, participants = participants_by_event(scope, [o.event_id for o in outcomes])
    rows = []
    for outcome in outcomes:
        event = outcome.event
        rows.append(
            [
                event.starts_at.astimezone(zone).date().isoformat(),
                event.title,
                event.kind.label,
                ", ".join(m.name_fi for m in event.municipalities),
                participants.get(event.id, 0),
                outcome.summary,
                outcome.agreements,
                "; ".join(
                    f"{om.measure.code} {om.note}".strip()
                    for om in sorted(outcome.measures, key=lambda om: om.measure.code)
                ),
                outcome.recorded_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return header, rows


def _follow_ups(scope, zone: ZoneInfo) -> tuple[list[str], list[list]]:
    header = [_("Event date"), _("Event"), _("What"), _("Who"), _("Due"), _("Status")]
    query = (
        sa.select(Event.starts_at, Event.title, FollowUp)
        .join(Outcome, Outcome.id == FollowUp.outcome_id)
        .join(Event, Event.id == Outcome.event_id)
        .where(Outcome.event_id.in_(scope))
        .order_by(Event.starts_at, FollowUp.id)
    )
    rows = [
        [
            starts_at.astimezone(zone).date().isoformat(),
            title,
            follow_up.what,
            follow_up.who,
            follow_up.due_on.isoformat() if follow_up.due_on else "",
            follow_up.status.label,
        ]
        for starts_at, title, follow_up in db.session.execute(query)
    ]
    return header, rows


def _indicator_values(dashboard_filter: DashboardFilter) -> tuple[list[str], list[list]]:
    header = [
        _("Indicator"),
        _("Name"),
        _("Unit"),
        _("Source"),
        _("Municipality"),
        _("Year"),
        _("Value"),
        _("Target"),
    ]
    place = aliased(Municipality)
    query = (
        sa.select(Indicator, place.name_fi, IndicatorValue.year, IndicatorValue.value)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .outerjoin(place, place.id == IndicatorValue.municipality_id)
        .order_by(Indicator.code, place.name_fi.is_not(None), place.name_fi, IndicatorValue.year)
    )
    if dashboard_filter.year is not None:
        query = query.where(IndicatorValue.year == dashboard_filter.year)
    if dashboard_filter.sub_region is not None:
        query = query.where(
            sa.or_(place.id.is_(None), place.sub_region == dashboard_filter.sub_region)
        )
    rows = [
        [
            indicator.code,
            indicator.name,
            indicator.unit,
            indicator.source,
            name or _("Whole region"),
            year,
            value,
            indicator.target_value,
        ]
        for indicator, name, year, value in db.session.execute(query)
    ]
    return header, rows


def report_table(
    kind: str, dashboard_filter: DashboardFilter, now: datetime, zone: ZoneInfo
) -> tuple[list[str], list[list]]:
    if kind == "indicator-values":
        return _indicator_values(dashboard_filter)
    scope = held_events(dashboard_filter, now, zone)
    if kind == "feedback":
        return feedback_tables.per_event(scope, zone)
    if kind == "feedback-measures":
        return feedback_tables.per_measure(scope, current_language())
    return _outcomes(scope, zone) if kind == "outcomes" else _follow_ups(scope, zone)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def as_csv(header: list[str], rows: list[list]) -> bytes:
    """The app's CSV (spreadsheets.to_csv), numbers written as `plan import` reads them."""
    return to_csv(header, ([_cell(value) for value in row] for row in rows))
