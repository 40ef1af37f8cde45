"""What "Add to calendar" on a person's self-service page gives: their own dates.

For a date of a series that is the person's active places (confirmed, or waiting: TENTATIVE)
at its published dates, described by calendar.recurring.describe: the whole series when they
have a place at every date, else exactly those instances. The public file of a date
(/events/<id>.ics) is the whole series and would put dates in their calendar that they have
no place at. Only the person's own places are read: nobody else's data can get in.
"""

from __future__ import annotations

from ..events.models import EventStatus
from ..registrations.models import Registration
from ..registrations.series_places import places_in_series
from .feeds import ACTIVE_REGISTRATION, Feed


def own_places(registration: Registration) -> list[Registration]:
    """The person's places behind `registration`: at every date of its series, or its one
    event; cancelled ones too (leaving one changes the file)."""
    if registration.event.series_id is None:
        return [registration]
    return places_in_series(registration)


def own_dates_feed(registration: Registration, name: str) -> Feed:
    """The person's dates that a calendar can hold: active places at published dates."""
    places = own_places(registration)
    held = [
        place
        for place in places
        if place.status in ACTIVE_REGISTRATION and place.event.status is EventStatus.PUBLISHED
    ]
    series = registration.event.series
    return Feed(
        name=name,
        events=[place.event for place in held],
        participation={place.event_id: place.status for place in held},
        # A place given up leaves the file without touching any event row.
        extra_changes=[max(place.updated_at for place in places)],
        series=[series] if series is not None and held else [],
    )
