"""What coordinators do to events: create, change, publish, cancel, delete drafts, duplicate.

Every function records an audit entry in the same session; the caller commits.

The rule that calendars depend on lives here (a series follows it: series.changes). Once an
event is published, a change to anything a participant's calendar shows of it (SHOWN_FIELDS)
sends everyone with a place one updated REQUEST per save (`update_event`, event_changed). Of
those changes, the ones RFC 5546 2.1.4 calls significant also raise the revision, which is
the iCalendar SEQUENCE (REVISION_FIELDS, `apply_changes`): the times (DTSTART, DTEND) and the
status, which the RFC lists, and the place (the venue and the online link), which it names as
a change the organiser must count when it may change whether people can come. A new title,
description or kind keeps the SEQUENCE; clients take the update as the newer message by its
later DTSTAMP (mailing.outbox.next_calendar_stamp).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from .. import audit
from ..accounts.models import User
from ..copying import copied
from ..db.locking import lock_event
from ..db.types import utcnow
from ..extensions import db
from ..partners.models import Municipality, Organisation
from ..plan.models import event_measures
from ..translated import EVENT_TRANSLATIONS
from .models import Event, EventKind, EventStatus
from .signals import capacity_submitted, event_cancelled, event_changed

#: What a participant's calendar shows of an event (SUMMARY, DESCRIPTION, CATEGORIES, the
#: times, LOCATION, the online link, STATUS): a change reaches everyone with a place.
SHOWN_FIELDS = frozenset(
    {"title", "description", "kind", "starts_at", "ends_at", "venue", "online_url", "status"}
    | set(EVENT_TRANSLATIONS)  # participants' calendars are in their own language
)
#: Of those, the changes RFC 5546 2.1.4 calls significant: they raise the revision (SEQUENCE).
REVISION_FIELDS = frozenset({"starts_at", "ends_at", "venue", "online_url", "status"})

#: What the audit log keeps of an event.
AUDIT_FIELDS = (
    "kind",
    "title",
    "description",
    *EVENT_TRANSLATIONS,
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "online_url_public",
    "capacity",
    "registration_opens_at",
    "registration_closes_at",
    "asks_for_needs",
    "status",
    "cancellation_reason",
    "revision",
    "municipalities",
    "organisations",
    "coordinators",
)

#: A run of copies is at most a year of weekly events.
MAX_REPEAT = 52

#: What a copy of an event takes over as it is ...
COPIED_FIELDS = (
    "kind",
    "title",
    "description",
    *EVENT_TRANSLATIONS,
    "venue",
    "online_url",
    "online_url_public",
    "capacity",
    "auto_promote",
    "asks_for_needs",
)
#: ... and the times that move with it.
SHIFTED_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


class EventStateError(Exception):
    """The event is not in a state that allows this (publishing a cancelled event, say)."""


class CapacityBelowConfirmed(ValueError):
    """Capacity may not drop below the number of people already confirmed.

    Raised by the capacity rule (registrations.seats), which receives `capacity_submitted`;
    defined here so that whoever changes an event can catch it without importing registrations.
    """

    def __init__(self, confirmed: int):
        super().__init__(confirmed)
        self.confirmed = confirmed


#: The rows an event is linked to, among its details.
LINKED = ("municipalities", "organisations", "coordinators")


@dataclass
class EventDetails:
    """Everything the event form sets."""

    kind: EventKind
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    online_url: str | None
    online_url_public: bool
    capacity: int | None
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    asks_for_needs: bool
    municipalities: list[Municipality] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    coordinators: list[User] = field(default_factory=list)
    #: The optional Swedish and English texts (translated.EVENT_TRANSLATIONS).
    title_sv: str | None = None
    title_en: str | None = None
    description_sv: str | None = None
    description_en: str | None = None

    @classmethod
    def of(cls, event: Event) -> EventDetails:
        """What the form would say of `event` as it is (its linked rows in new lists)."""
        return copied(cls, event, **{name: list(getattr(event, name)) for name in LINKED})

    def as_changes(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def moved_by(details: EventDetails, shift: timedelta) -> EventDetails:
    """The same details `shift` later on the wall clock (its times, registration window too):
    a 9 o'clock coffee a week later is at 9 across a change to summer time."""
    moved = replace(details)
    for name in SHIFTED_FIELDS:
        value = getattr(details, name)
        if value is not None:
            local = value.astimezone(ZoneInfo(current_app.config["HYTU_TIMEZONE"]))
            setattr(moved, name, (local + shift).astimezone(UTC))
    return moved


