"""iTIP (RFC 5546) invitations for one participant, built by the one calendar builder.

Choices, so that Outlook, Gmail and Apple Mail treat them as real invitations:
- ORGANIZER is a configured real mailbox, a bare `mailto:` with a CN.
- The participant is the ATTENDEE with PARTSTAT=ACCEPTED and RSVP=FALSE: registering on the
  form *was* their answer, and changes go through the self-service link. RSVP=TRUE would make
  clients offer Accept/Decline buttons whose replies land in a mailbox that nothing reads.
- SEQUENCE is the event's revision (events.operations: raised by the changes RFC 5546 2.1.4
  calls significant) plus the attendee's own offset (registrations.calendar_copy), which
  their own changes of places raise: their CANCEL outranks the invitation it withdraws, an
  invitation after it (they register again) outranks the CANCEL, and nobody else's SEQUENCE
  moves. DTSTAMP is the time of the message, at least a second after the last one sent to the
  same address (outbox.next_calendar_stamp): a change that keeps the SEQUENCE (a new title)
  is still the newer message.
- CANCEL for the whole event carries STATUS:CANCELLED; a CANCEL that uninvites one attendee
  must not (RFC 5546 3.2.5). No VALARM is ever added.
- A message about one date of a series carries that instance only (the series' UID, the
  date's RECURRENCE-ID): the person's other dates stand. A message about several dates of a
  series at once describes exactly those dates, as calendar.recurring.describe says: the
  whole series when they are all its dates, else one VEVENT per date. When a split moves
  dates to a new series, the calendars that held them one by one get a CANCEL of the old
  series' instances (its UID, their former RECURRENCE-ID, STATUS:CANCELLED, a raised
  SEQUENCE) besides the new series' invitation.
- The ATTENDEE's `mailto:` is the very address in the message's To header (wire_address):
  clients find "you" among the attendees by comparing the two. An IDN domain therefore goes
  as A-labels (plain ASCII, a valid URI). A non-ASCII local part goes as raw UTF-8 rather
  than percent-encoded: iCalendar text is UTF-8 (RFC 5545 3.1.4), RFC 6068 gives no rule for
  such local parts, and `mailto:lauri.j%C3%A4%C3%A4sk%C3%B6@...` would not compare equal to
  the recipient's address in a client that does not decode it. icalendar, vobject and
  ical.js all read it back unchanged (tests/mailing/test_international.py).
"""

from __future__ import annotations

from flask import current_app

from ..calendar.components import Attendee, active_language
from ..calendar.ical import build_calendar
from ..calendar.recurring import SeriesView, former_instances
from ..email_addresses import wire_address
from ..events.models import Event
from ..registrations.calendar_copy import copy_offset
from ..registrations.models import Registration, RegistrationStatus
from ..series.models import Series
from ..series.signals import FormerInstance
from .messages import Calendar
from .outbox import next_calendar_stamp

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _organizer() -> tuple[str, str]:
    config = current_app.config
    return config["HYTU_ORGANIZER_EMAIL"], config["HYTU_ORGANIZER_NAME"]


def invitation(
    event: Event, registration: Registration, method: str, *, uninvite: bool = False
) -> Calendar:
    """The calendar of one event (or one date of a series) addressed to one participant, in
    the active locale."""
    return _addressed(
        [event],
        registration,
        event.title_in(active_language()),
        method,
        uninvite=uninvite,
        instances_only=True,
    )


def series_invitation(
    series: Series,
    registrations: list[Registration],
    method: str,
    *,
    uninvite: bool = False,
    instances_only: bool = False,
) -> Calendar:
    """The dates of `registrations`, one person's places at dates of `series`, in one calendar
    addressed to them; `instances_only` for a message about those dates only."""
    events = [registration.event for registration in registrations]
    return _addressed(
        events,
        registrations[0],
        series.title_in(active_language()),
        method,
        uninvite=uninvite,
        instances_only=instances_only,
    )


def former_instances_cancel(
    series: Series, registrations: list[Registration], former: dict[int, FormerInstance]
) -> Calendar:
    """A CANCEL of the instances that the dates of `registrations` (one person's places) had
    in `series` before a split moved them to a series of their own."""
    view = former_instances(series, [registration.event for registration in registrations], former)
    title = series.title_in(active_language())
    return _addressed([view], registrations[0], title, CANCEL, uninvite=False)


def _addressed(
    entries: list[Event | SeriesView],
    person: Registration,
    name: str,
    method: str,
    *,
    uninvite: bool,
    instances_only: bool = False,
) -> Calendar:
    organizer_email, organizer_name = _organizer()
    events = [
        event
        for entry in entries
        for event in (entry.dates if isinstance(entry, SeriesView) else (entry,))
    ]
    stamp = next_calendar_stamp(person.email)
    data = build_calendar(
        entries,
        name=name,
        method=method,
        participation={event.id: RegistrationStatus.CONFIRMED for event in events},
        attendee=Attendee(
            email=wire_address(person.email),
            name=person.name,
            partstat="DECLINED" if uninvite else "ACCEPTED",
            rsvp=False,
        ),
        organizer=organizer_email,
        organizer_name=organizer_name,
        uninvite=uninvite,
        dtstamp=stamp,
        instances_only=instances_only,
        sequence_offset=copy_offset(person.email, events),
    )
    return Calendar(data=data, method=method, stamp=stamp)
