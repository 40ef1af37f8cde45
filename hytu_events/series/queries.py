"""A series as the public sees it: its dates that are not drafts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort

from ..events.models import Event
from ..events.queries import PUBLIC_STATUSES
from ..extensions import db
from .models import Series


def public_dates(series_id: int) -> list[Event]:
    """The series' published and cancelled dates, soonest first (a moved date may come
    before an earlier one of the rule)."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.series_id == series_id, Event.status.in_(PUBLIC_STATUSES))
            .order_by(Event.starts_at, Event.id)
        )
    )


def upcoming(dates: list[Event], now: datetime) -> list[Event]:
    """The dates not yet over, as the public list shows them."""
    return [event for event in dates if event.ends_at > now]


def public_series_or_404(series_id: int) -> tuple[Series, list[Event]]:
    """A series with at least one public date, and those dates; a series of drafts does not
    exist for the public."""
    series = db.session.get(Series, series_id)
    dates = public_dates(series_id) if series is not None else []
    if not dates:
        abort(404)
    return series, dates
