"""The API's operations on the plan and the network's figures: the measures with their counts,
the municipalities with their plan status, the public summary's figures."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import request

from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..local_time import zone
from ..partners.models import Municipality
from ..plan.models import Measure, MunicipalPlanStatus, event_measures
from ..plan.statuses import latest_changes_query
from ..reporting.dashboard import build_dashboard
from ..reporting.filters import parse_dashboard_filter
from . import representation, schemas
from .views import operation


def measure_counts(now: datetime) -> dict[int, tuple[int, int]]:
    """Measure id -> (published events serving it, of them not over), in one query."""
    rows = db.session.execute(
        sa.select(
            event_measures.c.measure_id,
            sa.func.count(),
            sa.func.count().filter(Event.ends_at > now),
        )
        .join(Event, Event.id == event_measures.c.event_id)
        .where(Event.status == EventStatus.PUBLISHED)
        .group_by(event_measures.c.measure_id)
    )
    return {measure_id: (total, coming) for measure_id, total, coming in rows}


@operation("/measures", schemas.Query, schemas.Measure(many=True))
def measures(query: dict):
    """The plan's measures, with how many events serve them

    By code. `events_api_url` lists those events.
    """
    counts = measure_counts(utcnow())
    rows = db.session.scalars(sa.select(Measure).order_by(Measure.code, Measure.id))
    return [representation.measure(row, *counts.get(row.id, (0, 0))) for row in rows]


@operation("/municipalities", schemas.Query, schemas.Municipality(many=True))
def municipalities(query: dict):
    """The 21 municipalities, with where their combined HYTU plan stands

    By Finnish name. A municipality never tracked is `not_started`.
    """
    latest = {row.municipality_id: row for row in db.session.execute(latest_changes_query())}
    rows = db.session.scalars(sa.select(Municipality).order_by(Municipality.name_fi))
    answer = []
    for row in rows:
        change = latest.get(row.id)
        status = MunicipalPlanStatus(change.status) if change else MunicipalPlanStatus.NOT_STARTED
        answer.append(representation.municipality(row, status, change and change.changed_on))
    return answer


@operation("/summary", schemas.SummaryQuery, schemas.Summary)
def summary(query: dict):
    """The public summary's figures

    What `/summary` shows, as numbers: events held, participants, partners and municipalities
    reached, the plan statuses, per measure, municipality and partner. Counts only.
    """
    dashboard = build_dashboard(parse_dashboard_filter(request.args), utcnow(), zone())
    return representation.summary(dashboard)