def _comparable(value: Any) -> Any:
    """Linked rows (municipalities, organisations, coordinators) compare by their ids."""
    if isinstance(value, list):
        return sorted(row.id for row in value)
    return value


def apply_changes(event: Event, changes: dict[str, Any]) -> set[str]:
    """Set `changes` on `event`; returns the names of the attributes that really changed.

    The revision goes up by exactly one when the event was published before the change and
    its time, place or status changed (REVISION_FIELDS): a draft has never been in anyone's
    calendar, and a new title alone does not move a meeting.
    """
    was_published = event.status is EventStatus.PUBLISHED
    changed = {
        name
        for name, value in changes.items()
        if _comparable(getattr(event, name)) != _comparable(value)
    }
    for name in changed:
        setattr(event, name, changes[name])
    if changed:
        # A change of linked rows alone (municipalities, coordinators) updates no column, so
        # `onupdate` would not fire; feeds and event files read updated_at.
        event.updated_at = utcnow()
    if was_published and changed & REVISION_FIELDS:
        event.revision += 1
    return changed


def create_event(
    details: EventDetails, creator: User | None, *, publish: bool = False, **placement: Any
) -> Event:
    """A new draft (published at once with `publish`); whoever creates it runs it unless others
    are named. `placement` sets columns the form does not (a series' `series_id` and
    `recurrence_id`), and the history says them."""
    event = Event(status=EventStatus.DRAFT, revision=0, **placement)
    apply_changes(event, details.as_changes())
    if publish:
        event.status = EventStatus.PUBLISHED
    if not event.coordinators and creator is not None:
        event.coordinators = [creator]
    db.session.add(event)
    db.session.flush()
    audit.record("event.created", event, after=audit.snapshot(event, AUDIT_FIELDS) | placement)
    return event


def update_event(event_id: int, details: EventDetails, *, announce: bool = True) -> Event:
    """Change an event. Capacity is checked again under the event's lock, and raising it
    gives the new seats to the waiting list: `capacity_submitted` hands the number to the
    capacity rule (registrations.seats.set_capacity). Raises CapacityBelowConfirmed.

    A published event whose calendar details changed (SHOWN_FIELDS) sends `event_changed`
    once, however many of them changed. Without `announce` it is not sent: the caller tells
    calendars itself (a change to all dates of a series is one update of the series)."""
    event = lock_event(event_id)
    if event is None:
        raise LookupError(event_id)
    before = audit.snapshot(event, AUDIT_FIELDS)
    changes = details.as_changes()
    capacity = changes.pop("capacity")
    changed = apply_changes(event, changes)
    # After the other changes: promotion reads the new times.
    if not capacity_submitted.send(event, capacity=capacity):
        # Storing the number unchecked would let an event be overbooked.
        raise RuntimeError(
            "Nothing applies the capacity rule: hytu_events.registrations.seats is not imported."
        )
    after = audit.snapshot(event, AUDIT_FIELDS)
    if after != before:
        audit.record("event.updated", event, before=before, after=after)
    if announce and event.status is EventStatus.PUBLISHED and changed & SHOWN_FIELDS:
        event_changed.send(event)  # participants' calendars follow it
    return event


