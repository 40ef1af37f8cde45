"""A series in a calendar: one VEVENT with an RRULE, or the instances of some of its dates.

Every calendar that holds dates of a series (feeds, event files, invitations) describes them
through `describe`, so one rule decides which objects a reader gets. All the objects of a
series carry its calendar_uid; a date is told apart by its RECURRENCE-ID, the start the rule
gave it (Event.recurrence_id), which stays when the date is moved. Times are written with the
network's TZID, the rule's UNTIL in UTC (series.recurrence.Rule.ical), as RFC 5545 requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from flask_babel import gettext as _
from icalendar import Event as VEvent
from icalendar import vRecur

from ..events.models import Event, EventStatus
from ..local_time import zone as network_zone
from ..registrations.models import RegistrationStatus
from ..series.models import Series
from ..series.recurrence import Rule
from ..series.signals import FormerInstance
from .components import Envelope, Shown, active_language, component, series_url


def instance_sequence(series: Series, date: Event) -> int:
    """The SEQUENCE of one date's own VEVENT (an override, or an instance sent alone): the
    series' revision plus the date's.

    RFC 5546 orders the versions of one instance by SEQUENCE, and an instance that a calendar
    knows only through the master has the master's, the series' revision. The date's own
    revision alone may be lower than that, and an update or a CANCEL of the date would then
    look outdated (Thunderbird ignores it). The sum is never below the master's, rises with
    every significant change of the series or of the date, and stays when neither changed.
    An invitation adds the attendee's own offset to this and to the master's alike
    (registrations.calendar_copy)."""
    return series.revision + date.revision


@dataclass(frozen=True)
class SeriesView:
    """What one calendar says about one series."""

    series: Series
    #: The dates the calendar describes, in the rule's order.
    dates: tuple[Event, ...]
    #: The master (RRULE, EXDATE, overrides) rather than one VEVENT per date.
    whole: bool
    #: The rule's starts (aware UTC); only the master needs them.
    starts: tuple[datetime, ...] = ()
    #: Dates that left the series in a split, by event id: each is written as the series'
    #: calendar held it, cancelled (see `former_instances`).
    former: Mapping[int, FormerInstance] = field(default_factory=dict)

    def span(self) -> tuple[datetime, datetime]:
        """The first and last moment the objects mention, for the VTIMEZONE's years."""
        times = [moment for date in self.dates for moment in (date.starts_at, date.ends_at)]
        times += [date.recurrence_id for date in self.dates]
        for slot in self.former.values():
            times += [slot.recurrence_id, slot.starts_at, slot.ends_at]
        if self.starts:
            times += [self.starts[0], self.starts[-1] + _length(self.series)]
        return min(times), max(times)


def describe(series: Series, dates: Iterable[Event], *, instances_only: bool = False) -> SeriesView:
    """Which calendar objects describe exactly `dates` of `series`: the one rule for it.

    - When `dates` are every published date of the series, the reader has the whole series:
      the master, with its RRULE, an EXDATE for each start of the rule the reader does not
      get (a date cancelled, deleted or still a draft), and an override for each date that
      looks different from the rule and the series' shared details.
    - Otherwise one VEVENT per date, with the series' UID and the date's RECURRENCE-ID, and
      no master: a person with places at some dates must not get a series that says they
      come to all of them.
    - A message about some dates only (one moved, cancelled or left) is `instances_only`,
      whatever else the reader holds: it must not touch the other dates in their calendar.

    A public feed, a coordinator's feed or a person with places at every date thus gets the
    master; a person with places at some dates (or a feed filtered down to some) the dates.
    """
    dates = tuple(sorted(dates, key=lambda date: date.recurrence_id))
    if instances_only or not dates:
        return SeriesView(series, dates, whole=False)
    published = {date.id for date in series.dates if date.status is EventStatus.PUBLISHED}
    if not published or not published <= {date.id for date in dates}:
        return SeriesView(series, dates, whole=False)
    return SeriesView(
        series, dates, whole=True, starts=tuple(Rule.of(series).starts(network_zone()))
    )


def former_instances(
    series: Series, dates: Iterable[Event], former: Mapping[int, FormerInstance]
) -> SeriesView:
    """The instances `dates` had in `series` before a split moved them to a series of their
    own, to cancel them where a calendar holds them one by one: the old UID, the RECURRENCE-ID
    and times they had there, STATUS:CANCELLED, and the SEQUENCE of `instance_sequence`, which
    the split raised above any they were sent with (the old series' revision rose)."""
    dates = tuple(sorted(dates, key=lambda date: former[date.id].recurrence_id))
    return SeriesView(series, dates, whole=False, former=dict(former))


