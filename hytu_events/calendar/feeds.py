"""What each feed holds, what it is called, and its ETag, all from the data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

import icalendar
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload, selectinload

from ..events.models import Event, EventStatus, event_coordinators
from ..events.queries import EventFilter, public_events
from ..extensions import db
from ..feed_tokens.models import CalendarFeedToken
from ..registrations.models import Registration, RegistrationStatus
from ..series.models import Series

#: Raise when the output format changes, so cached copies are refetched.
FORMAT_VERSION = 3


@lru_cache(maxsize=1)
def output_version() -> str:
    """FORMAT_VERSION, icalendar's version and a digest of the code and translations that
    write calendars (the whole package: labels and rules live outside calendar/ too). Kept
    copies outlive a deploy (the feed cache in Redis, clients' copies), so every ETag and kept
    entry names this: a deploy that changes any of it has them all built and fetched again,
    once, even when nobody remembered to raise FORMAT_VERSION."""
    digest = hashlib.sha256(f"{FORMAT_VERSION} {icalendar.__version__}".encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass
class Feed:
    name: str
    events: list[Event]
    #: The participant's place per event id (personal feeds only).
    participation: dict[int, RegistrationStatus] = field(default_factory=dict)
    #: Times of other rows whose change alters the feed (e.g. a cancelled registration).
    extra_changes: list[datetime] = field(default_factory=list)
    #: The series whose dates are among `events`, with all their dates loaded: how a series
    #: is written (its rule, EXDATEs, whether the reader has every date) depends on them all.
    series: list[Series] = field(default_factory=list)

    def etag(self, identity: list) -> str:
        """A strong validator: the feed's identity and every included row's version."""
        material = [
            output_version(),
            identity,
            current_app.config["BASE_URL"],
            current_app.config["HYTU_TIMEZONE"],
            current_app.config["HYTU_FEED_REFRESH_MINUTES"],
            self.name,
            [
                # A change of someone's place moves their registration's updated_at, which
                # is among extra_changes: the place itself need not be here.
                [event.id, event.revision, event.updated_at.isoformat()]
                for event in self.events
            ],
            sorted(t.isoformat() for t in self.extra_changes),
            [
                [series.id, series.revision, series.updated_at.isoformat()]
                + [[date.id, date.revision, date.updated_at.isoformat()] for date in series.dates]
                for series in self.series
            ],
        ]
        digest = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
        return digest[:32]


def _past_window() -> timedelta:
    return timedelta(weeks=current_app.config["HYTU_FEED_PAST_WEEKS"])


def _window(query: sa.Select, now: datetime) -> sa.Select:
    """Published events from HYTU_FEED_PAST_WEEKS back; cancelled ones until they are over;
    never drafts (the only status rule every feed needs). By start, then id: a stable order.

    A past event stays a while so that subscribers do not see last week vanish; a cancelled
    one stays until its time has passed so that nobody keeps it in their calendar by mistake.
    """
    since = now - _past_window()
    return query.where(
        sa.or_(
            sa.and_(Event.status == EventStatus.PUBLISHED, Event.ends_at > since),
            sa.and_(Event.status == EventStatus.CANCELLED, Event.ends_at > now),
        )
    ).order_by(Event.starts_at, Event.id)


@dataclass
class _Selection:
    rows: list[Sequence]
    series: list[Series]


def _select(query: sa.Select, now: datetime) -> _Selection:
    """The rows of `query` (an Event first in each) that a feed holds.

    What the window means for a series: a series is in a feed while any of its dates is in the
    window, and it is then there whole: every published date `query` selects, however old.
    A calendar holds a series as one object; cutting its past dates off one by one would take
    them out of subscribers' calendars while the series runs (or turn the master into single
    dates), and the RRULE starts at the first date anyway. Cancelled dates are EXDATEs, not
    rows (calendar.recurring). The series and all their dates come in two more queries, as
    many whatever the number of series and dates.
    """
    # A calendar shows no event's municipalities: not loading them saves a tenth of a build.
    query = query.options(lazyload(Event.municipalities))
    rows = db.session.execute(_window(query, now)).all()
    series_ids = {row[0].series_id for row in rows if row[0].series_id is not None}
    if not series_ids:
        return _Selection(rows, [])
    singles = [row for row in rows if row[0].series_id is None]
    dates = db.session.execute(
        query.where(Event.series_id.in_(series_ids), Event.status == EventStatus.PUBLISHED)
    ).all()
    series = db.session.scalars(
        sa.select(Series)
        .where(Series.id.in_(series_ids))
        .options(selectinload(Series.dates))
        .order_by(Series.id)
    ).all()
    ordered = sorted(singles + dates, key=lambda row: (row[0].starts_at, row[0].id))
    return _Selection(ordered, list(series))


def public_feed_name(event_filter: EventFilter, language: str) -> str:
    parts = []
    if event_filter.kind is not None:
        parts.append(event_filter.kind.label)
    if event_filter.municipality is not None:
        parts.append(event_filter.municipality.name_in(language))
    if event_filter.measure is not None:
        parts.append(f"{event_filter.measure.code} {event_filter.measure.title_in(language)}")
    if not parts:
        return _("HYTU events")
    return _("HYTU events: %(filter)s", filter=", ".join(parts))


def public_feed(event_filter: EventFilter, now: datetime, language: str) -> Feed:
    """The network's published events for a filter. Holds no personal data by construction:
    only Event rows are read."""
    selection = _select(public_events(event_filter), now)
    return Feed(
        name=public_feed_name(event_filter, language),
        events=[event for (event,) in selection.rows],
        series=selection.series,
    )


def event_file_feed(event: Event, name: str) -> Feed:
    """What 'Add to calendar' on an event's page gives: the event, or for a date of a series
    the whole series as the public feed has it (one object with its rule)."""
    if event.series_id is None:
        return Feed(name=name, events=[event])
    dates = db.session.scalars(
        sa.select(Event)
        .where(Event.series_id == event.series_id, Event.status == EventStatus.PUBLISHED)
        .order_by(Event.starts_at, Event.id)
    ).all()
    return Feed(name=name, events=list(dates), series=[event.series])


def coordinator_feed(token: CalendarFeedToken, now: datetime) -> Feed:
    """The published (and cancelled) events a coordinator runs."""
    selection = _select(
        sa.select(Event)
        .join(event_coordinators)
        .where(event_coordinators.c.user_id == token.user_id),
        now,
    )
    return Feed(
        name=_("HYTU events I run"),
        events=[event for (event,) in selection.rows],
        series=selection.series,
    )


def personal_feed(token: CalendarFeedToken, now: datetime) -> Feed:
    """The events a participant holds a place (or a waiting place) for."""
    if token.user_id is not None:
        return coordinator_feed(token, now)
    selection = _select(
        sa.select(Event, Registration.status)
        .join(Registration)
        .where(
            Registration.email == token.email,
            Registration.status.in_(ACTIVE_REGISTRATION),
        ),
        now,
    )
    # A place given up removes the event from the feed without touching the event row, so the
    # registrations' own changes count for the ETag as well.
    changed = db.session.scalars(
        sa.select(sa.func.max(Registration.updated_at)).where(Registration.email == token.email)
    ).one()
    return Feed(
        name=_("My HYTU events"),
        events=[event for event, _status in selection.rows],
        participation={event.id: status for event, status in selection.rows},
        extra_changes=[changed] if changed else [],
        series=selection.series,
    )
