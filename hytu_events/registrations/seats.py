"""Seats: counting them, the capacity rule, and the waiting list that fills freed seats.

Every change to who holds a seat runs under the event's lock (`db.locking.lock_event`), taken
before anything is counted, so a count read here stays true until the transaction commits.

Events sit below registrations and cannot import this module: an event edit hands its number
of places over by a signal (`events.signals.capacity_submitted`), and the event pages count
seats through `events.occupancy`. Both are connected here, at import; create_app imports this
module in every app, the command line's too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..db.types import utcnow
from ..events import occupancy
from ..events.models import Event, EventStatus
from ..events.operations import CapacityBelowConfirmed
from ..events.signals import capacity_submitted
from ..extensions import db
from .models import Registration, RegistrationStatus
from .signals import registration_promoted

#: First come, first served; the id breaks ties between equal timestamps.
WAITLIST_ORDER = (Registration.created_at, Registration.id)


@dataclass(frozen=True)
class SeatCount:
    confirmed: int = 0
    waitlisted: int = 0


def seat_counts(event_ids: list[int]) -> dict[int, SeatCount]:
    """Confirmed and waitlisted places for many events in one query: the one place that
    counts seats, for pages and for the decisions taken under the lock alike."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.status, sa.func.count())
        .where(Registration.event_id.in_(event_ids))
        .where(Registration.status != RegistrationStatus.CANCELLED)
        .group_by(Registration.event_id, Registration.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for event_id, status, count in rows:
        counts.setdefault(event_id, {})[status.value] = count
    return {
        event_id: SeatCount(
            confirmed=counts.get(event_id, {}).get("confirmed", 0),
            waitlisted=counts.get(event_id, {}).get("waitlisted", 0),
        )
        for event_id in event_ids
    }


def confirmed_count(event_id: int) -> int:
    return seat_counts([event_id])[event_id].confirmed


def seats_left(event: Event, count: SeatCount) -> int | None:
    """Seats nobody holds; None when the event has no capacity limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - count.confirmed, 0)


def free_seats(event: Event) -> int | None:
    """Seats nobody holds, counted now; None without a limit. Call under the event's lock."""
    return seats_left(event, seat_counts([event.id])[event.id])


def set_capacity(event: Event, capacity: int | None) -> list[Registration]:
    """The capacity rule: never below the people already confirmed (CapacityBelowConfirmed),
    and seats it adds go to the waiting list. Returns who was promoted.

    Call under the event's lock, after any other change to the event: whether promotion is
    allowed depends on its (new) start time and status."""
    if capacity is not None and capacity < (confirmed := confirmed_count(event.id)):
        raise CapacityBelowConfirmed(confirmed)
    event.capacity = capacity
    db.session.flush()
    return promote_from_waitlist(event)


def waitlisted(event_id: int, limit: int | None = None) -> list[Registration]:
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*WAITLIST_ORDER)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def waitlist_position(registration: Registration) -> int | None:
    """1-based place on the waiting list, or None when not waiting."""
    if registration.status is not RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.or_(
                Registration.created_at < registration.created_at,
                sa.and_(
                    Registration.created_at == registration.created_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


def promotion_allowed(event: Event, now: datetime) -> bool:
    """Automatic promotion stops a while before the start: a seat given an hour before a
    clinic in another municipality is a seat nobody can use."""
    cutoff = timedelta(hours=current_app.config["HYTU_PROMOTION_CUTOFF_HOURS"])
    return (
        event.auto_promote
        and event.status is EventStatus.PUBLISHED
        and now < event.starts_at - cutoff
    )


def promote(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.promoted_at = now


def promote_from_waitlist(event: Event, now: datetime | None = None) -> list[Registration]:
    """Give every free seat to the first on the waiting list. Call under the event's lock."""
    now = now or utcnow()
    if not promotion_allowed(event, now):
        return []
    seats = free_seats(event)
    if seats == 0:
        return []
    promoted = waitlisted(event.id, limit=seats)
    for registration in promoted:
        promote(registration, now)
    db.session.flush()
    for registration in promoted:
        registration_promoted.send(registration)
    return promoted


def _apply_submitted_capacity(event: Event, capacity: int | None, **_) -> list[Registration]:
    return set_capacity(event, capacity)


# weak=False: the receivers must live as long as the process, whatever else holds them.
capacity_submitted.connect(_apply_submitted_capacity, weak=False)
occupancy.count_seats_with(seat_counts)
