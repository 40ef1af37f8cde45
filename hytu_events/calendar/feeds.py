"""What each feed holds, what it is called, and its HTTP validators, all from the data."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from ..audit.models import AuditEntry
from ..events.models import Event, EventStatus, event_coordinators
from ..events.queries import EventFilter, public_events
from ..extensions import db
from ..feed_tokens.models import CalendarFeedToken
from ..registrations.models import Registration, RegistrationStatus
from ..series.models import Series

#: Raise when the output format changes, so cached copies are refetched.
FORMAT_VERSION = 2

ACTIVE_REGISTRATION = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass
class Feed:
    name: str
    events: list[Event]
    #: The participant's place per event id (personal feeds only).
    participation: dict[int, RegistrationStatus] = field(default_factory=dict)
    #: Times of other rows whose change alters the feed (e.g. a cancelled registration).
    extra_changes: list[datetime] = field(default_factory=list)
    #: The latest moment any event may have left the feed (see `latest_departure`). Only
    #: Last-Modified reads it: the ETag already changes when the list of events does.
    departures: datetime | None = None
    #: The series whose dates are among `events`, with all their dates loaded: how a series
    #: is written (its rule, EXDATEs, whether the reader has every date) depends on them all.
    series: list[Series] = field(default_factory=list)

    def last_modified(self) -> datetime | None:
        times = [event.updated_at for event in self.events] + self.extra_changes
        for series in self.series:
            times += [series.updated_at, *(date.updated_at for date in series.dates)]
        if self.departures is not None:
            times.append(self.departures)
        return max(times) if times else None

    def etag(self, identity: list) -> str:
        """A strong validator: the feed's identity and every included row's version."""
        material = [
            FORMAT_VERSION,
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


def latest_departure(now: datetime) -> datetime | None:
    """The latest moment an event may have left some feed, for a Last-Modified that never
    misses a removal.

    The rows left in a feed cannot tell when another row went: a draft deleted, an event
    whose filter fields changed (every such change moves its updated_at), one past the window.
    This errs on the safe side: any event's change counts for every feed, so a client that
    revalidates by date alone may download an unchanged feed, but never keeps a stale one.
    """
    since = now - _past_window()
    changed, aged, over, deleted = db.session.execute(
        sa.select(
            sa.select(sa.func.max(Event.updated_at)).scalar_subquery(),
            sa.select(sa.func.max(Event.ends_at))
            .where(Event.status == EventStatus.PUBLISHED, Event.ends_at <= since)
            .scalar_subquery(),
            sa.select(sa.func.max(Event.ends_at))
            .where(Event.status == EventStatus.CANCELLED, Event.ends_at <= now)
            .scalar_subquery(),
            sa.select(sa.func.max(AuditEntry.at))
            .where(AuditEntry.action == "event.deleted")
            .scalar_subquery(),
        )
    ).one()
    times = [t for t in (changed, aged + _past_window() if aged else None, over, deleted) if t]
    return max(times) if times else None


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
        departures=latest_departure(now),
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


def filter_key(event_filter: EventFilter) -> dict[str, str]:
    """Every field of the filter by name (enum value or row id), so a field added later
    (`?measure=`) is part of the ETag without a change here."""
    key = {}
    for item in dataclasses.fields(event_filter):
        value = getattr(event_filter, item.name)
        if value is not None:
            key[item.name] = str(getattr(value, "value", None) or getattr(value, "id", value))
    return key


def public_feed_identity(event_filter: EventFilter, language: str) -> list:
    return ["public", filter_key(event_filter), language]


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
        departures=latest_departure(now),
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
    # registrations' own changes count for Last-Modified and the ETag as well.
    changed = db.session.scalars(
        sa.select(sa.func.max(Registration.updated_at)).where(Registration.email == token.email)
    ).one()
    return Feed(
        name=_("My HYTU events"),
        events=[event for event, _status in selection.rows],
        participation={event.id: status for event, status in selection.rows},
        extra_changes=[changed] if changed else [],
        departures=latest_departure(now),
        series=selection.series,
    )