def series_components(
    view: SeriesView,
    envelope: Envelope,
    participation: Mapping[int, RegistrationStatus],
) -> list[VEvent]:
    if not view.whole:
        return [
            _instance(
                view.series, date, envelope, participation.get(date.id), view.former.get(date.id)
            )
            for date in view.dates
        ]
    return _master_and_overrides(view, envelope, participation)


def _length(series: Series) -> timedelta:
    return timedelta(minutes=series.minutes)


def _instance(
    series: Series,
    date: Event,
    envelope: Envelope,
    participation: RegistrationStatus | None,
    former: FormerInstance | None = None,
) -> VEvent:
    """One date as itself, an override of the rule's start it came from. It shows what the
    date's own VEVENT would (the same rules for the online link and the reader's place); a
    date that left the series (`former`) as it was in it, cancelled."""
    shown = Shown.of_event(date, envelope.base_url)
    recurrence_id = date.recurrence_id
    if former is not None:
        recurrence_id = former.recurrence_id
        shown = replace(
            shown,
            starts_at=former.starts_at,
            ends_at=former.ends_at,
            status=EventStatus.CANCELLED,
            cancellation_reason=_(
                "The date continues in a series of its own, which is in your calendar as "
                "another event."
            ),
        )
    vevent = component(
        shown,
        uid=series.calendar_uid,
        sequence=instance_sequence(series, date),
        created=date.created_at,
        changed=date.updated_at,
        envelope=envelope,
        participation=participation,
    )
    vevent.add("RECURRENCE-ID", recurrence_id.astimezone(envelope.zone))
    return vevent


def _shared_place(places: Iterable[RegistrationStatus | None]) -> RegistrationStatus | None:
    """The reader's place the master shows: confirmed if any date is; the others override."""
    places = set(places)
    if RegistrationStatus.CONFIRMED in places:
        return RegistrationStatus.CONFIRMED
    if RegistrationStatus.WAITLISTED in places:
        return RegistrationStatus.WAITLISTED
    return None


def _master_and_overrides(
    view: SeriesView,
    envelope: Envelope,
    participation: Mapping[int, RegistrationStatus],
) -> list[VEvent]:
    series, zone, length = view.series, envelope.zone, _length(view.series)
    described = [date for date in view.dates if date.status is EventStatus.PUBLISHED]
    places = {date.id: participation.get(date.id) for date in described}
    place = _shared_place(places.values())
    # DTSTART is the rule's first start even when that date was moved or cancelled: the rule
    # counts from it (an EXDATE or an override then says what became of it).
    first = view.starts[0]
    shared = Shown(
        title=series.title_in(active_language()),
        description=series.description_in(active_language()),
        venue=series.venue,
        online_url=series.online_url,
        # The master shows a meeting link to the public only if every date allows it.
        online_url_public=all(date.online_url_public for date in described),
        kind=described[0].kind,
        status=EventStatus.PUBLISHED,
        cancellation_reason=None,
        starts_at=first,
        ends_at=first + length,
        page_url=series_url(series, envelope.base_url),
    )
    # An EXDATE added (a date cancelled) changes the master without touching the series row.
    changed = max([series.updated_at, *(date.updated_at for date in series.dates)])
    master = component(
        shared,
        uid=series.calendar_uid,
        sequence=series.revision,
        created=series.created_at,
        changed=changed,
        envelope=envelope,
        participation=place,
    )
    # The rule is in the network's wall time, whatever zone the calendar writes times in.
    master.add("RRULE", vRecur(Rule.of(series).ical(network_zone())))
    held = {date.recurrence_id for date in described}
    if excluded := [start for start in view.starts if start not in held]:
        master.add("EXDATE", [start.astimezone(zone) for start in excluded])
    # A date the rule no longer makes (a rule shortened around it) is still one of the series.
    if extra := sorted(held - set(view.starts)):
        master.add("RDATE", [start.astimezone(zone) for start in extra])
    components = [master]
    expected = shared.looks(place)
    for date in described:
        own = Shown.of_event(date, envelope.base_url)
        if (
            date.starts_at != date.recurrence_id
            or date.ends_at - date.starts_at != length
            or own.looks(places[date.id]) != expected
        ):
            components.append(_instance(series, date, envelope, places[date.id]))
    return components
