"""The waiting list: its order, and moving people up when seats free."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from ..db.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from .capacity import free_seats
from .models import Registration, RegistrationStatus
from .signals import registration_promoted

#: First come, first served; the id breaks ties between equal timestamps.
WAITLIST_ORDER = (Registration.created_at, Registration.id)


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
