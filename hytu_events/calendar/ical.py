"""The one place that turns events into iCalendar: feeds, event files and invitations.

Events that are dates of a series are described together, by the series' rule
(calendar.recurring); the others each as their own VEVENT (calendar.components). Everything is
computed from the rows, never from the clock, so the same data gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from flask import current_app
from icalendar import Calendar, Component, vDuration, vText
from icalendar.parser import Contentline, Parameters

from ..events.models import Event
from ..registrations.models import RegistrationStatus
from .components import Attendee, Envelope, event_component
from .fragments import Fragments
from .recurring import SeriesView, describe, series_components
from .vtimezone import vtimezone

PRODID = "-//Lapland HYTU network//hytu-events//EN"


def calendar_entries(
    events: Iterable[Event | SeriesView], *, instances_only: bool = False
) -> list[Event | SeriesView]:
    """The events as a calendar holds them: each date of a series within its series' view
    (by the rule of calendar.recurring.describe), in the order each first appears. A view
    given ready (calendar.recurring.former_instances) stays as it is."""
    entries: list[Event | SeriesView | list[Event]] = []
    groups: dict[int, list[Event]] = {}
    for event in events:
        if isinstance(event, SeriesView) or event.series_id is None:
            entries.append(event)
        elif event.series_id in groups:
            groups[event.series_id].append(event)
        else:
            groups[event.series_id] = [event]
            entries.append(groups[event.series_id])
    return [
        describe(entry[0].series, entry, instances_only=instances_only)
        if isinstance(entry, list)
        else entry
        for entry in entries
    ]


def build_calendar(
    events: Iterable[Event | SeriesView],
    *,
    name: str,
    base_url: str | None = None,
    tzid: str | None = None,
    method: str | None = None,
    refresh_interval: timedelta | None = None,
    participation: Mapping[int, RegistrationStatus] | None = None,
    attendee: Attendee | None = None,
    organizer: str | None = None,
    organizer_name: str | None = None,
    uninvite: bool = False,
    dtstamp: datetime | None = None,
    instances_only: bool = False,
    sequence_offset: int = 0,
    fragments: Fragments | None = None,
) -> bytes:
    """A whole VCALENDAR as bytes (UTF-8, CRLF, folded at 75 octets by icalendar).

    Invitations pass a `method` (REQUEST or CANCEL) with an `attendee` and an `organizer`.
    Feeds and event files have no METHOD: they are not iTIP messages, and RFC 5546 3.2.1 would
    require an ORGANIZER of METHOD:PUBLISH, which would turn every published event into a
    meeting the subscriber is invited to. RFC 5545 3.7.2 says a calendar without METHOD is
    no scheduling transaction; Outlook reads it as PUBLISH ([MS-STANOICAL] V0078), and Google
    and Apple Calendar import and subscribe to such files (Apple writes its own that way).
    `refresh_interval` is for subscribed feeds only. `instances_only`: a message about these
    dates of a series only (calendar.recurring). `fragments` keeps each entry's bytes for the
    next build (published calendars only: nothing there depends on the reader).
    `sequence_offset`: what an invitation adds to every SEQUENCE (components.Envelope).
    """
    envelope = Envelope(
        base_url=base_url or current_app.config["BASE_URL"],
        tzid=tzid or current_app.config["HYTU_TIMEZONE"],
        attendee=attendee,
        organizer=organizer,
        organizer_name=organizer_name,
        uninvite=uninvite,
        dtstamp=dtstamp,
        sequence_offset=sequence_offset,
    )
    entries = calendar_entries(events, instances_only=instances_only)
    participation = participation or {}

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method:
        calendar.add("METHOD", method)
    # NAME (RFC 7986) and X-WR-CALNAME are TEXT, but icalendar writes them as given
    # (calendar_name, or add with a str): as vText a comma or semicolon in a title is escaped.
    calendar.add("NAME", vText(name))
    calendar.add("X-WR-CALNAME", vText(name))
    calendar.add("X-WR-TIMEZONE", envelope.tzid)
    if refresh_interval is not None:
        calendar.add(
            "REFRESH-INTERVAL", vDuration(refresh_interval), parameters={"VALUE": "DURATION"}
        )
        # The older name for the same hint, read by Outlook and Apple Calendar.
        calendar.add("X-PUBLISHED-TTL", vDuration(refresh_interval))
    if entries:
        spans = [_span(entry) for entry in entries]
        first_year = min(first for first, _last in spans).astimezone(envelope.zone).year
        last_year = max(last for _first, last in spans).astimezone(envelope.zone).year
        # From the year before, so the rules already hold on the first event's 1 January.
        calendar.add_component(vtimezone(envelope.tzid, first_year - 1, last_year))
    head = calendar.to_ical()
    if fragments is not None:
        body = fragments.many(entries, envelope, participation, _entry_bytes)
    else:
        body = [_entry_bytes(entry, envelope, participation) for entry in entries]
    # The entries go where icalendar would put them: after the VTIMEZONE, before the end.
    return head[: -len(_END)] + b"".join(body) + _END


_END = b"END:VCALENDAR\r\n"


def _entry_bytes(
    entry: Event | SeriesView, envelope: Envelope, participation: Mapping[int, RegistrationStatus]
) -> bytes:
    if isinstance(entry, SeriesView):
        components = series_components(entry, envelope, participation)
    else:
        components = [event_component(entry, envelope, participation.get(entry.id))]
    return b"".join(to_ical(component) for component in components)


#: RFC 5545 3.1: lines longer than this many octets are folded.
_FOLD_AT = 75


def to_ical(component: Component) -> bytes:
    """`component.to_ical()`, byte for byte, in less time: icalendar folds every line by
    walking it character by character, though most (all but long texts) are shorter than a
    fold, and makes an empty parameter list for every line that already has its own. Short
    lines are written as they are; long ones are folded by icalendar itself."""
    lines = []
    for name, value in component.property_items():
        line = Contentline.from_parts(name, getattr(value, "params", _NO_PARAMETERS), value)
        encoded = line.encode("utf-8")
        lines.append(encoded if len(encoded) < _FOLD_AT else line.to_ical())
    lines.append(b"")
    return b"\r\n".join(lines)


#: Read, never changed, by Contentline.from_parts for the lines without parameters.
_NO_PARAMETERS = Parameters()


def _span(entry: Event | SeriesView) -> tuple[datetime, datetime]:
    if isinstance(entry, SeriesView):
        return entry.span()
    return entry.starts_at, entry.ends_at