def _change_status(event: Event, action: str, **changes: Any) -> Event:
    before = audit.snapshot(event, AUDIT_FIELDS)
    apply_changes(event, changes)
    db.session.flush()
    audit.record(action, event, before=before, after=audit.snapshot(event, AUDIT_FIELDS))
    return event


def publish_event(event_id: int) -> Event:
    event = lock_event(event_id)
    if event.status is not EventStatus.DRAFT:
        raise EventStateError(event.status)
    return _change_status(event, "event.published", status=EventStatus.PUBLISHED)


def cancel_event(event_id: int, reason: str, *, announce: bool = True) -> Event:
    """Cancel a published event; the reason is shown on its public page. Without `announce`,
    `event_cancelled` is not sent (see update_event)."""
    if not reason.strip():
        raise ValueError("a cancellation needs a reason")
    event = lock_event(event_id)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError(event.status)
    _change_status(
        event, "event.cancelled", status=EventStatus.CANCELLED, cancellation_reason=reason.strip()
    )
    if announce:
        event_cancelled.send(event)
    return event


def delete_draft(event_id: int) -> int:
    """Only drafts can go: anything published may be in someone's calendar."""
    event = lock_event(event_id)
    if event.status is not EventStatus.DRAFT:
        raise EventStateError(event.status)
    # The entry outlives the row: it names the deleted draft by id, not by foreign key.
    audit.record("event.deleted", event, before=audit.snapshot(event, AUDIT_FIELDS), event_id=None)
    deleted_id = event.id
    db.session.delete(event)
    db.session.flush()
    return deleted_id


def copy_measures(original_id: int, copy_ids: list[int]) -> None:
    """The copies serve the plan's measures the original serves (the caller commits)."""
    measure_ids = list(
        db.session.scalars(
            sa.select(event_measures.c.measure_id)
            .where(event_measures.c.event_id == original_id)
            .order_by(event_measures.c.measure_id)
        )
    )
    rows = [
        {"event_id": copy, "measure_id": measure} for copy in copy_ids for measure in measure_ids
    ]
    if rows:
        db.session.execute(sa.insert(event_measures), rows)


def duplicate_event(
    event_id: int, creator: User, *, every_weeks: int = 0, times: int = 1, publish: bool = False
) -> list[Event]:
    """Copies of an event: one at the same time, or `times` copies `every_weeks` weeks apart
    (the first `every_weeks` after the original). Each copy is a new calendar event with its
    own UID and no registrations; registration windows move with the copies."""
    if not 1 <= times <= MAX_REPEAT:
        raise ValueError(f"times must be 1..{MAX_REPEAT}")
    if every_weeks < 0 or (times > 1 and every_weeks == 0):
        raise ValueError("a repeat needs a positive interval")
    original = db.session.get(Event, event_id)
    if original is None:
        raise LookupError(event_id)
    zone = ZoneInfo(current_app.config["HYTU_TIMEZONE"])
    copies = []
    for number in range(1, times + 1):
        shift = timedelta(weeks=every_weeks * number)

        def _shifted(moment: datetime | None, shift=shift) -> datetime | None:
            # Weeks on the wall clock: a 9 o'clock coffee stays at 9 across a DST change.
            return None if moment is None else (moment.astimezone(zone) + shift).astimezone(UTC)

        copy = Event(
            **{name: getattr(original, name) for name in COPIED_FIELDS},
            **{name: _shifted(getattr(original, name)) for name in SHIFTED_FIELDS},
            status=EventStatus.PUBLISHED if publish else EventStatus.DRAFT,
            municipalities=list(original.municipalities),
            organisations=list(original.organisations),
            coordinators=list(original.coordinators) or [creator],
        )
        db.session.add(copy)
        copies.append(copy)
    db.session.flush()
    copy_measures(original.id, [copy.id for copy in copies])
    for copy in copies:
        audit.record(
            "event.duplicated",
            copy,
            before={"copied_from": original.id},
            after=audit.snapshot(copy, AUDIT_FIELDS),
        )
    return copies
