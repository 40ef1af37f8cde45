"""Giving a place back; a freed seat goes to the waiting list in the same transaction."""

from __future__ import annotations

from datetime import datetime

from ..db.locking import lock_event
from ..db.types import utcnow
from ..extensions import db
from .calendar_copy import offset_after_giving_up
from .models import Registration, RegistrationStatus
from .seats import promote_from_waitlist
from .signals import registration_cancelled


def cancel_registration(
    registration_id: int, now: datetime | None = None
) -> tuple[Registration, list[Registration]]:
    """Cancel a place (confirmed or waitlisted). Returns it and whoever got the freed seat.

    Cancelling twice is harmless: the second call changes nothing and promotes nobody.
    """
    now = now or utcnow()
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(registration_id)
    event = lock_event(registration.event_id)
    db.session.refresh(registration)  # another request may have changed it before the lock
    if registration.status is RegistrationStatus.CANCELLED:
        return registration, []
    was_confirmed = give_up_place(registration, now)
    offset_after_giving_up(registration.email, registration.event)
    registration_cancelled.send(registration, was_confirmed=was_confirmed)
    promoted = promote_from_waitlist(event, now) if was_confirmed else []
    return registration, promoted


def give_up_place(registration: Registration, now: datetime) -> bool:
    """Mark an active place cancelled; True when it held a seat, which the caller then hands
    to the waiting list (`promote_from_waitlist`). The caller holds the event's lock, has
    re-read the place under it, and sends the signal that suits it: this sends none (one
    person leaving a whole series is told once, not per date), after raising the person's
    calendar copy once for its change (calendar_copy.offset_after_giving_up): the CANCEL it
    sends must outrank the invitation it withdraws."""
    was_confirmed = registration.status is RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    db.session.flush()
    return was_confirmed
