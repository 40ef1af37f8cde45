"""What coordinators do to registrations: add someone by hand, cancel, move up, mark attendance,
send someone their self-service link again.

Each change is audited in the same session; the caller commits. Seats are counted under the
event's lock, as in `operations.register`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, time

import sqlalchemy as sa

from .. import audit
from ..db.locking import lock_event
from ..db.types import utcnow
from ..events.models import Event
from ..extensions import db
from ..local_time import zone
from .cancellation import cancel_registration
from .link_requests import send_links
from .models import Registration, RegistrationStatus
from .operations import ParticipantDetails, RegistrationOutcome, register
from .seats import free_seats, promote

#: What the audit log keeps of a registration (no email: the log outlives erasure).
AUDIT_FIELDS = ("status", "cancelled_at", "promoted_at", "attended")


class EventFull(Exception):
    """No free seat, and the coordinator did not confirm going over the limit."""


class AttendanceNotOpen(Exception):
    """The event's day has not come: nobody can have attended it yet."""

    def __init__(self, opens_at: datetime):
        super().__init__(opens_at.isoformat())
        self.opens_at = opens_at


def attendance_opens_at(event: Event) -> datetime:
    """Attendance can be marked from the start of the event's own day (the network's wall
    clock), so a coordinator can take it at the door, but not for an event days ahead."""
    day = event.starts_at.astimezone(zone()).date()
    return datetime.combine(day, time(0), tzinfo=zone()).astimezone(UTC)


def add_participant(
    event_id: int, details: ParticipantDetails, *, over_capacity: bool = False
) -> RegistrationOutcome:
    """Register someone on their behalf, outside the registration window if need be.

    When the event is full the person joins the waiting list, unless the coordinator
    explicitly confirms `over_capacity`: then they get a confirmed place beyond the limit.
    """
    outcome = register(event_id, details, ignore_window=True)
    registration = outcome.registration
    if outcome.created:
        if over_capacity and registration.status is RegistrationStatus.WAITLISTED:
            promote(registration, utcnow())
            db.session.flush()
        audit.record(
            "registration.created", registration, after=audit.snapshot(registration, AUDIT_FIELDS)
        )
    return outcome


def cancel_by_coordinator(registration_id: int) -> tuple[Registration, list[Registration]]:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(registration_id)
    before = audit.snapshot(registration, AUDIT_FIELDS)
    registration, promoted = cancel_registration(registration_id)
    after = audit.snapshot(registration, AUDIT_FIELDS)
    if after != before:
        audit.record("registration.cancelled", registration, before=before, after=after)
    for moved in promoted:
        audit.record(
            "registration.promoted",
            moved,
            before={"status": RegistrationStatus.WAITLISTED.value},
            after=audit.snapshot(moved, AUDIT_FIELDS),
        )
    return registration, promoted


def promote_by_coordinator(
    registration_id: int, *, over_capacity: bool = False, now: datetime | None = None
) -> Registration:
    """Move one person from the waiting list to a confirmed place, out of turn if need be.

    Raises EventFull when no seat is free and `over_capacity` was not confirmed; ValueError
    when the person is not on the waiting list.
    """
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise LookupError(registration_id)
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise ValueError("not on the waiting list")
    if free_seats(event) == 0 and not over_capacity:
        raise EventFull(event.id)
    before = audit.snapshot(registration, AUDIT_FIELDS)
    promote(registration, now or utcnow())
    db.session.flush()
    audit.record(
        "registration.promoted",
        registration,
        before=before,
        after=audit.snapshot(registration, AUDIT_FIELDS),
    )
    return registration


def send_link(registration: Registration) -> None:
    """Mail the person their self-service links again (the message of the public form), for
    when they lost it: the back office never shows the link itself. The audit entry names the
    registration, not the link. Raises ValueError for a place that is cancelled or erased."""
    if registration.status is RegistrationStatus.CANCELLED or registration.erased_at is not None:
        raise ValueError("no active place")
    send_links(registration.email)
    audit.record("registration.link_sent", registration)


def mark_attendance(
    event: Event,
    registration_ids: Iterable[int] | None,
    attended: bool | None,
    now: datetime | None = None,
) -> int:
    """Mark many at once (None clears the mark); `registration_ids` None marks everyone with
    a confirmed place. Only this event's active registrations are touched, whatever ids
    arrive. Returns how many changed; raises AttendanceNotOpen before the event's day."""
    if (now or utcnow()) < (opens_at := attendance_opens_at(event)):
        raise AttendanceNotOpen(opens_at)
    query = sa.select(Registration).where(
        Registration.event_id == event.id, Registration.status != RegistrationStatus.CANCELLED
    )
    if registration_ids is None:
        query = query.where(Registration.status == RegistrationStatus.CONFIRMED)
    else:
        query = query.where(Registration.id.in_(set(registration_ids)))
    registrations = db.session.scalars(query)
    changed = 0
    for registration in registrations:
        if registration.attended is attended:
            continue
        before = audit.snapshot(registration, AUDIT_FIELDS)
        registration.attended = attended
        audit.record(
            "registration.attendance",
            registration,
            before=before,
            after=audit.snapshot(registration, AUDIT_FIELDS),
        )
        changed += 1
    db.session.flush()
    return changed


#: Personal details a coordinator may correct: the audit log names the changed ones but keeps
#: no values, since the log outlives the erasure of the registration.
PERSONAL_DETAILS = ("name", "job_title", "needs")


def _public_details(registration: Registration) -> dict:
    return {
        "organisation": registration.organisation_name,
        "municipality": registration.municipality.name_fi if registration.municipality else None,
        "language": registration.language.value,
    }


def correct_details(registration: Registration, apply: Callable[[Registration], None]) -> bool:
    """Apply a coordinator's correction (a typo, the wrong organisation) and audit it.

    Returns whether anything changed. The email address is not among the details: it is
    where the invitation went, so a new address means a new registration.
    """
    before = _public_details(registration)
    personal = {field: getattr(registration, field) for field in PERSONAL_DETAILS}
    apply(registration)
    db.session.flush()
    db.session.refresh(registration, ["organisation", "municipality"])
    after = _public_details(registration)
    changed = [
        field for field in PERSONAL_DETAILS if getattr(registration, field) != personal[field]
    ]
    if changed:  # which ones, told in `after` only (the history lists it as a fact)
        after["personal_details"] = changed
    if before == after:
        return False
    audit.record("registration.updated", registration, before=before, after=after)
    return True
