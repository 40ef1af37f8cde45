"""Seats: counting them, and holding the event's lock while they change hands."""

from __future__ import annotations

import sqlalchemy as sa

from ..db.locking import lock_for_update
from ..events.models import Event
from ..extensions import db
from .models import Registration, RegistrationStatus


class CapacityBelowConfirmed(ValueError):
    """Capacity may not drop below the number of people already confirmed."""

    def __init__(self, confirmed: int):
        super().__init__(confirmed)
        self.confirmed = confirmed


def lock_event(event_id: int) -> Event | None:
    """The event, re-read under a write lock held until commit: every seat change starts here,
    always locking the event before any registration, so two changes never deadlock.

    tests/registrations/test_under_load.py replaces `lock_for_update` here with a plain read
    (its control run), to show the overbooking this lock prevents."""
    return lock_for_update(Event, event_id)


def confirmed_count(event_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )


def free_seats(event: Event) -> int | None:
    """Seats nobody holds; None when the event has no limit. Call under the event's lock."""
    if event.capacity is None:
        return None
    return max(event.capacity - confirmed_count(event.id), 0)


def set_capacity(event_id: int, capacity: int | None) -> list[Registration]:
    """Change the limit; raising it promotes from the waiting list. Returns who was promoted."""
    from .waitlist import promote_from_waitlist

    event = lock_event(event_id)
    confirmed = confirmed_count(event.id)
    if capacity is not None and capacity < confirmed:
        raise CapacityBelowConfirmed(confirmed)
    event.capacity = capacity
    db.session.flush()
    return promote_from_waitlist(event)
