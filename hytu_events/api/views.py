"""The API's operations on events: events (the public list's filters), one event, series with
their dates (figures.py has the plan's and the summary's). Every operation is GET only, rate
limited per address (HYTU_API_RATE_LIMIT, all of them together), and answers with an ETag, and
with 304 when it matches (flask-smorest's `etag`)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from ..db.types import utcnow
from ..errors import reject
from ..events.filters import parse_event_filter
from ..events.models import Event
from ..events.queries import (
    PUBLIC_STATUSES,
    EventFilter,
    events_list,
    public_event_or_404,
    public_events,
)
from ..extensions import db, limiter
from ..local_time import zone
from ..numbers import FIRST_YEAR, LAST_YEAR
from ..series.models import Series
from ..series.queries import public_series_or_404
from . import representation, schemas
from .blueprint import PAGING_HEADERS, ApiBlueprint, page_of

bp = ApiBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="Published and cancelled events of the HYTU network, its series, the plan's "
    "measures, the municipalities and the public summary's figures.",
)


def _api_limit() -> str:
    return current_app.config["HYTU_API_RATE_LIMIT"]


#: One allowance per address for every operation together, as the site's forms share theirs.
api_limit = limiter.shared_limit(_api_limit, scope="api")


def operation(path: str, query: type, answer, *, paged: bool = False, finds: bool = False):
    """An API operation: GET `path`, its query string read by `query`, its answer dumped by
    `answer`, rate limited, with an ETag; `paged` documents the paging headers, `finds` that a
    row it looks for may not exist (flask-smorest's 404 answer, in the API's error shape)."""

    def decorate(view):
        if finds:
            view = bp.alt_response(404, response="NOT_FOUND")(view)
        view = bp.response(200, answer, headers=PAGING_HEADERS if paged else None)(view)
        view = bp.arguments(query, location="query", as_kwargs=False)(view)
        return bp.route(path)(api_limit(bp.etag(view)))

    return decorate


def event_filter_or_404() -> EventFilter:
    """The public list's own filter from the same arguments; what it does not know is a 404
    here (the list's 400), since a well-formed code or slug may simply not exist."""
    try:
        return parse_event_filter(request.args)
    except BadRequest as refusal:
        reject(404, refusal.description)


def _day_start(day: date) -> datetime:
    # Days outside the years any event can have are the same as those years' ends.
    day = min(max(day, date(FIRST_YEAR, 1, 1)), date(LAST_YEAR, 12, 31))
    return datetime.combine(day, time(), tzinfo=zone())


def events_query(query: dict, now: datetime) -> sa.Select:
    event_filter = event_filter_or_404()
    when = query["when"]
    if when == "all":
        selected = public_events(event_filter).order_by(Event.starts_at, Event.id)
    else:
        selected = events_list(event_filter, now, past=when == "past")
    if (first := query.get("starts_from")) is not None:
        selected = selected.where(Event.starts_at >= _day_start(first))
    if (last := query.get("starts_to")) is not None:
        selected = selected.where(Event.starts_at < _day_start(last) + timedelta(days=1))
    if (series_id := query.get("series")) is not None:
        if db.session.get(Series, series_id) is None:
            reject(404, _("Unknown series in the address (series)."))
        selected = selected.where(Event.series_id == series_id)
    return selected.options(selectinload(Event.series))


@operation("/events", schemas.EventQuery, schemas.Event(many=True), paged=True, finds=True)
def events(query: dict):
    """Events, as the public list filters them

    Published and cancelled events (never drafts), in a stable order: upcoming ones soonest
    first, past ones latest first, ties by id. `kind`, `municipality` and `measure` are read by
    the same code as the public list's; a well-formed value that names nothing is a 404.
    """
    rows, headers = page_of(events_query(query, utcnow()), query["page"], query["page_size"])
    return representation.events(rows), headers


@operation("/events/<id:event_id>", schemas.Query, schemas.Event, finds=True)
def one_event(query: dict, event_id: int):
    """One event

    A draft, or an id nobody has, is a 404.
    """
    return representation.events([public_event_or_404(event_id)])[0]


@operation("/series", schemas.PageQuery, schemas.Series(many=True), paged=True)
def series_list(query: dict):
    """Series, with their dates

    Every series with a published or cancelled date, by its first date, ties by id.
    """
    public = sa.select(Event.series_id).where(Event.status.in_(PUBLIC_STATUSES))
    selected = sa.select(Series).where(Series.id.in_(public)).order_by(Series.first_date, Series.id)
    rows, headers = page_of(selected, query["page"], query["page_size"])
    dates = representation.public_dates_of([row.id for row in rows])
    return [representation.series(row, dates[row.id]) for row in rows], headers


@operation("/series/<id:series_id>", schemas.Query, schemas.Series, finds=True)
def one_series(query: dict, series_id: int):
    """One series, with its dates

    A series of drafts only is a 404, as on the site.
    """
    return representation.series(*public_series_or_404(series_id))
