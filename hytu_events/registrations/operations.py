"""Taking a place at an event: the one place where capacity is decided."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..db.locking import lock_for_update
from ..db.types import utcnow
from ..events.models import Event, RegistrationState
from ..extensions import db
from .models import Language, Registration, RegistrationStatus


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


def normalise_email(email: str) -> str:
    return email.strip().lower()


def active_registration(event_id: int, email: str) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id,
            Registration.email == normalise_email(email),
            Registration.status != RegistrationStatus.CANCELLED,
        )
    )


def confirmed_count(event_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )


def waitlist_position(registration: Registration) -> int | None:
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


def register(
    event_id: int, details: ParticipantDetails, now: datetime | None = None
) -> RegistrationOutcome:
    """Give `details` a place at the event: confirmed while seats last, then the waiting list.

    The event row is locked before anything is counted, so two people can never take the
    last seat; everything is re-checked under the lock. The caller commits.
    """
    now = now or utcnow()
    event = lock_for_update(Event, event_id)
    if event is None:
        raise LookupError(event_id)
    state = event.registration_state(now)
    if state is not RegistrationState.OPEN:
        raise RegistrationNotOpen(state)

    existing = active_registration(event.id, details.email)
    if existing is not None:
        return RegistrationOutcome(
            existing, created=False, waitlist_position=waitlist_position(existing)
        )

    has_seat = event.capacity is None or confirmed_count(event.id) < event.capacity
    registration = Registration(
        event_id=event.id,
        name=details.name,
        email=normalise_email(details.email),
        organisation_id=details.organisation_id,
        organisation_other=details.organisation_other,
        municipality_id=details.municipality_id,
        job_title=details.job_title,
        needs=details.needs if event.asks_for_needs else None,
        language=details.language,
        consent_at=now,
        status=RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED,
        created_at=now,
    )
    db.session.add(registration)
    db.session.flush()
    return RegistrationOutcome(
        registration, created=True, waitlist_position=waitlist_position(registration)
    )
