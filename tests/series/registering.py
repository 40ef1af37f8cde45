"""A published series of coming Thursdays, and people taking places at its dates, for the tests
of registering for a series and leaving it (the dates stay in the future whenever tests run)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from hytu_events.extensions import db
from hytu_events.models import Registration, Series
from hytu_events.series import operations
from hytu_events.series.registration import register_for_series
from tests.registrations.people import details
from tests.series.helpers import coffee_details, every_other_thursday


def next_thursday(after: date | None = None) -> date:
    """The first Thursday at least a week after `after` (today): far enough for reminders and
    the promotion cut-off not to interfere."""
    start = (after or date.today()) + timedelta(days=7)
    return start + timedelta(days=(3 - start.weekday()) % 7)


def coming_series(creator, count: int = 3, *, publish: bool = True, **changes) -> Series:
    """Every other Thursday at 9:00 to 9:30 from next_thursday(), `count` dates, published."""
    first = next_thursday()
    series = operations.create_series(
        coffee_details(datetime.combine(first, time(9, 0)), **changes),
        every_other_thursday(count, first_date=first),
        creator,
        publish=publish,
    )
    db.session.commit()
    return series


def take_series(series: Series, n: int, event_ids: list[int] | None = None, **kwargs):
    """Person n (osallistujaN@example.fi) registers for the series; committed."""
    person = details(f"Osallistuja {n}", f"osallistuja{n}@example.fi", **kwargs)
    outcome = register_for_series(series.id, person, event_ids)
    db.session.commit()
    return outcome


def places_of(email: str) -> list[Registration]:
    """Every place of an address, soonest date first (cancelled ones too)."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.email == email)
            .order_by(Registration.event_id, Registration.id)
        )
    )
