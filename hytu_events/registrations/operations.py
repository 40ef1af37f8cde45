"""Taking a place at an event: the one place where a new registration gets its seat."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa

from ..db.locking import lock_event
from ..db.types import utcnow
from ..email_addresses import canonical_email, normalise_email
from ..events.models import Event, RegistrationState
from ..extensions import db
from .calendar_copy import offset_of_new_place
from .models import Language, Registration, RegistrationStatus
from .seats import free_seats, waitlist_position
from .signals import registration_created, registration_repeated


@dataclass(frozen=True)
class ParticipantDetails:
    """What a person tells about themselves on the registration form."""

    name: str
    email: str
    organisation_id: int | None
    organisation_other: str | None
    municipality_id: int | None
    job_title: str | None
    needs: str | None
    language: Language


@dataclass(frozen=True)
class RegistrationOutcome:
    registration: Registration
    #: False when this email already held a place: nothing new was created.
    created: bool
    #: 1-based place on the waiting list, or None when confirmed.
    waitlist_position: int | None


class RegistrationNotOpen(Exception):
    def __init__(self, state: RegistrationState):
        super().__init__(state.value)
        self.state = state


def active_registration(event_id: int, email: str) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id,
            Registration.email == normalise_email(email),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )


def register(
    event_id: int,
    details: ParticipantDetails,
    now: datetime | None = None,
    *,
    ignore_window: bool = False,
) -> RegistrationOutcome:
    """Give `details` a place: confirmed while seats last, then the waiting list.

    The event row is locked before anything is counted, and everything is decided again
    under the lock, so two people can never take the last seat and one email never holds two
    places. The creation time is taken under the lock too: waiting-list order is the order
    in which people got the lock. Coordinators adding someone by hand may `ignore_window`
    (not the capacity). The caller commits.
    """
    # Refused before the lock: a bad address must not hold up everyone else's registration.
    details = replace(details, email=canonical_email(details.email))
    event = lock_event(event_id)
    if event is None:
        raise LookupError(event_id)
    now = now or utcnow()
    state = event.registration_state(now)
    if state is not RegistrationState.OPEN and not (
        ignore_window and state in (RegistrationState.NOT_YET_OPEN, RegistrationState.CLOSED)
    ):
        raise RegistrationNotOpen(state)
    outcome = take_place(event, details, now)
    if outcome.created:
        registration_created.send(outcome.registration)
    else:
        registration_repeated.send(outcome.registration)
    return outcome


def take_place(event: Event, details: ParticipantDetails, now: datetime) -> RegistrationOutcome:
    """The seat rule itself, for `register` and for several dates at once (a series): a new
    place at `event`, confirmed while seats last, or the place `details.email` (canonical)
    already holds. The caller holds the event's lock, has found registration open and sends
    the signal that suits it; this sends none. After a place given up, a new one raises the
    person's calendar copy: its invitation must outrank the CANCEL (calendar_copy)."""
    existing = active_registration(event.id, details.email)
    if existing is not None:
        return RegistrationOutcome(
            existing, created=False, waitlist_position=waitlist_position(existing)
        )

    seats = free_seats(event)
    registration = Registration(
        sequence_offset=offset_of_new_place(details.email, event),
        event_id=event.id,
        name=details.name,
        email=details.email,
        organisation_id=details.organisation_id,
        organisation_other=details.organisation_other,
        municipality_id=details.municipality_id,
        job_title=details.job_title,
        needs=details.needs if event.asks_for_needs else None,
        language=details.language,
        consent_at=now,
        status=RegistrationStatus.CONFIRMED
        if seats is None or seats > 0
        else RegistrationStatus.WAITLISTED,
        created_at=now,
    )
    db.session.add(registration)
    db.session.flush()
    return RegistrationOutcome(
        registration, created=True, waitlist_position=waitlist_position(registration)
    )
