"""A person's places at the dates of one series (hytu_events.series), by their email address.

Registrations sit below series in the import order; a date knows its series by
`Event.series_id`, which is all these queries need.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from ..events.models import Event
from ..extensions import db
from .models import Registration, RegistrationStatus


def places_in_series(registration: Registration) -> list[Registration]:
    """The person's place at each date of `registration`'s series, soonest date first; where
    they cancelled and registered again, the active place. Empty for an event of no series."""
    series_id = registration.event.series_id
    if series_id is None:
        return []
    rows = db.session.scalars(
        sa.select(Registration)
        .join(Registration.event)
        .options(contains_eager(Registration.event))
        .where(
            Event.series_id == series_id,
            Registration.email == registration.email,
            Registration.erased_at.is_(None),
        )
        # Per date, the active place last (so it wins below), else the latest cancelled one.
        .order_by(
            Event.starts_at,
            Event.id,
            Registration.status != RegistrationStatus.CANCELLED,
            Registration.id,
        )
    )
    latest: dict[int, Registration] = {}
    for place in rows:
        latest[place.event_id] = place
    return list(latest.values())
