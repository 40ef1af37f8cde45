"""One VEVENT: what it shows of an event (or of a series' shared details) and to whom.

Everything here is computed from the rows, never from the clock, so the same data gives the
same bytes: calendar clients and HTTP caches see a change only when there is one. Text is
localised in whatever locale is active (views force the feed's language, mail the
participant's): an event's own title and description too, where it has them in that language.
A title shown in Finnish in place of a missing translation says so (SUMMARY;LANGUAGE=fi, RFC
5545 3.2.10). DESCRIPTION is never marked: it mixes the event's text with lines in the feed's
language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import gettext as _
from icalendar import Event as VEvent
from icalendar import vCalAddress

from ..events.models import Event, EventKind, EventStatus
from ..registrations.models import RegistrationStatus
from ..series.models import Series
from ..translated import SOURCE_LANGUAGE, language_of


def active_language() -> str:
    return str(get_locale() or SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Attendee:
    """The person an invitation is for (issue 5: METHOD:REQUEST / CANCEL by email)."""

    email: str
    name: str
    #: RSVP state as iCalendar names it: ACCEPTED for a confirmed place, TENTATIVE waitlisted.
    partstat: str = "ACCEPTED"
    #: Whether the organiser asks for a reply (RSVP=TRUE/FALSE); None leaves it out.
    rsvp: bool | None = None


@dataclass(frozen=True)
class Envelope:
    """What every VEVENT of one calendar shares: where its links point, its time zone, and in
    an invitation who it is from and for.

    `uninvite` (a CANCEL for one attendee, not the whole event) leaves STATUS out, as
    RFC 5546 3.2.5 requires. `dtstamp` is the time of an iTIP message; feeds and files leave
    it None and each VEVENT is stamped with its own last change. `sequence_offset` is what an
    invitation adds to every SEQUENCE: the attendee's own changes of places
    (registrations.calendar_copy).
    """

    base_url: str
    tzid: str
    attendee: Attendee | None = None
    organizer: str | None = None
    organizer_name: str | None = None
    uninvite: bool = False
    dtstamp: datetime | None = None
    sequence_offset: int = 0

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tzid)


def event_url(event: Event, base_url: str) -> str:
    return f"{base_url}/events/{event.id}"


def series_url(series: Series, base_url: str) -> str:
    """The public page of a series (its dates and one registration form)."""
    return f"{base_url}/series/{series.id}"


@dataclass(frozen=True)
class Shown:
    """What one VEVENT shows: an event's details, or those a series' dates share."""

    title: str
    description: str
    venue: str | None
    online_url: str | None
    online_url_public: bool
    kind: EventKind
    status: EventStatus
    cancellation_reason: str | None
    starts_at: datetime
    ends_at: datetime
    page_url: str

    @classmethod
    def of_event(cls, event: Event, base_url: str) -> Shown:
        language = active_language()
        return cls(
            title=event.title_in(language),
            description=event.description_in(language),
            venue=event.venue,
            online_url=event.online_url,
            online_url_public=event.online_url_public,
            kind=event.kind,
            status=event.status,
            cancellation_reason=event.cancellation_reason,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            page_url=event_url(event, base_url),
        )

    def shows_online_link(self, participation: RegistrationStatus | None) -> bool:
        """Public output never shows a private link; a confirmed place always does."""
        return bool(self.online_url) and (
            self.online_url_public or participation is RegistrationStatus.CONFIRMED
        )

    def looks(self, participation: RegistrationStatus | None) -> tuple:
        """What a reader sees besides the time and the page it links to: two occurrences that
        look the same need no override of one by the other."""
        return (
            self.title,
            self.description.strip(),
            self.venue,
            self.online_url,
            self.shows_online_link(participation),
            self.kind,
            self.status,
            participation,
        )


#: What a parameter value (a CN) could only carry as RFC 6868 ^-escapes, which Outlook shows as
#: they are: a double quote becomes a single one, a caret its look-alike, a line break a space.
_PARAMETER_SAFE = str.maketrans({'"': "'", "^": "\u02c6", "\r": " ", "\n": " "})


def parameter_text(text: str) -> str:
    """`text` as a parameter value that every client reads the same (a name in CN)."""
    return text.translate(_PARAMETER_SAFE)


def _location(shown: Shown, show_online_link: bool) -> str | None:
    parts = [shown.venue] if shown.venue else []
    if shown.online_url:
        parts.append(shown.online_url if show_online_link else _("Online"))
    return " / ".join(parts) or None


def _description(
    shown: Shown, show_online_link: bool, participation: RegistrationStatus | None
) -> str:
    parts = []
    if shown.status is EventStatus.CANCELLED:
        parts.append(_("This event has been cancelled."))
        if shown.cancellation_reason:
            parts.append(shown.cancellation_reason)
    if participation is RegistrationStatus.WAITLISTED:
        parts.append(_("You are on the waiting list for this event."))
    if shown.description.strip():
        parts.append(shown.description.strip())
    if shown.online_url:
        if show_online_link:
            parts.append(_("Online meeting: %(url)s", url=shown.online_url))
        elif participation is None:
            parts.append(_("The link to the online meeting is sent to registered participants."))
    parts.append(_("More information and registration: %(url)s", url=shown.page_url))
    # Calendar clients show DESCRIPTION as plain text; a blank line separates the parts.
    return "\n\n".join(parts)


def _status(shown: Shown, participation: RegistrationStatus | None) -> str:
    if shown.status is EventStatus.CANCELLED:
        return "CANCELLED"
    if participation is RegistrationStatus.WAITLISTED:
        return "TENTATIVE"
    return "CONFIRMED"


def component(
    shown: Shown,
    *,
    uid: str,
    sequence: int,
    created: datetime,
    changed: datetime,
    envelope: Envelope,
    participation: RegistrationStatus | None = None,
) -> VEvent:
    """One VEVENT. `participation` is set only in a participant's own (secret) feed or
    invitation: then a confirmed place shows the online link and a waiting place is TENTATIVE.
    Public output never gets a participation, an attendee or the private online link.
    """
    zone = envelope.zone
    show_online_link = shown.shows_online_link(participation)
    summary = shown.title
    if shown.status is EventStatus.CANCELLED:
        # Google Calendar ignores STATUS:CANCELLED in feeds; the title says it to everyone.
        summary = _("Cancelled: %(title)s", title=shown.title)

    vevent = VEvent()
    vevent.add("UID", uid)
    # DTSTAMP is when this object last changed, not when it was served: a clock value here
    # would make every response differ and defeat the ETag.
    # Invitations pass the time of the iTIP message instead (RFC 5546: with equal SEQUENCE the
    # later DTSTAMP wins, so a CANCEL must be newer than the REQUEST it withdraws).
    vevent.add("DTSTAMP", envelope.dtstamp or changed)
    vevent.add("CREATED", created)
    vevent.add("LAST-MODIFIED", changed)
    vevent.add("SEQUENCE", sequence + envelope.sequence_offset)
    vevent.add("DTSTART", shown.starts_at.astimezone(zone))
    vevent.add("DTEND", shown.ends_at.astimezone(zone))
    title_language = language_of(shown.title)
    if summary is shown.title and title_language not in (None, active_language()):
        vevent.add("SUMMARY", summary, parameters={"LANGUAGE": title_language})
    else:
        vevent.add("SUMMARY", summary)
    vevent.add("DESCRIPTION", _description(shown, show_online_link, participation))
    if location := _location(shown, show_online_link):
        vevent.add("LOCATION", location)
    vevent.add("URL", shown.page_url)
    if not envelope.uninvite:
        vevent.add("STATUS", _status(shown, participation))
    vevent.add("CATEGORIES", [shown.kind.label])
    vevent.add("CLASS", "PUBLIC")
    vevent.add("TRANSP", "OPAQUE")
    if envelope.organizer:
        organizer = vCalAddress(f"mailto:{envelope.organizer}")
        if envelope.organizer_name:
            organizer.params["CN"] = parameter_text(envelope.organizer_name)
        vevent.add("ORGANIZER", organizer)
    if (attendee := envelope.attendee) is not None:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params["CN"] = parameter_text(attendee.name)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = attendee.partstat
        if attendee.rsvp is not None:
            address.params["RSVP"] = "TRUE" if attendee.rsvp else "FALSE"
        vevent.add("ATTENDEE", address)
    return vevent


def event_component(
    event: Event, envelope: Envelope, participation: RegistrationStatus | None = None
) -> VEvent:
    """The VEVENT of an event that is no date of a series."""
    return component(
        Shown.of_event(event, envelope.base_url),
        uid=event.calendar_uid,
        sequence=event.revision,
        created=event.created_at,
        changed=event.updated_at,
        envelope=envelope,
        participation=participation,
    )
