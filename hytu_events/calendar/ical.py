"""The one place that turns events into iCalendar: feeds, event files and (later) invitations.

Everything here is computed from the events themselves, never from the clock, so the same
data gives the same bytes: calendar clients and HTTP caches see a change only when there is one.
Text is localised in whatever locale is active (views force the feed's language).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from icalendar import Calendar, vCalAddress, vDuration
from icalendar import Event as VEvent

from ..events.models import Event, EventStatus
from ..registrations.models import RegistrationStatus
from .vtimezone import vtimezone

PRODID = "-//Lapland HYTU network//hytu-events//EN"


@dataclass(frozen=True)
class Attendee:
    """The person an invitation is for (issue 5: METHOD:REQUEST / CANCEL by email)."""

    email: str
    name: str
    #: RSVP state as iCalendar names it: ACCEPTED for a confirmed place, TENTATIVE waitlisted.
    partstat: str = "ACCEPTED"
    #: Whether the organiser asks for a reply (RSVP=TRUE/FALSE); None leaves it out.
    rsvp: bool | None = None


def event_url(event: Event, base_url: str) -> str:
    return f"{base_url}/events/{event.id}"


def _location(event: Event, show_online_link: bool) -> str | None:
    parts = [event.venue] if event.venue else []
    if event.is_online:
        parts.append(event.online_url if show_online_link else _("Online"))
    return " / ".join(parts) or None


def _description(
    event: Event, base_url: str, show_online_link: bool, participation: RegistrationStatus | None
) -> str:
    parts = []
    if event.status is EventStatus.CANCELLED:
        parts.append(_("This event has been cancelled."))
        if event.cancellation_reason:
            parts.append(event.cancellation_reason)
    if participation is RegistrationStatus.WAITLISTED:
        parts.append(_("You are on the waiting list for this event."))
    if event.description.strip():
        parts.append(event.description.strip())
    if event.is_online:
        if show_online_link:
            parts.append(_("Online meeting: %(url)s", url=event.online_url))
        elif participation is None:
            parts.append(_("The link to the online meeting is sent to registered participants."))
    parts.append(_("More information and registration: %(url)s", url=event_url(event, base_url)))
    # Calendar clients show DESCRIPTION as plain text; a blank line separates the parts.
    return "\n\n".join(parts)


def _status(event: Event, participation: RegistrationStatus | None) -> str:
    if event.status is EventStatus.CANCELLED:
        return "CANCELLED"
    if participation is RegistrationStatus.WAITLISTED:
        return "TENTATIVE"
    return "CONFIRMED"


def event_component(
    event: Event,
    *,
    base_url: str,
    tzid: str,
    participation: RegistrationStatus | None = None,
    attendee: Attendee | None = None,
    organizer: str | None = None,
    organizer_name: str | None = None,
    uninvite: bool = False,
    dtstamp: datetime | None = None,
) -> VEvent:
    """One VEVENT. `participation` is set only in a participant's own (secret) feed or
    invitation: then a confirmed place shows the online link and a waiting place is TENTATIVE.
    Public output never gets a participation, an attendee or the private online link.
    `uninvite` (a CANCEL for one attendee, not the whole event) leaves STATUS out, as
    RFC 5546 3.2.5 requires.
    """
    zone = ZoneInfo(tzid)
    show_online_link = event.is_online and (
        event.online_url_public or participation is RegistrationStatus.CONFIRMED
    )
    summary = event.title
    if event.status is EventStatus.CANCELLED:
        # Google Calendar ignores STATUS:CANCELLED in feeds; the title says it to everyone.
        summary = _("Cancelled: %(title)s", title=event.title)

    component = VEvent()
    component.add("UID", event.calendar_uid)
    # DTSTAMP is when this object last changed, not when it was served: a clock value here
    # would make every response differ and defeat the ETag.
    # Invitations pass the time of the iTIP message instead (RFC 5546: with equal SEQUENCE the
    # later DTSTAMP wins, so a CANCEL must be newer than the REQUEST it withdraws).
    component.add("DTSTAMP", dtstamp or event.updated_at)
    component.add("CREATED", event.created_at)
    component.add("LAST-MODIFIED", event.updated_at)
    component.add("SEQUENCE", event.revision)
    component.add("DTSTART", event.starts_at.astimezone(zone))
    component.add("DTEND", event.ends_at.astimezone(zone))
    component.add("SUMMARY", summary)
    component.add("DESCRIPTION", _description(event, base_url, show_online_link, participation))
    if location := _location(event, show_online_link):
        component.add("LOCATION", location)
    component.add("URL", event_url(event, base_url))
    if not uninvite:
        component.add("STATUS", _status(event, participation))
    component.add("CATEGORIES", [event.kind.label])
    component.add("CLASS", "PUBLIC")
    component.add("TRANSP", "OPAQUE")
    if organizer:
        organizer_address = vCalAddress(f"mailto:{organizer}")
        if organizer_name:
            organizer_address.params["CN"] = organizer_name
        component.add("ORGANIZER", organizer_address)
    if attendee is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["CN"] = attendee.name
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = attendee.partstat
        if attendee.rsvp is not None:
            address.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
        component.add("ATTENDEE", address)
    return component


def build_calendar(
    events: Iterable[Event],
    *,
    name: str,
    base_url: str | None = None,
    tzid: str | None = None,
    method: str | None = "PUBLISH",
    refresh_interval: timedelta | None = None,
    participation: Mapping[int, RegistrationStatus] | None = None,
    attendee: Attendee | None = None,
    organizer: str | None = None,
    organizer_name: str | None = None,
    uninvite: bool = False,
    dtstamp: datetime | None = None,
) -> bytes:
    """A whole VCALENDAR as bytes (UTF-8, CRLF, folded at 75 octets by icalendar).

    `method` is PUBLISH for files and feeds; invitations pass REQUEST or CANCEL with an
    `attendee` and an `organizer`. `refresh_interval` is for subscribed feeds only.
    """
    base_url = base_url or current_app.config["BASE_URL"]
    tzid = tzid or current_app.config["HYTU_TIMEZONE"]
    events = list(events)
    participation = participation or {}

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method:
        calendar.add("METHOD", method)
    calendar.calendar_name = name  # NAME and X-WR-CALNAME
    calendar.add("X-WR-TIMEZONE", tzid)
    if refresh_interval is not None:
        calendar.add(
            "REFRESH-INTERVAL", vDuration(refresh_interval), parameters={"VALUE": "DURATION"}
        )
        # The older name for the same hint, read by Outlook and Apple Calendar.
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh_interval))
    if events:
        zone = ZoneInfo(tzid)
        first_year = min(e.starts_at.astimezone(zone).year for e in events)
        last_year = max(e.ends_at.astimezone(zone).year for e in events)
        # From the year before, so the rules already hold on the first event's 1 January.
        calendar.add_component(vtimezone(tzid, first_year - 1, last_year))
    for event in events:
        calendar.add_component(
            event_component(
                event,
                base_url=base_url,
                tzid=tzid,
                participation=participation.get(event.id),
                attendee=attendee,
                organizer=organizer,
                organizer_name=organizer_name,
                uninvite=uninvite,
                dtstamp=dtstamp,
            )
        )
    return calendar.to_ical()
