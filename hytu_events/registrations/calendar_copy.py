"""A person's copy of an event in their calendar: what their invitations add to its SEQUENCE.

RFC 5546 (2.1.5) orders the messages about one calendar object by SEQUENCE, then DTSTAMP. The
event's revision counts the organiser's changes and is the same for everyone. A change of one
person's own places must outrank what that person was sent before, without touching anyone
else's calendar: their CANCEL must be newer than the invitation it withdraws, and an invitation
after it (they register again) newer than the CANCEL. So invitations add the person's
`Registration.sequence_offset` to every SEQUENCE. Giving up places raises it to the next odd
number, and taking a place when it is odd (their calendar may hold that CANCEL) to the next
even one: each change of the person's places outranks the messages before it, whether or not
the clock moved, and places taken or given up together raise it once. A person who never gave
up a place keeps 0: their first invitation is the event's revision.

The calendar object is the event, or for a date of a series the whole series (one UID: the
master and every date's RECURRENCE-ID). A raise sets every row of the person there, whatever its
status, to one above the highest, so all of them hold one number: the master and the instances
move together, and a split of the series keeps that number on both sides.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..events.models import Event
from ..extensions import db
from .models import Registration


def _at(events: Iterable[Event]) -> sa.ColumnElement[bool]:
    """Registrations at `events` or at any date of their series."""
    events = list(events)
    series_ids = {event.series_id for event in events if event.series_id is not None}
    at = Registration.event_id.in_([event.id for event in events])
    if series_ids:
        at = at | Registration.event_id.in_(
            sa.select(Event.id).where(Event.series_id.in_(series_ids))
        )
    return at


def copy_offset(email: str, events: Iterable[Event]) -> int:
    """What invitations to `email` about `events` add to their SEQUENCE."""
    highest = db.session.scalar(
        sa.select(sa.func.max(Registration.sequence_offset)).where(
            Registration.email == email, _at(events)
        )
    )
    return highest or 0


def offset_after_giving_up(email: str, event: Event) -> int:
    """The person gave up places at `event`'s calendar object (one change, however many
    places): their copy rises to the next odd number, which their CANCEL carries. Returns it."""
    offset = copy_offset(email, [event])
    return _set(email, event, offset + 1 if offset % 2 == 0 else offset + 2)


def offset_of_new_place(email: str, event: Event) -> int:
    """The offset a new place of `email` at `event` takes. Odd: the latest change of their
    places there was giving some up, and their calendar may hold that CANCEL, so the copy
    rises to the next even number, which outranks it; several places taken at once raise it
    once. Even (0 for a first place): the copy as it is."""
    offset = copy_offset(email, [event])
    return _set(email, event, offset + 1) if offset % 2 else offset


def _set(email: str, event: Event, offset: int) -> int:
    db.session.execute(
        sa.update(Registration)
        .where(Registration.email == email, _at([event]))
        .values(sequence_offset=offset)
        .execution_options(synchronize_session="fetch")
    )
    return offset
