"""What each feed holds, what it is called, and its HTTP validators, all from the data."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit.models import AuditEntry
from ..events.models import Event, EventStatus, event_coordinators
from ..events.queries import EventFilter, public_events
from ..extensions import db
from ..feed_tokens.models import CalendarFeedToken
from ..registrations.models import Registration, RegistrationStatus

#: Raise when the output format changes, so cached copies are refetched.
FORMAT_VERSION = 1

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

    def last_modified(self) -> datetime | None:
        times = [event.updated_at for event in self.events] + self.extra_changes
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
    events = list(db.session.scalars(_window(public_events(event_filter), now)))
    return Feed(
        name=public_feed_name(event_filter, language),
        events=events,
        departures=latest_departure(now),
    )


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
    events = db.session.scalars(
        _window(
            sa.select(Event)
            .join(event_coordinators)
            .where(event_coordinators.c.user_id == token.user_id),
            now,
        )
    ).all()
    return Feed(
        name=_("HYTU events I run"),
        events=list(events),
        departures=latest_departure(now),
    )


def personal_feed(token: CalendarFeedToken, now: datetime) -> Feed:
    """The events a participant holds a place (or a waiting place) for."""
    if token.user_id is not None:
        return coordinator_feed(token, now)
    rows = db.session.execute(
        _window(
            sa.select(Event, Registration.status)
            .join(Registration)
            .where(
                Registration.email == token.email,
                Registration.status.in_(ACTIVE_REGISTRATION),
            ),
            now,
        )
    ).all()
    # A place given up removes the event from the feed without touching the event row, so the
    # registrations' own changes count for Last-Modified and the ETag as well.
    changed = db.session.scalars(
        sa.select(sa.func.max(Registration.updated_at)).where(Registration.email == token.email)
    ).one()
    return Feed(
        name=_("My HYTU events"),
        events=[event for event, _status in rows],
        participation={event.id: status for event, status in rows},
        extra_changes=[changed] if changed else [],
        departures=latest_departure(now),
    )
