"""Public event pages: the listing and one event."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from sqlalchemy.orm import selectinload

from ..db.types import utcnow
from ..events.filters import all_municipalities, parse_event_filter
from ..events.models import Event, EventKind, RegistrationState
from ..events.queries import events_list, public_event_or_404
from ..paging import requested_page
from ..plan.queries import all_measures
from ..registrations.seats import seat_counts, seats_left
from ..series.wording import rule_in_words
from .json_ld import event_json_ld

bp = Blueprint("catalogue", __name__)


@bp.get("/")
def index():
    event_filter = parse_event_filter(request.args)
    now = utcnow()
    past = request.args.get("when") == "past"
    setting = "HYTU_PAST_EVENTS_PER_PAGE" if past else "HYTU_UPCOMING_EVENTS_PER_PAGE"
    # The dates' series in one more query, however many series the page shows.
    query = events_list(event_filter, now, past=past).options(selectinload(Event.series))
    pagination = requested_page(query, current_app.config[setting])
    events = list(pagination.items)
    counts = seat_counts([event.id for event in events])
    return render_template(
        "catalogue/index.html",
        events=events,
        counts=counts,
        seats_left=seats_left,
        event_filter=event_filter,
        kinds=list(EventKind),
        municipalities=all_municipalities(),
        measures=all_measures(),
        filter_args=event_filter.as_args(),
        past=past,
        pagination=pagination,
        now=now,
    )


def render_event_page(event: Event, **extra):
    """The public event page; the back office's draft preview renders the same page."""
    count = seat_counts([event.id])[event.id]
    left = seats_left(event, count)
    return render_template(
        "catalogue/detail.html",
        event=event,
        count=count,
        seats_left=left,
        # A draft's preview is no public page: nothing for search engines.
        json_ld=None if extra.get("preview") else event_json_ld(event, left),
        state=event.registration_state(),
        RegistrationState=RegistrationState,
        series_rule=rule_in_words(event.series) if event.series is not None else None,
        **extra,
    )


@bp.get("/events/<id:event_id>")
def detail(event_id: int):
    return render_event_page(public_event_or_404(event_id))
