"""People who registered once for the whole series follow it: dates added at its end give them
a place too.

"The whole series" is a promise about every future date, not about the dates there were on
the day of registering. Whoever took their places that way (Registration.whole_series) and
still holds one at a date of the series that is not over gets a place at each new published
date, by the seat rule of any registration (registrations.operations.take_place) under the
date's lock, in the one order of db.locking.lock_events. Whoever left the series holds no
active place at an upcoming date, and is not brought back. The registration window is not
asked: these people registered already. The caller commits and tells them (series_changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from ..copying import copied
from ..db.locking import lock_events
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registrations.models import Registration, RegistrationStatus
from ..registrations.operations import ParticipantDetails, take_place
from .models import Series


def followers(
    series: Series, now: datetime, *, leaving_out: Sequence[int] = ()
) -> list[Registration]:
    """Each person following `series`: their latest whole-series place at a date that is not
    over (not one of `leaving_out`), in the order they first registered (the earlier gets a
    seat first when a new date has fewer seats than followers)."""
    places = db.session.scalars(
        sa.select(Registration)
        .join(Event, Registration.event_id == Event.id)
        .where(
            Event.series_id == series.id,
            Event.id.not_in(list(leaving_out)),
            Event.ends_at > now,
            Registration.whole_series.is_(True),
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.erased_at.is_(None),
        )
        .order_by(Registration.created_at, Registration.id)
    )
    first_seen: dict[str, Registration] = {}
    for place in places:
        # Kept in first-registration order; the details of the newest place win (edited last).
        if place.email not in first_seen or place.updated_at >= first_seen[place.email].updated_at:
            first_seen[place.email] = place
    return list(first_seen.values())


def give_new_dates(
    series: Series, added: Sequence[Event], now: datetime
) -> dict[str, list[Registration]]:
    """A place for every follower at each of the `added` dates that is published and not
    over; returns the new places by email, soonest date first. A date where the address
    already holds a place keeps it (nothing new)."""
    dates = [event for event in added if event.status is EventStatus.PUBLISHED]
    people = followers(series, now, leaving_out=[event.id for event in added]) if dates else []
    given: dict[str, list[Registration]] = {}
    if not people:
        return given
    for event in lock_events(event.id for event in dates):
        if event.status is not EventStatus.PUBLISHED or event.ends_at <= now:
            continue
        for source in people:
            outcome = take_place(event, copied(ParticipantDetails, source), now)
            if outcome.created:
                outcome.registration.whole_series = True
                # They consented when they registered for the series, not now.
                outcome.registration.consent_at = source.consent_at
                given.setdefault(source.email, []).append(outcome.registration)
    for places in given.values():
        places.sort(key=lambda place: (place.event.starts_at, place.event_id))
    return given
